package io.dojosim.cli.sweep;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers the file and line it came from, so every error in a sweep spec can
 * name them. A node is a mapping (duplicate keys are an error), a list, or a scalar (String,
 * Long, Double, Boolean).
 */
public final class SpecNode {
    private final String file;
    private final int line;
    private final Object value;
    private final Map<String, SpecNode> map;   // when value is a mapping (the same object), else null
    private final List<SpecNode> list;         // when value is a list (the same object), else null

    private SpecNode(String file, int line, Object value) {
        this(file, line, value, null, null);
    }

    private SpecNode(String file, int line, Object value, Map<String, SpecNode> map, List<SpecNode> list) {
        this.file = file;
        this.line = line;
        this.value = map != null ? map : list != null ? list : value;
        this.map = map;
        this.list = list;
    }

    private static SpecNode ofMap(String file, int line, Map<String, SpecNode> m) {
        return new SpecNode(file, line, null, m, null);
    }

    private static SpecNode ofList(String file, int line, List<SpecNode> l) {
        return new SpecNode(file, line, null, null, l);
    }

    /** Reads a whole YAML (or JSON) file. */
    public static SpecNode read(Path path) {
        String name = path.toString();
        try (Reader r = Files.newBufferedReader(path); JsonParser p = new YAMLFactory().createParser(r)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new ConfigException(name + ": the file is empty");
            }
            return node(p, t, name);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file");
        } catch (JsonParseException e) {
            throw new ConfigException(name + ":" + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": not valid YAML: " + io.dojosim.core.config.ParserMessages.clean(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage());
        }
    }

    private static SpecNode node(JsonParser p, JsonToken t, String file) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        switch (t) {
            case START_OBJECT: {
                Map<String, SpecNode> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    int kl = p.currentTokenLocation().getLineNr();
                    SpecNode v = node(p, p.nextToken(), file);
                    if (m.containsKey(k)) {
                        throw new ConfigException(file + ":" + kl + ": duplicate key '" + k + "'");
                    }
                    m.put(k, new SpecNode(file, kl, v.value, v.map, v.list));
                }
                return ofMap(file, line, Collections.unmodifiableMap(m));
            }
            case START_ARRAY: {
                List<SpecNode> l = new ArrayList<>();
                JsonToken x;
                while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(node(p, x, file));
                }
                return ofList(file, line, Collections.unmodifiableList(l));
            }
            case VALUE_NUMBER_INT:
                return new SpecNode(file, line, p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return new SpecNode(file, line, p.getDoubleValue());
            case VALUE_TRUE:
                return new SpecNode(file, line, Boolean.TRUE);
            case VALUE_FALSE:
                return new SpecNode(file, line, Boolean.FALSE);
            case VALUE_NULL:
                return new SpecNode(file, line, null);
            default:
                return new SpecNode(file, line, p.getText());
        }
    }

    /** @return "file:line", the prefix of every error about this node */
    public String where() {
        return file + ":" + line;
    }

    public int line() {
        return line;
    }

    public String file() {
        return file;
    }

    public boolean isMap() {
        return value instanceof Map;
    }

    public boolean isList() {
        return value instanceof List;
    }

    public boolean isNull() {
        return value == null;
    }

    public boolean isScalar() {
        return value != null && !isMap() && !isList();
    }

    /** @return the mapping, or an error naming {@code what} */
    public Map<String, SpecNode> map(String what) {
        if (!isMap()) {
            throw new ConfigException(where() + ": " + what + " must be a mapping of keys, found " + kind());
        }
        return map;
    }

    /** @return the list, or an error naming {@code what} */
    public List<SpecNode> list(String what) {
        if (!isList()) {
            throw new ConfigException(where() + ": " + what + " must be a list, found " + kind());
        }
        return list;
    }

    /** @return the scalar as text, or an error naming {@code what} */
    public String text(String what) {
        if (!isScalar()) {
            throw new ConfigException(where() + ": " + what + " must be a single value, found " + kind());
        }
        return value.toString();
    }

    /** @return the scalar as a long, or an error naming {@code what} and the range */
    public long integer(String what, long min, long max) {
        if (!(value instanceof Long) || (Long) value < min || (Long) value > max) {
            throw new ConfigException(where() + ": " + what + ": value '" + (isScalar() ? value : kind())
                    + "' is not allowed; expected an integer in [" + min + ", " + max + "]");
        }
        return (Long) value;
    }

    /**
     * @return the plain Java value for a config key: scalars as they are, lists as lists of strings
     * (the form the config loader gives list parameters)
     */
    public Object raw(String what) {
        if (isMap()) {
            throw new ConfigException(where() + ": " + what + " takes a value or a list of values, found a mapping");
        }
        if (isNull()) {
            throw new ConfigException(where() + ": " + what + " has no value");
        }
        if (isList()) {
            List<String> l = new ArrayList<>();
            for (SpecNode n : list(what)) {
                l.add(n.text(what + " list item"));
            }
            return List.copyOf(l);
        }
        return value;
    }

    /** @return "a mapping", "a list", "an empty value" or "a value" */
    public String kind() {
        return isMap() ? "a mapping" : isList() ? "a list" : isNull() ? "an empty value" : "a value";
    }

    /** Fails when the mapping holds a key outside {@code allowed}. */
    public void allowOnly(String what, List<String> allowed) {
        for (Map.Entry<String, SpecNode> e : map(what).entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new ConfigException(e.getValue().where() + ": unknown key '" + e.getKey() + "' in " + what
                        + "; allowed: " + String.join(", ", allowed));
            }
        }
    }
}
