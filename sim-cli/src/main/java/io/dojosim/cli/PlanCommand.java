package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.scenario.PlanScenario;
import io.dojosim.pod.step.PlanSearch;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.Generators;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dojosim plan}: the plan search of {@code dojosim run} on its own. Enumerates the plans of
 * a built-in workload at its global batch, estimates each, simulates the best few
 * ({@code run.plan.simulate}) and prints the top plans with their step time, samples/s, MFU,
 * memory per chip, exposed communication and why each was chosen, left out or rejected. Model:
 * docs/model/step.md#plan-search.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search the plans of a workload (replica size, pipeline stages, micro-batches) at its global batch:",
                "estimate every candidate, simulate the best run.plan.simulate, print the top plans and why."})
public final class PlanCommand extends SimulatingCommand {
    @Option(names = {"-w", "--workload"}, paramLabel = "WORKLOAD", description = "Built-in workload name (same as --set run.workload=...).")
    String workload;

    @Option(names = "--top", paramLabel = "K", defaultValue = "10", description = "Plans to print (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the search (every candidate) to this JSON file.")
    Path json;

    @Override
    public Integer call() {
        if (workload != null) config.addOverride("run.workload", workload);
        if (top < 1) throw new ConfigException("--top: " + top + " is not allowed; allowed: 1 or more");
        ResolvedConfig c = config.resolve();
        io.dojosim.pod.spec.SystemSpec s = SystemChecks.bind(c);
        LongFunction<Workload> atBatch = WorkloadResolver.atBatch(c);
        Generators.Info info = WorkloadResolver.info(c);
        if (atBatch == null || info == null) {
            String w = s.run().workload();
            String what = isFile(w) ? "is a workload file" : "is not a built-in workload";
            throw new ConfigException("key 'run.workload': '" + w + "' " + what + "; the plan search varies the"
                    + " batch per replica, so it needs a built-in workload; allowed: " + builtIns());
        }
        PlanScenario.Result result;
        try (io.dojosim.core.engine.Workers workers = threadsOption.workers(); ProgressLine progress = ProgressLine.start(spec)) {
            result = PlanScenario.run(s, new PlanScenario.Request(info.name(), atBatch, info.globalBatch(), info.globalBatchSource()), workers);
        }
        PlanSearch.Result r = result.search();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "workload   %s, global batch %,d (%s)%n", info.name(), r.globalBatch(), r.batchSource());
        out.printf(Locale.ROOT, "search     %d candidates: %d estimated, %d simulated, %d rejected; estimate error against simulation"
                        + " %.1f %% mean, %.1f %% max%n%n", r.outcomes().size(), r.estimated(), r.simulated(), r.rejected(),
                100 * r.estimateErrorMean(), 100 * r.estimateErrorMax());
        out.printf(Locale.ROOT, "%-3s %-9s %-52s %11s %11s %13s %6s %10s %11s%n", "#", "status", "plan", "estimate", "simulated", "samples/s",
                "MFU", "mem/chip", "exposed");
        List<PlanSearch.Outcome> os = r.outcomes();
        for (int i = 0; i < Math.min(top, os.size()); i++) {
            PlanSearch.Outcome o = os.get(i);
            out.printf(Locale.ROOT, "%-3d %-9s %-52s %11s %11s %13s %6s %10s %11s%n", i + 1, o.status(), o.candidate().label(), time(o.estimateSeconds()),
                    time(o.simulatedSeconds()), Double.isFinite(o.samplesPerSecond()) ? String.format(Locale.ROOT, "%,.0f", o.samplesPerSecond()) : "-",
                    Double.isFinite(o.mfu()) ? String.format(Locale.ROOT, "%.1f %%", 100 * o.mfu()) : "-",
                    o.memoryPerChipBytes() > 0 ? String.format(Locale.ROOT, "%.0f MB", o.memoryPerChipBytes() / 1e6) : "-",
                    time(o.exposedCommSeconds()));
            out.printf(Locale.ROOT, "    %s%n", o.why());
        }
        if (os.size() > top) {
            out.printf(Locale.ROOT, "... %d more (--top, --json)%n", os.size() - top);
        }
        out.flush();
        if (json != null) {
            Output.writeJson(json, ResultJson.plan(result));
        }
        return ExitCodes.OK;
    }

    private static String time(double s) {
        return Double.isFinite(s) ? RunCommand.fmtTime(s) : "-";
    }

    private static String builtIns() {
        List<String> n = new ArrayList<>();
        for (Generators.Info i : Generators.list()) n.add(i.name());
        return String.join(", ", n);
    }

    private static boolean isFile(String path) {
        try {
            return java.nio.file.Files.exists(java.nio.file.Path.of(path));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}
