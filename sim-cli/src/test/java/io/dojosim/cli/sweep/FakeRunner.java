package io.dojosim.cli.sweep;

import io.dojosim.cli.files.JsonFiles;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A point runner for tests: a closed-form "model" of the config, so every expected number can be
 * computed by hand. stepTimeSeconds = 4e9 / (clockHz * threads); achievedTflops = 1 / stepTime;
 * utilization.meshLinks = threads / 16; modeledFlops = 10^15. A host section with the wall clock
 * checks that host values never reach the tables. threads == failThreads fails with bad input.
 */
public final class FakeRunner implements PointRunner {
    final ConcurrentLinkedQueue<String> ran = new ConcurrentLinkedQueue<>();
    final int failThreads;

    public FakeRunner(int failThreads) {
        this.failThreads = failThreads;
    }

    static Map<String, Object> summary(ResolvedConfig c) {
        String workload = c.getString("run.workload");
        int steps = c.getInt("run.steps");
        long clock = c.getLong("d1.node.clockHz");
        int threads = c.getInt("d1.node.threads");
        double step = 4e9 / ((double) clock * threads);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schemaVersion", 1);
        s.put("workload", Map.of("name", workload));
        s.put("steps", steps);
        s.put("stepTimeSeconds", step);
        s.put("modeledFlops", 1_000_000_000_000_000L);
        s.put("achievedTflops", 1.0 / step);
        s.put("utilization", Map.of("meshLinks", threads / 16.0));
        s.put("messageLatency", Map.of("p99", List.of(1, 2)));
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("wallSeconds", System.nanoTime() / 1e9);
        s.put("host", host);
        return s;
    }

    @Override
    public Map<String, Object> run(ResolvedConfig c, Path dir) {
        String workload = c.getString("run.workload");
        ran.add(dir.getFileName().toString());
        if (c.getInt("d1.node.threads") == failThreads) {
            throw new ConfigException("workload '" + workload + "' does not fit " + failThreads + " threads");
        }
        Map<String, Object> s = summary(c);
        JsonFiles.writeJson(dir.resolve("summary.json"), s);
        return s;
    }
}
