package io.dojosim.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed with SIGKILL (destroyForcibly) in the middle of points and started again: every
 * point appears exactly once, points finished before the kill do not run again, the points cut
 * short run again, and the tables equal those of a sweep that was never interrupted.
 */
class SweepKillTest {
    @TempDir
    Path dir;

    @Test
    void killedSweepResumesWithEveryPointExactlyOnce() throws Exception {
        SweepPlan plan = SweepExecutorTest.plan(dir, SweepExecutorTest.SPEC);
        Path spec = dir.resolve("spec.yaml");

        // The reference: the same sweep, never interrupted.
        SweepExecutorTest.run(plan, dir.resolve("ref"), new FakeRunner(-1), 2, new StringWriter());

        // The child finishes points 0-2 and hangs in points 3 and 4 (two workers) until it is killed.
        Path out = dir.resolve("out");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowSweepMain.class.getName(),
                spec.toString(), out.toString(), log.toString(), "3", "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(finished(out, plan).size() == 3 && started(log).size() == 5)) {
                if (!child.isAlive()) {
                    fail("the child sweep ended early (exit " + child.exitValue() + "): " + Files.readString(dir.resolve("child.out")));
                }
                if (System.nanoTime() > deadline) {
                    fail("the child sweep did not reach points 3 and 4 within 60 s: " + Files.readString(dir.resolve("child.out")));
                }
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        Set<String> doneBefore = finished(out, plan);
        List<String> ids = SweepExecutorTest.ids(plan);
        assertEquals(new HashSet<>(ids.subList(0, 3)), doneBefore);
        assertTrue(Files.exists(out.resolve("points").resolve(ids.get(3)).resolve("stats.json")), "point 3 was cut short mid-run");
        assertFalse(Files.exists(out.resolve("points").resolve(ids.get(3)).resolve("point.json")));

        // Started again (the OS released the dead process's lock): only the unfinished points run.
        FakeRunner r = new FakeRunner(-1);
        SweepExecutor.Outcome o = SweepExecutorTest.run(plan, out, r, 2, new StringWriter());
        assertEquals(3, o.skipped());
        assertEquals(5, o.ran());
        List<String> ranAgain = new ArrayList<>(r.ran);
        assertEquals(5, ranAgain.size(), "each unfinished point runs once");
        assertEquals(new HashSet<>(ids.subList(3, 8)), new HashSet<>(ranAgain));

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(9, csv.size());
        for (int i = 0; i < 8; i++) {
            assertTrue(csv.get(i + 1).startsWith(i + "," + ids.get(i) + ",ok,"), csv.get(i + 1));
        }
        assertEquals(Files.readString(dir.resolve("ref/results.csv")), Files.readString(out.resolve("results.csv")));
        assertEquals(Files.readString(dir.resolve("ref/results.jsonl")), Files.readString(out.resolve("results.jsonl")));
        for (String id : ids) {
            assertEquals(Files.readString(dir.resolve("ref/points").resolve(id).resolve("point.json")),
                    Files.readString(out.resolve("points").resolve(id).resolve("point.json")), id);
        }
    }

    private static Set<String> finished(Path out, SweepPlan plan) {
        Set<String> s = new HashSet<>();
        for (SweepPoint p : plan.points()) {
            if (Files.isRegularFile(out.resolve("points").resolve(p.id()).resolve("point.json"))) {
                s.add(p.id());
            }
        }
        return s;
    }

    private static Set<String> started(Path log) throws java.io.IOException {
        Set<String> s = new HashSet<>();
        if (Files.exists(log)) {
            for (String l : Files.readAllLines(log)) {
                if (l.startsWith("start ")) {
                    s.add(l.substring(6));
                }
            }
        }
        return s;
    }
}
