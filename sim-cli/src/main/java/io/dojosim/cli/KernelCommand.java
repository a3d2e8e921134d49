package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.bind.D1Binding;
import io.dojosim.d1.chip.ChipSimSpec;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.d1.chip.ChipParams;
import io.dojosim.d1.chip.ChipResult;
import io.dojosim.d1.chip.ChipSimulation;
import io.dojosim.d1.kernel.NodeKernels;
import io.dojosim.d1.node.D1Node;
import io.dojosim.d1.node.NodeProgram;
import io.dojosim.d1.node.NodeResult;
import io.dojosim.d1.node.NodeSimulation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dojosim kernel}: runs a synthetic kernel (GEMM, streaming vector, all-to-all) on one D1
 * node or one D1 die and reports cycles, time, achieved and peak TFLOPS and the utilization of the
 * pipes, SRAM ports and mesh links. Model: docs/model/d1-node.md and d1-chip.md.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a synthetic kernel on one D1 node or one D1 chip.")
public final class KernelCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    ThreadsOption threadsOption = new ThreadsOption();

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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (json != null) io.dojosim.cli.files.RunFolder.checkFile(json, "--json");
        ResolvedConfig c = config.resolve();
        DType t = DType.parse(dtype);
        if (!kernel.equals("gemm") && !kernel.equals("vector") && !kernel.equals("alltoall")) {
            throw new ConfigException("--kernel '" + kernel + "' is not known; allowed: gemm, vector, alltoall");
        }
        if (!scope.equals("node") && !scope.equals("chip")) {
            throw new ConfigException("--scope '" + scope + "' is not known; allowed: node, chip");
        }
        NodeSimulation.Fidelity fid = NodeSimulation.Fidelity.parse(fidelity);
        if (m < 1 || n < 1 || k < 1) {
            throw new ConfigException("--m, --n and --k must be >= 1, were " + m + ", " + n + ", " + k);
        }
        if (!(scope.equals("chip") && fid == NodeSimulation.Fidelity.ROOFLINE)) {
            io.dojosim.d1.kernel.KernelAdmission.check(io.dojosim.d1.bind.D1Binding.node(c), kernel, scope.equals("node") ? 1 : io.dojosim.d1.bind.D1Binding.chip(c).activeNodes(), m, n, k, t);
        }
        Map<String, Object> out;
        try (Workers w = threadsOption.workers(); ProgressLine progress = ProgressLine.start(spec)) {
            long t0 = System.nanoTime();
            out = scope.equals("node") ? node(c, t, fid) : chip(c, t, fid, w);
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("wallSeconds", (System.nanoTime() - t0) / 1e9);
            host.putAll(ThreadsOption.report(w, "routerEvaluations"));
            out.put("host", host);
        }
        if (json != null) {
            Output.writeJson(json, out);
        }
        print(spec.commandLine().getOut(), out);
        return ExitCodes.OK;
    }

    private Map<String, Object> header(String sc, DType t, String fid) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kernel", kernel);
        o.put("scope", sc);
        o.put("dtype", t.key());
        o.put("fidelity", fid);
        if (kernel.equals("gemm")) {
            o.put("shape", Map.of("m", m, "n", n, "k", k));
        } else {
            o.put(kernel.equals("vector") ? "elements" : "bytesPerPair", m);
        }
        return o;
    }

    private Map<String, Object> node(ResolvedConfig c, DType t, NodeSimulation.Fidelity fid) {
        NodeParams p = D1Binding.node(c);
        NodeProgram prog;
        long useful;
        double peak;
        switch (kernel) {
            case "gemm":
                prog = NodeKernels.gemm(p, m, n, k, t);
                useful = 2L * m * n * k;
                peak = p.peakFlopsPerSecond(t);
                break;
            case "vector":
                prog = NodeKernels.vector(p, m, t);
                useful = 2L * m;
                peak = 2.0 * p.simdFmaPerInstruction(t) * p.clockHz();
                break;
            default:
                throw new ConfigException("--kernel alltoall needs --scope chip (a lone node has no network)");
        }
        NodeResult r = NodeSimulation.run(p, prog, fid);
        long timePs = p.clock().cyclesToPs(r.cycles());
        Map<String, Object> o = header("node", t, fid.name().toLowerCase(Locale.ROOT));
        o.put("cycles", r.cycles());
        o.put("timeSeconds", timePs / 1e12);
        double achieved = timePs == 0 ? 0 : useful / (timePs / 1e12);
        o.put("achievedTflops", achieved / 1e12);
        o.put("peakTflops", peak / 1e12);
        o.put("fractionOfPeak", peak == 0 ? 0 : achieved / peak);
        Map<String, Object> u = new LinkedHashMap<>();
        for (int res = 0; res < D1Node.RESOURCES; res++) {
            u.put(D1Node.RESOURCE_NAMES[res], r.utilization(res));
        }
        o.put("utilization", u);
        Map<String, Object> st = new LinkedHashMap<>();
        for (int th = 0; th < r.stallCycles().length; th++) {
            Map<String, Long> per = new LinkedHashMap<>();
            for (int s = 0; s < D1Node.REASONS; s++) {
                if (r.stallCycles()[th][s] != 0) per.put(D1Node.REASON_NAMES[s], r.stallCycles()[th][s]);
            }
            st.put("thread" + th, per);
        }
        o.put("stallCycles", st);
        o.put("sramBytes", Map.of("load", r.sramLoadBytes(), "store", r.sramStoreBytes()));
        o.put("limiter", r.limiter());
        return o;
    }

    private Map<String, Object> chip(ResolvedConfig c, DType t, NodeSimulation.Fidelity fid, Workers w) {
        Map<String, Object> o = header("chip", t, fid.name().toLowerCase(Locale.ROOT));
        ChipSimSpec cs = D1Binding.chipSim(c);
        NodeParams p = cs.node();
        ChipParams cp = cs.chip();
        if (fid == NodeSimulation.Fidelity.ROOFLINE) {
            if (!kernel.equals("gemm")) {
                throw new ConfigException("--fidelity roofline at chip scope times GEMMs only; use cycle for " + kernel);
            }
            ChipComputeModel.Estimate e = new ChipComputeModel(cs).gemm(m, n, k, t, cp.activeNodes(), ChipComputeModel.Fidelity.ROOFLINE);
            double peak = cp.activeNodes() * p.peakFlopsPerSecond(t);
            o.put("cycles", e.cycles());
            o.put("timeSeconds", e.timePs() / 1e12);
            o.put("achievedTflops", e.fractionOfPeak() * peak / 1e12);
            o.put("peakTflops", peak / 1e12);
            o.put("fractionOfPeak", e.fractionOfPeak());
            o.put("utilization", Map.of("matrixPipe", e.fractionOfPeak()));
            o.put("limiter", e.limiter());
            return o;
        }
        ChipResult r;
        double peak;
        switch (kernel) {
            case "gemm":
                r = ChipSimulation.gemm(cs, m, n, k, t, w);
                peak = r.peakFlopsPerSecond();
                break;
            case "vector":
                r = ChipSimulation.vector(cs, m, t, w);
                peak = cp.activeNodes() * 2.0 * p.simdFmaPerInstruction(t) * p.clockHz();
                break;
            default:
                r = ChipSimulation.allToAll(cs, m, w);
                peak = 0;
                break;
        }
        o.put("cycles", r.cycles());
        o.put("timeSeconds", r.timePs() / 1e12);
        o.put("achievedTflops", r.achievedFlopsPerSecond() / 1e12);
        o.put("peakTflops", peak / 1e12);
        o.put("fractionOfPeak", peak == 0 ? 0 : r.achievedFlopsPerSecond() / peak);
        o.put("utilization", r.utilization());
        o.put("stallCycles", r.stallCycles());
        o.put("limiter", r.limiter());
        o.put("notes", r.notes());
        return o;
    }

    private static void print(PrintWriter w, Map<String, Object> o) {
        w.printf(Locale.ROOT, "%s on one %s, %s, %s fidelity%n", o.get("kernel"), o.get("scope"), o.get("dtype"), o.get("fidelity"));
        w.printf(Locale.ROOT, "  cycles            %d%n", (Long) o.get("cycles"));
        w.printf(Locale.ROOT, "  time              %.3f us%n", (Double) o.get("timeSeconds") * 1e6);
        w.printf(Locale.ROOT, "  achieved          %.3f TFLOPS%n", (Double) o.get("achievedTflops"));
        w.printf(Locale.ROOT, "  modeled peak      %.3f TFLOPS (%.1f %% of peak)%n", (Double) o.get("peakTflops"),
                100 * (Double) o.get("fractionOfPeak"));
        w.println("  utilization");
        @SuppressWarnings("unchecked")
        Map<String, Object> u = (Map<String, Object>) o.get("utilization");
        for (Map.Entry<String, Object> e : u.entrySet()) {
            w.printf(Locale.ROOT, "    %-18s %.1f %%%n", e.getKey(), 100 * ((Number) e.getValue()).doubleValue());
        }
        w.println("  limited by        " + o.get("limiter"));
        if (o.containsKey("notes")) {
            w.println("  notes             " + o.get("notes"));
        }
        w.flush();
    }
}
