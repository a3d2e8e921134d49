package io.dojosim.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.files.OutputException;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps lose nothing and mix nothing (issue 17, cases 10 and 12): a point whose results cannot be
 * written (a full disk, seen as an {@link OutputException}) is an error that a restart runs again,
 * never a "failed" point kept as bad input; a folder belongs to one spec.
 */
class SweepLossTest {
    @TempDir
    Path dir;

    @Test
    void pointsThatCouldNotBeWrittenAreErrorsAndRunAgainOnResume() throws Exception {
        SweepPlan plan = SweepExecutorTest.plan(dir, SweepExecutorTest.SPEC);
        Path out = dir.resolve("out");
        AtomicInteger calls = new AtomicInteger();
        FakeRunner ok = new FakeRunner(-1);
        // the disk is full for the points of 3 threads: their run files cannot be written
        PointRunner fullDisk = (c, d) -> {
            calls.incrementAndGet();
            if (c.getInt("d1.node.threads") == 3) {
                throw new OutputException(d.resolve("stats.json") + ": cannot write: File too large", new IOException("File too large"));
            }
            return ok.run(c, d);
        };
        SweepExecutor.Outcome first = SweepExecutorTest.run(plan, out, fullDisk, 2, new StringWriter());
        assertEquals(8, first.total());
        assertEquals(2, first.errors(), "the two points of 3 threads (one per clock) are errors, not bad input");
        assertEquals(0, first.failed());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        long errorRows = csv.stream().filter(l -> l.contains(",error,") && l.contains("output error")).count();
        assertEquals(2, errorRows, String.join("\n", csv));

        // the disk has room again: the restart runs exactly those two points
        FakeRunner again = new FakeRunner(-1);
        SweepExecutor.Outcome second = SweepExecutorTest.run(plan, out, again, 2, new StringWriter());
        assertEquals(6, second.skipped());
        assertEquals(2, again.ran.size());
        assertEquals(0, second.errors());
        assertEquals(8, calls.get());
        SweepExecutorTest.run(plan, dir.resolve("ref"), new FakeRunner(-1), 2, new StringWriter());
        assertEquals(Files.readString(dir.resolve("ref/results.csv")), Files.readString(out.resolve("results.csv")));
    }

    @Test
    void aSecondSpecIsRefusedNamingBothAndTheFolderIsUnchanged() throws Exception {
        SweepPlan plan = SweepExecutorTest.plan(dir, SweepExecutorTest.SPEC);
        Path out = dir.resolve("out");
        SweepExecutorTest.run(plan, out, new FakeRunner(-1), 2, new StringWriter());
        String csvBefore = Files.readString(out.resolve("results.csv"));
        String planBefore = Files.readString(out.resolve("sweep.json"));

        Path other = dir.resolve("other");
        Files.createDirectories(other);
        SweepPlan second = SweepExecutorTest.plan(other, SweepExecutorTest.SPEC.replace("name: t", "name: u"));
        try (SweepStore s = new SweepStore(out)) {
            s.lock();
            ConfigException e = assertThrows(ConfigException.class, () -> s.checkSameSpec(second));
            assertTrue(e.getMessage().contains("'t'") && e.getMessage().contains("'u'"), e.getMessage());
            s.checkSameSpec(plan); // the same spec resumes
        }
        assertEquals(csvBefore, Files.readString(out.resolve("results.csv")));
        assertEquals(planBefore, Files.readString(out.resolve("sweep.json")));
    }

    @Test
    void aPointInterruptedByCtrlCIsNotRecordedAndTheTablesHoldTheFinishedOnes() throws Exception {
        SweepPlan plan = SweepExecutorTest.plan(dir, SweepExecutorTest.SPEC);
        Path out = dir.resolve("out");
        FakeRunner ok = new FakeRunner(-1);
        AtomicInteger n = new AtomicInteger();
        PointRunner stopsAtTheFourth = (c, d) -> {
            if (n.incrementAndGet() >= 4) {
                io.dojosim.core.engine.SimulationInterrupted.request();
                throw new io.dojosim.core.engine.SimulationInterrupted(123);
            }
            return ok.run(c, d);
        };
        try {
            SweepExecutor.Outcome o = SweepExecutorTest.run(plan, out, stopsAtTheFourth, 1, new StringWriter());
            long finished = o.records().stream().filter(r -> r != null && r.finished()).count();
            assertEquals(3, finished);
            List<String> csv = Files.readAllLines(out.resolve("results.csv"));
            assertEquals(9, csv.size());
            assertEquals(3, csv.stream().filter(l -> l.contains(",ok,")).count());
            assertEquals(5, csv.stream().filter(l -> l.contains(",missing,")).count());
        } finally {
            io.dojosim.core.engine.SimulationInterrupted.clear();
        }
        FakeRunner rest = new FakeRunner(-1);
        SweepExecutor.Outcome resumed = SweepExecutorTest.run(plan, out, rest, 2, new StringWriter());
        assertEquals(3, resumed.skipped());
        assertEquals(5, rest.ran.size());
        assertTrue(resumed.records().stream().allMatch(r -> r != null && r.status().equals(PointRecord.OK)), Map.of().toString());
    }
}
