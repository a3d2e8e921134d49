package io.dojosim.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What counts as a modeled metric of a run (docs/ci.md). */
class MetricsTest {
    @Test
    void numericLeavesOutsideHostSchemaVersionAndThePlanSearchRecord() {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("dataParallel", 60);
        plan.put("reason", "text is not a metric");
        plan.put("search", Map.of("candidates", 264, "top", List.of(Map.of("mfu", 0.28))));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schemaVersion", 1);
        s.put("plan", plan);
        s.put("stepTimeSeconds", 2.6e-3);
        s.put("lat", List.of(1, 2));
        s.put("host", Map.of("wallSeconds", 9.0));
        Map<String, Number> m = Metrics.flatten(s);
        assertEquals(List.of("plan.dataParallel", "stepTimeSeconds", "lat[0]", "lat[1]"), List.copyOf(m.keySet()));
    }
}
