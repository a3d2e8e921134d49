package io.dojosim.pod.scenario;

import io.dojosim.core.util.EnumKeys;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.d1.chip.ChipParams;
import io.dojosim.d1.chip.ChipNotes;
import io.dojosim.d1.chip.ChipResult;
import io.dojosim.d1.chip.ChipSimSpec;
import io.dojosim.d1.chip.ChipSimulation;
import io.dojosim.d1.kernel.NodeKernels;
import io.dojosim.d1.node.D1Node;
import io.dojosim.d1.node.NodeProgram;
import io.dojosim.d1.node.NodeResult;
import io.dojosim.d1.node.NodeSimulation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code dojosim kernel} scenario: one synthetic kernel (GEMM, streaming vector, all-to-all)
 * on one D1 node ({@link NodeParams}, {@code d1.node.*}) or one D1 die ({@link ChipSimSpec},
 * {@code d1.node.*} and {@code d1.chip.*}). It counts the kernel's useful FLOPs, picks the modeled
 * peak of the data type, runs the node or chip model and returns a typed {@link Result}; the
 * command only parses, checks admission, calls this and renders. Model: docs/model/d1-node.md and
 * d1-chip.md.
 *
 * <p>Caveats: the all-to-all has no FLOPs (peak 0, fraction 0) and needs a die; the roofline
 * fidelity at chip scope times GEMMs only; the chip run's simulator is the chip spec's
 * ({@code sim.eventSet}).
 */
public final class KernelScenario {
    private KernelScenario() {
    }

    /** The synthetic kernels. */
    public enum Kernel implements EnumKeys.Worded {
        /** C = A x B, m x k times k x n. */
        GEMM,
        /** y = a x + y over m elements. */
        VECTOR,
        /** m bytes between every ordered pair of nodes of a die. */
        ALLTOALL;

        /** @throws ConfigException for an unknown word, naming the allowed ones */
        public static Kernel parse(String s) {
            return EnumKeys.parseWord(Kernel.class, s, "--kernel");
        }
    }

    /** Where the kernel runs. */
    public enum Scope implements EnumKeys.Worded {
        /** One D1 node. */
        NODE,
        /** One D1 die, every active node. */
        CHIP;

        /** @throws ConfigException for an unknown word, naming the allowed ones */
        public static Scope parse(String s) {
            return EnumKeys.parseWord(Scope.class, s, "--scope");
        }
    }

    /**
     * What to run.
     *
     * @param kernel   the kernel
     * @param scope    one node or one die
     * @param m        GEMM rows; vector elements; all-to-all bytes per pair
     * @param n        GEMM columns (unused otherwise)
     * @param k        GEMM reduction depth (unused otherwise)
     * @param dtype    data type
     * @param fidelity node fidelity: cycle-level or roofline
     */
    public record Request(Kernel kernel, Scope scope, long m, long n, long k, DType dtype, NodeSimulation.Fidelity fidelity) {
        /** @throws ConfigException for a size below 1 */
        public Request {
            if (m < 1 || n < 1 || k < 1) {
                throw new ConfigException("--m, --n and --k must be >= 1, were " + m + ", " + n + ", " + k);
            }
        }

        /** @return true when the run simulates (every case but a chip roofline), so admission applies */
        public boolean simulates() {
            return !(scope == Scope.CHIP && fidelity == NodeSimulation.Fidelity.ROOFLINE);
        }
    }

    /**
     * What a kernel did.
     *
     * @param request           what was asked
     * @param cycles            cycles until the last node finished
     * @param timeSeconds       the same in seconds
     * @param achievedTflops    useful FLOPs per second, in TFLOPS
     * @param peakTflops        modeled peak of the data type on the nodes of the scope (0 for the all-to-all)
     * @param fractionOfPeak    achieved / peak (0 when the peak is 0)
     * @param utilization       per resource, in the model's order
     * @param threadStallCycles node scope: stall cycles per thread and reason (reasons with 0 left out); else empty
     * @param stallCycles       chip scope, cycle fidelity: thread-cycles lost per reason, summed; else empty
     * @param sramLoadBytes     node scope: bytes loaded from SRAM; else 0
     * @param sramStoreBytes    node scope: bytes stored to SRAM; else 0
     * @param limiter           what bounds the run, in words
     * @param notes             chip scope, cycle fidelity: grid, routing, losses ({@link ChipResult#notes()}); else {@link ChipNotes#NONE}
     */
    public record Result(Request request, long cycles, double timeSeconds, double achievedTflops, double peakTflops, double fractionOfPeak,
                         Map<String, Double> utilization, List<Map<String, Long>> threadStallCycles, Map<String, Long> stallCycles,
                         long sramLoadBytes, long sramStoreBytes, String limiter, ChipNotes notes) {
        public Result {
            utilization = ordered(utilization);
            threadStallCycles = threadStallCycles.stream().map(KernelScenario::ordered).toList();
            stallCycles = ordered(stallCycles);
        }
    }

    private static <V> Map<String, V> ordered(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * Runs the kernel on one node.
     *
     * @throws ConfigException for the all-to-all (a lone node has no network) or a chip request
     */
    public static Result runNode(NodeParams p, Request q) {
        if (q.scope() != Scope.NODE) throw new IllegalArgumentException("runNode needs --scope node, was " + q.scope().key());
        NodeProgram prog;
        long useful;
        double peak;
        switch (q.kernel()) {
            case GEMM:
                prog = NodeKernels.gemm(p, q.m(), q.n(), q.k(), q.dtype());
                useful = 2L * q.m() * q.n() * q.k();
                peak = p.peakFlopsPerSecond(q.dtype());
                break;
            case VECTOR:
                prog = NodeKernels.vector(p, q.m(), q.dtype());
                useful = 2L * q.m();
                peak = 2.0 * p.simdFmaPerInstruction(q.dtype()) * p.clockHz();
                break;
            default:
                throw new ConfigException("--kernel alltoall needs --scope chip (a lone node has no network)");
        }
        NodeResult r = NodeSimulation.run(p, prog, q.fidelity());
        long timePs = p.clock().cyclesToPs(r.cycles());
        double achieved = timePs == 0 ? 0 : useful / (timePs / 1e12);
        Map<String, Double> u = new LinkedHashMap<>();
        for (int res = 0; res < D1Node.RESOURCES; res++) {
            u.put(D1Node.RESOURCE_NAMES[res], r.utilization(res));
        }
        List<Map<String, Long>> stalls = new ArrayList<>();
        for (int th = 0; th < r.stallCycles().length; th++) {
            Map<String, Long> per = new LinkedHashMap<>();
            for (int s = 0; s < D1Node.REASONS; s++) {
                if (r.stallCycles()[th][s] != 0) per.put(D1Node.REASON_NAMES[s], r.stallCycles()[th][s]);
            }
            stalls.add(per);
        }
        return new Result(q, r.cycles(), timePs / 1e12, achieved / 1e12, peak / 1e12, peak == 0 ? 0 : achieved / peak, u, stalls, Map.of(),
                r.sramLoadBytes(), r.sramStoreBytes(), r.limiter(), ChipNotes.NONE);
    }

    /**
     * Runs the kernel on one die.
     *
     * @throws ConfigException for a roofline run of a kernel other than a GEMM
     */
    public static Result runChip(ChipSimSpec cs, Request q, Workers w) {
        if (q.scope() != Scope.CHIP) throw new IllegalArgumentException("runChip needs --scope chip, was " + q.scope().key());
        NodeParams p = cs.node();
        ChipParams cp = cs.chip();
        DType t = q.dtype();
        if (q.fidelity() == NodeSimulation.Fidelity.ROOFLINE) {
            if (q.kernel() != Kernel.GEMM) {
                throw new ConfigException("--fidelity roofline at chip scope times GEMMs only; use cycle for " + q.kernel().key());
            }
            ChipComputeModel.Estimate e = new ChipComputeModel(cs).gemm(q.m(), q.n(), q.k(), t, cp.activeNodes(), ChipComputeModel.Fidelity.ROOFLINE);
            double peak = cp.activeNodes() * p.peakFlopsPerSecond(t);
            return new Result(q, e.cycles(), e.timePs() / 1e12, e.fractionOfPeak() * peak / 1e12, peak / 1e12, e.fractionOfPeak(),
                    Map.of("matrixPipe", e.fractionOfPeak()), List.of(), Map.of(), 0, 0, e.limiter(), ChipNotes.NONE);
        }
        ChipResult r;
        double peak;
        switch (q.kernel()) {
            case GEMM:
                r = ChipSimulation.gemm(cs, q.m(), q.n(), q.k(), t, w);
                peak = r.peakFlopsPerSecond();
                break;
            case VECTOR:
                r = ChipSimulation.vector(cs, q.m(), t, w);
                peak = cp.activeNodes() * 2.0 * p.simdFmaPerInstruction(t) * p.clockHz();
                break;
            default:
                r = ChipSimulation.allToAll(cs, q.m(), w);
                peak = 0;
                break;
        }
        return new Result(q, r.cycles(), r.timePs() / 1e12, r.achievedFlopsPerSecond() / 1e12, peak / 1e12,
                peak == 0 ? 0 : r.achievedFlopsPerSecond() / peak, r.utilization(), List.of(), r.stallCycles(), 0, 0, r.limiter(), r.notes());
    }
}
