package io.dojosim.cli.check;

import io.dojosim.cli.files.JsonFiles;
import io.dojosim.cli.files.JsonTree;
import io.dojosim.cli.sweep.Metrics;
import io.dojosim.cli.sweep.PointRecord;
import io.dojosim.cli.sweep.SweepStore;
import io.dojosim.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modeled metrics of a run folder (its summary.json) or of a sweep folder (every point's
 * point.json), in the one shape checks and baselines use: points by id, each with its
 * parameters, status and metrics. A run is one point with id {@link #RUN}.
 */
public record Results(String kind, Map<String, Point> points) {
    /** The point id of a single run. */
    public static final String RUN = "run";

    /** One point: its axis values (empty for a run), status ({@code ok}, {@code failed}, ...), error and metrics. */
    public record Point(Map<String, Object> params, String status, String error, Map<String, Number> metrics) {
    }

    /** Reads a run or a sweep folder. */
    public static Results read(Path dir) {
        if (Files.isRegularFile(dir.resolve("summary.json"))) {
            Map<String, Object> summary = JsonFiles.readMap(dir.resolve("summary.json"));
            if (Boolean.FALSE.equals(summary.get("complete"))) {
                throw new ConfigException(dir.resolve("summary.json") + ": the run was interrupted (\"complete\": false), so it has no"
                        + " results to check; run it again to the end");
            }
            Map<String, Number> m = Metrics.flatten(summary);
            Map<String, Point> pts = new LinkedHashMap<>();
            pts.put(RUN, new Point(Map.of(), PointRecord.OK, null, m));
            return new Results("run", pts);
        }
        if (SweepStore.isSweep(dir)) {
            Map<String, Object> plan = JsonFiles.readMap(dir.resolve(SweepStore.PLAN));
            SweepStore store = new SweepStore(dir);
            Map<String, Point> pts = new LinkedHashMap<>();
            for (Object o : JsonTree.list(plan.getOrDefault("points", List.of()))) {
                Map<String, Object> p = JsonTree.object(o);
                String id = (String) p.get("id");
                Map<String, Object> params = JsonTree.object(p.getOrDefault("params", Map.of()));
                PointRecord r = store.load(id);
                Object fp = p.get("fingerprint");
                if (r != null && fp != null && !fp.equals(r.fingerprint())) {
                    pts.put(id, new Point(params, "missing", "the stored result is stale (made from another config); run the sweep again", Map.of()));
                } else if (r == null) {
                    pts.put(id, new Point(params, "missing", "the point has not finished; run the sweep again to finish it", Map.of()));
                } else {
                    pts.put(id, new Point(params, r.status(), r.error(), r.metrics()));
                }
            }
            return new Results("sweep", pts);
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir + ": no such folder; expected a run folder (with summary.json) or a sweep folder (with sweep.json)");
        }
        throw new ConfigException(dir + ": neither a run folder (no summary.json) nor a sweep folder (no sweep.json)");
    }

    /** @return the JSON form used in baselines */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Point> e : points.entrySet()) {
            Map<String, Object> p = new LinkedHashMap<>();
            if (!e.getValue().params().isEmpty()) {
                p.put("params", e.getValue().params());
            }
            p.put("status", e.getValue().status());
            if (e.getValue().error() != null) {
                p.put("error", e.getValue().error());
            }
            p.put("metrics", e.getValue().metrics());
            out.put(e.getKey(), p);
        }
        return out;
    }
}
