package io.dojosim.cli.sweep;

import io.dojosim.cli.files.JsonTree;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modeled metrics of a run: every numeric leaf of summary.json outside {@code host} (the one
 * measured, non-deterministic part), {@code schemaVersion} and {@code plan.search} (the record of
 * the plan search: the other candidates and their estimates, which change with the search space
 * while the chosen plan, whose figures are the run's metrics, stays), by dotted path
 * ({@code utilization.meshLinks}, {@code messageLatency.p99}); list items get {@code [i]}.
 * Strings and booleans are not metrics, nor the host time each cross-check took
 * ({@code crossCheck.checks[i].wallSeconds}, measured); the cross-check's bands are
 * ({@code crossCheck.figures.stepTimeSeconds.plusMinus}).
 */
public final class Metrics {
    private Metrics() {
    }

    /** @return the metrics in the summary's order */
    public static Map<String, Number> flatten(Map<String, Object> summary) {
        Map<String, Number> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            if (e.getKey().equals("host") || e.getKey().equals("schemaVersion")) {
                continue;
            }
            walk(e.getKey(), e.getValue(), out);
        }
        return out;
    }

    private static void walk(String path, Object v, Map<String, Number> out) {
        if (path.equals("plan.search")) {
            return;
        }
        if (v instanceof Number) {
            if (path.startsWith("crossCheck.") && path.endsWith(".wallSeconds")) return; // measured, not modeled
            out.put(path, (Number) v);
        } else if (v instanceof Map) {
            for (Map.Entry<String, Object> e : (JsonTree.object(v)).entrySet()) {
                walk(path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (v instanceof List) {
            List<Object> l = JsonTree.list(v);
            for (int i = 0; i < l.size(); i++) {
                walk(path + "[" + i + "]", l.get(i), out);
            }
        }
    }
}
