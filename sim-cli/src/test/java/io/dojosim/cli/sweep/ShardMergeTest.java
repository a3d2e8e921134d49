package io.dojosim.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Catalog;
import io.dojosim.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --shard K/N} on a shared folder, {@code --merge}, and attempts that write a point once. */
class ShardMergeTest {
    @TempDir
    Path dir;

    record R(int exit, String out, String err) {
    }

    static R cli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.newCommandLine(new PrintWriter(o, true), new PrintWriter(e, true)).execute(args);
        return new R(code, o.toString(), e.toString());
    }

    private Path spec() throws IOException {
        Files.copy(Path.of("../configs/workloads/tiny-mlp.yaml"), dir.resolve("tiny-mlp.yaml"));
        Path spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, "schemaVersion: 1\nset:\n  pod.system.scope: tile\n  run.traceRanks: rank0\nworkload: tiny-mlp.yaml\naxes:\n"
                + "  - key: d1.node.clockHz\n    values: [1.0e9, 2.0e9, 2.5e9]\n  - key: d1.node.threads\n    values: [2, 4]\n");
        return spec;
    }

    @Test
    void threeShardsOnOneFolderThenMergeGiveTheLocalEnginesTablesByteForByte() throws IOException {
        Path spec = spec();
        Path local = dir.resolve("local");
        R l = cli("sweep", spec.toString(), "-j", "2", "-o", local.toString());
        assertEquals(0, l.exit, l.toString());
        Path shared = dir.resolve("shared");
        R early = null;
        for (int k = 0; k < 3; k++) {
            R s = cli("sweep", spec.toString(), "-j", "1", "--shard", k + "/3", "-o", shared.toString());
            assertEquals(0, s.exit, s.toString());
            assertTrue(s.out.startsWith("shard " + k + "/3: 2 of 6 points"), s.out);
            assertFalse(Files.exists(shared.resolve(SweepStore.CSV)), "a shard writes no tables");
            if (k == 1) {
                early = cli("sweep", spec.toString(), "-o", shared.toString(), "--merge");
            }
        }
        // after shards 0 and 1, points 2 and 5 (shard 2) are missing: merge names them and fails
        assertEquals(2, early.exit, early.toString());
        assertTrue(early.err.contains("2 problem(s) with the 6 points") && early.err.contains("p0002-") && early.err.contains("p0005-")
                && early.err.contains("missing"), early.err);
        R m = cli("sweep", spec.toString(), "-o", shared.toString(), "--merge");
        assertEquals(0, m.exit, m.toString());
        assertTrue(m.out.contains("every one of the 6 points present once"), m.out);
        assertArrayEquals(Files.readAllBytes(local.resolve(SweepStore.CSV)), Files.readAllBytes(shared.resolve(SweepStore.CSV)));
        assertArrayEquals(Files.readAllBytes(local.resolve(SweepStore.JSONL)), Files.readAllBytes(shared.resolve(SweepStore.JSONL)));
        // a point folder of another spec is not "exactly the plan's points"
        Files.createDirectories(shared.resolve("points").resolve("p0009-deadbeef"));
        R extra = cli("sweep", spec.toString(), "-o", shared.toString(), "--merge");
        assertEquals(2, extra.exit, extra.toString());
        assertTrue(extra.err.contains("p0009-deadbeef: a point folder the plan does not have"), extra.err);
    }

    @Test
    void badShardTextsAreRejectedWithTheAllowedForm() throws IOException {
        Path spec = spec();
        for (String bad : List.of("3/3", "1", "a/2", "0/0")) {
            R r = cli("sweep", spec.toString(), "--shard", bad, "-o", dir.resolve("x").toString());
            assertEquals(2, r.exit, bad + ": " + r);
            assertTrue(r.err.contains("--shard") && r.err.contains("K/N"), r.err);
        }
        R spark = cli("sweep", spec.toString(), "--engine", "spark", "--master", "local[2]", "-o", dir.resolve("y").toString());
        assertEquals(2, spark.exit, spark.toString());
        assertTrue(spark.err.contains("Spark is not in this jar") && spark.err.contains("spark-submit"), spark.err);
    }

    @Test
    void concurrentAttemptsAtOnePointWriteItOnceAndAgree() throws Exception {
        Path spec = dir.resolve("one.yaml");
        Files.writeString(spec, "schemaVersion: 1\nworkload: tiny\naxes:\n  - key: d1.node.threads\n    values: [2]\n");
        SweepPlan plan = SweepPlanner.plan(SweepSpecParser.parse(spec), Catalog.get().defaults(), c -> { });
        SweepStore store = new SweepStore(dir.resolve("out"));
        SweepPoint p = plan.points().get(0);
        CountDownLatch both = new CountDownLatch(2);
        FakeRunner fake = new FakeRunner(-1);
        PointRunner gated = (c, d) -> {
            both.countDown();
            both.await(); // both attempts are running the point at once, as a speculative task would
            return fake.run(c, d);
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<PointRecord> a = pool.submit(() -> AtomicPoint.run(plan, store, gated, p, "attempt-a"));
            Future<PointRecord> b = pool.submit(() -> AtomicPoint.run(plan, store, gated, p, "attempt-b"));
            PointRecord ra = a.get();
            PointRecord rb = b.get();
            assertEquals(ra.metrics(), rb.metrics());
            assertEquals(ra.toMap(), store.finished(p).toMap());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, fake.ran.size(), "both attempts ran");
        List<Path> left = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir.resolve("out").resolve("points"))) {
            s.filter(Files::isRegularFile).forEach(left::add);
        }
        assertEquals(2, left.size(), "one folder with summary.json and point.json, no attempt leftovers: " + left);
        // a later attempt finds the point finished and runs nothing
        FakeRunner later = new FakeRunner(-1);
        PointRecord again = AtomicPoint.run(plan, store, later, p, "attempt-c");
        assertTrue(later.ran.isEmpty());
        assertEquals(store.finished(p).toMap(), again.toMap());
        assertSame(null, SweepMerge.problems(plan, store).isEmpty() ? null : "problems");
    }
}
