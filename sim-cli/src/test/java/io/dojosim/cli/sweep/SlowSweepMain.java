package io.dojosim.cli.sweep;

import io.dojosim.cli.files.JsonFiles;
import io.dojosim.cli.Catalog;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The child process of {@link SweepKillTest}: runs a sweep whose runner writes part of its run
 * files, logs the start, and then either finishes or (for points at or after {@code hangFrom})
 * waits until the test kills the process.
 *
 * <p>Arguments: SPEC OUT_DIR LOG hangFrom jobs.
 */
public final class SlowSweepMain {
    private SlowSweepMain() {
    }

    public static void main(String[] args) throws Exception {
        Path spec = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path log = Path.of(args[2]);
        int hangFrom = Integer.parseInt(args[3]);
        int jobs = Integer.parseInt(args[4]);
        SweepPlan plan = SweepPlanner.plan(SweepSpecParser.parse(spec), Catalog.get().defaults(), c -> { });
        PointRunner r = (c, d) -> {
            String id = d.getFileName().toString();
            synchronized (SlowSweepMain.class) {
                Files.writeString(log, "start " + id + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            Map<String, Object> sum = FakeRunner.summary(c);
            Files.writeString(d.resolve("stats.json"), "{\"partial\": true}\n");
            if (Integer.parseInt(id.substring(1, 5)) >= hangFrom) {
                Thread.sleep(600_000);
            }
            JsonFiles.writeJson(d.resolve("summary.json"), sum);
            return sum;
        };
        try (SweepStore store = new SweepStore(out)) {
            store.lock();
            SweepExecutor.run(plan, store, r, jobs, (t, dn, j) -> new Progress(new PrintWriter(System.err, true), false, t, dn, j));
        }
    }
}
