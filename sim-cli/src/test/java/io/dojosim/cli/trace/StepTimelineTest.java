package io.dojosim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dojosim.cli.Catalog;
import io.dojosim.cli.WorkloadResolver;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.step.StepRunner;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lanes never hold overlapping spans; a real training step's timeline conserves its busy time. */
class StepTimelineTest {
    @TempDir
    Path dir;

    @Test
    void overlappingSpansGoToSeparateLanesAndFreeLanesAreReused() {
        TraceWriter t = TraceWriter.open(dir.resolve("l.json"), 100);
        LaneAllocator a = new LaneAllocator(t, t.process("replica"));
        int first = a.place("communication", 0, 100);
        assertEquals(first, a.place("communication", 100, 200), "touching spans share a lane");
        int second = a.place("communication", 50, 150);
        assertTrue(second != first);
        assertEquals(second, a.place("communication", 10, 40), "reported late: [10,40) meets [0,100) on the first lane, fits before [50,150) on the second");
        assertEquals(first, a.place("communication", 200, 300));
        int third = a.place("communication", 60, 70);
        assertEquals(3, a.lanes("communication"));
        assertTrue(third != first && third != second);
        int compute = a.place("compute", 0, 100);
        assertTrue(compute != first && compute != second && compute != third, "groups never share lanes");
        assertEquals(1, a.lanes("compute"));
    }

    @Test
    void aTrainingStepTimelineHasNoOverlapOnAnyLaneAndConservesComputeTime() throws Exception {
        ResolvedConfig c = Catalog.get().defaults()
                .with("pod.system.scope", "tile", "test")
                // tiny-mlp's two ranks are pipeline stages with different graphs: fold them into replicas of
                // rank 0's graph (run.rankPlacement = replica, run.traceRanks = rank0), one compute lane
                .with("run.rankPlacement", "replica", "test")
                .with("run.traceRanks", "rank0", "test")
                .with("run.workload", Path.of("../configs/workloads/tiny-mlp.yaml").toAbsolutePath().normalize().toString(), "test");
        Path f = dir.resolve("step.json");
        io.dojosim.pod.step.StepSummary summary;
        try (TraceWriter t = TraceWriter.open(f, TraceWriter.DEFAULT_MAX_EVENTS)) {
            summary = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), WorkloadResolver.resolve(c), new StepTimeline(t, "replica[0]")).summary();
        }
        JsonNode root = new ObjectMapper().readTree(f.toFile());
        Map<Integer, TreeMap<BigDecimal, BigDecimal>> lanes = new HashMap<>();
        Map<Integer, String> laneNames = new HashMap<>();
        int replica0 = -1; // the first chip of replica 0: its lanes carry the replica's schedule
        for (JsonNode e : root.get("traceEvents")) {
            if (e.get("name").asText().equals("process_name") && replica0 < 0 && e.get("args").get("name").asText().contains("(replica 0")) {
                replica0 = e.get("pid").asInt();
            }
        }
        assertTrue(replica0 > 0, "a track per chip, named after its replica");
        for (JsonNode e : root.get("traceEvents")) {
            if (e.get("name").asText().equals("thread_name") && e.get("pid").asInt() == replica0) {
                laneNames.put(e.get("tid").asInt(), e.get("args").get("name").asText());
            }
        }
        BigDecimal computeUs = BigDecimal.ZERO;
        int events = 0;
        for (JsonNode e : root.get("traceEvents")) {
            if (!e.get("ph").asText().equals("X") || e.get("pid").asInt() != replica0) {
                continue;
            }
            events++;
            BigDecimal ts = e.get("ts").decimalValue();
            BigDecimal dur = e.get("dur").decimalValue();
            TreeMap<BigDecimal, BigDecimal> spans = lanes.computeIfAbsent(e.get("tid").asInt(), k -> new TreeMap<>());
            Map.Entry<BigDecimal, BigDecimal> before = spans.floorEntry(ts);
            assertTrue(before == null || before.getValue().compareTo(ts) <= 0, "overlap on lane " + e.get("tid") + " at " + ts);
            Map.Entry<BigDecimal, BigDecimal> after = spans.higherEntry(ts);
            assertTrue(after == null || after.getKey().compareTo(ts.add(dur)) >= 0, "overlap on lane " + e.get("tid") + " at " + ts);
            spans.put(ts, ts.add(dur));
            if (laneNames.get(e.get("tid").asInt()).startsWith("compute")) {
                computeUs = computeUs.add(dur);
            }
        }
        assertTrue(events >= 5, "the critical replica's operations of tiny-mlp (9 with these defaults): " + events);
        assertEquals(1, laneNames.values().stream().filter(n -> n.startsWith("compute")).count(), "one compute pipe: one lane");
        // Compute runs one operation at a time, so the sum of compute spans is the compute busy time.
        double computeSeconds = summary.computeSeconds();
        assertEquals(computeSeconds, computeUs.doubleValue() / 1e6, computeSeconds * 1e-9);

    }
}
