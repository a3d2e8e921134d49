package io.dojosim.workload.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML or JSON document read into maps, lists and scalars that remember their line and column,
 * so that a binder can name the place of a mistake. Duplicate keys are an error.
 */
final class Tree {
    private Tree() {
    }

    /** A node with its position (1-based line and column). */
    sealed interface Node permits MapNode, ListNode, Scalar {
        int line();

        int column();
    }

    record MapNode(Map<String, Node> entries, Map<String, int[]> keyPositions, int line, int column) implements Node {
    }

    record ListNode(List<Node> items, int line, int column) implements Node {
    }

    /** A scalar: token is the Jackson token kind (string, int, float, true, false, null). */
    record Scalar(JsonToken token, String text, int line, int column) implements Node {
    }

    /**
     * A YAML reader whose size limit is the one of every trace ({@link ChakraTrace#maxTraceBytes}:
     * a sixteenth of the heap, at least 64 MiB) instead of SnakeYAML's 3 M code points, so that
     * what {@code workload convert} writes reads back.
     */
    static YAMLFactory yamlFactory() {
        org.yaml.snakeyaml.LoaderOptions lo = new org.yaml.snakeyaml.LoaderOptions();
        lo.setCodePointLimit((int) ChakraTrace.maxTraceBytes());
        return YAMLFactory.builder().loaderOptions(lo).build();
    }

    static Node parse(String file, Reader in, boolean yaml) {
        JsonFactory f = yaml ? yamlFactory() : new JsonFactory();
        try (JsonParser p = f.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new ConfigException(file + ": the file is empty; expected a workload document");
            }
            Node n = read(file, p);
            if (p.nextToken() != null) {
                JsonLocation loc = p.currentTokenLocation();
                throw new ConfigException(file + ":" + loc.getLineNr() + ":" + loc.getColumnNr()
                        + ": a second document follows; a workload file holds exactly one");
            }
            return n;
        } catch (JsonParseException e) {
            JsonLocation loc = e.getLocation();
            String msg = io.dojosim.core.config.ParserMessages.clean(e.getOriginalMessage());
            throw new ConfigException(file + ":" + (loc == null ? "?" : loc.getLineNr() + ":" + loc.getColumnNr())
                    + ": not valid " + (yaml ? "YAML" : "JSON") + ": " + msg, e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(file + ": is not UTF-8 text; allowed: a UTF-8 YAML or JSON file", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + io.dojosim.core.config.ParserMessages.clean(String.valueOf(e.getMessage())), e);
        }
    }

    private static Node read(String file, JsonParser p) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> m = new LinkedHashMap<>();
                Map<String, int[]> pos = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    if (m.containsKey(key)) {
                        throw new ConfigException(file + ":" + kl.getLineNr() + ":" + kl.getColumnNr()
                                + ": key '" + key + "' appears twice in the same mapping (first on line "
                                + pos.get(key)[0] + ")");
                    }
                    p.nextToken();
                    pos.put(key, new int[] {kl.getLineNr(), kl.getColumnNr()});
                    m.put(key, read(file, p));
                }
                return new MapNode(m, pos, line, col);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(file, p));
                }
                return new ListNode(items, line, col);
            }
            default -> {
                return new Scalar(t, t == JsonToken.VALUE_NULL ? "null" : p.getText(), line, col);
            }
        }
    }
}
