package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.bind.D1Binding;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.DType;
import io.dojosim.d1.node.NodeSimulation;
import io.dojosim.pod.scenario.KernelScenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dojosim kernel}: runs a synthetic kernel (GEMM, streaming vector, all-to-all) on one D1
 * node or one D1 die and reports cycles, time, achieved and peak TFLOPS and the utilization of the
 * pipes, SRAM ports and mesh links. Model: docs/model/d1-node.md and d1-chip.md.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a synthetic kernel on one D1 node or one D1 chip.")
public final class KernelCommand extends SimulatingCommand {
    @Option(names = "--kernel", paramLabel = "gemm|vector|alltoall", defaultValue = "gemm",
            description = "gemm: C = A x B; vector: y = a x + y over M elements; alltoall: M bytes between every pair of nodes (chip only). Default: ${DEFAULT-VALUE}.")
    String kernel;

    @Option(names = "--scope", paramLabel = "node|chip", defaultValue = "node", description = "One node or one die. Default: ${DEFAULT-VALUE}.")
    String scope;

    @Option(names = "--m", paramLabel = "M", defaultValue = "384", description = "GEMM rows; vector elements; all-to-all bytes per pair. Default: ${DEFAULT-VALUE}.")
    long m;

    @Option(names = "--n", paramLabel = "N", defaultValue = "384", description = "GEMM columns. Default: ${DEFAULT-VALUE}.")
    long n;

    @Option(names = "--k", paramLabel = "K", defaultValue = "384", description = "GEMM reduction depth. Default: ${DEFAULT-VALUE}.")
    long k;

    @Option(names = "--dtype", paramLabel = "bf16|cfp8|fp32", defaultValue = "bf16", description = "Data type. Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--fidelity", paramLabel = "cycle|roofline", defaultValue = "cycle",
            description = "Node fidelity: cycle (event-driven, exact cycles) or roofline (analytic). Default: ${DEFAULT-VALUE}.")
    String fidelity;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() {
        if (json != null) io.dojosim.cli.files.RunFolder.checkFile(json, "--json");
        ResolvedConfig c = config.resolve();
        DType t = DType.parse(dtype);
        KernelScenario.Kernel kn = KernelScenario.Kernel.parse(kernel);
        KernelScenario.Scope sc = KernelScenario.Scope.parse(scope);
        KernelScenario.Request q = new KernelScenario.Request(kn, sc, m, n, k, t, NodeSimulation.Fidelity.parse(fidelity));
        if (q.simulates()) {
            io.dojosim.d1.kernel.KernelAdmission.check(D1Binding.node(c), kernel, sc == KernelScenario.Scope.NODE ? 1 : D1Binding.chip(c).activeNodes(), m, n, k, t);
        }
        KernelScenario.Result r;
        Map<String, Object> out;
        try (Workers w = threadsOption.workers(); ProgressLine progress = ProgressLine.start(spec)) {
            long t0 = System.nanoTime();
            r = sc == KernelScenario.Scope.NODE ? KernelScenario.runNode(D1Binding.node(c), q) : KernelScenario.runChip(D1Binding.chipSim(c), q, w);
            out = ResultJson.kernel(r);
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("wallSeconds", (System.nanoTime() - t0) / 1e9);
            host.putAll(ThreadsOption.report(w, "routerEvaluations"));
            out.put("host", host);
        }
        if (json != null) {
            Output.writeJson(json, out);
        }
        print(spec.commandLine().getOut(), r);
        return ExitCodes.OK;
    }

    private static void print(PrintWriter w, KernelScenario.Result r) {
        KernelScenario.Request q = r.request();
        w.printf(Locale.ROOT, "%s on one %s, %s, %s fidelity%n", q.kernel().key(), q.scope().key(), q.dtype().key(),
                q.fidelity().name().toLowerCase(Locale.ROOT));
        w.printf(Locale.ROOT, "  cycles            %d%n", r.cycles());
        w.printf(Locale.ROOT, "  time              %.3f us%n", r.timeSeconds() * 1e6);
        w.printf(Locale.ROOT, "  achieved          %.3f TFLOPS%n", r.achievedTflops());
        w.printf(Locale.ROOT, "  modeled peak      %.3f TFLOPS (%.1f %% of peak)%n", r.peakTflops(), 100 * r.fractionOfPeak());
        w.println("  utilization");
        for (Map.Entry<String, Double> e : r.utilization().entrySet()) {
            w.printf(Locale.ROOT, "    %-18s %.1f %%%n", e.getKey(), 100 * e.getValue());
        }
        w.println("  limited by        " + r.limiter());
        if (q.scope() == KernelScenario.Scope.CHIP && q.fidelity() == NodeSimulation.Fidelity.CYCLE) {
            w.println("  notes             " + ResultJson.chipNotes(r.notes()));
        }
        w.flush();
    }
}
