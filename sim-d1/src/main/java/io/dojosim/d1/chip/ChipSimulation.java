package io.dojosim.d1.chip;

import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.kernel.ChipKernels;
import io.dojosim.d1.node.D1Node;
import io.dojosim.d1.node.NodeProgram;
import io.dojosim.noc.MeshNetwork;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a synthetic kernel on one D1 die at {@code cycle} node fidelity over the sim-noc mesh and
 * summarises it in a {@link ChipResult}, including what limits it.
 *
 * <p>Caveats: the node fidelity is always {@code cycle} here; the analytic chip estimate is
 * {@link ChipComputeModel}.
 */
public final class ChipSimulation {
    private ChipSimulation() {
    }

    /** Runs the chip GEMM (SUMMA) of {@link ChipKernels#gemm}. */
    public static ChipResult gemm(ChipSimSpec c, long m, long n, long k, DType t) {
        return gemm(c, m, n, k, t, Workers.single());
    }

    /**
     * As {@link #gemm(ChipSimSpec, long, long, long, DType)}, the mesh's routers on the lanes of {@code w}.
     *
     * <p>A GEMM whose SUMMA programs do not fit the nodes' SRAM is tiled ({@link #blocking}): C is
     * cut into {@code bm x bn} blocks of near-equal rows and columns, the fewest that fit, and the
     * blocks run one after the other, each a whole-die SUMMA over all of K. Blocks of equal shape
     * take equal cycles (same programs, same mesh, an idle die at the start of each), so each
     * distinct block shape is simulated once and the run's cycles are the sum over the blocks.
     * Caveats: a block starts on an idle die (no overlap of one block's drain with the next one's
     * fill); the operands of the other blocks wait outside the nodes' SRAM (DIP memory): their
     * movement is the step model's (memory streams), not timed here.
     */
    public static ChipResult gemm(ChipSimSpec c, long m, long n, long k, DType t, Workers w) {
        NodeParams np = c.node();
        ChipParams cp = c.chip();
        int[] b = blocking(np, cp, m, n, k, t);
        if (b[0] == 1 && b[1] == 1) {
            return block(c, np, cp, m, n, k, t, w);
        }
        // distinct block shapes: rows are ceil or floor of m / bm, columns of n / bn
        Map<String, ChipResult> done = new LinkedHashMap<>();
        long cycles = 0, timePs = 0, useful = 0, executed = 0;
        Map<String, Double> util = new LinkedHashMap<>();
        Map<String, Long> stalls = new LinkedHashMap<>();
        ChipResult largest = null;
        for (int i = 0; i < b[0]; i++) {
            long mb = ChipKernels.part(m, b[0], i);
            for (int j = 0; j < b[1]; j++) {
                long nb = ChipKernels.part(n, b[1], j);
                String key = mb + "x" + nb;
                ChipResult r = done.get(key);
                if (r == null) {
                    r = block(c, np, cp, mb, nb, k, t, w);
                    done.put(key, r);
                }
                if (largest == null) largest = r;
                cycles += r.cycles();
                timePs += r.timePs();
                useful += r.usefulFlops();
                executed += r.executedFlops();
                for (Map.Entry<String, Double> e : r.utilization().entrySet()) {
                    util.merge(e.getKey(), e.getValue() * r.cycles(), Double::sum);
                }
                for (Map.Entry<String, Long> e : r.stallCycles().entrySet()) stalls.merge(e.getKey(), e.getValue(), Long::sum);
            }
        }
        for (Map.Entry<String, Double> e : util.entrySet()) {
            // meshLinksMax is a maximum: the largest block's; the rest are cycle-weighted means
            e.setValue(e.getKey().equals("meshLinksMax") ? largest.utilization().get("meshLinksMax") : e.getValue() / cycles);
        }
        ChipNotes notes = ChipNotes.tiled(b[0] + " x " + b[1] + " (C cut so each block's programs fit the nodes' SRAM; docs/model/d1-chip.md#tiling)",
                largest.notes());
        return new ChipResult(cycles, timePs, useful, executed, largest.peakFlopsPerSecond(), util, stalls, largest.limiter(), notes);
    }

    /**
     * @return {bm, bn}: the fewest blocks of C (rows first, then columns) whose SUMMA programs fit
     * every node's SRAM; {1, 1} when the whole GEMM fits
     * @throws io.dojosim.core.config.ConfigException when not even 8 x 8 blocks of C fit (K too deep)
     */
    public static int[] blocking(NodeParams np, ChipParams cp, long m, long n, long k, DType t) {
        if (fits(np, cp, m, n, k, t)) return new int[] {1, 1};
        long maxBm = Math.max(1, (m + 7) / 8);
        long maxBn = Math.max(1, (n + 7) / 8);
        for (long bn = 1; ; bn = Math.min(maxBn, bn * 2)) {
            long nb = (n + bn - 1) / bn;
            // the fewest row blocks at this column count (fitting is monotone in the block's rows)
            long lo = 1, hi = maxBm;
            if (fits(np, cp, (m + hi - 1) / hi, nb, k, t)) {
                while (lo < hi) {
                    long mid = (lo + hi) / 2;
                    if (fits(np, cp, (m + mid - 1) / mid, nb, k, t)) hi = mid; else lo = mid + 1;
                }
                return new int[] {(int) lo, (int) bn};
            }
            if (bn == maxBn) break;
        }
        throw new io.dojosim.core.config.ConfigException("chip GEMM " + m + "x" + n + "x" + k + " " + t.key()
                + ": even 8 x 8 blocks of C do not fit a node's SRAM (K = " + k + " too deep for d1.node.sramBytes "
                + np.sramBytes() + " with d1.chip.gemmPanelK " + cp.gemmPanelK() + ")");
    }

    private static boolean fits(NodeParams np, ChipParams cp, long m, long n, long k, DType t) {
        ChipKernels.GemmPlan plan = ChipKernels.plan(np, cp.shape(), m, n, k, t, cp.gemmPanelK(), cp.gemmGrid().equals("rectangle"));
        return ChipKernels.maxNodeBytes(plan, m, n, k, t) <= np.sramBytes() - np.codeReserveBytes();
    }

    private static ChipResult block(ChipSimSpec c, NodeParams np, ChipParams cp, long m, long n, long k, DType t, Workers w) {
        int active = cp.activeNodes();
        ChipKernels.GemmPlan plan = ChipKernels.plan(np, cp.shape(), m, n, k, t, cp.gemmPanelK(), cp.gemmGrid().equals("rectangle"));
        NodeProgram[] progs = ChipKernels.gemm(np, active, plan, m, n, k, t);
        ChipNotes.Grid grid = new ChipNotes.Grid(plan.rows() + " x " + plan.cols(), plan.usedNodes(), plan.steps(), plan.panelK());
        return run(c, progs, plan.usefulFlops(), t, new Facts(grid, 0), plan, w);
    }

    /** Runs the streaming vector kernel on every active node. */
    public static ChipResult vector(ChipSimSpec c, long elements, DType t) {
        return vector(c, elements, t, Workers.single());
    }

    /** Runs the streaming vector kernel, the mesh's routers on the lanes of {@code w}. */
    public static ChipResult vector(ChipSimSpec c, long elements, DType t, Workers w) {
        NodeParams np = c.node();
        ChipParams cp = c.chip();
        NodeProgram[] progs = ChipKernels.vector(np, cp.activeNodes(), elements, t);
        return run(c, progs, 2L * elements, t, Facts.NONE, null, w);
    }

    /** Runs the all-to-all exchange. */
    public static ChipResult allToAll(ChipSimSpec c, long bytesPerPair) {
        return allToAll(c, bytesPerPair, Workers.single());
    }

    /** Runs the all-to-all exchange, the mesh's routers on the lanes of {@code w}. */
    public static ChipResult allToAll(ChipSimSpec c, long bytesPerPair, Workers w) {
        ChipParams cp = c.chip();
        NodeProgram[] progs = ChipKernels.allToAll(cp.activeNodes(), bytesPerPair);
        return run(c, progs, 0, DType.BF16, new Facts(null, bytesPerPair), null, w);
    }

    /**
     * What a kernel knows of itself before it runs, for its {@link ChipNotes}.
     *
     * @param grid         a GEMM's grid, or null
     * @param bytesPerPair an all-to-all's bytes per pair, or 0
     */
    public record Facts(ChipNotes.Grid grid, long bytesPerPair) {
        /** A kernel with nothing to note before it runs. */
        public static final Facts NONE = new Facts(null, 0);
    }

    /** Runs arbitrary node programs (one per active node) on the chip. */
    public static ChipResult run(ChipSimSpec c, NodeProgram[] progs, long usefulFlops, DType t, Facts facts,
                                 ChipKernels.GemmPlan plan) {
        return run(c, progs, usefulFlops, t, facts, plan, Workers.single());
    }

    /** As {@link #run(ChipSimSpec, NodeProgram[], long, DType, Facts, ChipKernels.GemmPlan)} on the lanes of {@code w}. */
    public static ChipResult run(ChipSimSpec c, NodeProgram[] progs, long usefulFlops, DType t, Facts facts,
                                 ChipKernels.GemmPlan plan, Workers w) {
        NodeParams np = c.node();
        ChipParams cp = c.chip();
        NocParams noc = c.noc();
        Simulator sim = c.sim().newSimulator();
        sim.useWorkers(w);
        D1Chip chip = new D1Chip(sim, "chip", cp, np, noc, progs);
        chip.start();
        sim.run();
        if (!chip.finished()) {
            throw new SimulationError("chip", sim.now(), "kernel deadlocked: " + chip.blockedDescription());
        }
        return summarise(chip, np, usefulFlops, t, facts, plan, sim.eventsExecuted());
    }

    private static ChipResult summarise(D1Chip chip, NodeParams np, long usefulFlops, DType t, Facts facts,
                                        ChipKernels.GemmPlan plan, long events) {
        long cycles = Math.max(1, chip.finishCycle());
        int n = chip.activeNodes();
        long[] busy = new long[D1Node.RESOURCES];
        long[] stalls = new long[D1Node.REASONS];
        long executed = 0;
        for (int i = 0; i < n; i++) {
            D1Node node = chip.node(i);
            for (int r = 0; r < D1Node.RESOURCES; r++) busy[r] += node.busyCycles(r);
            for (int th = 0; th < node.program().threads(); th++) {
                for (int s = 0; s < D1Node.REASONS; s++) stalls[s] += node.stallCycles(th, s);
            }
            for (int d = 0; d < DType.count(); d++) executed += node.flops(DType.of(d));
        }
        Map<String, Double> util = new LinkedHashMap<>();
        D1Node n0 = chip.node(0);
        for (int r = 0; r < D1Node.RESOURCES; r++) {
            util.put(D1Node.RESOURCE_NAMES[r], (double) busy[r] / ((double) n0.lanes(r) * n * cycles));
        }
        MeshNetwork mesh = chip.mesh();
        MeshShape sh = chip.shape();
        double sum = 0, max = 0, ej = 0;
        int links = 0;
        int[] ids = sh.activeNodeIds();
        for (int id : ids) {
            for (int port = MeshShape.NORTH; port <= MeshShape.WEST; port++) {
                int nb = sh.neighbour(id, port);
                if (nb < 0 || sh.isDisabled(nb)) continue;
                double u = (double) mesh.linkFlits(id, port) / cycles;
                sum += u;
                max = Math.max(max, u);
                links++;
            }
            ej += (double) mesh.linkFlits(id, MeshShape.LOCAL) / cycles;
        }
        util.put("meshLinksMean", links == 0 ? 0 : sum / links);
        util.put("meshLinksMax", max);
        util.put("meshEjectionMean", ej / ids.length);
        Map<String, Long> st = new LinkedHashMap<>();
        for (int s = 0; s < D1Node.REASONS; s++) st.put(D1Node.REASON_NAMES[s], stalls[s]);
        double peak = n * np.peakFlopsPerSecond(t);
        long timePs = np.clock().cyclesToPs(cycles);
        Map<String, Double> losses = new LinkedHashMap<>();
        String limiter = plan == null ? simpleLimiter(util) : gemmLimiter(chip, np, plan, cycles, usefulFlops, executed, t, losses);
        ChipNotes notes = new ChipNotes(null, null, facts.grid(), facts.bytesPerPair(), chip.routingNote(), events, losses);
        return new ChipResult(cycles, timePs, usefulFlops, executed, peak, util, st, limiter, notes);
    }

    private static String simpleLimiter(Map<String, Double> util) {
        String best = null;
        double u = -1;
        for (Map.Entry<String, Double> e : util.entrySet()) {
            if (e.getKey().equals("meshLinksMean")) continue;
            if (e.getValue() > u) {
                u = e.getValue();
                best = e.getKey();
            }
        }
        return best + " (busiest, " + String.format(java.util.Locale.ROOT, "%.1f %%", 100 * u) + ")";
    }

    /**
     * Splits the GEMM's lost fraction of peak into: idle nodes (not in the grid), padding of partial
     * blocks, imbalance between the grid's nodes, compute waiting for panels (mesh), compute waiting
     * for pipes or ports, and the remainder (pipeline fill, drains, tail), in percent into {@code pct}. The largest loss is the limiter.
     */
    private static String gemmLimiter(D1Chip chip, NodeParams np, ChipKernels.GemmPlan plan, long cycles, long useful,
                                      long executed, DType t, Map<String, Double> pct) {
        int n = chip.activeNodes();
        double perCycle = np.peakFlopsPerCycle(t);
        double total = (double) n * cycles * perCycle;
        double idle = (double) (n - plan.usedNodes()) * cycles * perCycle / total;
        double padding = (executed - useful) / total;
        long opsPerCycle = t.onMatrixPipe() ? np.matrixBlocksPerCycle() : 1;
        double imbalance = (double) (plan.maxLocalOps() * plan.usedNodes() - plan.totalOps()) / opsPerCycle * perCycle / total;
        long waitData = 0, waitPipe = 0;
        for (int i = 0; i < plan.usedNodes(); i++) {
            D1Node node = chip.node(plan.node(i));
            waitData += node.stallCycles(0, D1Node.S_SEMAPHORE) + node.stallCycles(0, D1Node.S_RECV);
            for (int s = D1Node.S_ISSUE; s <= D1Node.S_RREAD; s++) waitPipe += node.stallCycles(0, s);
        }
        double mesh = (double) waitData / ((double) n * cycles);
        double ports = (double) waitPipe / ((double) n * cycles);
        double achieved = useful / total;
        double rest = Math.max(0, 1 - achieved - idle - padding - imbalance - mesh - ports);
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("idle nodes outside the " + plan.rows() + "x" + plan.cols() + " grid", idle);
        losses.put("padding of partial 8x8x4 blocks", padding);
        losses.put("imbalance between nodes", imbalance);
        losses.put("mesh: compute waiting for panels", mesh);
        losses.put("SRAM ports / pipes: compute thread stalls", ports);
        losses.put("pipeline fill, drains and tail", rest);
        String best = null;
        double bv = -1;
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            pct.put(e.getKey(), Math.round(e.getValue() * 10000) / 100.0);
            if (e.getValue() > bv) {
                bv = e.getValue();
                best = e.getKey();
            }
        }
        return best;
    }
}
