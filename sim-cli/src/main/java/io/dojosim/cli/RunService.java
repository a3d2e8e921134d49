package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.workload.Workload;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main job as a library call: resolve the workload, run the training steps, add the host
 * measurements and write {@code summary.json}, {@code stats.json} and {@code resolved-config.yaml}
 * into the output directory (when one is given). Sweeps call this once per point. The output places
 * are checked before anything is simulated, and the folder is written whole or not at all
 * ({@link io.dojosim.cli.files.RunFolder}).
 */
public final class RunService {
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
        return run(config, outDir, traceFile, Workers.single());
    }

    /**
     * As {@link #run(ResolvedConfig, Path, Path)} with host threads for the parts of the model that
     * split their work over them; the simulated results are the same for every team.
     */
    public static RunResult run(ResolvedConfig config, Path outDir, Path traceFile, Workers workers) {
        return run(config, outDir, traceFile, workers, false);
    }

    /**
     * As {@link #run(ResolvedConfig, Path, Path, Workers)}; with {@code crossCheck} the step is
     * simulated again with each coarse model at its next finer fidelity and summary.json gets a
     * {@code crossCheck} block ({@link io.dojosim.pod.check.CrossCheck}).
     */
    public static RunResult run(ResolvedConfig config, Path outDir, Path traceFile, Workers workers, boolean crossCheck) {
        long t0 = System.nanoTime();
        if (outDir != null) io.dojosim.cli.files.RunFolder.checkDir(outDir, "-o");
        if (traceFile != null) io.dojosim.cli.files.RunFolder.checkFile(traceFile, "--trace");
        io.dojosim.pod.spec.SystemSpec spec = SystemChecks.bind(config);
        java.util.function.LongFunction<Workload> atBatch = WorkloadResolver.atBatch(config);
        io.dojosim.pod.step.PlanSearch.Result search = null;
        Workload w;
        if (atBatch != null && io.dojosim.pod.step.PlanSearch.applies(spec)) {
            io.dojosim.workload.gen.Generators.Info info = WorkloadResolver.info(config);
            search = io.dojosim.pod.step.PlanSearch.search(spec, atBatch, info.globalBatch(), info.globalBatchSource(), workers);
            spec = search.chosenSpec();
            config = io.dojosim.pod.bind.SpecBinder.fixPlan(config, search.chosen().candidate(), search.globalBatch());
            w = search.chosenWorkload();
        } else {
            w = WorkloadResolver.resolve(config);
        }
        StepRunner.Report report;
        if (search != null && traceFile == null) {
            report = search.chosenReport();
        } else if (traceFile != null) {
            // .pftrace: native Perfetto protobuf, streamed, no cap; otherwise Chrome JSON (capped, sampled beyond)
            try (io.dojosim.cli.trace.TimelineWriter tw = io.dojosim.cli.trace.TimelineWriter.open(traceFile, io.dojosim.cli.trace.TraceWriter.DEFAULT_MAX_EVENTS)) {
                io.dojosim.cli.trace.StepTimeline timeline = new io.dojosim.cli.trace.StepTimeline(tw, "replica[0] (" + w.metadata().name() + ")");
                report = StepRunner.run(spec, w, timeline, workers);
                timeline.powerTrack(report.summary()); // counter track "power (W)" (docs/model/energy.md)
                timeline.utilizationTracks(report.summary()); // counter tracks "link utilization", "HBM utilization"
            }
        } else {
            report = StepRunner.run(spec, w, StepExecutor.TimelineSink.NONE, workers);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> summary;
        if (search != null) {
            summary = io.dojosim.pod.step.PlanSearch.annotate(report.summary(), search, 10);
        } else if (spec.run().globalBatch() > 0 && atBatch == null) {
            // a trace did what it recorded: the key tells its samples per step, when the batch
            // inferred from its shapes is not the one its ranks ran
            summary = io.dojosim.pod.step.PlanSearch.traceBatch(report.summary(), spec.run().globalBatch());
        } else if (spec.run().globalBatch() > 0) {
            summary = io.dojosim.pod.step.PlanSearch.globalBatch(report.summary(), spec.run().globalBatch(), "run.globalBatch");
        } else {
            summary = new LinkedHashMap<>(report.summary());
        }
        if (summary.get("energy") instanceof Map<?, ?> en) { // samples and FLOPs per step may have been restated (global batch padding)
            @SuppressWarnings("unchecked")
            Map<String, Object> energy = new LinkedHashMap<>((Map<String, Object>) en);
            io.dojosim.pod.energy.StepEnergy.finish(energy, ((Number) ((Map<?, ?>) summary.get("workload")).get("samplesPerStep")).longValue(),
                    ((Number) summary.get("modeledFlops")).doubleValue());
            summary.put("energy", energy);
        }
        summary.put("networkModel", io.dojosim.pod.check.NetworkModelReport.of(config.getString("pod.coarse.chipFidelity")));
        if (crossCheck) {
            summary.put("crossCheck", io.dojosim.pod.check.CrossCheck.run(io.dojosim.pod.bind.CrossCheckBinding.bind(config), w, summary, workers).toMap());
        }
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("wallSeconds", wall);
        host.put("events", report.events());
        host.put("eventsPerSecond", report.events() / Math.max(wall, 1e-9));
        Map<String, Object> parallel = ThreadsOption.report(workers, "workItems");
        host.put("threads", parallel.remove("threads"));
        host.put("parallel", parallel);
        Runtime rt = Runtime.getRuntime();
        host.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        host.put("maxHeapBytes", rt.maxMemory());
        host.put("javaVersion", System.getProperty("java.version"));
        host.put("dojosimVersion", VersionCommand.version());
        summary.put("host", host);
        if (outDir != null) {
            ResolvedConfig resolved = config;
            io.dojosim.cli.files.RunFolder.commit(outDir, tmp -> {
                Output.writeText(tmp.resolve("resolved-config.yaml"), Output.resolvedConfigYaml(resolved));
                Output.writeJson(tmp.resolve("stats.json"), report.stats());
                Output.writeJson(tmp.resolve("heatmaps.json"), Map.of("heatmaps", report.heatmaps()));
                Output.writeJson(tmp.resolve("summary.json"), summary);
            });
        }
        return new RunResult(summary, report.stats());
    }
}
