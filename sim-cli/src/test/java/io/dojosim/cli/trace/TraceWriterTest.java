package io.dojosim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Chrome/Perfetto trace writer: format, lanes, exact microsecond times, sampling, determinism. */
class TraceWriterTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> events(JsonNode root, String ph) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : root.get("traceEvents")) {
            if (e.get("ph").asText().equals(ph)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void writesLanesAndCompleteEventsInMicroseconds() throws IOException {
        Path f = dir.resolve("t.json");
        try (TraceWriter t = TraceWriter.open(f, 100)) {
            int chip = t.process("tile[0].chip[1,2]");
            int n0 = t.thread(chip, "node[0,0]");
            int n1 = t.thread(chip, "node[3,4]");
            assertEquals(chip, t.process("tile[0].chip[1,2]"), "same name, same lane");
            assertEquals(n1, t.thread(chip, "node[3,4]"));
            int tile = t.process("tile[0]");
            int coll = t.thread(tile, "all-reduce \"grad\"");
            // 1,234,567 ps = 1.234567 us; 2,000,000 ps = 2 us; 500 ps = 0.0005 us.
            t.complete(chip, n0, "matmul fc1", "compute", 1_234_567L, 2_000_000L);
            t.complete(chip, n1, "send", "network", 500L, 500L, "bytes", 4096);
            t.complete(tile, coll, "ring step", "collective", 0L, 10_000_000L);
        }
        JsonNode root = JSON.readTree(f.toFile());
        assertFalse(root.get("otherData").get("sampled").asBoolean());
        assertEquals(3, root.get("otherData").get("eventsWritten").asLong());

        List<JsonNode> x = events(root, "X");
        assertEquals(3, x.size());
        assertEquals("matmul fc1", x.get(0).get("name").asText());
        assertEquals("1.234567", x.get(0).get("ts").asText());
        assertEquals("2", x.get(0).get("dur").asText());
        assertEquals(1, x.get(0).get("pid").asInt());
        assertEquals(1, x.get(0).get("tid").asInt());
        assertTrue(Files.readString(f).contains("\"name\": \"send\", \"cat\": \"network\", \"ph\": \"X\", \"ts\": 0.0005, \"dur\": 0.0005,"),
                "exact decimal microseconds in the file");
        assertEquals(4096, x.get(1).get("args").get("bytes").asLong());
        assertEquals(2, x.get(1).get("tid").asInt());
        assertEquals(2, x.get(2).get("pid").asInt());
        assertEquals(3, x.get(2).get("tid").asInt());
        assertEquals(10.0, x.get(2).get("dur").asDouble());

        List<String> names = new ArrayList<>();
        for (JsonNode m : events(root, "M")) {
            if (m.get("name").asText().endsWith("_name")) {
                names.add(m.get("pid").asInt() + "/" + m.get("tid").asInt() + " " + m.get("args").get("name").asText());
            }
        }
        assertEquals(List.of("1/0 tile[0].chip[1,2]", "2/0 tile[0]", "1/1 node[0,0]", "1/2 node[3,4]", "2/3 all-reduce \"grad\""), names);
    }

    @Test
    void samplesEvenlyAndSaysSoWhenOverTheCap() throws IOException {
        Path f = dir.resolve("s.json");
        TraceWriter t = TraceWriter.open(f, 4);
        int p = t.process("chip");
        int th = t.thread(p, "node");
        for (int i = 0; i < 10; i++) {
            t.complete(p, th, "op" + i, "compute", i * 1_000_000L, 1_000_000L);
        }
        // Cap 4: events 0-3 kept; at event 4 the stride doubles to 2 (keep 0,2, then 4,6); at event 8
        // it doubles to 4 (keep 0,4, then 8); event 9 is not a multiple of 4. Kept: 0, 4, 8.
        assertEquals(10, t.eventsRecorded());
        assertEquals(3, t.eventsKept());
        assertEquals(4, t.samplingStride());
        t.close();
        JsonNode root = JSON.readTree(f.toFile());
        List<String> kept = new ArrayList<>();
        for (JsonNode e : events(root, "X")) {
            kept.add(e.get("name").asText());
        }
        assertEquals(List.of("op0", "op4", "op8"), kept);
        JsonNode od = root.get("otherData");
        assertTrue(od.get("sampled").asBoolean());
        assertEquals(4, od.get("samplingStride").asInt());
        assertEquals(10, od.get("eventsRecorded").asInt());
        assertTrue(od.get("note").asText().contains("1 of every 4"), od.toString());
        boolean laneSaysSampled = false;
        for (JsonNode m : events(root, "M")) {
            if (m.get("name").asText().equals("process_name") && m.get("args").get("name").asText().contains("SAMPLED")) {
                laneSaysSampled = true;
            }
        }
        assertTrue(laneSaysSampled, "a visible lane names the sampling");
        assertEquals(1, events(root, "i").size());
    }

    @Test
    void sameCallsGiveByteIdenticalFiles() throws IOException {
        byte[][] out = new byte[2][];
        for (int run = 0; run < 2; run++) {
            Path f = dir.resolve("d" + run + ".json");
            try (TraceWriter t = TraceWriter.open(f, 50)) {
                t.metadata("seed", 7);
                for (int c = 0; c < 3; c++) {
                    int p = t.process("chip[" + c + ",0]");
                    for (int n = 0; n < 4; n++) {
                        int th = t.thread(p, "node[" + n + ",0]");
                        for (int k = 0; k < 8; k++) {
                            t.complete(p, th, "op", "compute", (c * 100 + n * 10 + k) * 777L, 333L);
                        }
                    }
                }
            }
            out[run] = Files.readAllBytes(f);
        }
        assertArrayEquals(out[0], out[1]);
        assertTrue(JSON.readTree(out[0]).get("otherData").get("sampled").asBoolean(), "96 events over a cap of 50");
    }

    @Test
    void flushLeavesACompleteFileAndTheWriterOpen() throws IOException {
        Path f = dir.resolve("f.json");
        TraceWriter t = TraceWriter.open(f, 10);
        int p = t.process("a");
        int th = t.thread(p, "b");
        t.complete(p, th, "x", "c", 0, 1);
        t.flush();
        assertEquals(1, events(JSON.readTree(f.toFile()), "X").size());
        t.complete(p, th, "y", "c", 1, 1);
        t.close();
        assertEquals(2, events(JSON.readTree(f.toFile()), "X").size());
        assertThrows(IllegalStateException.class, () -> t.complete(p, th, "z", "c", 2, 1));
    }

    @Test
    void rejectsUndeclaredLanesAndNegativeTimes() {
        TraceWriter t = TraceWriter.open(dir.resolve("r.json"), 10);
        int p = t.process("a");
        int q = t.process("b");
        int th = t.thread(p, "x");
        assertThrows(IllegalArgumentException.class, () -> t.complete(q, th, "e", "c", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> t.complete(p, th, "e", "c", -1, 1));
        assertThrows(IllegalArgumentException.class, () -> t.thread(9, "x"));
        assertThrows(IllegalArgumentException.class, () -> TraceWriter.open(dir.resolve("z.json"), 0));
    }

    @Test
    void aFlowIsWrittenAtItsSpansStartsOnlyWhenSamplingKeptBothEnds() throws IOException {
        Path f = dir.resolve("flows.json");
        try (TraceWriter t = TraceWriter.open(f, 2)) {
            int p = t.process("replica[0]");
            int a = t.thread(p, "communication");
            int b = t.thread(p, "compute");
            t.complete(p, a, "send 1", "send", 1_000, 500, null, 0, 1, TimelineWriter.NO_FLOWS);    // kept (arrival 0)
            t.complete(p, b, "other", "gemm", 1_200, 100);                                           // dropped (arrival 1)
            t.complete(p, b, "recv 1", "gemm", 2_000, 700, null, 0, 0, new long[] {1});              // kept (arrival 2)
            t.complete(p, a, "send 2", "send", 3_000, 500, null, 0, 2, TimelineWriter.NO_FLOWS);    // dropped (arrival 3)
            t.complete(p, b, "recv 2", "gemm", 4_000, 700, null, 0, 0, new long[] {2});              // kept (arrival 4)
            assertEquals(4, t.samplingStride(), "five spans into a cap of two: 1 of every 4 kept");
        }
        JsonNode root = JSON.readTree(f.toFile());
        List<JsonNode> starts = events(root, "s");
        List<JsonNode> ends = events(root, "f");
        // stride 4 keeps arrivals 0 and 4: flow 1 lost its end, flow 2 its start, so neither is drawn
        assertEquals(0, starts.size() + ends.size());
        Path g = dir.resolve("flows2.json");
        try (TraceWriter t = TraceWriter.open(g, 100)) {
            int p = t.process("replica[0]");
            int a = t.thread(p, "communication");
            int b = t.thread(p, "compute");
            t.complete(p, a, "send 1", "send", 1_000, 500, null, 0, 7, TimelineWriter.NO_FLOWS);
            t.complete(p, b, "recv 1", "gemm", 2_500, 700, null, 0, 0, new long[] {7});
        }
        root = JSON.readTree(g.toFile());
        starts = events(root, "s");
        ends = events(root, "f");
        assertEquals(1, starts.size());
        assertEquals(1, ends.size());
        assertEquals(7, starts.get(0).get("id").asLong());
        assertEquals(7, ends.get(0).get("id").asLong());
        assertEquals("0.001", starts.get(0).get("ts").decimalValue().toPlainString(), "at the send's start (1,000 ps)");
        assertEquals("0.0025", ends.get(0).get("ts").decimalValue().toPlainString(), "at the receiver's start (2,500 ps)");
        assertEquals("e", ends.get(0).get("bp").asText(), "bound to the enclosing slice");
        assertEquals(2, ends.get(0).get("tid").asInt(), "on the receiver's lane");
    }
}
