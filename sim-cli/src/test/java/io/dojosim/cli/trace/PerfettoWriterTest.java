package io.dojosim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Catalog;
import io.dojosim.cli.ConfigLoader;
import io.dojosim.cli.RunService;
import io.dojosim.core.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native Perfetto trace read back field by field: tracks, slices, interned names, timestamps. */
class PerfettoWriterTest {
    @TempDir
    Path dir;

    /** What a trace holds, counted from its packets. */
    static final class Read {
        int descriptors;
        int begins;
        int ends;
        int firstFlags = -1;
        final List<String> trackNames = new ArrayList<>();
        final List<String> internedNames = new ArrayList<>();
        final List<Long> beginTimes = new ArrayList<>();
        final List<Long> endTimes = new ArrayList<>();
        final Set<Long> parents = new HashSet<>();
        final List<Long> flowStarts = new ArrayList<>();
        final List<Long> flowEnds = new ArrayList<>();
    }

    static Read read(Path file) throws IOException {
        Read r = new Read();
        for (ProtoWire.Field packet : ProtoWire.read(Files.readAllBytes(file))) {
            assertEquals(1, packet.number(), "a Trace holds only packets");
            long ts = -1;
            for (ProtoWire.Field f : ProtoWire.read(packet.bytes())) {
                switch (f.number()) {
                    case 8 -> ts = f.value();
                    case 13 -> { if (r.firstFlags < 0) r.firstFlags = (int) f.value(); }
                    case 60 -> {
                        r.descriptors++;
                        for (ProtoWire.Field d : ProtoWire.read(f.bytes())) {
                            if (d.number() == 2) r.trackNames.add(d.text());
                            if (d.number() == 5) r.parents.add(d.value());
                        }
                    }
                    case 12 -> {
                        for (ProtoWire.Field d : ProtoWire.read(f.bytes())) {
                            if (d.number() == 2) {
                                for (ProtoWire.Field n : ProtoWire.read(d.bytes())) if (n.number() == 2) r.internedNames.add(n.text());
                            }
                        }
                    }
                    case 11 -> {
                        for (ProtoWire.Field e : ProtoWire.read(f.bytes())) {
                            if (e.number() == 9 && e.value() == 1) { r.begins++; r.beginTimes.add(ts); }
                            if (e.number() == 9 && e.value() == 2) { r.ends++; r.endTimes.add(ts); }
                            if (e.number() == 47) r.flowStarts.add(e.value());
                            if (e.number() == 48) r.flowEnds.add(e.value());
                        }
                    }
                    default -> { }
                }
            }
        }
        return r;
    }

    @Test
    void lanesAreTracksSpansAreSliceBeginAndEndAndNamesAreSentOnce() throws IOException {
        Path f = dir.resolve("t.pftrace");
        try (PerfettoWriter w = PerfettoWriter.open(f)) {
            int chip = w.process("tile[0].chip[0,0]");
            int other = w.process("tile[0].chip[0,1]");
            int a = w.thread(chip, "node[0,0]");
            int b = w.thread(chip, "node[0,1]");
            int c = w.thread(other, "node[0,0]");
            assertEquals(a, w.thread(chip, "node[0,0]"), "a lane is declared once");
            w.complete(chip, a, "matmul", "gemm", 1_499, 1_000, "flops", 4096);
            w.complete(chip, b, "matmul", "gemm", 1_500, 2_000);
            w.complete(other, c, "allreduce", "collective", 10_000, 5_000, "bytes", 1 << 20);
            w.complete(other, c, "matmul", "gemm", 20_000, 0);
            assertEquals(4, w.eventsRecorded());
            assertEquals(5, w.tracks());
        }
        Read r = read(f);
        assertEquals(1, r.firstFlags, "the first packet clears the incremental state");
        assertEquals(5, r.descriptors);
        assertEquals(List.of("tile[0].chip[0,0]", "tile[0].chip[0,1]", "node[0,0]", "node[0,1]", "node[0,0]"), r.trackNames);
        assertEquals(2, r.parents.size(), "thread tracks hang under their two process tracks");
        assertEquals(4, r.begins);
        assertEquals(4, r.ends);
        assertEquals(List.of("matmul", "allreduce"), r.internedNames, "each event name is sent once");
        // 1,499 ps rounds to 1 ns, 1,500 ps to 2 ns; ends 2,499 -> 2 ns, 3,500 -> 4 ns
        assertEquals(List.of(1L, 2L, 10L, 20L), r.beginTimes);
        assertEquals(List.of(2L, 4L, 15L, 20L), r.endTimes);
    }

    @Test
    void aRunsPerfettoTraceHasEverySliceOfItsJsonTraceWithNoCap() throws IOException {
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolve(null, List.of("pod.system.scope=tile", "run.workload=resnet50",
                "run.batchPerReplica=2", "run.mapping.replicaChips=5"));
        Path json = dir.resolve("t.json");
        Path pf = dir.resolve("t.pftrace");
        RunService.run(c, null, json);
        RunService.run(c, null, pf);
        String text = Files.readString(json);
        assertTrue(!text.contains("\"sampled\": true") && !text.contains("\"sampled\":true"), "the JSON trace is complete, not sampled");
        int slices = count(text, "\"ph\":\"X\"") + count(text, "\"ph\": \"X\"");
        int lanes = count(text, "\"thread_name\"") + count(text, "\"process_name\"");
        Read r = read(pf);
        assertTrue(slices > 100, "a ResNet-50 step has many operations: " + slices);
        assertEquals(slices, r.begins, "one slice per JSON complete event");
        assertEquals(r.begins, r.ends);
        // counter tracks: one per series of each JSON counter (the power track of docs/model/energy.md)
        java.util.Set<String> series = new HashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode e : new com.fasterxml.jackson.databind.ObjectMapper().readTree(text).get("traceEvents")) {
            if (!e.path("ph").asText().equals("C")) continue;
            e.get("args").fieldNames().forEachRemaining(k -> series.add(e.get("pid").asInt() + " " + e.get("name").asText() + " " + k));
        }
        assertTrue(series.size() >= 1, "the run's trace has its power counter");
        assertEquals(lanes + series.size(), r.descriptors, "one track per JSON process or thread lane and per counter series");
        assertEquals(new HashSet<>(r.internedNames).size(), r.internedNames.size(), "names interned once");
    }

    @Test
    void eachPipelineSendStartsAFlowThatEndsAtTheStageThatReceivesIt() throws IOException {
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolve(null, List.of("pod.system.scope=tile", "run.workload=resnet50",
                "run.plan.search=off", "run.mapping.replicaChips=2", "run.mapping.pipelineStages=2", "run.mapping.microBatches=4",
                "run.batchPerReplica=24"));
        Path json = dir.resolve("p.json");
        Path pf = dir.resolve("p.pftrace");
        RunService.run(c, null, json);
        Map<String, Object> summary = RunService.run(c, null, pf).summary();
        int replicas = ((Number) ((Map<?, ?>) summary.get("plan")).get("dataParallel")).intValue();
        int sends = 0;
        List<Long> jsonStarts = new ArrayList<>();
        List<Long> jsonEnds = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode e : new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("p.json").toFile())
                .get("traceEvents")) {
            String ph = e.path("ph").asText();
            if (ph.equals("X") && e.get("cat").asText().equals("send")) sends++;
            if (ph.equals("s")) jsonStarts.add(e.get("id").asLong());
            if (ph.equals("f")) jsonEnds.add(e.get("id").asLong());
        }
        // 2 stages x 4 micro-batches: an activation send forward and a gradient send backward per
        // micro-batch, on the sending chip of each of the 12 replicas of the tile
        assertEquals(12, replicas);
        assertEquals(8 * replicas, sends, "sends on the pipelined replicas' chips");
        Read r = read(pf);
        assertEquals(sends, r.flowStarts.size(), "one flow per send");
        assertEquals(sends, new HashSet<>(r.flowStarts).size(), "flow ids are distinct");
        assertEquals(new HashSet<>(r.flowStarts), new HashSet<>(r.flowEnds), "every flow ends, once, at its receiver");
        assertEquals(sends, r.flowEnds.size());
        assertEquals(r.flowStarts, jsonStarts, "the JSON trace has the same flows (ph s)");
        assertEquals(new HashSet<>(jsonStarts), new HashSet<>(jsonEnds), "each JSON flow ends (ph f)");
        assertEquals(sends, jsonEnds.size());
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
