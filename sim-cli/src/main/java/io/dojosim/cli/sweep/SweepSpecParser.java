package io.dojosim.cli.sweep;

import io.dojosim.core.config.ConfigException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a sweep spec (YAML) strictly: unknown keys, wrong shapes, empty or unequal zipped lists,
 * bad ranges and a key on two axes are errors naming the file and line.
 *
 * <pre>
 * schemaVersion: 1
 * name: clock-and-simd          # optional
 * config: ../configs/d1-chip.yaml   # optional, relative to this file
 * set:                          # optional, applied to every point
 *   d1.node.threads: 4
 * seed: 7                       # optional, same as set: {sim.seed: 7}
 * workload: resnet50           # optional, same as set: {run.workload: resnet50}; a file is found next to the spec
 * steps: 2                      # optional, same as set: {run.steps: 2}
 * axes:
 *   - key: d1.node.clockHz
 *     values: [2.0e9, 2.5e9]
 *   - key: d1.node.simdBytes
 *     range: 32:128:32            # from:to:step, 'to' included when reached
 *   - zip:                        # keys that vary together
 *       d1.chip.meshWidth: [18, 16]
 *       d1.chip.meshHeight: [20, 16]
 *   - overlay: [none, ../configs/whatif-2.5ghz.yaml]   # config files layered on the base, relative to this file
 * </pre>
 */
public final class SweepSpecParser {
    /** The spec schema version this build reads. */
    public static final int SCHEMA_VERSION = 1;
    /** Most points one sweep may have. */
    public static final long MAX_POINTS = 100_000;
    /** Most values one range may make. */
    public static final int MAX_RANGE_VALUES = 10_000;

    private static final List<String> TOP = List.of("schemaVersion", "name", "description", "config", "set", "seed", "workload", "steps", "axes", "crossCheck");
    private static final List<String> AXIS = List.of("key", "values", "range", "zip", SweepSpec.OVERLAY);

    private SweepSpecParser() {
    }

    public static SweepSpec parse(Path file) {
        SpecNode root = SpecNode.read(file);
        String f = file.toString();
        Map<String, SpecNode> top = root.map("a sweep spec's top level");
        root.allowOnly("a sweep spec", TOP);
        SpecNode ver = top.get("schemaVersion");
        if (ver == null) {
            throw new ConfigException(f + ":1: missing required key 'schemaVersion'; allowed: " + SCHEMA_VERSION);
        }
        ver.integer("key 'schemaVersion'", SCHEMA_VERSION, SCHEMA_VERSION);

        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String name = top.containsKey("name") ? top.get("name").text("key 'name'") : stem;

        Path base = null;
        if (top.containsKey("config")) {
            String c = top.get("config").text("key 'config'");
            Path dir = file.toAbsolutePath().getParent();
            base = dir == null ? Path.of(c) : dir.resolve(c).normalize();
        }

        List<SweepSpec.Assignment> set = new ArrayList<>();
        if (top.containsKey("set")) {
            SpecNode s = top.get("set");
            if (s.isList()) {
                for (SpecNode item : s.list("key 'set'")) {
                    String t = item.text("an item of 'set'");
                    int eq = t.indexOf('=');
                    if (eq <= 0) {
                        throw new ConfigException(item.where() + ": set item '" + t + "': expected key=value or a mapping of keys");
                    }
                    set.add(new SweepSpec.Assignment(t.substring(0, eq).trim(), t.substring(eq + 1).trim(), item.where()));
                }
            } else {
                flatten(s.map("key 'set'"), "", set);
            }
        }
        if (top.containsKey("seed")) {
            SpecNode s = top.get("seed");
            set.add(new SweepSpec.Assignment("sim.seed", s.integer("key 'seed'", 0, Long.MAX_VALUE), s.where()));
        }

        for (String[] k : new String[][] {{"workload", "run.workload"}, {"steps", "run.steps"}}) {
            SpecNode v = top.get(k[0]);
            if (v != null) {
                for (SweepSpec.Assignment a : set) {
                    if (a.key().equals(k[1])) {
                        throw new ConfigException(v.where() + ": key '" + k[0] + "' and '" + k[1] + "' at " + a.origin()
                                + " set the same parameter; keep one");
                    }
                }
                Object raw = v.raw("key '" + k[0] + "'");
                if (k[0].equals("workload") && raw instanceof String) {
                    // A workload file next to the spec is found from any working directory.
                    Path dir = file.toAbsolutePath().getParent();
                    Path near = dir == null ? null : dir.resolve((String) raw).normalize();
                    if (near != null && !Path.of((String) raw).isAbsolute() && java.nio.file.Files.isRegularFile(near)) {
                        raw = near.toString();
                    }
                }
                set.add(new SweepSpec.Assignment(k[1], raw, v.where()));
            }
        }

        List<SweepSpec.Axis> axes = new ArrayList<>();
        if (top.containsKey("axes") && !top.get("axes").isNull()) {
            Set<String> seen = new HashSet<>();
            for (SpecNode a : top.get("axes").list("key 'axes'")) {
                SweepSpec.Axis axis = axis(a);
                for (int i = 0; i < axis.keys().size(); i++) {
                    if (!seen.add(axis.keys().get(i))) {
                        throw new ConfigException(axis.origins().get(i) + ": key '" + axis.keys().get(i)
                                + "' is on two axes; put keys that vary together in one 'zip' axis");
                    }
                }
                axes.add(axis);
            }
        }
        boolean crossCheck = false;
        if (top.containsKey("crossCheck")) {
            SpecNode cc = top.get("crossCheck");
            Object v = cc.isScalar() ? cc.raw("key 'crossCheck'") : null;
            if (!(v instanceof Boolean b)) {
                throw new ConfigException(cc.where() + ": key 'crossCheck': value '" + (cc.isScalar() ? v : cc.kind())
                        + "' is not allowed; allowed: true or false");
            }
            crossCheck = b;
        }
        SweepSpec spec = new SweepSpec(file, name, base, set, axes, crossCheck);
        long n = 1;
        for (SweepSpec.Axis a : axes) {
            n *= a.size();
            if (n > MAX_POINTS) {
                throw new ConfigException(f + ": the axes make more than " + MAX_POINTS + " points; split the sweep");
            }
        }
        return spec;
    }

    private static void flatten(Map<String, SpecNode> m, String prefix, List<SweepSpec.Assignment> out) {
        for (Map.Entry<String, SpecNode> e : m.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isMap()) {
                flatten(e.getValue().map(key), key, out);
            } else {
                out.add(new SweepSpec.Assignment(key, e.getValue().raw("key '" + key + "'"), e.getValue().where()));
            }
        }
    }

    private static SweepSpec.Axis axis(SpecNode a) {
        Map<String, SpecNode> m = a.map("an axis");
        a.allowOnly("an axis", AXIS);
        if (m.containsKey(SweepSpec.OVERLAY)) {
            if (m.size() != 1) {
                throw new ConfigException(a.where() + ": an 'overlay' axis holds only 'overlay: [FILE, ...]' (config files layered on the base, "
                        + "'" + SweepSpec.NO_OVERLAY + "' for the base alone)");
            }
            SpecNode o = m.get(SweepSpec.OVERLAY);
            List<List<Object>> rows = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (SpecNode item : o.list("'overlay'")) {
                String t = item.text("an item of 'overlay'");
                if (!seen.add(t)) {
                    throw new ConfigException(item.where() + ": overlay '" + t + "' is listed twice");
                }
                rows.add(List.of(t));
            }
            if (rows.isEmpty()) {
                throw new ConfigException(o.where() + ": 'overlay': the list is empty; give at least one config file");
            }
            return new SweepSpec.Axis(List.of(SweepSpec.OVERLAY), rows, List.of(o.where()));
        }
        if (m.containsKey("zip")) {
            if (m.size() != 1) {
                throw new ConfigException(a.where() + ": a 'zip' axis holds only 'zip: {key: [values], ...}'; found also "
                        + String.join(", ", m.keySet().stream().filter(k -> !k.equals("zip")).toList()));
            }
            SpecNode z = m.get("zip");
            Map<String, SpecNode> keys = z.map("'zip'");
            if (keys.size() < 2) {
                throw new ConfigException(z.where() + ": a 'zip' axis needs at least two keys that vary together");
            }
            List<String> names = new ArrayList<>();
            List<String> origins = new ArrayList<>();
            List<List<Object>> cols = new ArrayList<>();
            for (Map.Entry<String, SpecNode> e : keys.entrySet()) {
                names.add(e.getKey());
                origins.add(e.getValue().where());
                cols.add(valuesOf(e.getValue(), "key '" + e.getKey() + "' in 'zip'"));
            }
            int len = cols.get(0).size();
            for (int i = 1; i < cols.size(); i++) {
                if (cols.get(i).size() != len) {
                    throw new ConfigException(origins.get(i) + ": zipped keys must have as many values each: '" + names.get(0) + "' has "
                            + len + ", '" + names.get(i) + "' has " + cols.get(i).size());
                }
            }
            List<List<Object>> rows = new ArrayList<>();
            for (int r = 0; r < len; r++) {
                List<Object> row = new ArrayList<>();
                for (List<Object> c : cols) {
                    row.add(c.get(r));
                }
                rows.add(row);
            }
            return new SweepSpec.Axis(names, rows, origins);
        }
        SpecNode key = m.get("key");
        if (key == null) {
            throw new ConfigException(a.where() + ": an axis needs 'key' with 'values' or 'range', or 'zip'");
        }
        String k = key.text("'key'");
        boolean hasValues = m.containsKey("values");
        boolean hasRange = m.containsKey("range");
        if (hasValues == hasRange) {
            throw new ConfigException(key.where() + ": axis '" + k + "' needs exactly one of 'values' (a list) or 'range' (from:to:step)");
        }
        List<Object> vals = hasValues ? valuesOf(m.get("values"), "axis '" + k + "' values") : range(m.get("range"), "axis '" + k + "' range");
        List<List<Object>> rows = new ArrayList<>();
        for (Object v : vals) {
            rows.add(List.of(v));
        }
        return new SweepSpec.Axis(List.of(k), rows, List.of(key.where()));
    }

    /** A list of values, or a range written as a string or a mapping. */
    private static List<Object> valuesOf(SpecNode n, String what) {
        if (n.isList()) {
            List<Object> out = new ArrayList<>();
            for (SpecNode item : n.list(what)) {
                out.add(item.raw(what));
            }
            if (out.isEmpty()) {
                throw new ConfigException(n.where() + ": " + what + ": the list is empty; give at least one value");
            }
            return out;
        }
        if (n.isMap() || (n.isScalar() && n.text(what).contains(":"))) {
            return range(n, what);
        }
        throw new ConfigException(n.where() + ": " + what + " must be a list of values or a range from:to:step, found " + n.kind());
    }

    /** {@code from:to:step} (or a mapping {from, to, step}); 'to' is included when reached exactly. */
    static List<Object> range(SpecNode n, String what) {
        String from;
        String to;
        String step;
        if (n.isMap()) {
            n.allowOnly(what, List.of("from", "to", "step"));
            Map<String, SpecNode> m = n.map(what);
            for (String k : List.of("from", "to", "step")) {
                if (!m.containsKey(k)) {
                    throw new ConfigException(n.where() + ": " + what + " needs 'from', 'to' and 'step'; '" + k + "' is missing");
                }
            }
            from = m.get("from").text(what + " 'from'");
            to = m.get("to").text(what + " 'to'");
            step = m.get("step").text(what + " 'step'");
        } else {
            String t = n.text(what);
            String[] p = t.split(":", -1);
            if (p.length != 3) {
                throw new ConfigException(n.where() + ": " + what + ": '" + t + "' is not allowed; expected from:to:step, for example 32:128:32");
            }
            from = p[0].trim();
            to = p[1].trim();
            step = p[2].trim();
        }
        BigDecimal a;
        BigDecimal b;
        BigDecimal s;
        try {
            a = new BigDecimal(from);
            b = new BigDecimal(to);
            s = new BigDecimal(step);
        } catch (NumberFormatException e) {
            throw new ConfigException(n.where() + ": " + what + ": from, to and step must be numbers; found '" + from + "', '" + to
                    + "', '" + step + "'");
        }
        if (s.signum() == 0) {
            throw new ConfigException(n.where() + ": " + what + ": step must not be 0");
        }
        if (b.compareTo(a) != 0 && b.compareTo(a) != s.signum()) {
            throw new ConfigException(n.where() + ": " + what + ": the range " + from + ":" + to + ":" + step
                    + " is empty; the step must go from 'from' towards 'to'");
        }
        boolean integral = isIntegral(a) && isIntegral(s);
        List<Object> out = new ArrayList<>();
        for (BigDecimal v = a; s.signum() > 0 ? v.compareTo(b) <= 0 : v.compareTo(b) >= 0; v = v.add(s)) {
            if (out.size() == MAX_RANGE_VALUES) {
                throw new ConfigException(n.where() + ": " + what + ": the range makes more than " + MAX_RANGE_VALUES + " values");
            }
            out.add(integral && v.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0 ? (Object) v.longValueExact() : (Object) v.doubleValue());
        }
        return out;
    }

    private static boolean isIntegral(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }
}
