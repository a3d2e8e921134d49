package io.dojosim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dojosim.cli.RunService;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace's "power (W)" counter track integrates to the step's energy and starts from the static power. */
class PowerTrackTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void thePowerTrackIntegratesToTheStepsEnergy() throws Exception {
        ResolvedConfig c = new ParamCatalog(io.dojosim.cli.Catalog.groups()).defaults();
        for (String s : List.of("pod.system.scope=tile", "run.plan.search=off", "run.batchPerReplica=4", "run.mapping.replicaChips=5")) {
            c = c.with(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1), "test");
        }
        Path trace = dir.resolve("t.json");
        Map<String, Object> summary = RunService.run(c, null, trace).summary();
        Map<String, Object> t = new ObjectMapper().readValue(trace.toFile(), Map.class);
        List<double[]> points = new ArrayList<>();   // time in us, total W
        double staticW = -1;
        for (Map<String, Object> ev : (List<Map<String, Object>>) t.get("traceEvents")) {
            if ("C".equals(ev.get("ph")) && "power (W)".equals(ev.get("name"))) {
                Map<String, Object> a = (Map<String, Object>) ev.get("args");
                double sum = 0;
                for (Object v : a.values()) sum += ((Number) v).doubleValue();
                points.add(new double[] {((Number) ev.get("ts")).doubleValue(), sum});
                staticW = ((Number) a.get("static")).doubleValue();
            }
        }
        assertTrue(points.size() >= 3, "a counter per change of activity: " + points.size());
        Map<String, Object> e = (Map<String, Object>) summary.get("energy");
        double joules = ((Number) e.get("joulesPerStep")).doubleValue();
        double delivery = ((Number) ((Map<String, Object>) e.get("byClass")).get("delivery")).doubleValue();
        double idle = ((Map<String, Object>) e.get("staticWattsByLevel")).values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
        assertEquals(idle * joules / (joules - delivery), staticW, 1e-3 * staticW, "the static series is the idle power with overhead");
        double stepUs = (Double) summary.get("stepTimeSeconds") * 1e6;
        double integral = 0;
        for (int i = 0; i < points.size(); i++) {
            double end = i + 1 < points.size() ? points.get(i + 1)[0] : stepUs;
            integral += points.get(i)[1] * (end - points.get(i)[0]) * 1e-6;
        }
        // counters are printed to 6 significant digits
        assertEquals(joules, integral, 1e-4 * joules, "power x time over the step = its energy");
        double peak = ((Number) ((Map<String, Object>) t.get("otherData")).get("peakWatts")).doubleValue();
        assertTrue(peak >= joules / (stepUs * 1e-6) && peak > staticW, "the peak is above the average and the static power: " + peak);
        // the trace's peak is the maximum of its samples and summary.json's energy.peakWatts.system
        double max = points.stream().mapToDouble(p -> p[1]).max().orElseThrow();
        assertEquals(max, peak, 1e-5 * peak, "counters are printed to 6 significant digits");
        assertEquals(peak, ((Number) ((Map<String, Object>) e.get("peakWatts")).get("system")).doubleValue(), 1e-9 * peak);
    }
}
