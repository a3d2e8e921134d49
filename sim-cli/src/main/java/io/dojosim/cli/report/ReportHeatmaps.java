package io.dojosim.cli.report;

import io.dojosim.cli.files.JsonTree;
import io.dojosim.core.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mesh heatmaps for the report, from two sources (docs/report.md):
 *
 * <ol>
 *   <li>explicit: a {@code heatmaps.json} file in the run folder, or a top-level {@code heatmaps}
 *       list in stats.json, each entry {@code {name, level, unit, width, height, values[], links[]}}
 *       with {@code values} row-major (index {@code y * width + x}, null for a disabled site) and
 *       {@code links} entries {@code {x, y, dir, value}} ({@code dir} one of E, W, N, S; N is y - 1);</li>
 *   <li>derived: statistics whose name holds a grid index {@code name[x,y]}: the last such index
 *       is the cell, the rest of the name (with {@code [*]}) names the map, and the leaf's
 *       {@code value} (or {@code mean}) is the cell's value. A name part {@code east}, {@code west},
 *       {@code north} or {@code south} after the index makes it a link of that cell instead.</li>
 * </ol>
 *
 * <pre>
 *   x -&gt;   (0,0) (1,0) (2,0)      N = y - 1, S = y + 1, E = x + 1, W = x - 1
 *   y      (0,1) (1,1) (2,1)
 * </pre>
 */
public final class ReportHeatmaps {
    /** Most heatmaps one report draws (the rest are listed by name). */
    public static final int MAX_MAPS = 24;
    /** Most cells of one heatmap. */
    public static final int MAX_CELLS = 1 << 20;

    private static final Pattern GRID = Pattern.compile("\\[(\\d+),(\\d+)\\]");
    private static final Map<String, String> DIRS = Map.of("east", "E", "west", "W", "north", "N", "south", "S");

    private ReportHeatmaps() {
    }

    /** Checks and normalizes explicit heatmaps ({@code where} names the file for errors). */
    static List<Map<String, Object>> explicit(Object list, String where) {
        if (!(list instanceof List)) {
            throw new ConfigException(where + ": 'heatmaps' must be a list of {name, width, height, values, links}");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        int i = 0;
        for (Object o : JsonTree.list(list)) {
            String at = where + ": heatmaps[" + i++ + "]";
            if (!(o instanceof Map)) {
                throw new ConfigException(at + " must be a mapping {name, width, height, values, links}");
            }
            Map<String, Object> m = JsonTree.object(o);
            for (String k : m.keySet()) {
                if (!List.of("name", "level", "unit", "width", "height", "values", "links").contains(k)) {
                    throw new ConfigException(at + ": unknown key '" + k + "'; allowed: name, level, unit, width, height, values, links");
                }
            }
            if (!(m.get("name") instanceof String)) {
                throw new ConfigException(at + ": 'name' is required (a string)");
            }
            int w = positive(m.get("width"), at + " 'width'");
            int h = positive(m.get("height"), at + " 'height'");
            if ((long) w * h > MAX_CELLS) {
                throw new ConfigException(at + ": " + w + " x " + h + " cells is more than " + MAX_CELLS);
            }
            List<Object> values = new ArrayList<>();
            if (m.containsKey("values")) {
                if (!(m.get("values") instanceof List) || (JsonTree.list(m.get("values"))).size() != w * h) {
                    throw new ConfigException(at + ": 'values' must be a list of width x height = " + (w * h)
                            + " numbers (row-major, null for a disabled site)");
                }
                for (Object v : JsonTree.list(m.get("values"))) {
                    if (v != null && !(v instanceof Number)) {
                        throw new ConfigException(at + ": 'values' holds '" + v + "'; expected numbers or null");
                    }
                    values.add(v);
                }
            }
            List<Object> links = new ArrayList<>();
            if (m.containsKey("links")) {
                if (!(m.get("links") instanceof List)) {
                    throw new ConfigException(at + ": 'links' must be a list of {x, y, dir, value}");
                }
                for (Object l : JsonTree.list(m.get("links"))) {
                    Map<String, Object> lm = l instanceof Map ? JsonTree.object(l) : Map.of();
                    Object dir = lm.get("dir");
                    if (!(lm.get("x") instanceof Number) || !(lm.get("y") instanceof Number) || !(lm.get("value") instanceof Number)
                            || !(dir instanceof String) || !List.of("E", "W", "N", "S").contains(dir)) {
                        throw new ConfigException(at + ": link '" + l + "' must be {x, y, dir: E|W|N|S, value: number}");
                    }
                    int x = ((Number) lm.get("x")).intValue();
                    int y = ((Number) lm.get("y")).intValue();
                    if (x < 0 || x >= w || y < 0 || y >= h) {
                        throw new ConfigException(at + ": link at (" + x + "," + y + ") is off the " + w + " x " + h + " mesh");
                    }
                    links.add(link(x, y, (String) dir, ((Number) lm.get("value")).doubleValue()));
                }
            }
            out.add(map((String) m.get("name"), String.valueOf(m.getOrDefault("level", "")), String.valueOf(m.getOrDefault("unit", "")),
                    w, h, values, links));
        }
        return out;
    }

    private static int positive(Object o, String what) {
        if (!(o instanceof Number) || ((Number) o).doubleValue() < 1 || ((Number) o).doubleValue() != Math.rint(((Number) o).doubleValue())) {
            throw new ConfigException(what + " must be a whole number of at least 1, found " + o);
        }
        return ((Number) o).intValue();
    }

    /** Derives heatmaps from statistics whose names carry grid indices. */
    static List<Map<String, Object>> derived(Map<String, Map<String, Object>> leaves) {
        Map<String, Grid> grids = new TreeMap<>();
        for (Map.Entry<String, Map<String, Object>> e : leaves.entrySet()) {
            String name = e.getKey();
            Matcher m = GRID.matcher(name);
            int start = -1;
            int end = -1;
            int x = 0;
            int y = 0;
            while (m.find()) {
                start = m.start();
                end = m.end();
                x = Integer.parseInt(m.group(1));
                y = Integer.parseInt(m.group(2));
            }
            if (start < 0) {
                continue;
            }
            Object v = e.getValue().get("value");
            if (!(v instanceof Number)) {
                v = e.getValue().get("mean");
            }
            if (!(v instanceof Number)) {
                continue;
            }
            String suffix = name.substring(end);
            String dir = null;
            StringBuilder rest = new StringBuilder();
            for (String part : suffix.split("\\.")) {
                if (part.isEmpty()) continue;
                String d = DIRS.get(part.toLowerCase(Locale.ROOT));
                if (d != null && dir == null) {
                    dir = d;
                } else {
                    rest.append('.').append(part);
                }
            }
            String key = name.substring(0, start) + "[*]" + rest;
            Grid g = grids.computeIfAbsent(key, k -> new Grid());
            g.unit = String.valueOf(e.getValue().getOrDefault("unit", ""));
            g.level = levelOf(name.substring(0, start));
            g.w = Math.max(g.w, x + 1);
            g.h = Math.max(g.h, y + 1);
            if (dir == null) {
                g.cells.put((long) y << 32 | x, ((Number) v).doubleValue());
            } else {
                g.links.add(link(x, y, dir, ((Number) v).doubleValue()));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Grid> e : grids.entrySet()) {
            Grid g = e.getValue();
            if ((long) g.w * g.h > MAX_CELLS || g.cells.size() + g.links.size() < 2) {
                continue;
            }
            List<Object> values = new ArrayList<>();
            if (!g.cells.isEmpty()) {
                for (int yy = 0; yy < g.h; yy++) {
                    for (int xx = 0; xx < g.w; xx++) {
                        values.add(g.cells.get((long) yy << 32 | xx));
                    }
                }
            }
            out.add(map(e.getKey(), g.level, g.unit, g.w, g.h, values, g.links));
        }
        return out;
    }

    private static String levelOf(String prefix) {
        int dot = prefix.lastIndexOf('.');
        String last = dot < 0 ? prefix : prefix.substring(dot + 1);
        int b = last.indexOf('[');
        return b < 0 ? last : last.substring(0, b);
    }

    private static final class Grid {
        String unit = "";
        String level = "";
        int w;
        int h;
        final Map<Long, Double> cells = new LinkedHashMap<>();
        final List<Object> links = new ArrayList<>();
    }

    private static Map<String, Object> link(int x, int y, String dir, double value) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("x", x);
        l.put("y", y);
        l.put("dir", dir);
        l.put("value", value);
        return l;
    }

    private static Map<String, Object> map(String name, String level, String unit, int w, int h, List<Object> values, List<Object> links) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("level", level);
        m.put("unit", unit);
        m.put("width", w);
        m.put("height", h);
        m.put("values", values);
        m.put("links", links);
        return m;
    }
}
