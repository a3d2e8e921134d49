package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.pod.scenario.StepScenario;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.pod.step.StepSummary;
import io.dojosim.workload.Workload;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main job as a library call: resolve the workload, run the training steps, add the host
 * measurements and write {@code summary.json}, {@code stats.json}, {@code heatmaps.json},
 * {@code timeline.json} and {@code resolved-config.yaml} into the output directory (when one is given). Sweeps call this once per point. The output places
 * are checked before anything is simulated, and the folder is written whole or not at all
 * ({@link io.dojosim.cli.files.RunFolder}).
 */
public final class RunService {
    /**
     * What a run produced.
     *
     * @param result       the typed summary (without {@code host})
     * @param networkModel the on-chip network model used and its validated band (summary.json {@code networkModel})
     * @param crossCheck   the finer re-simulations and each headline figure's band, or null without {@code --cross-check}
     * @param host    the host's measurements (wall time, events, threads, heap, versions)
     * @param summary the summary.json document the versioned mapper wrote ({@link ResultJson#step}), with {@code host}
     * @param stats   the statistics tree (stats.json)
     */
    public record RunResult(StepSummary result, io.dojosim.pod.check.NetworkModelReport networkModel,
                            io.dojosim.pod.check.CrossCheck.Result crossCheck, Map<String, Object> host, Map<String, Object> summary, Map<String, Object> stats) {
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
        StepScenario.Request request;
        if (atBatch != null && io.dojosim.pod.step.PlanSearch.applies(spec)) { // the scenario searches the plan
            io.dojosim.workload.gen.Generators.Info info = WorkloadResolver.info(config);
            request = new StepScenario.Request(null, atBatch, info.globalBatch(), info.globalBatchSource(), null);
        } else {
            request = new StepScenario.Request(WorkloadResolver.resolve(config), atBatch, 0, null, null);
        }
        StepScenario.Result run;
        if (traceFile != null) {
            // .pftrace: native Perfetto protobuf, streamed, no cap; otherwise Chrome JSON (capped, sampled beyond)
            try (io.dojosim.cli.trace.TimelineWriter tw = io.dojosim.cli.trace.TimelineWriter.open(traceFile, io.dojosim.cli.trace.TraceWriter.DEFAULT_MAX_EVENTS)) {
                io.dojosim.cli.trace.StepTimeline[] timeline = new io.dojosim.cli.trace.StepTimeline[1];
                run = StepScenario.run(spec, new StepScenario.Request(request.workload(), request.atBatch(), request.referenceBatch(),
                        request.referenceSource(), w -> timeline[0] = new io.dojosim.cli.trace.StepTimeline(tw, "replica[0] (" + w.metadata().name() + ")")),
                        workers);
                Map<String, Object> tree = ResultJson.step(run.report().summary());
                timeline[0].finish(run.report().summary(), tree); // measured counter histories per chip, tile and system, and the power track
            }
        } else {
            run = StepScenario.run(spec, request, workers);
        }
        if (run.search() != null) {
            config = io.dojosim.pod.bind.SpecBinder.fixPlan(config, run.search().chosen().candidate(), run.search().globalBatch());
        }
        StepRunner.Report report = run.report();
        StepSummary result = run.summary();
        double wall = (System.nanoTime() - t0) / 1e9;
        io.dojosim.pod.check.NetworkModelReport networkModel = io.dojosim.pod.check.NetworkModelReport.of(
                spec.coarse().chipFidelity().name().toLowerCase(java.util.Locale.ROOT));
        io.dojosim.pod.check.CrossCheck.Result cross = crossCheck
                ? io.dojosim.pod.check.CrossCheck.run(io.dojosim.pod.bind.CrossCheckBinding.bind(config), run.workload(), result, workers) : null;
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
        Map<String, Object> summary = ResultJson.step(result);
        summary.put("networkModel", ResultJson.networkModel(networkModel));
        if (cross != null) summary.put("crossCheck", ResultJson.crossCheck(cross));
        summary.put("host", host);
        if (outDir != null) {
            ResolvedConfig resolved = config;
            io.dojosim.cli.files.RunFolder.commit(outDir, tmp -> {
                Output.writeText(tmp.resolve("resolved-config.yaml"), Output.resolvedConfigYaml(resolved));
                Output.writeJson(tmp.resolve("stats.json"), report.stats().tree());
                Output.writeJson(tmp.resolve("heatmaps.json"), ResultJson.heatmaps(report.heatmaps()));
                if (report.timeline() != null) Output.writeJson(tmp.resolve("timeline.json"), ResultJson.timeline(report.timeline()));
                Output.writeJson(tmp.resolve("summary.json"), summary);
            });
        }
        return new RunResult(result, networkModel, cross, host, summary, report.stats().tree());
    }
}
