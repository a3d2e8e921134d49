package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dojosim run}: simulates training steps of a workload on the configured system and
 * reports throughput, latency and utilization. With no arguments: one step of the default
 * workload on the full ExaPOD.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate training steps of a workload on the configured Dojo system.",
                "Without options: one step of the default workload (run.workload) on the full ExaPOD."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    ThreadsOption threadsOption = new ThreadsOption();

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

    @Option(names = "--cross-check", description = "Simulate the step again with each coarse model at its next finer fidelity (compute at cycle level, chip 0's traffic on a packet mesh) and report each headline figure as value +- the measured difference (summary.json crossCheck).")
    boolean crossCheck;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (workload != null) config.addOverride("run.workload", workload);
        if (steps != null) config.addOverride("run.steps", steps);
        if (json != null) io.dojosim.cli.files.RunFolder.checkFile(json, "--json");
        ResolvedConfig c = config.resolve();
        RunService.RunResult r;
        try (io.dojosim.core.engine.Workers workers = threadsOption.workers(); ProgressLine progress = ProgressLine.start(spec)) {
            r = RunService.run(c, outDir, trace, workers, crossCheck);
        } catch (io.dojosim.core.engine.SimulationInterrupted e) {
            return interrupted(c, e);
        }
        if (json != null) {
            Output.writeJson(json, r.summary());
        }
        print(spec.commandLine().getOut(), r.summary());
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

    @SuppressWarnings("unchecked")
    static void print(PrintWriter out, Map<String, Object> s) {
        Map<String, Object> w = (Map<String, Object>) s.get("workload");
        Map<String, Object> sys = (Map<String, Object>) s.get("system");
        Map<String, Object> plan = (Map<String, Object>) s.get("plan");
        if (w.get("globalBatch") != null) {
            out.printf(Locale.ROOT, "workload   %s (%s), %s, global batch %,d (%s), %s per replica%n", w.get("name"), w.get("source"), w.get("dataType"),
                    ((Number) w.get("globalBatch")).longValue(), w.get("globalBatchSource"), w.get("batchPerReplica"));
        } else {
            out.printf(Locale.ROOT, "workload   %s (%s), %s, batch %s per replica%n", w.get("name"), w.get("source"), w.get("dataType"), w.get("batchPerReplica"));
        }
        out.printf(Locale.ROOT, "system     %s: %s tiles, %s chips, %,d nodes, peak %.1f TFLOPS%n", sys.get("scope"), sys.get("tiles"),
                sys.get("chips"), (Long) sys.get("nodes"), (Double) sys.get("peakTflops"));
        Object stages = plan.get("pipelineStages");
        Object rankNodes = w.get("rankPlacement") instanceof Map<?, ?> rp ? rp.get("nodesPerRank") : null;
        String pipeline = "ranks".equals(plan.get("pipelineSchedule")) ? String.format(Locale.ROOT, " = %s ranks x %s %s", stages,
                rankNodes != null ? rankNodes : plan.get("stageChips"), rankNodes != null ? "nodes" : "chips")
                : stages instanceof Integer && ((Integer) stages > 1 || (Integer) plan.get("microBatches") > 1)
                ? String.format(Locale.ROOT, " = %s stages x %s chips, %s micro-batches (%s)", stages, plan.get("stageChips"),
                plan.get("microBatches"), plan.get("pipelineSchedule")) : "";
        out.printf(Locale.ROOT, "plan       %s replicas x %s chips%s (%s idle chips); %s%n", plan.get("dataParallel"), plan.get("replicaChips"),
                pipeline, plan.get("idleChips"), plan.get("reason"));
        Map<String, Object> region = (Map<String, Object>) s.get("region");
        if (region != null) {
            out.printf(Locale.ROOT, "region     %s: %s transfers crossed a chip mesh, %s stayed on one, %s mesh messages; mesh links %.1f %% mean, %.1f %% max%n",
                    region.get("fidelity"), region.get("crossingTransfers"), region.get("meshTransfers"), region.get("meshMessages"),
                    100 * (Double) region.get("meshLinkMeanUtilization"), 100 * (Double) region.get("meshLinkMaxUtilization"));
        }
        Map<String, Object> traceOps = (Map<String, Object>) ((Map<String, Object>) s.get("operations")).get("trace");
        if (traceOps != null) {
            out.printf(Locale.ROOT, "trace      %s%n", traceOps.get("summary"));
        }
        if (w.get("rankNote") != null) {
            out.printf(Locale.ROOT, "note       %s%n", w.get("rankNote"));
        }
        if (w.get("warnings") instanceof java.util.List<?> warnings) {
            for (Object warning : warnings) {
                out.printf(Locale.ROOT, "warning    %s%n", warning);
            }
        }
        out.println();
        row(out, "step time", fmtTime((Double) s.get("stepTimeSeconds")));
        row(out, "samples/s", String.format(Locale.ROOT, "%,.1f", (Double) s.get("samplesPerSecond")));
        if ((Double) s.get("tokensPerSecond") > 0) {
            row(out, "tokens/s", String.format(Locale.ROOT, "%,.0f", (Double) s.get("tokensPerSecond")));
        }
        row(out, "achieved", String.format(Locale.ROOT, "%,.1f TFLOPS of %,.1f (MFU %.1f %%)", (Double) s.get("achievedTflops"),
                (Double) s.get("peakTflops"), 100 * (Double) s.get("mfu")));
        row(out, "modeled FLOPs", String.format(Locale.ROOT, "%.4g per step", (Double) s.get("modeledFlops")));
        row(out, "compute", fmtTime((Double) s.get("computeSeconds")) + computeModelNote(s.get("computeModel")));
        if (s.get("computeModel") instanceof Map<?, ?> cm) {
            row(out, "  error band", String.valueOf(cm.get("errorBand")));
        }
        row(out, "communication", fmtTime((Double) s.get("communicationSeconds")) + " (exposed " + fmtTime((Double) s.get("exposedCommunicationSeconds")) + ")");
        if (s.get("networkModel") instanceof Map<?, ?> nm) {
            row(out, "  error band", nm.get("chipFidelity") + " " + nm.get("errorBand"));
        }
        row(out, "HBM streaming", fmtTime((Double) s.get("memorySeconds")));
        if (s.get("energy") instanceof Map<?, ?> en) { // docs/model/energy.md
            Map<?, ?> watts = (Map<?, ?>) en.get("averageWatts");
            row(out, "energy", String.format(Locale.ROOT, "%.4g J per step, %.4g kW average (%.4g kW per tile, %.1f W per chip)",
                    ((Number) en.get("joulesPerStep")).doubleValue(), ((Number) watts.get("system")).doubleValue() / 1e3,
                    ((Number) watts.get("perTile")).doubleValue() / 1e3, ((Number) watts.get("perChip")).doubleValue()));
            row(out, "efficiency", String.format(Locale.ROOT, "%.4g samples/J, %.1f GFLOPS/W", ((Number) en.get("samplesPerJoule")).doubleValue(),
                    ((Number) en.get("gflopsPerWatt")).doubleValue()));
            if (en.get("powerCap") instanceof Map<?, ?> cap && Boolean.TRUE.equals(cap.get("throttled"))) {
                row(out, "power cap", String.format(Locale.ROOT, "%.4g kW per tile: clock %.3f GHz (was %.3f GHz at %.4g kW)",
                        ((Number) cap.get("tileCapWatts")).doubleValue() / 1e3, ((Number) cap.get("clockHz")).doubleValue() / 1e9,
                        ((Number) cap.get("unthrottledClockHz")).doubleValue() / 1e9, ((Number) cap.get("unthrottledTileWatts")).doubleValue() / 1e3));
            }
        }
        out.println();
        out.println("time by operation type");
        for (Map.Entry<String, Object> e : ((Map<String, Object>) s.get("timeByOpType")).entrySet()) {
            row(out, "  " + e.getKey(), fmtTime((Double) e.getValue()));
        }
        out.println("utilization");
        for (Map.Entry<String, Object> e : ((Map<String, Object>) s.get("utilization")).entrySet()) {
            row(out, "  " + e.getKey(), String.format(Locale.ROOT, "%.1f %%", 100 * (Double) e.getValue()));
        }
        Map<String, Object> lat = (Map<String, Object>) s.get("messageLatency");
        out.println("message latency");
        row(out, "  p50 / p99 / max", fmtTime((Double) lat.get("p50Seconds")) + " / " + fmtTime((Double) lat.get("p99Seconds"))
                + " / " + fmtTime((Double) lat.get("maxSeconds")) + " (" + lat.get("count") + " messages)");
        if (s.get("crossCheck") instanceof Map<?, ?> cc) {
            printCrossCheck(out, (Map<String, Object>) cc);
        }
        Map<String, Object> host = (Map<String, Object>) s.get("host");
        if (host != null) {
            out.printf(Locale.ROOT, "%nsimulated in %.2f s wall (%,.0f events/s) on %s thread(s)", (Double) host.get("wallSeconds"),
                    (Double) host.get("eventsPerSecond"), host.get("threads"));
            Map<String, Object> par = (Map<String, Object>) host.get("parallel");
            if (par != null && ((Number) par.get("parallelWindows")).longValue() > 0) {
                out.printf(Locale.ROOT, ", %s split window(s), barrier wait %s ms", par.get("parallelWindows"), par.get("barrierWaitMs"));
            }
            out.printf(Locale.ROOT, "%n");
        }
    }

    /** The crossCheck block: each finer re-simulation, then each headline figure as value +- band. */
    @SuppressWarnings("unchecked")
    static void printCrossCheck(PrintWriter out, Map<String, Object> cc) {
        out.println("cross-check (each model at its next finer fidelity, same plan)");
        for (Object o : (java.util.List<Object>) cc.get("checks")) {
            Map<String, Object> c = (Map<String, Object>) o;
            Map<String, Object> f = (Map<String, Object>) c.get("figures");
            row(out, "  " + c.get("model"), String.format(Locale.ROOT, "%s -> %s: step time %s (%.2f s wall)", c.get("from"), c.get("to"),
                    f.get("stepTimeSeconds") instanceof Number n ? fmtTime(n.doubleValue()) : "-", ((Number) c.get("wallSeconds")).doubleValue()));
        }
        for (Object o : (java.util.List<Object>) cc.get("skipped")) {
            row(out, "  not checked", String.valueOf(o));
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) cc.get("figures")).entrySet()) {
            Map<String, Object> f = (Map<String, Object>) e.getValue();
            double v = ((Number) f.get("value")).doubleValue();
            double b = ((Number) f.get("plusMinus")).doubleValue();
            boolean seconds = e.getKey().endsWith("Seconds");
            row(out, "  " + e.getKey(), seconds ? String.format(Locale.ROOT, "%s +- %s (%.1f %%)", fmtTime(v), fmtTime(b), 100 * ((Number) f.get("relative")).doubleValue())
                    : String.format(Locale.ROOT, "%.4g +- %.2g (%.1f %%)", v, b, 100 * ((Number) f.get("relative")).doubleValue()));
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
    @SuppressWarnings("unchecked")
    static String computeModelNote(Object computeModel) {
        if (!(computeModel instanceof Map<?, ?> m)) return "";
        Map<String, Object> cm = (Map<String, Object>) m;
        StringBuilder sb = new StringBuilder(" (").append(cm.get("fidelity"));
        if (cm.get("sharesFromTable") != null) {
            sb.append(": ").append(cm.get("sharesFromTable")).append(" chip shares from the table, ").append(cm.get("sharesScaledFromNearest"))
                    .append(" scaled, ").append(cm.get("sharesSimulated")).append(" simulated, ")
                    .append(cm.get("sharesAtRoofline")).append(" at roofline");
        }
        return sb.append(')').toString();
    }
}
