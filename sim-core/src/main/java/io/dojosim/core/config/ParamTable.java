package io.dojosim.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parameter group declared as a table: a text resource beside the class that owns the group,
 * read once when the class loads. The model classes keep their {@code GROUP} constants; the
 * declarations (key, type, default, range, unit, source, description) are data, in one format for
 * every group, and {@link #format} writes a group back in that format.
 *
 * <pre>
 * group: d1.energy                         first block: the group
 * description: D1 energy: ...
 * doc: docs/model/energy.md
 *
 * key: matrixPjPerFlop16                   one block per parameter, blank line between blocks
 * type: double                             int, long, double, boolean, string, enum, string_list, bytes
 * default: 0.6                             lists: items joined by ';'; the line left out: no default
 * range: 0.0 1000.0                        int, long, double, bytes
 * unit: pJ/FLOP
 * allowed: bf16;cfp8;fp32                  enum
 * source: assumed: docs/model/energy.md#parameters (...)
 * description: matrix pipe energy per FLOP of BF16 and FP16, at the reference voltage
 * </pre>
 *
 * <p>Lines starting with {@code #} are comments. Caveats: a malformed table is our bug (the tables
 * ship in the jar), so it fails with {@link IllegalStateException} naming the resource and line,
 * not with a {@link ConfigException}; a value cannot contain a line break, and a list item cannot
 * contain {@code ;}.
 */
public final class ParamTable {
    private static final List<String> FIELDS = List.of("key", "type", "default", "range", "unit", "allowed", "source", "description");

    private ParamTable() {
    }

    /** @return the group declared by the resource {@code name} next to {@code owner} (same package) */
    public static ParamGroup read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("parameter table " + name + " is missing beside " + owner.getName());
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), owner.getPackageName().replace('.', '/') + "/" + name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read parameter table " + name + " beside " + owner.getName(), e);
        }
    }

    /** @return the group the table {@code text} declares; {@code where} names it in errors */
    public static ParamGroup parse(String text, String where) {
        List<Map<String, String>> blocks = new ArrayList<>();
        List<Integer> firstLines = new ArrayList<>();
        Map<String, String> cur = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("#")) continue;
            if (line.isEmpty()) {
                cur = null;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) throw bad(where, i + 1, "expected 'field: value', got '" + line + "'");
            if (cur == null) {
                cur = new LinkedHashMap<>();
                blocks.add(cur);
                firstLines.add(i + 1);
            }
            String field = line.substring(0, colon);
            if (cur.put(field, line.substring(colon + 1).strip()) != null) throw bad(where, i + 1, "field '" + field + "' twice in one block");
        }
        if (blocks.isEmpty()) throw bad(where, 1, "no group block");
        Map<String, String> g = blocks.get(0);
        ParamGroup.Builder b = ParamGroup.builder(need(g, "group", where, firstLines.get(0)), need(g, "description", where, firstLines.get(0)),
                need(g, "doc", where, firstLines.get(0)));
        for (int i = 1; i < blocks.size(); i++) {
            Map<String, String> p = blocks.get(i);
            int line = firstLines.get(i);
            for (String f : p.keySet()) {
                if (!FIELDS.contains(f)) throw bad(where, line, "unknown field '" + f + "'; allowed: " + String.join(", ", FIELDS));
            }
            try {
                b.add(def(g.get("group"), p, where, line));
            } catch (RuntimeException e) {
                throw bad(where, line, e.getMessage());
            }
        }
        return b.build();
    }

    private static ParamDef def(String group, Map<String, String> p, String where, int line) {
        String key = group + "." + need(p, "key", where, line);
        ParamType type = ParamType.valueOf(need(p, "type", where, line).toUpperCase(Locale.ROOT));
        double min = 0;
        double max = 0;
        String range = p.get("range");
        if (range != null) {
            String[] mm = range.split(" +");
            if (mm.length != 2) throw new IllegalArgumentException("range needs 'min max', got '" + range + "'");
            min = Double.parseDouble(mm[0]);
            max = Double.parseDouble(mm[1]);
        }
        String raw = p.get("default");
        Object def = raw == null ? null : switch (type) {
            case INT -> Integer.parseInt(raw);
            case LONG, BYTES -> Long.parseLong(raw);
            case DOUBLE -> Double.parseDouble(raw);
            case BOOLEAN -> Boolean.parseBoolean(raw);
            case STRING, ENUM -> raw;
            case STRING_LIST -> items(raw);
        };
        String allowed = p.get("allowed");
        return new ParamDef(key, type, def, p.getOrDefault("unit", ""), min, max, allowed == null ? null : items(allowed),
                source(need(p, "source", where, line)), need(p, "description", where, line));
    }

    private static List<String> items(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(";", -1));
    }

    private static ParamSource source(String s) {
        int colon = s.indexOf(": ");
        if (colon < 0) throw new IllegalArgumentException("source needs 'kind: reference', got '" + s + "'");
        return new ParamSource(ParamSource.Kind.valueOf(s.substring(0, colon).toUpperCase(Locale.ROOT)), s.substring(colon + 2));
    }

    private static String need(Map<String, String> block, String field, String where, int line) {
        String v = block.get(field);
        if (v == null) throw bad(where, line, "the block has no '" + field + "'");
        return v;
    }

    private static IllegalStateException bad(String where, int line, String what) {
        return new IllegalStateException("parameter table " + where + ":" + line + ": " + what);
    }

    /** @return the table of {@code g}, which {@link #parse} reads back to an equal group */
    public static String format(ParamGroup g) {
        StringBuilder s = new StringBuilder();
        s.append("group: ").append(g.name()).append('\n');
        s.append("description: ").append(g.description()).append('\n');
        s.append("doc: ").append(g.docPage()).append('\n');
        for (ParamDef d : g.params()) {
            s.append("\nkey: ").append(d.key().substring(g.name().length() + 1)).append('\n');
            s.append("type: ").append(d.type().name().toLowerCase(Locale.ROOT)).append('\n');
            if (d.defaultValue() != null) {
                Object v = d.defaultValue();
                s.append("default: ").append(v instanceof List<?> l ? String.join(";", l.stream().map(String::valueOf).toList()) : v).append('\n');
            }
            if (d.min() != 0 || d.max() != 0) s.append("range: ").append(number(d.min())).append(' ').append(number(d.max())).append('\n');
            if (!d.unit().isEmpty()) s.append("unit: ").append(d.unit()).append('\n');
            if (!d.allowed().isEmpty()) s.append("allowed: ").append(String.join(";", d.allowed())).append('\n');
            s.append("source: ").append(d.source()).append('\n');
            s.append("description: ").append(d.description()).append('\n');
        }
        return s.toString();
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : Double.toString(d);
    }
}
