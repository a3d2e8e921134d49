package io.dojosim.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ParamDef;
import io.dojosim.core.config.ResolvedConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Strict binding of YAML and JSON config files onto the parameter catalog, with layers:
 * built-in defaults, then each file in order (a later file wins: a base machine, then what-if
 * overlays), then {@code --set key=value} overrides.
 *
 * <p>A file is a nested mapping whose paths are parameter keys ({@code d1: {node: {clockHz: 2.5e9}}}
 * sets {@code d1.node.clockHz}); dotted keys are accepted too ({@code d1.node.clockHz: ...}). The
 * top level must hold {@code schemaVersion: 1}. Every error names the file, the line, the key
 * path, the value and what is allowed: an unknown key, a duplicate key, a mapping where a value
 * belongs, a wrong type, an out-of-range value, a missing {@code schemaVersion}.
 */
public final class ConfigLoader {
    /** The config file schema version this build reads. */
    public static final int SCHEMA_VERSION = 1;

    private final ParamCatalog catalog;

    public ConfigLoader(ParamCatalog catalog) {
        this.catalog = catalog;
    }

    /** Resolves defaults, then the file (if any), then the overrides ({@code key=value}). */
    public ResolvedConfig resolve(Path file, List<String> overrides) {
        return resolveLayers(file == null ? List.of() : List.of(file), overrides);
    }

    /**
     * Resolves defaults, then each file in order (a key a later file sets replaces the earlier
     * value; keys it does not name keep theirs), then the overrides ({@code key=value}). Each value's
     * origin names the file and line it came from, so the layering shows in resolved-config.yaml.
     */
    public ResolvedConfig resolveLayers(List<Path> files, List<String> overrides) {
        ResolvedConfig c = catalog.defaults();
        for (Path file : files) {
            c = applyFile(c, file);
        }
        for (String o : overrides) {
            c = applyOverride(c, o);
        }
        return c;
    }

    /** Applies one {@code key=value} override. */
    public ResolvedConfig applyOverride(ResolvedConfig c, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set '" + assignment + "': expected key=value, for example --set d1.node.clockHz=2500000000");
        }
        String key = assignment.substring(0, eq).trim();
        String value = assignment.substring(eq + 1).trim();
        return c.with(key, value, "--set " + key);
    }

    /** Applies a YAML (or, for a .json name, JSON) file. */
    public ResolvedConfig applyFile(ResolvedConfig base, Path file) {
        String name = file.toString();
        JsonFactory factory = name.toLowerCase(Locale.ROOT).endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        if (Files.isDirectory(file)) {
            throw new ConfigException(name + ": is a folder; allowed: a YAML or JSON config file");
        }
        try (Reader r = Files.newBufferedReader(file); JsonParser p = factory.createParser(r)) {
            Walk w = new Walk(base, name);
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new ConfigException(name + ": the file is empty; a config needs at least 'schemaVersion: " + SCHEMA_VERSION + "'");
            }
            if (t != JsonToken.START_OBJECT) {
                throw new ConfigException(name + ":" + line(p) + ": the top level must be a mapping of keys, found " + describe(t));
            }
            w.object(p, "");
            if (p.nextToken() != null) {
                throw new ConfigException(name + ":" + line(p) + ": content follows the end of the config; a config file holds exactly one mapping");
            }
            if (!w.sawSchemaVersion) {
                throw new ConfigException(name + ":1: missing required key 'schemaVersion'; allowed: " + SCHEMA_VERSION);
            }
            return w.config;
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file");
        } catch (JsonParseException e) {
            JsonLocation loc = e.getLocation();
            if (hasCause(e, java.nio.charset.CharacterCodingException.class)) {
                throw new ConfigException(name + ":" + (loc == null ? "?" : loc.getLineNr()) + ": is not UTF-8 text; allowed: a UTF-8 YAML or JSON file");
            }
            throw new ConfigException(name + ":" + (loc == null ? "?" : loc.getLineNr()) + ": not valid "
                    + (factory instanceof YAMLFactory ? "YAML" : "JSON") + ": " + io.dojosim.core.config.ParserMessages.clean(e.getOriginalMessage()));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(name + ": is not UTF-8 text; allowed: a UTF-8 YAML or JSON file");
        } catch (IOException e) {
            if (hasCause(e, java.nio.charset.CharacterCodingException.class)) {
                throw new ConfigException(name + ": is not UTF-8 text; allowed: a UTF-8 YAML or JSON file");
            }
            throw new ConfigException(name + ": cannot read: " + io.dojosim.cli.files.RunFolder.describe(e));
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return true;
        }
        return false;
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_OBJECT: return "a mapping";
            case START_ARRAY: return "a list";
            case VALUE_NULL: return "an empty value";
            default: return "a value";
        }
    }

    private final class Walk {
        ResolvedConfig config;
        final String file;
        boolean sawSchemaVersion;

        Walk(ResolvedConfig config, String file) {
            this.config = config;
            this.file = file;
        }

        void object(JsonParser p, String prefix) throws IOException {
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                int keyLine = line(p);
                if (!seen.add(field)) {
                    throw new ConfigException(file + ":" + keyLine + ": duplicate key '" + join(prefix, field) + "'");
                }
                String path = join(prefix, field);
                JsonToken v = p.nextToken();
                if (prefix.isEmpty() && field.equals("schemaVersion")) {
                    String text = p.getText();
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getLongValue() != SCHEMA_VERSION) {
                        throw new ConfigException(file + ":" + keyLine + ": key 'schemaVersion': value '" + text
                                + "' is not allowed; expected " + SCHEMA_VERSION);
                    }
                    sawSchemaVersion = true;
                    continue;
                }
                ParamDef def = catalog.find(path);
                if (def == null && !catalog.isPrefix(path)) {
                    throw new ConfigException(file + ":" + keyLine + ": unknown key '" + path + "'"
                            + config.suggestion(path) + (prefix.isEmpty() ? ", schemaVersion" : ""));
                }
                if (def == null) {
                    if (v != JsonToken.START_OBJECT) {
                        throw new ConfigException(file + ":" + keyLine + ": key '" + path + "' is a group and needs a mapping of keys, found "
                                + describe(v) + "; allowed under '" + path + "': " + String.join(", ", catalog.childrenOf(path)));
                    }
                    object(p, path);
                    continue;
                }
                Object raw = value(p, v, path, keyLine);
                config = config.with(path, raw, layered(file + ":" + keyLine, config.origins().get(path)));
            }
        }

        Object value(JsonParser p, JsonToken v, String path, int keyLine) throws IOException {
            switch (v) {
                case START_OBJECT:
                    throw new ConfigException(file + ":" + keyLine + ": key '" + path + "' takes a value, found a mapping; expected "
                            + catalog.find(path).allowedText());
                case START_ARRAY: {
                    List<Object> items = new ArrayList<>();
                    JsonToken t;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                            throw new ConfigException(file + ":" + line(p) + ": key '" + path + "': list items must be plain values; expected "
                                    + catalog.find(path).allowedText());
                        }
                        items.add(p.getText());
                    }
                    return items;
                }
                case VALUE_NUMBER_INT:
                    return p.getNumberValue();
                case VALUE_NUMBER_FLOAT:
                    return p.getDoubleValue();
                case VALUE_TRUE:
                    return Boolean.TRUE;
                case VALUE_FALSE:
                    return Boolean.FALSE;
                case VALUE_NULL:
                    throw new ConfigException(file + ":" + keyLine + ": key '" + path + "' has no value; expected "
                            + catalog.find(path).allowedText());
                default:
                    return p.getText();
            }
        }
    }

    /** The word that joins a value's origin to the earlier file value it replaced. */
    public static final String OVER = ", over ";

    /**
     * @return the origin of a value a file sets: its own file and line, followed by the earlier
     * file value it replaces when an earlier layer (another file) had set the key
     */
    static String layered(String origin, String previous) {
        if (previous == null || previous.equals("default") || !previous.matches(".+:\\d+(, over .*)?")) {
            return origin;
        }
        int over = previous.indexOf(OVER);
        return origin + OVER + (over < 0 ? previous : previous.substring(0, over));
    }

    /**
     * @return where the values of a resolved config came from, one line per source in the order
     * the layers apply (defaults, files, {@code --set}, sweep axes, then values the run chose itself,
     * such as the plan search's), each with how many keys it
     * decided; files are ordered by which replaced which, otherwise by name
     */
    public static List<String> layers(ResolvedConfig c) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        java.util.Map<String, Set<String>> before = new java.util.TreeMap<>();
        for (String o : c.origins().values()) {
            String src = source(o);
            counts.merge(src, 1, Integer::sum);
            int over = o.indexOf(OVER);
            if (over >= 0) {
                String earlier = source(o.substring(over + OVER.length()));
                before.computeIfAbsent(src, k -> new java.util.TreeSet<>()).add(earlier);
                counts.putIfAbsent(earlier, 0);
            }
        }
        List<String> order = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (String src : counts.keySet()) {
            if (rank(src) == 1) files.add(src);
        }
        // place each file after every file it replaced (stable: by name otherwise)
        while (!files.isEmpty()) {
            String next = files.get(0);
            for (String f : files) {
                Set<String> b = before.getOrDefault(f, Set.of());
                boolean ready = true;
                for (String e : b) {
                    if (files.contains(e)) ready = false;
                }
                if (ready) {
                    next = f;
                    break;
                }
            }
            files.remove(next);
            order.add(next);
        }
        List<String> out = new ArrayList<>();
        for (int r = 0; r <= 4; r++) {
            for (String src : r == 1 ? order : new ArrayList<>(counts.keySet())) {
                if (rank(src) == r) {
                    int n = counts.get(src);
                    out.add(src + " (" + n + (n == 1 ? " key)" : " keys)"));
                }
            }
        }
        return out;
    }

    private static String source(String origin) {
        if (origin.equals("default")) return "default";
        if (origin.startsWith("--set")) return "--set";
        if (origin.contains("(sweep axis")) return "sweep axis";
        int over = origin.indexOf(OVER);
        String o = over < 0 ? origin : origin.substring(0, over);
        int colon = o.lastIndexOf(':');
        return colon > 0 && o.substring(colon + 1).matches("\\d+") ? o.substring(0, colon) : o;
    }

    private static int rank(String source) {
        switch (source) {
            case "default": return 0;
            case "--set": return 2;
            case "sweep axis": return 3;
            default: return source.matches("(?i).*\\.(ya?ml|json)") ? 1 : 4;
        }
    }

    private static String join(String prefix, String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }
}
