package io.dojosim.d1.chip;

import io.dojosim.core.config.Check;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.kernel.ChipKernels;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Times a compute operation on a region of nodes of one die, for the pod model and the mapper:
 * a GEMM {@code m x n x k} of a type on {@code R} nodes, returning cycles and what limits it.
 *
 * <p>{@code roofline} is analytic and cheap (no events): the SUMMA plan of {@link ChipKernels} gives
 * the largest node's matrix work per step; each step costs the larger of that work and the panel
 * bytes the node reads out through its 64 B router port; the first step adds the pipeline fill of
 * the panel chain (one chunk per hop along the longer grid side) and every step adds the drain of
 * the matrix pipe. {@code cycle} runs the chip simulation (whole die only) and caches the answer
 * per shape, so a training step that repeats a shape pays once. {@code calibrated} answers a whole
 * die's share from {@link ChipCalibration}'s table of cycle-level measurements of the same
 * machine; a share not in the table is either simulated at {@code cycle} (kept in this model's cache)
 * or, by default, the roofline scaled by the cycle / roofline ratio of the nearest measured shape
 * (distance: the sum of |log| ratios of m, n and k; ties by key) if it lies within
 * {@link #NEAREST_REACH}. A what-if machine (another fingerprint) has no measured share of its
 * own: given the default machine ({@link ChipCalibration#DEFAULT_MACHINE}), such a miss takes the
 * cycle / roofline ratio of the nearest share measured on the default machine (same type, within
 * reach; the default machine's roofline of that share) and applies it to this machine's own
 * roofline. A miss out of reach of both keeps the roofline.
 *
 * <p>Caveats: a ratio borrowed from the default machine assumes the what-if change moves the cycle
 * count as it moves the roofline (exact for a clock-only change, whose cycles do not move; not
 * validated for node or mesh changes). The roofline ignores mesh contention (links are lightly loaded by SUMMA's
 * neighbour traffic; docs/validation.md gives its error against {@code cycle}).
 */
public final class ChipComputeModel {
    /** Node fidelities for chip-level timing. */
    public enum Fidelity { CYCLE, ROOFLINE, CALIBRATED }

    /** The time of one operation on a region. */
    public record Estimate(long cycles, long timePs, double fractionOfPeak, String limiter) {
    }

    private final ChipSimSpec config;
    private final D1ChipSpec spec;
    private final Map<String, FutureTask<Estimate>> cache = new ConcurrentHashMap<>(); // one computation per key, however many threads ask
    private final boolean simulateMisses;
    private final ChipSimSpec defaultMachine;
    private volatile ChipComputeModel defaultModel;
    private volatile String fingerprint;
    private final java.util.concurrent.atomic.AtomicLong tableHits = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong nearestMisses = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong simulatedMisses = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong defaultMachineMisses = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong rooflineMisses = new java.util.concurrent.atomic.AtomicLong();

    /**
     * How far a miss may be from a measured share and still take its ratio: the sum of |ln| ratios of
     * m, n and k, here ln 2 (the three ratios multiply to at most 2); farther misses keep the roofline.
     */
    public static final double NEAREST_REACH = Math.log(2);

    public ChipComputeModel(ChipSimSpec config) {
        this(config, false);
    }

    /** @param simulateMisses at {@code calibrated} fidelity, simulate a share missing from the table instead of scaling the roofline */
    public ChipComputeModel(ChipSimSpec config, boolean simulateMisses) {
        this(config, simulateMisses, null);
    }

    /**
     * @param simulateMisses at {@code calibrated} fidelity, simulate a share missing from the table instead of scaling the roofline
     * @param defaultMachine the machine the shipped table measured ({@code D1Binding.defaultChipSim()}), whose
     *                       ratios a machine with none of its own within reach borrows; null to borrow none
     */
    public ChipComputeModel(ChipSimSpec config, boolean simulateMisses, ChipSimSpec defaultMachine) {
        this.config = config;
        this.spec = config.die();
        this.simulateMisses = simulateMisses;
        this.defaultMachine = defaultMachine;
    }

    /** @return {@link ChipCalibration#fingerprint} of this machine */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = ChipCalibration.fingerprint(config);
            fingerprint = f;
        }
        return f;
    }

    public D1ChipSpec spec() {
        return spec;
    }

    /**
     * @param nodes region size, 1 .. active nodes; {@code cycle} fidelity needs the whole die
     * @throws io.dojosim.core.config.ConfigException for a bad region or a shape that does not fit
     */
    public Estimate gemm(long m, long n, long k, DType t, int nodes, Fidelity f) {
        Check.require(nodes >= 1 && nodes <= spec.activeNodes(), "region of " + nodes + " nodes: must be in [1, " + spec.activeNodes() + "]");
        String key = f + ":" + m + "x" + n + "x" + k + ":" + t + ":" + nodes;
        FutureTask<Estimate> task = cache.get(key);
        if (task == null) {
            FutureTask<Estimate> mine = new FutureTask<>(() -> f == Fidelity.ROOFLINE ? roofline(m, n, k, t, nodes)
                    : f == Fidelity.CYCLE ? cycle(m, n, k, t, nodes) : calibrated(m, n, k, t, nodes));
            task = cache.putIfAbsent(key, mine);
            if (task == null) {
                task = mine;
                mine.run(); // a second thread asking for the same key waits below instead of computing it again
            }
        }
        try {
            return task.get();
        } catch (ExecutionException ex) {
            Throwable c = ex.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error er) throw er;
            throw new IllegalStateException(c);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a chip timing", ex);
        }
    }

    private Estimate cycle(long m, long n, long k, DType t, int nodes) {
        Check.require(nodes == spec.activeNodes(), "cycle fidelity times whole dies only (" + spec.activeNodes()
                + " nodes); use roofline for a region of " + nodes);
        ChipResult r = ChipSimulation.gemm(config, m, n, k, t);
        ChipCalibration.record(new ChipCalibration.Entry(fingerprint(), t, m, n, k, r.cycles(), r.fractionOfPeak(), r.limiter()));
        return new Estimate(r.cycles(), r.timePs(), r.fractionOfPeak(), r.limiter());
    }

    private Estimate calibrated(long m, long n, long k, DType t, int nodes) {
        if (nodes != spec.activeNodes()) {
            return gemm(m, n, k, t, nodes, Fidelity.ROOFLINE);
        }
        ChipCalibration.Entry e = ChipCalibration.lookup(fingerprint(), t, m, n, k);
        if (e != null) {
            tableHits.incrementAndGet();
            return new Estimate(e.cycles(), spec.node().clock().cyclesToPs(e.cycles()), e.fractionOfPeak(), e.limiter());
        }
        if (simulateMisses) {
            simulatedMisses.incrementAndGet();
            return gemm(m, n, k, t, nodes, Fidelity.CYCLE);
        }
        Estimate r = gemm(m, n, k, t, nodes, Fidelity.ROOFLINE);
        double ratio = calibrationRatio(m, n, k, t);
        if (!Double.isNaN(ratio)) {
            nearestMisses.incrementAndGet();
        } else {
            ratio = defaultMachineRatio(m, n, k, t);
            if (Double.isNaN(ratio)) {
                rooflineMisses.incrementAndGet();
                return r;
            }
            defaultMachineMisses.incrementAndGet();
        }
        long cycles = Math.max(1, Math.round(r.cycles() * ratio));
        return new Estimate(cycles, spec.node().clock().cyclesToPs(cycles), r.fractionOfPeak() * r.cycles() / cycles, r.limiter());
    }

    /**
     * @return distinct whole-die shares answered at {@code calibrated} fidelity so far: {table hits,
     * misses scaled from the nearest measured share, misses simulated at cycle fidelity, misses out
     * of reach of any measured share (roofline), misses scaled from the nearest share measured on
     * the default machine}
     */
    public long[] calibrationCounts() {
        return new long[] {tableHits.get(), nearestMisses.get(), simulatedMisses.get(), rooflineMisses.get(), defaultMachineMisses.get()};
    }

    /**
     * @return the {@link #calibrationRatio} of the default machine for this share, for a machine that
     * is not the default one; NaN when this is the default machine, none was given, or none of its
     * shares lies within reach
     */
    public double defaultMachineRatio(long m, long n, long k, DType t) {
        if (defaultMachine == null) return Double.NaN;
        ChipComputeModel d = defaultModel;
        if (d == null) {
            d = new ChipComputeModel(defaultMachine);
            defaultModel = d;
        }
        if (d.fingerprint().equals(fingerprint())) return Double.NaN;
        return d.calibrationRatio(m, n, k, t);
    }

    /**
     * @return cycle / roofline cycles of the nearest measured whole-die share of this machine and
     * type; NaN when none lies within {@link #NEAREST_REACH}
     */
    public double calibrationRatio(long m, long n, long k, DType t) {
        double best = Double.MAX_VALUE;
        ChipCalibration.Entry near = null;
        for (ChipCalibration.Entry e : ChipCalibration.entries(fingerprint(), t)) {
            double d = Math.abs(Math.log((double) e.m() / m)) + Math.abs(Math.log((double) e.n() / n)) + Math.abs(Math.log((double) e.k() / k));
            if (d < best) {
                best = d;
                near = e;
            }
        }
        if (near == null || best > NEAREST_REACH) return Double.NaN;
        Estimate r = gemm(near.m(), near.n(), near.k(), t, spec.activeNodes(), Fidelity.ROOFLINE);
        return (double) near.cycles() / r.cycles();
    }

    private Estimate roofline(long m, long n, long k, DType t, int nodes) {
        NodeParams p = spec.node();
        ChipParams cp = spec.chip();
        int w = (int) Math.max(1, Math.round(Math.sqrt(nodes * (double) cp.meshWidth() / cp.meshHeight())));
        int h = (int) Math.max(1, (nodes + w - 1) / w);
        int panelK = cp.gemmPanelK();
        ChipKernels.GemmPlan plan = nodes == spec.activeNodes() ? ChipKernels.plan(p, cp.shape(), m, n, k, t, panelK, cp.gemmGrid().equals("rectangle"))
                : ChipKernels.plan(p, nodes, w, h, m, n, k, t, panelK);
        long opsPerCycle = t.onMatrixPipe() ? p.matrixBlocksPerCycle() : 1;
        long computePerStep = (plan.maxLocalOps() / plan.steps() + opsPerCycle - 1) / opsPerCycle;
        long mr = (m + plan.rows() - 1) / plan.rows();
        long nc = (n + plan.cols() - 1) / plan.cols();
        long panelBytes = (mr + nc) * Math.min(panelK, k) * t.bytes();
        long commPerStep = plan.rows() * plan.cols() > 1 ? (panelBytes + p.routerReadBytesPerCycle() - 1) / p.routerReadBytesPerCycle() : 0;
        long drain = p.matrixLatencyCycles() + p.sramLatencyCycles() + 4L * p.semaphoreCycles();
        long hop = 3; // router + link + ejection per hop at zero load (noc defaults)
        long chunkCycles = ChipKernels.CHUNK_BYTES / p.routerReadBytesPerCycle();
        long fill = plan.rows() * plan.cols() > 1 ? Math.max(plan.rows(), plan.cols()) * (chunkCycles + hop) : 0;
        long perStep = Math.max(computePerStep, commPerStep) + drain;
        long cycles = fill + plan.steps() * perStep;
        double peakPerCycle = (double) nodes * p.peakFlopsPerCycle(t);
        double fraction = plan.usefulFlops() / (cycles * peakPerCycle);
        String limiter = commPerStep > computePerStep ? "router port / mesh: panels take longer than the matrix work"
                : plan.usedNodes() < 0.9 * nodes ? "imbalance: " + plan.usedNodes() + " of " + nodes + " nodes in the grid"
                : fraction < 0.5 ? "pipeline fill and per-step drains (small shape)" : "matrix pipe";
        return new Estimate(cycles, p.clock().cyclesToPs(cycles), fraction, limiter);
    }
}
