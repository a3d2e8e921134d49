package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.workload.Workload;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main job as a library call: resolve the workload, run the training steps, add the host
 * measurements and write {@code summary.json}, {@code stats.json} and {@code resolved-config.yaml}
 * into the output directory (when one is given). Sweeps call this once per point.
 */
public final class RunService {
    /**
     * A timeline with one process lane for the representative replica and a thread lane per class
     * of work (compute, communication, HBM, host): every chip of the replica's region runs the same
     * operations in lockstep, so one lane per class shows them all.
     */
    private static StepExecutor.TimelineSink timeline(io.dojosim.cli.trace.TraceWriter tw, Workload w) {
        int pid = tw.process("replica[0] (" + w.metadata().name() + ")");
        int[] lanes = new int[StepExecutor.Kind.values().length];
        for (StepExecutor.Kind k : StepExecutor.Kind.values()) {
            lanes[k.ordinal()] = tw.thread(pid, k.name().toLowerCase(java.util.Locale.ROOT));
        }
        tw.metadata("workload", w.metadata().name());
        return (op, kind, startPs, endPs) -> {
            if (kind != StepExecutor.Kind.MARKER && endPs > startPs) {
                tw.complete(pid, lanes[kind.ordinal()], op.name(), op.type().name().toLowerCase(java.util.Locale.ROOT), startPs, endPs - startPs);
            }
        };
    }

    /** The summary (with {@code host}) and the statistics tree of a run. */
    public record RunResult(Map<String, Object> summary, Map<String, Object> stats) {
    }

    private RunService() {
    }

    /**
     * @param config    the resolved configuration (its {@code run.*} keys say what to run)
     * @param outDir    directory for the result files, or null for none
     * @param traceFile Chrome/Perfetto trace file to write, or null
     */
    public static RunResult run(ResolvedConfig config, Path outDir, Path traceFile) {
        long t0 = System.nanoTime();
        SystemChecks.check(config);
        Workload w = WorkloadResolver.resolve(config);
        StepRunner.Report report;
        if (traceFile != null) {
            try (io.dojosim.cli.trace.TraceWriter tw = io.dojosim.cli.trace.TraceWriter.open(traceFile, io.dojosim.cli.trace.TraceWriter.DEFAULT_MAX_EVENTS)) {
                report = StepRunner.run(config, w, timeline(tw, w));
            }
        } else {
            report = StepRunner.run(config, w, StepExecutor.TimelineSink.NONE);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> summary = new LinkedHashMap<>(report.summary());
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("wallSeconds", wall);
        host.put("events", report.events());
        host.put("eventsPerSecond", report.events() / Math.max(wall, 1e-9));
        host.put("threads", 1);
        Runtime rt = Runtime.getRuntime();
        host.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        host.put("maxHeapBytes", rt.maxMemory());
        host.put("javaVersion", System.getProperty("java.version"));
        host.put("dojosimVersion", VersionCommand.version());
        summary.put("host", host);
        if (outDir != null) {
            Output.writeText(outDir.resolve("resolved-config.yaml"), Output.resolvedConfigYaml(config));
            Output.writeJson(outDir.resolve("stats.json"), report.stats());
            Output.writeJson(outDir.resolve("heatmaps.json"), Map.of("heatmaps", report.heatmaps()));
            Output.writeJson(outDir.resolve("summary.json"), summary);
        }
        return new RunResult(summary, report.stats());
    }
}
