package io.dojosim.cli.sweep;

import io.dojosim.cli.files.JsonTree;
import java.util.LinkedHashMap;
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
            JsonTree.forEachLeaf(e.getKey(), e.getValue(), path -> path.equals("plan.search"), (path, v) -> {
                if (v instanceof Number n && !(path.startsWith("crossCheck.") && path.endsWith(".wallSeconds"))) {
                    out.put(path, n); // the cross-checks' host times are measured, not modeled
                }
            });
        }
        return out;
    }
}
