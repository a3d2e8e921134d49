package io.dojosim.cli.sweep;

import io.dojosim.cli.files.JsonTree;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored outcome of one point ({@code points/<id>/point.json}); its presence marks the point
 * finished. Written last and atomically, after the run's own files.
 *
 * @param status  {@link #OK}, {@link #FAILED} (bad input: finished, not retried) or {@link #ERROR}
 *                (internal error: retried when the sweep is started again)
 * @param error   the message for a failed point, else null
 * @param metrics the modeled metrics of summary.json ({@link Metrics}), empty unless ok
 */
public record PointRecord(int index, String id, String fingerprint, Map<String, Object> params, String status, String error,
                          Map<String, Number> metrics) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String ERROR = "error";

    /**
     * Runs the point's config through {@code runner} into {@code dir}.
     *
     * @return the point's {@link #OK} record with the metrics of the summary
     * @throws Exception whatever the runner throws (the caller records it)
     */
    static PointRecord run(SweepPlan plan, PointRunner runner, SweepPoint p, Path dir) throws Exception {
        Map<String, Object> summary = runner.run(plan.configOf(p), dir);
        if (summary == null) {
            throw new IllegalStateException("the runner returned no summary");
        }
        return new PointRecord(p.index(), p.id(), p.fingerprint(), p.params(), OK, null, Metrics.flatten(summary));
    }

    /** @return the record of a point that did not run: {@code status} {@link #FAILED} or {@link #ERROR}, no metrics */
    static PointRecord notRun(SweepPoint p, String status, String error) {
        return new PointRecord(p.index(), p.id(), p.fingerprint(), p.params(), status, error, Map.of());
    }

    /** @return true when a restarted sweep keeps this result */
    public boolean finished() {
        return status.equals(OK) || status.equals(FAILED);
    }

    /** @return the JSON form */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 1);
        m.put("point", index);
        m.put("id", id);
        m.put("status", status);
        m.put("params", params);
        if (error != null) {
            m.put("error", error);
        }
        m.put("metrics", metrics);
        m.put("fingerprint", fingerprint);
        return m;
    }

    /** @return the record of a point.json map */
    public static PointRecord fromMap(Map<String, Object> m) {
        Map<String, Number> metrics = new LinkedHashMap<>();
        Object mm = m.get("metrics");
        if (mm instanceof Map) {
            for (Map.Entry<String, Object> e : (JsonTree.object(mm)).entrySet()) {
                if (e.getValue() instanceof Number) {
                    metrics.put(e.getKey(), (Number) e.getValue());
                }
            }
        }
        Object params = m.get("params");
        return new PointRecord(((Number) m.get("point")).intValue(), (String) m.get("id"), (String) m.get("fingerprint"),
                params instanceof Map ? JsonTree.object(params) : Map.of(), (String) m.get("status"), (String) m.get("error"), metrics);
    }
}
