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

/** The trace's link and HBM utilization counters are histories that average, over the timeline, to the summary's utilization figures. */
class UtilizationTrackTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void eachLinkLevelAndHbmCounterAveragesToTheSummarysUtilization() throws Exception {
        ResolvedConfig c = new ParamCatalog(io.dojosim.cli.Catalog.groups()).defaults();
        for (String s : List.of("pod.system.scope=tile", "run.plan.search=off", "run.batchPerReplica=4", "run.mapping.replicaChips=5")) {
            c = c.with(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1), "test");
        }
        Path trace = dir.resolve("t.json");
        Map<String, Object> summary = RunService.run(c, null, trace).summary();
        Map<String, Object> util = (Map<String, Object>) summary.get("utilization");
        Map<String, Object> t = new ObjectMapper().readValue(trace.toFile(), Map.class);
        double endUs = 0;
        List<Map<String, Object>> links = new ArrayList<>();
        List<Map<String, Object>> hbm = new ArrayList<>();
        for (Map<String, Object> ev : (List<Map<String, Object>>) t.get("traceEvents")) {
            if ("X".equals(ev.get("ph"))) {
                endUs = Math.max(endUs, ((Number) ev.get("ts")).doubleValue() + ((Number) ev.get("dur")).doubleValue());
            } else if ("C".equals(ev.get("ph")) && "link utilization".equals(ev.get("name"))) {
                links.add(ev);
            } else if ("C".equals(ev.get("ph")) && "HBM utilization".equals(ev.get("name"))) {
                hbm.add(ev);
            }
        }
        // a history sampled from the operations (a point per interval where the traffic changes); this
        // replica never streams from HBM, so its HBM counter is one point, flat at the summary's 0
        assertTrue(links.size() > 10 && hbm.size() >= 1, "counters written: " + links.size() + " link, " + hbm.size() + " HBM");
        boolean anyBusy = false;
        for (String level : StepTimeline.LINK_LEVELS) {
            double mean = ((Number) util.get(level)).doubleValue();
            anyBusy |= mean > 0;
            // counters are printed to 6 significant digits
            assertEquals(mean, average(links, level, endUs), 1e-5 * mean + 1e-12, level + ": the counter's time average is the summary's figure");
        }
        assertTrue(anyBusy, "a five-chip replica uses some link level: " + util);
        double hbmMean = ((Number) util.get("dipHbm")).doubleValue();
        assertEquals(hbmMean, average(hbm, "dipHbm", endUs), 1e-5 * hbmMean + 1e-12, "dipHbm: the counter's time average is the summary's figure");
    }

    @SuppressWarnings("unchecked")
    private static double average(List<Map<String, Object>> events, String series, double endUs) {
        double integral = 0;
        for (int i = 0; i < events.size(); i++) {
            double ts = ((Number) events.get(i).get("ts")).doubleValue();
            double next = i + 1 < events.size() ? ((Number) events.get(i + 1).get("ts")).doubleValue() : endUs;
            integral += ((Number) ((Map<String, Object>) events.get(i).get("args")).get(series)).doubleValue() * (next - ts);
        }
        return integral / endUs;
    }
}
