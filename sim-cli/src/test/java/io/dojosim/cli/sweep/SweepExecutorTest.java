package io.dojosim.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Catalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running a sweep: tables in point order, failures recorded, resume skips finished points only. */
public class SweepExecutorTest {
    @TempDir
    Path dir;

    public static final String SPEC = "schemaVersion: 1\nname: t\nworkload: tiny\naxes:\n"
            + "  - key: d1.node.clockHz\n    values: [1000000000, 2000000000]\n"
            + "  - key: d1.node.threads\n    range: 1:4:1\n";

    public static SweepPlan plan(Path specDir, String text) throws IOException {
        Path p = specDir.resolve("spec.yaml");
        Files.writeString(p, text);
        return SweepPlanner.plan(SweepSpecParser.parse(p), Catalog.get().defaults(), c -> { });
    }

    public static SweepExecutor.Outcome run(SweepPlan plan, Path out, PointRunner r, int jobs, StringWriter log) throws InterruptedException {
        try (SweepStore s = new SweepStore(out)) {
            s.lock();
            return SweepExecutor.run(plan, s, r, jobs, (t, d, j) -> new Progress(new PrintWriter(log, true), false, t, d, j));
        }
    }

    @Test
    void tablesHoldEveryPointInOrderWithParamsAndMetrics() throws Exception {
        SweepPlan plan = plan(dir, SPEC);
        FakeRunner r = new FakeRunner(-1);
        StringWriter log = new StringWriter();
        SweepExecutor.Outcome o = run(plan, dir.resolve("out"), r, 3, log);
        assertEquals(8, o.total());
        assertEquals(8, o.ran());
        assertEquals(0, o.failed() + o.errors());
        List<String> csv = Files.readAllLines(dir.resolve("out/results.csv"));
        assertEquals("point,id,status,d1.node.clockHz,d1.node.threads,steps,stepTimeSeconds,modeledFlops,achievedTflops,"
                + "utilization.meshLinks,messageLatency.p99[0],messageLatency.p99[1],error", csv.get(0), "host never reaches a table");
        assertEquals(9, csv.size());
        for (int i = 0; i < 8; i++) {
            assertTrue(csv.get(i + 1).startsWith(i + ",p000" + i + "-"), csv.get(i + 1));
        }
        // Point 5: clock 2 GHz (second value), threads 2 (second of 1..4): step = 4e9 / (2e9 * 2) = 1 s.
        String[] p5 = csv.get(6).split(",");
        assertEquals(List.of("ok", "2000000000", "2", "1", "1.0", "1000000000000000", "1.0", "0.125"),
                List.of(p5[2], p5[3], p5[4], p5[5], p5[6], p5[7], p5[8], p5[9]));
        List<String> jsonl = Files.readAllLines(dir.resolve("out/results.jsonl"));
        assertEquals(8, jsonl.size());
        Map<String, Object> j5 = new com.fasterxml.jackson.databind.ObjectMapper().readValue(jsonl.get(5), Map.class);
        assertEquals(Map.of("d1.node.clockHz", 2000000000, "d1.node.threads", 2), j5.get("params"));
        assertEquals(1.0, ((Map<?, ?>) j5.get("metrics")).get("stepTimeSeconds"));
        for (SweepPoint p : plan.points()) {
            assertTrue(Files.isRegularFile(dir.resolve("out/points").resolve(p.id()).resolve("summary.json")), p.id());
            assertTrue(Files.isRegularFile(dir.resolve("out/points").resolve(p.id()).resolve("point.json")), p.id());
        }
        assertTrue(log.toString().contains("sweep: 8/8 "), log.toString());
    }

    @Test
    void oneThreadAndManyGiveIdenticalTables() throws Exception {
        SweepPlan plan = plan(dir, SPEC);
        run(plan, dir.resolve("a"), new FakeRunner(-1), 1, new StringWriter());
        run(plan, dir.resolve("b"), new FakeRunner(-1), 4, new StringWriter());
        assertEquals(Files.readString(dir.resolve("a/results.csv")), Files.readString(dir.resolve("b/results.csv")));
        assertEquals(Files.readString(dir.resolve("a/results.jsonl")), Files.readString(dir.resolve("b/results.jsonl")));
        assertEquals(Files.readString(dir.resolve("a/sweep.json")), Files.readString(dir.resolve("b/sweep.json")));
    }

    @Test
    void badInputPointIsRecordedAndTheOthersRunAndAreKept() throws Exception {
        SweepPlan plan = plan(dir, SPEC);
        SweepExecutor.Outcome o = run(plan, dir.resolve("out"), new FakeRunner(3), 2, new StringWriter());
        assertEquals(2, o.failed(), "threads=3 at both clocks");
        assertEquals(0, o.errors());
        List<String> csv = Files.readAllLines(dir.resolve("out/results.csv"));
        assertTrue(csv.get(3).contains(",failed,") && csv.get(3).endsWith(",workload 'tiny' does not fit 3 threads"), csv.get(3));
        assertTrue(csv.get(4).contains(",ok,"), csv.get(4));
        // Started again: nothing runs, failed points included (bad input is deterministic).
        FakeRunner again = new FakeRunner(3);
        SweepExecutor.Outcome o2 = run(plan, dir.resolve("out"), again, 2, new StringWriter());
        assertEquals(0, o2.ran());
        assertEquals(8, o2.skipped());
        assertTrue(again.ran.isEmpty());
        assertEquals(2, o2.failed());
    }

    @Test
    void internalErrorsAreRecordedAndRetriedOnRestart() throws Exception {
        SweepPlan plan = plan(dir, SPEC);
        PointRunner broken = (c, d) -> {
            if (c.getInt("d1.node.threads") == 4) {
                throw new IllegalStateException("broken invariant");
            }
            return FakeRunner.summary(c);
        };
        SweepExecutor.Outcome o = run(plan, dir.resolve("out"), broken, 2, new StringWriter());
        assertEquals(2, o.errors());
        assertTrue(Files.readString(dir.resolve("out/results.csv")).contains("internal error: java.lang.IllegalStateException: broken invariant"));
        FakeRunner fixed = new FakeRunner(-1);
        SweepExecutor.Outcome o2 = run(plan, dir.resolve("out"), fixed, 2, new StringWriter());
        assertEquals(2, o2.ran());
        assertEquals(0, o2.errors());
        assertEquals(new HashSet<>(List.of(plan.points().get(3).id(), plan.points().get(7).id())), new HashSet<>(fixed.ran));
    }

    @Test
    void unfinishedAndStalePointsRunAgainAndLeftoversAreCleared() throws Exception {
        SweepPlan plan = plan(dir, SPEC);
        Path out = dir.resolve("out");
        run(plan, out, new FakeRunner(-1), 2, new StringWriter());
        String before = Files.readString(out.resolve("results.csv"));
        // Point 2: as if killed after writing some run files but before point.json.
        Path p2 = out.resolve("points").resolve(plan.points().get(2).id());
        Files.delete(p2.resolve("point.json"));
        Files.writeString(p2.resolve("stats.json.partial"), "{");
        // Point 6: written by a sweep with another config: its fingerprint is stale.
        Path p6 = out.resolve("points").resolve(plan.points().get(6).id()).resolve("point.json");
        Files.writeString(p6, Files.readString(p6).replace(plan.points().get(6).fingerprint(), "0000"));
        FakeRunner r = new FakeRunner(-1);
        SweepExecutor.Outcome o = run(plan, out, r, 2, new StringWriter());
        assertEquals(new HashSet<>(List.of(plan.points().get(2).id(), plan.points().get(6).id())), new HashSet<>(r.ran));
        assertEquals(6, o.skipped());
        assertFalse(Files.exists(p2.resolve("stats.json.partial")), "leftovers of the unfinished attempt are removed");
        assertEquals(before, Files.readString(out.resolve("results.csv")));
    }

    @Test
    void aSecondSweepCannotWriteTheSameFolder() throws Exception {
        try (SweepStore a = new SweepStore(dir.resolve("out"))) {
            a.lock();
            try (SweepStore b = new SweepStore(dir.resolve("out"))) {
                io.dojosim.core.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.dojosim.core.config.ConfigException.class, b::lock);
                assertTrue(e.getMessage().contains("another sweep is writing this folder"), e.getMessage());
            }
        }
    }

    @Test
    void progressBarOnATerminalAndLinesOtherwise() {
        StringWriter bar = new StringWriter();
        Progress p = new Progress(new PrintWriter(bar, true), true, 4, 1, 2);
        p.start("x");
        p.finished(new PointRecord(1, "p0001-aa", "f", Map.of(), PointRecord.OK, null, Map.of()), "k=1", 2.0);
        p.end();
        assertTrue(bar.toString().contains("\r[############............] 2/4  50%  ETA 2s"), bar.toString());
        StringWriter lines = new StringWriter();
        Progress q = new Progress(new PrintWriter(lines, true), false, 4, 1, 2);
        q.start("x");
        q.finished(new PointRecord(1, "p0001-aa", "f", Map.of(), PointRecord.FAILED, "bad", Map.of()), "k=1", 2.0);
        assertFalse(lines.toString().contains("\r"));
        // One point took 2 s; 2 points left on 2 workers: ETA 2 s.
        assertTrue(lines.toString().contains("sweep: 2/4 p0001-aa failed (k=1) 2.0 s, ETA 2s: bad"), lines.toString());
    }

    static List<String> ids(SweepPlan p) {
        List<String> out = new ArrayList<>();
        for (SweepPoint x : p.points()) {
            out.add(x.id());
        }
        return out;
    }
}
