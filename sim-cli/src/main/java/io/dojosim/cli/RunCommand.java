package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.energy.EnergyBlock;
import io.dojosim.pod.step.StepSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dojosim run}: simulates training steps of a workload on the configured system and
 * reports throughput, latency and utilization. With no arguments: one step of the default
 * workload on the full ExaPOD.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate training steps of a workload on the configured Dojo system.",
                "Without options: one step of the default workload (run.workload) on the full ExaPOD."})
public final class RunCommand extends SimulatingCommand {
    @Option(names = {"-w", "--workload"}, paramLabel = "WORKLOAD",
            description = "Built-in name (dojosim workload list), a workload YAML/JSON, a Chakra .et file or prefix, or an ASTRA-sim .txt (same as --set run.workload=...).")
    String workload;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Write summary.json, stats.json and resolved-config.yaml here.")
    Path outDir;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps to simulate (same as --set run.steps=N).")
    Integer steps;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a timeline for ui.perfetto.dev: FILE.pftrace is native Perfetto protobuf (streamed, no event cap), any other name Chrome JSON (capped at 1 M events, sampled beyond).")
    Path trace;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary to this file.")
    Path json;

    @Option(names = "--cross-check", description = "Simulate the step again with each coarse model at its next finer fidelity (compute at cycle level, chip 0's traffic and the step's largest collective on a packet mesh) and report each headline figure as value +- the measured difference (summary.json crossCheck).")
    boolean crossCheck;

    @Override
    public Integer call() {
        if (workload != null) config.addOverride("run.workload", workload);
        if (steps != null) config.addOverride("run.steps", steps);
        if (json != null) io.dojosim.cli.files.RunFolder.checkFile(json, "--json");
        ResolvedConfig c = config.resolve();
        RunService.RunResult r;
        try (io.dojosim.core.engine.Workers workers = threadsOption.workers(ThreadsOption.stepGain(c)); ProgressLine progress = ProgressLine.start(spec)) {
            r = RunService.run(c, outDir, trace, workers, crossCheck);
        } catch (io.dojosim.core.engine.SimulationInterrupted e) {
            return interrupted(c, e);
        }
        if (json != null) {
            Output.writeJson(json, r.summary());
        }
        print(spec.commandLine().getOut(), r.result(), r.networkModel(), r.crossCheck(), r.host());
        return ExitCodes.OK;
    }

    /** Ctrl-C: writes the resolved config and a summary marked incomplete into the folder, says so, exit 130. */
    private int interrupted(ResolvedConfig c, io.dojosim.core.engine.SimulationInterrupted e) {
        PrintWriter err = spec.commandLine().getErr();
        if (outDir != null) {
            Map<String, Object> partial = new java.util.LinkedHashMap<>();
            partial.put("complete", false);
            partial.put("interruptedAtSimulatedSeconds", e.nowPs() / 1e12);
            partial.put("workload", c.getString("run.workload"));
            partial.put("steps", c.getInt("run.steps"));
            io.dojosim.cli.files.RunFolder.commit(outDir, tmp -> {
                Output.writeText(tmp.resolve("resolved-config.yaml"), Output.resolvedConfigYaml(c));
                Output.writeJson(tmp.resolve("summary.json"), partial);
            });
            err.printf(Locale.ROOT, "interrupted at simulated time %s: wrote %s and %s, marked \"complete\": false (no statistics: the step did not finish)%n",
                    fmtTime(e.nowPs() / 1e12), outDir.resolve("summary.json"), outDir.resolve("resolved-config.yaml"));
        } else {
            err.printf(Locale.ROOT, "interrupted at simulated time %s: nothing to write (no -o)%n", fmtTime(e.nowPs() / 1e12));
        }
        err.flush();
        return ExitCodes.INTERRUPTED;
    }

    /** Prints a run's summary and, when given, the host's figures ({@link RunService.RunResult#host()}). */
    static void print(PrintWriter out, StepSummary s, io.dojosim.pod.check.NetworkModelReport networkModel,
                      io.dojosim.pod.check.CrossCheck.Result crossCheck, Map<String, Object> host) {
        StepSummary.Workload w = s.workload();
        StepSummary.SystemInfo sys = s.system();
        StepSummary.PlanInfo plan = s.plan();
        if (w.globalBatch() != null) {
            out.printf(Locale.ROOT, "workload   %s (%s), %s, global batch %,d (%s), %s per replica%n", w.name(), w.source(), w.dataType(),
                    w.globalBatch().samples(), w.globalBatch().source(), w.batchPerReplica());
        } else {
            out.printf(Locale.ROOT, "workload   %s (%s), %s, batch %s per replica%n", w.name(), w.source(), w.dataType(), w.batchPerReplica());
        }
        out.printf(Locale.ROOT, "system     %s: %s tiles, %s chips, %,d nodes, peak %.1f TFLOPS%n", sys.scope(), sys.tiles(),
                sys.chips(), sys.nodes(), sys.peakTflops());
        int stages = plan.pipelineStages();
        StepSummary.RankPlacement rp = w.rankPlacement();
        boolean rankNodes = rp != null && rp.nodesPerRank() > 0;
        String pipeline = "ranks".equals(plan.pipelineSchedule()) ? String.format(Locale.ROOT, " = %s ranks x %s %s", stages,
                rankNodes ? rp.nodesPerRank() : plan.stageChips(), rankNodes ? "nodes" : "chips")
                : stages > 1 || plan.microBatches() > 1
                ? String.format(Locale.ROOT, " = %s stages x %s chips, %s micro-batches (%s)", stages, plan.stageChips(),
                plan.microBatches(), plan.pipelineSchedule()) : "";
        out.printf(Locale.ROOT, "plan       %s replicas x %s chips%s (%s idle chips); %s%n", plan.dataParallel(), plan.replicaChips(),
                pipeline, plan.idleChips(), plan.reason());
        StepSummary.Region region = s.region();
        if (region != null) {
            out.printf(Locale.ROOT, "region     %s: %s transfers crossed a chip mesh, %s stayed on one, %s mesh messages; mesh links %.1f %% mean, %.1f %% max%n",
                    region.fidelity(), region.crossingTransfers(), region.meshTransfers(), region.meshMessages(),
                    100 * region.meshLinkMeanUtilization(), 100 * region.meshLinkMaxUtilization());
        }
        if (s.operations().trace() != null) {
            out.printf(Locale.ROOT, "trace      %s%n", s.operations().trace().summary());
        }
        if (w.rankNote() != null) {
            out.printf(Locale.ROOT, "note       %s%n", w.rankNote());
        }
        for (String warning : w.warnings()) {
            out.printf(Locale.ROOT, "warning    %s%n", warning);
        }
        out.println();
        row(out, "step time", fmtTime(s.stepTimeSeconds()));
        row(out, "samples/s", String.format(Locale.ROOT, "%,.1f", s.samplesPerSecond()));
        if (s.tokensPerSecond() > 0) {
            row(out, "tokens/s", String.format(Locale.ROOT, "%,.0f", s.tokensPerSecond()));
        }
        row(out, "achieved", String.format(Locale.ROOT, "%,.1f TFLOPS of %,.1f (MFU %.1f %%)", s.achievedTflops(),
                s.peakTflops(), 100 * s.mfu()));
        row(out, "modeled FLOPs", String.format(Locale.ROOT, "%.4g per step", s.modeledFlops()));
        row(out, "compute", fmtTime(s.computeSeconds()) + computeModelNote(s.computeModel()));
        if (s.computeModel() != null) {
            row(out, "  error band", s.computeModel().errorBand());
        }
        row(out, "communication", fmtTime(s.communicationSeconds()) + " (exposed " + fmtTime(s.exposedCommunicationSeconds()) + ")");
        if (networkModel != null) {
            row(out, "  error band", networkModel.chipFidelity() + " " + networkModel.errorBand());
        }
        row(out, "HBM streaming", fmtTime(s.memorySeconds()));
        EnergyBlock en = s.energy();
        if (en != null) { // docs/model/energy.md
            EnergyBlock.Watts watts = en.averageWatts();
            row(out, "energy", String.format(Locale.ROOT, "%.4g J per step, %.4g kW average (%.4g kW per tile, %.1f W per chip)",
                    en.joulesPerStep(), watts.system() / 1e3, watts.perTile() / 1e3, watts.perChip()));
            EnergyBlock.Peak pk = en.peakWatts();
            if (pk != null) {
                row(out, "peak power", String.format(Locale.ROOT, "%.4g kW (%.4g kW per tile, %.1f W per chip)",
                        pk.system() / 1e3, pk.perTile() / 1e3, pk.perChip()));
            }
            row(out, "efficiency", String.format(Locale.ROOT, "%.4g samples/J, %.1f GFLOPS/W", en.samplesPerJoule(), en.gflopsPerWatt()));
            EnergyBlock.PowerCap cap = en.powerCap();
            if (cap != null && cap.throttled()) {
                row(out, "power cap", String.format(Locale.ROOT, "%.4g kW per tile: clock %.3f GHz (was %.3f GHz at %.4g kW)",
                        cap.tileCapWatts() / 1e3, cap.clockHz() / 1e9, cap.unthrottledClockHz() / 1e9, cap.unthrottledTileWatts() / 1e3));
            }
        }
        out.println();
        out.println("time by operation type");
        for (Map.Entry<String, Double> e : s.timeByOpType().entrySet()) {
            row(out, "  " + e.getKey(), fmtTime(e.getValue()));
        }
        out.println("utilization");
        for (Map.Entry<String, Double> e : ResultJson.utilization(s.utilization()).entrySet()) {
            row(out, "  " + e.getKey(), String.format(Locale.ROOT, "%.1f %%", 100 * e.getValue()));
        }
        StepSummary.MessageLatency lat = s.messageLatency();
        out.println("message latency");
        row(out, "  p50 / p99 / max", fmtTime(lat.p50Seconds()) + " / " + fmtTime(lat.p99Seconds())
                + " / " + fmtTime(lat.maxSeconds()) + " (" + lat.count() + " messages)");
        if (crossCheck != null) {
            printCrossCheck(out, crossCheck);
        }
        if (host != null) {
            out.printf(Locale.ROOT, "%nsimulated in %.2f s wall (%,.0f events/s) on %s thread(s)", number(host.get("wallSeconds")),
                    number(host.get("eventsPerSecond")), host.get("threads"));
            if (host.get("parallel") instanceof Map<?, ?> par && number(par.get("parallelWindows")) > 0) {
                out.printf(Locale.ROOT, ", %s split window(s), barrier wait %s ms", par.get("parallelWindows"), par.get("barrierWaitMs"));
            }
            out.printf(Locale.ROOT, "%n");
        }
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0.0;
    }

    /** The crossCheck block: each finer re-simulation, then each headline figure as value +- band. */
    static void printCrossCheck(PrintWriter out, io.dojosim.pod.check.CrossCheck.Result cc) {
        out.println("cross-check (each model at its next finer fidelity, same plan)");
        for (io.dojosim.pod.check.CrossCheck.Check c : cc.checks()) {
            Double step = c.figures().get("stepTimeSeconds");
            row(out, "  " + c.model(), String.format(Locale.ROOT, "%s -> %s: step time %s (%.2f s wall)", c.from(), c.to(),
                    step != null ? fmtTime(step) : "-", c.wallSeconds()));
        }
        for (String o : cc.skipped()) {
            row(out, "  not checked", o);
        }
        for (io.dojosim.pod.check.CrossCheck.Figure f : cc.figures()) {
            double v = f.value();
            double b = f.band();
            boolean seconds = f.key().endsWith("Seconds");
            row(out, "  " + f.key(), seconds ? String.format(Locale.ROOT, "%s +- %s (%.1f %%)", fmtTime(v), fmtTime(b), 100 * f.relativeBand())
                    : String.format(Locale.ROOT, "%.4g +- %.2g (%.1f %%)", v, b, 100 * f.relativeBand()));
        }
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf(Locale.ROOT, "  %-22s %s%n", label, value);
    }

    static String fmtTime(double seconds) {
        double a = Math.abs(seconds);
        if (a >= 1) return String.format(Locale.ROOT, "%.3f s", seconds);
        if (a >= 1e-3) return String.format(Locale.ROOT, "%.3f ms", seconds * 1e3);
        if (a >= 1e-6) return String.format(Locale.ROOT, "%.3f us", seconds * 1e6);
        return String.format(Locale.ROOT, "%.1f ns", seconds * 1e9);
    }

    /** @return " (calibrated: 40 chip shares from the table, 2 scaled, ...)", or "" when the summary has no computeModel */
    static String computeModelNote(StepSummary.ComputeModel cm) {
        if (cm == null) return "";
        StringBuilder sb = new StringBuilder(" (").append(cm.fidelity());
        StepSummary.Calibration c = cm.calibration();
        if (c != null) {
            sb.append(": ").append(c.sharesFromTable()).append(" chip shares from the table, ").append(c.sharesScaledFromNearest())
                    .append(" scaled, ").append(c.sharesSimulated()).append(" simulated, ")
                    .append(c.sharesAtRoofline()).append(" at roofline");
            if (c.sharesScaledFromDefaultMachine() > 0) {
                sb.append(", ").append(c.sharesScaledFromDefaultMachine()).append(" scaled from the default machine");
            }
        }
        return sb.append(')').toString();
    }
}
