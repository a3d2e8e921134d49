package io.dojosim.cli.report;

import io.dojosim.cli.check.Results;
import io.dojosim.cli.files.JsonFiles;
import io.dojosim.cli.files.JsonTree;
import io.dojosim.cli.files.TextEscape;
import io.dojosim.cli.sweep.SweepStore;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the HTML report of a run folder or a sweep folder: one self-contained file (inline
 * CSS, inline script, the data as an inline JSON block; nothing is fetched from the network).
 * The page's script draws, for a run, a first screen that answers "how fast, how efficient, why
 * not faster" (headline figures, where the step's time goes, a timeline of the step's streams
 * and a roofline chart of its compute types), then utilization per level, energy, mesh heatmaps
 * of nodes and links, latency distributions, and the raw summary and host tables collapsed;
 * for a sweep, each metric against each axis (SVG).
 *
 * <p>The data it reads is documented in docs/report.md. The output depends only on the folder's
 * files: the same folder gives the same bytes.
 *
 * <p>Caveats: a sweep report lists at most {@link #MAX_TABLE_ROWS} points in its table (charts
 * show every point).
 */
public final class ReportBuilder {
    /** Most points the sweep table lists. */
    public static final int MAX_TABLE_ROWS = 2000;
    /** Most distributions drawn. */
    public static final int MAX_DISTRIBUTIONS = 40;

    private ReportBuilder() {
    }

    /** @return the HTML of the report of {@code dir} */
    public static String build(Path dir, String generator) {
        Map<String, Object> data;
        if (Files.isRegularFile(dir.resolve("summary.json"))) {
            data = run(dir);
        } else if (SweepStore.isSweep(dir)) {
            data = sweep(dir);
        } else if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir + ": no such folder; expected a run folder (with summary.json) or a sweep folder (with sweep.json)");
        } else {
            throw new ConfigException(dir + ": neither a run folder (no summary.json) nor a sweep folder (no sweep.json)");
        }
        data.put("generator", generator);
        return render(data);
    }

    static Map<String, Object> run(Path dir) {
        Map<String, Object> summary = JsonFiles.readMap(dir.resolve("summary.json"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", "run");
        Object wl = summary.get("workload") instanceof Map ? (JsonTree.object(summary.get("workload"))).get("name") : null;
        Object scope = summary.get("system") instanceof Map ? (JsonTree.object(summary.get("system"))).get("scope") : null;
        d.put("title", "dojosim run " + dir.toAbsolutePath().normalize().getFileName()
                + (wl == null ? "" : ": " + wl) + (scope == null ? "" : " on " + scope));
        List<Object> rows = new ArrayList<>();
        List<Object> host = new ArrayList<>();
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            if (e.getKey().equals("timeline")) continue; // drawn as the step timeline, not listed interval by interval
            flatten(e.getKey(), e.getValue(), e.getKey().equals("host") ? host : rows);
        }
        d.put("headline", Headline.figures(summary));
        d.put("breakdown", Headline.breakdown(summary));
        // the step's streams as busy intervals (timeline.json) and the roofline of its compute types (summary.json roofline)
        Path timelineFile = dir.resolve("timeline.json");
        if (Files.isRegularFile(timelineFile)) {
            d.put("timeline", JsonFiles.readMap(timelineFile));
        } else if (summary.get("timeline") instanceof Map<?, ?> tl) {
            d.put("timeline", tl);
        }
        if (summary.get("roofline") instanceof Map<?, ?> rl) d.put("roofline", rl);
        if (summary.get("stepTimeSeconds") instanceof Number st) d.put("stepSeconds", st);
        d.put("summary", rows);
        d.put("host", host);
        List<Object> util = new ArrayList<>();
        if (summary.get("utilization") instanceof Map) {
            for (Map.Entry<String, Object> e : (JsonTree.object(summary.get("utilization"))).entrySet()) {
                if (e.getValue() instanceof Number) {
                    util.add(List.of(e.getKey(), e.getValue()));
                }
            }
        }
        d.put("utilization", util);
        // the energy block (docs/model/energy.md): joules per step by level and by class, as bars
        if (summary.get("energy") instanceof Map<?, ?> en) {
            for (String k : List.of("byLevel", "byClass")) {
                List<Object> bars = new ArrayList<>();
                if (en.get(k) instanceof Map<?, ?> m) {
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (e.getValue() instanceof Number) bars.add(List.of(String.valueOf(e.getKey()), e.getValue()));
                    }
                }
                d.put("energy" + Character.toUpperCase(k.charAt(0)) + k.substring(1), bars);
            }
            // average and peak power per level (rows: level, average W, peak W)
            if (en.get("averageWatts") instanceof Map<?, ?> avg && en.get("peakWatts") instanceof Map<?, ?> peak) {
                List<Object> powerRows = new ArrayList<>();
                for (String k : List.of("system", "perTile", "perChip")) {
                    if (avg.get(k) instanceof Number a && peak.get(k) instanceof Number p) powerRows.add(List.of(k, a, p));
                }
                d.put("energyPower", powerRows);
            }
        }
        // the crossCheck block (run --cross-check, docs/adr/0100-cross-check.md): each headline figure +- its band,
        // and each finer re-simulation; the model bands every run states (computeModel, networkModel)
        List<Object> bands = new ArrayList<>();
        if (summary.get("crossCheck") instanceof Map<?, ?> cc && cc.get("figures") instanceof Map<?, ?> figs) {
            for (Map.Entry<?, ?> e : figs.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> f && f.get("value") instanceof Number v && f.get("plusMinus") instanceof Number b
                        && f.get("relative") instanceof Number r) {
                    bands.add(List.of(String.valueOf(e.getKey()), v, b, r));
                }
            }
            List<Object> checks = new ArrayList<>();
            if (cc.get("checks") instanceof List<?> cl) {
                for (Object o : cl) {
                    if (!(o instanceof Map<?, ?> c)) continue;
                    String fid = c.get("from") + " -> " + c.get("to");
                    // what the check timed at both fidelities (ADR 0107): its two times and their ratio
                    if (c.get("sample") instanceof Map<?, ?> sm && sm.get("coarseSeconds") instanceof Number cs
                            && sm.get("fineSeconds") instanceof Number fs && sm.get("ratio") instanceof Number ra) {
                        checks.add(List.of(String.valueOf(c.get("model")), fid, String.format(java.util.Locale.ROOT, "%s: %.6g s -> %.6g s, x %.4f",
                                sm.get("what"), cs.doubleValue(), fs.doubleValue(), ra.doubleValue())));
                    } else {
                        checks.add(List.of(String.valueOf(c.get("model")), fid));
                    }
                }
            }
            d.put("crossCheckChecks", checks);
        }
        d.put("crossCheck", bands);
        List<Object> modelBands = new ArrayList<>();
        if (summary.get("computeModel") instanceof Map<?, ?> cm && cm.get("errorBand") != null) {
            modelBands.add(List.of("compute (" + cm.get("fidelity") + ")", String.valueOf(cm.get("errorBand"))));
        }
        if (summary.get("networkModel") instanceof Map<?, ?> nm && nm.get("errorBand") != null) {
            modelBands.add(List.of("on-chip network (" + nm.get("chipFidelity") + ")", String.valueOf(nm.get("errorBand"))));
        }
        d.put("modelBands", modelBands);

        Map<String, Map<String, Object>> leaves = new TreeMap<>();
        List<Map<String, Object>> maps = new ArrayList<>();
        Path statsFile = dir.resolve("stats.json");
        if (Files.isRegularFile(statsFile)) {
            Map<String, Object> stats = JsonFiles.readMap(statsFile);
            for (Map.Entry<String, Object> e : stats.entrySet()) {
                if (e.getKey().equals("heatmaps")) {
                    maps.addAll(ReportHeatmaps.explicit(e.getValue(), statsFile.toString()));
                } else {
                    leaves(e.getKey(), e.getValue(), leaves);
                }
            }
        }
        Path hm = dir.resolve("heatmaps.json");
        if (Files.isRegularFile(hm)) {
            Map<String, Object> m = JsonFiles.readMap(hm);
            maps.addAll(ReportHeatmaps.explicit(m.get("heatmaps"), hm.toString()));
        }
        maps.addAll(ReportHeatmaps.derived(leaves));
        List<String> hidden = new ArrayList<>();
        while (maps.size() > ReportHeatmaps.MAX_MAPS) {
            hidden.add((String) maps.remove(maps.size() - 1).get("name"));
        }
        d.put("heatmaps", maps);
        d.put("hiddenHeatmaps", hidden);

        List<Object> dists = new ArrayList<>();
        List<Object> levels = new ArrayList<>();
        if (summary.get("messageLatency") instanceof Map) {
            Map<String, Object> ml = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : (JsonTree.object(summary.get("messageLatency"))).entrySet()) {
                // accepts both {p50: s} and {p50Seconds: s}
                ml.put(e.getKey().endsWith("Seconds") ? e.getKey().substring(0, e.getKey().length() - 7) : e.getKey(), e.getValue());
            }
            ml.put("name", "summary: messageLatency");
            ml.put("unit", "s");
            dists.add(ml);
        }
        for (Map.Entry<String, Map<String, Object>> e : leaves.entrySet()) {
            Map<String, Object> leaf = e.getValue();
            if (leaf.get("p50") instanceof Number && leaf.get("count") instanceof Number && ((Number) leaf.get("count")).longValue() > 0
                    && dists.size() < MAX_DISTRIBUTIONS) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("name", e.getKey());
                x.put("unit", leaf.get("unit"));
                for (String k : List.of("count", "min", "mean", "p50", "p99", "max", "histogram")) {
                    if (leaf.containsKey(k)) {
                        x.put(k, leaf.get(k));
                    }
                }
                dists.add(x);
            }
            String n = e.getKey();
            if ("ratio".equals(leaf.get("unit")) && leaf.get("value") instanceof Number && n.toLowerCase(java.util.Locale.ROOT).endsWith("utilization")
                    && !n.matches(".*\\[\\d+,\\d+\\].*")) {
                levels.add(List.of(n, leaf.get("value")));
            }
        }
        d.put("distributions", dists);
        d.put("levelStats", levels);
        return d;
    }

    static Map<String, Object> sweep(Path dir) {
        Map<String, Object> plan = JsonFiles.readMap(dir.resolve(SweepStore.PLAN));
        Results res = Results.read(dir);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", "sweep");
        d.put("title", "dojosim sweep " + plan.getOrDefault("name", dir.getFileName()) + ": " + res.points().size() + " points");
        List<String> axes = new ArrayList<>();
        List<Object> groups = new ArrayList<>();
        for (Object a : JsonTree.list(plan.getOrDefault("axes", List.of()))) {
            List<String> keys = JsonTree.list(JsonTree.object(a).get("keys")).stream().map(String::valueOf).toList();
            axes.addAll(keys);
            groups.add(keys);
        }
        d.put("axes", axes);
        d.put("axisGroups", groups);
        Set<String> metrics = new LinkedHashSet<>();
        List<Object> pts = new ArrayList<>();
        Map<String, Integer> status = new TreeMap<>();
        for (Map.Entry<String, Results.Point> e : res.points().entrySet()) {
            Results.Point p = e.getValue();
            metrics.addAll(p.metrics().keySet());
            status.merge(p.status(), 1, Integer::sum);
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("id", e.getKey());
            pm.put("status", p.status());
            pm.put("params", p.params());
            pm.put("metrics", p.metrics());
            if (p.error() != null) {
                pm.put("error", p.error());
            }
            pts.add(pm);
        }
        d.put("metrics", new ArrayList<>(metrics));
        d.put("points", pts);
        d.put("status", status);
        d.put("maxTableRows", MAX_TABLE_ROWS);
        List<Object> rows = new ArrayList<>();
        rows.add(List.of("workload (base)", String.valueOf(plan.get("workload"))));
        rows.add(List.of("steps (base)", String.valueOf(plan.get("steps"))));
        rows.add(List.of("points", res.points().size()));
        for (Map.Entry<String, Integer> e : status.entrySet()) {
            rows.add(List.of("points " + e.getKey(), e.getValue()));
        }
        d.put("summary", rows);
        return d;
    }

    /** Adds a row (path, value) per leaf of the tree under {@code path}. */
    private static void flatten(String path, Object v, List<Object> out) {
        JsonTree.forEachLeaf(path, v, p -> false, (p, leaf) -> {
            List<Object> row = new ArrayList<>();
            row.add(p);
            row.add(leaf);
            out.add(row);
        });
    }

    /** Collects the statistic leaves (maps with a {@code unit}) of a stats.json tree by full name. */
    private static void leaves(String path, Object v, Map<String, Map<String, Object>> out) {
        if (!(v instanceof Map)) {
            return;
        }
        Map<String, Object> m = JsonTree.object(v);
        if (m.get("unit") instanceof String && m.containsKey("description")) {
            out.put(path, m);
            return;
        }
        for (Map.Entry<String, Object> e : m.entrySet()) {
            leaves(path + "." + e.getKey(), e.getValue(), out);
        }
    }

    static String render(Map<String, Object> data) {
        String html = resource("report.html");
        String json = JsonFiles.toJsonLine(data).replace("</", "<\\/").replace("<!--", "<\\!--")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        String title = escape(String.valueOf(data.get("title")));
        return html.replace("@TITLE@", title)
                .replace("/*@CSS@*/", resource("report.css"))
                .replace("/*@JS@*/", resource("report.js").replace("</", "<\\/"))
                .replace("@DATA@", json);
    }

    private static String escape(String s) {
        return TextEscape.escape(s, TextEscape.HTML);
    }

    private static String resource(String name) {
        try (InputStream in = ReportBuilder.class.getResourceAsStream("/report/" + name)) {
            if (in == null) {
                throw new IllegalStateException("report template missing from the build: /report/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
