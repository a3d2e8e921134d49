package io.dojosim.cli;

import io.dojosim.cli.files.JsonFiles;
import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes results: JSON (deterministic: insertion-ordered maps, fixed indentation, trailing newline,
 * through {@link JsonFiles}) and the resolved config as YAML that {@link ConfigLoader} reads back. Every file is written to a
 * temporary sibling and moved into place atomically, so a killed run never leaves half a file.
 */
public final class Output {
    private Output() {
    }

    /** @return the JSON text of the value, pretty-printed with two-space indentation and a final newline */
    public static String toJson(Object value) {
        return JsonFiles.toJson(value);
    }

    /** Writes the value as JSON to the file, atomically. */
    public static void writeJson(Path file, Object value) {
        JsonFiles.writeText(file, toJson(value));
    }

    /** Writes text to the file atomically (temporary sibling, then move). */
    public static void writeText(Path file, String text) {
        JsonFiles.writeText(file, text);
    }

    /**
     * @return the resolved config as nested YAML, every key present, each value followed by a
     * comment naming where it came from
     */
    public static String resolvedConfigYaml(ResolvedConfig c) {
        StringBuilder sb = new StringBuilder();
        sb.append("# dojosim resolved configuration: every parameter, with where its value came from.\n");
        sb.append("# Run it again with: dojosim run -c resolved-config.yaml\n");
        sb.append("# Layers, later wins: ").append(String.join(" < ", ConfigLoader.layers(c))).append('\n');
        sb.append("schemaVersion: ").append(ConfigLoader.SCHEMA_VERSION).append('\n');
        KeyTree tree = new KeyTree(null);
        for (String key : c.values().keySet()) {
            KeyTree node = tree;
            for (String part : key.split("\\.")) {
                node = node.children.computeIfAbsent(part, k -> new KeyTree(null));
            }
            node.key = key;
        }
        emit(sb, tree, 0, c);
        return sb.toString();
    }

    /** A level of dotted keys: its children by name, and the full key when it is a leaf. */
    private static final class KeyTree {
        final Map<String, KeyTree> children = new TreeMap<>();
        String key;

        KeyTree(String key) {
            this.key = key;
        }
    }

    private static void emit(StringBuilder sb, KeyTree tree, int depth, ResolvedConfig c) {
        String indent = "  ".repeat(depth);
        for (Map.Entry<String, KeyTree> e : tree.children.entrySet()) {
            String key = e.getValue().key;
            if (key == null) {
                sb.append(indent).append(e.getKey()).append(":\n");
                emit(sb, e.getValue(), depth + 1, c);
            } else {
                sb.append(indent).append(e.getKey()).append(": ").append(yamlValue(c.values().get(key)))
                        .append("  # ").append(c.origins().get(key)).append('\n');
            }
        }
    }

    static String yamlValue(Object v) {
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder("[");
            List<?> l = (List<?>) v;
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(quote(l.get(i).toString()));
            }
            return sb.append(']').toString();
        }
        if (v instanceof String) {
            return quote((String) v);
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.format(Locale.ROOT, "%.1f", d);
            }
            return Double.toString(d);
        }
        return String.valueOf(v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
