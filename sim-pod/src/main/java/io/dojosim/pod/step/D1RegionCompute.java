package io.dojosim.pod.step;

import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.d1.kernel.GemmTiling;
import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.ConvShape;
import io.dojosim.workload.DataType;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times a compute operation spread over every active node of a region of chips, from sim-d1's
 * models: matrix work through {@link ChipComputeModel} (SUMMA on the die mesh, 8x8x4 blocks with
 * padded edges, panel traffic through the router port), vector work from the node's published
 * SIMD and SRAM port widths.
 *
 * <pre>
 *   matrix work (GEMM, convolution as implicit GEMM, attention as two batched GEMMs):
 *     batch items go to chips first, then to node subsets of a chip; a product bigger than its
 *     share is split along M across chips; each chip's share is a ChipComputeModel estimate
 *   vector work (elementwise, normalization, optimizer, other):
 *     per node: FLOPs / (2 x FMA per cycle of the type), SRAM bytes over the ports; the larger wins
 * </pre>
 *
 * <p>Fidelity ({@code run.computeFidelity}): {@code roofline} times each chip's share
 * analytically (sim-d1's roofline); {@code cycle} runs sim-d1's cycle-level chip simulation
 * (every node, the flit mesh) for each distinct whole-die share, as {@code dojosim kernel} does,
 * which costs seconds per distinct shape; {@code calibrated} reads the cycle-level answers of the
 * same machine from sim-d1's table (ADR 0088). Shares smaller than a die stay at roofline fidelity
 * (the cycle-level kernels map whole dies only).
 *
 * <p>Caveats: operands are assumed resident in the region (tensor-parallel exchanges between
 * chips are separate operations of the executor). Cached per (operation, chips); safe to call
 * from several threads (each answer is a pure function of its key).
 */
public final class D1RegionCompute implements RegionComputeModel {
    private final NodeParams p;
    private final int nodesPerChip;
    private final long periodPs;
    private final ChipComputeModel chipModel;
    private final ChipComputeModel.Fidelity dieFidelity;
    private final Map<String, StepBackend.ComputeTiming> cache = new ConcurrentHashMap<>();

    /** At roofline fidelity. */
    public D1RegionCompute(ChipComputeModel chipModel) {
        this(chipModel, ChipComputeModel.Fidelity.ROOFLINE);
    }

    /** @param dieFidelity how a whole die's share of matrix work is timed */
    public D1RegionCompute(ChipComputeModel chipModel, ChipComputeModel.Fidelity dieFidelity) {
        this.chipModel = chipModel;
        this.dieFidelity = dieFidelity;
        this.p = chipModel.spec().node();
        this.nodesPerChip = chipModel.spec().activeNodes();
        this.periodPs = p.clock().periodPs();
    }

    /** @return the chip model answering whole-die shares */
    public ChipComputeModel chipModel() {
        return chipModel;
    }

    /** @return how a whole die's share of matrix work is timed */
    public ChipComputeModel.Fidelity dieFidelity() {
        return dieFidelity;
    }

    static DType dtype(DataType t) {
        switch (t) {
            case BF16: return DType.BF16;
            case FP16: return DType.FP16;
            case CFP8: return DType.CFP8;
            case INT8: return DType.INT8;
            default: return DType.FP32;
        }
    }

    @Override
    public StepBackend.ComputeTiming time(ComputeOp op, int chips) {
        return cached(opKey(op) + chips, () -> compute(op, chips));
    }

    /** @return the key of the operation's timing, up to the region ({@code chips} or {@code nodes}) that is appended */
    static String opKey(ComputeOp op) {
        return op.kind() + "|" + op.shape() + "|" + op.dataType() + "|" + op.flops() + "|" + op.inputBytes() + "|"
                + op.outputBytes() + "|" + op.weightBytes() + "|" + op.phase() + "|";
    }

    /** @return the timing cached under {@code key}, computed and kept on its first use */
    private StepBackend.ComputeTiming cached(String key, java.util.function.Supplier<StepBackend.ComputeTiming> timing) {
        StepBackend.ComputeTiming t = cache.get(key);
        if (t == null) {
            t = timing.get();
            cache.put(key, t);
        }
        return t;
    }

    private StepBackend.ComputeTiming compute(ComputeOp op, long chips) {
        long nodes = chips * nodesPerChip;
        DType t = dtype(op.dataType());
        StepBackend.ComputeTiming shaped = shapedMatrix(op, (g, m, n, k) -> matrix(g, m, n, k, t, chips));
        if (shaped != null) {
            return shaped;
        }
        if (op.kind() == ComputeKind.GEMM || op.kind() == ComputeKind.CONVOLUTION || op.kind() == ComputeKind.ATTENTION) {
            // matrix work known only by its FLOPs: full-efficiency matrix pipe, bounded by its bytes
            return vectorOrMatrixByFlops(op, t, nodes, t.onMatrixPipe());
        }
        return vectorOrMatrixByFlops(op, t, nodes, false);
    }

    /** Times {@code groups} independent {@code m x n x k} matrix products on one region. */
    @FunctionalInterface
    private interface MatrixTimer {
        StepBackend.ComputeTiming time(long groups, long m, long n, long k);
    }

    /**
     * @return the timing of a shaped operation as matrix products timed by {@code matrix}: a GEMM as
     * itself, a convolution as its implicit GEMM per group, attention as QK^T (seq x kvSeq x
     * headDim) then PV (seq x headDim x kvSeq) batched over batch x heads, scaled to the
     * operation's FLOPs (the backward input gradient does both products twice); null when the
     * operation has no shape
     */
    private static StepBackend.ComputeTiming shapedMatrix(ComputeOp op, MatrixTimer matrix) {
        Shape s = op.shape();
        if (s instanceof GemmShape g) {
            return matrix.time(g.batch(), g.m(), g.n(), g.k());
        }
        if (s instanceof ConvShape c) {
            return matrix.time(c.groups(), c.n() * c.p() * c.q(), c.k() / c.groups(), (c.c() / c.groups()) * c.r() * c.s());
        }
        if (s instanceof AttentionShape a) {
            double scale = (double) op.flops() / (4.0 * a.batch() * a.heads() * a.seq() * a.kvSeq() * a.headDim());
            StepBackend.ComputeTiming qk = matrix.time(a.batch() * a.heads(), a.seq(), a.kvSeq(), a.headDim());
            StepBackend.ComputeTiming pv = matrix.time(a.batch() * a.heads(), a.seq(), a.headDim(), a.kvSeq());
            return new StepBackend.ComputeTiming(Math.round((qk.busyPs() + pv.busyPs()) * scale),
                    Math.round((qk.matrixBusyPs() + pv.matrixBusyPs()) * scale), 0,
                    Math.round((qk.sramBusyPs() + pv.sramBusyPs()) * scale), qk.limiter());
        }
        return null;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Matrix work of {@code batch} independent {@code m x n x k} products on a region of chips. Batch
     * items go to chips first, then to node subsets of a chip; a product larger than its share is
     * split along M across chips; each chip's share is timed by sim-d1's {@link ChipComputeModel}
     * (SUMMA on the die's mesh at roofline fidelity).
     */
    private StepBackend.ComputeTiming matrix(long batch, long m, long n, long k, DType t, long chips) {
        int dieNodes = nodesPerChip;
        long itemsPerChip = ceilDiv(batch, chips);
        Spread sp;
        if (batch >= chips) {
            sp = spread(itemsPerChip, dieNodes, m, n, k, t, dieFidelity);
        } else {
            long chipsPerItem = chips / batch;
            sp = new Spread(chipModel.gemm(ceilDiv(m, chipsPerItem), n, k, t, dieNodes, dieFidelity), 1);
        }
        return timing(sp, Math.max(1, (long) Math.ceil((double) batch * m / chips)), n, k, t, dieNodes);
    }

    /** Products timed by sim-d1 ({@code e}), run {@code repeats} times one after the other on each node subset. */
    private record Spread(ChipComputeModel.Estimate e, long repeats) {
    }

    /**
     * Spreads {@code items} independent {@code m x n x k} products over {@code nodes} nodes of one
     * die: one node each, in rounds, when there are at least as many items as nodes; else equal node
     * subsets, timed at {@code wholeDie} fidelity when a subset is all the nodes and at roofline
     * otherwise.
     */
    private Spread spread(long items, int nodes, long m, long n, long k, DType t, ChipComputeModel.Fidelity wholeDie) {
        if (items >= nodes) {
            return new Spread(chipModel.gemm(m, n, k, t, 1, ChipComputeModel.Fidelity.ROOFLINE), ceilDiv(items, nodes));
        }
        int nodesPerItem = (int) Math.max(1, nodes / items);
        return new Spread(chipModel.gemm(m, n, k, t, nodesPerItem,
                nodesPerItem == nodes ? wholeDie : ChipComputeModel.Fidelity.ROOFLINE), ceilDiv(items, nodes / nodesPerItem));
    }

    /**
     * @return the timing of {@code sp} on a region of {@code nodes} nodes of one die, whose SRAM time
     * is that of a node's operand panels and C tile of the region's {@code rows x n x k} share,
     * through the load and store ports
     */
    private StepBackend.ComputeTiming timing(Spread sp, long rows, long n, long k, DType t, long nodes) {
        long busy = sp.e().timePs() * sp.repeats();
        long pipeBusy = Math.round(busy * sp.e().fractionOfPeak());
        long side = Math.max(1, (long) Math.sqrt((double) nodes));
        GemmTiling.Work w = GemmTiling.tile(p, t, ceilDiv(rows, side), ceilDiv(n, Math.max(1, nodes / side)), k, false);
        long sram = Math.max(ceilDiv(w.loadBytes(), (long) p.sramLoadPorts() * p.sramPortBytes()),
                ceilDiv(w.storeBytes(), (long) p.sramStorePorts() * p.sramPortBytes())) * periodPs;
        return new StepBackend.ComputeTiming(busy, t.onMatrixPipe() ? pipeBusy : 0, t.onMatrixPipe() ? 0 : pipeBusy,
                Math.min(sram, busy), limiter(sp.e().limiter()));
    }

    /** @return a one-word limiter from sim-d1's sentence */
    static String limiter(String sentence) {
        if (sentence.startsWith("router port")) return "mesh";
        if (sentence.startsWith("imbalance")) return "imbalance";
        if (sentence.startsWith("pipeline fill")) return "latency";
        return "matrix";
    }

    private StepBackend.ComputeTiming vectorOrMatrixByFlops(ComputeOp op, DType t, long nodes, boolean matrixPipe) {
        long flopsPerNode = ceilDiv(op.flops(), nodes);
        long perCycle = matrixPipe ? p.peakFlopsPerCycle(t) : 2L * p.simdFmaPerInstruction(t);
        long pipe = ceilDiv(flopsPerNode, perCycle);
        long load = ceilDiv(ceilDiv(op.inputBytes() + op.weightBytes(), nodes), (long) p.sramLoadPorts() * p.sramPortBytes());
        long store = ceilDiv(ceilDiv(op.outputBytes(), nodes), (long) p.sramStorePorts() * p.sramPortBytes());
        long bound = Math.max(pipe, Math.max(load, store));
        if (bound == 0) {
            return new StepBackend.ComputeTiming(0, 0, 0, 0, "none");
        }
        String limiter = bound == pipe ? (matrixPipe ? "matrix" : "simd") : "sram";
        long fill = (matrixPipe ? p.matrixLatencyCycles() : p.simdLatencyCycles()) + p.sramLatencyCycles();
        long busy = pipe * periodPs;
        return new StepBackend.ComputeTiming((bound + fill) * periodPs, matrixPipe ? busy : 0, matrixPipe ? 0 : busy,
                Math.max(load, store) * periodPs, limiter);
    }

    /**
     * Times the operation on a region of {@code nodes} nodes of one chip (a rank placed on a node
     * region, {@code run.rankPlacement = nodes:n}): matrix work as on a die of that many nodes
     * (batch items spread over node subsets, each timed by sim-d1's roofline), vector work over
     * the region's nodes. A whole die's worth of nodes is {@link #time(ComputeOp, int)} on one chip
     * ({@code chipNodes} is ignored: the model knows its die).
     */
    @Override
    public StepBackend.ComputeTiming timeOnNodes(ComputeOp op, int nodes, int chipNodes) {
        if (nodes >= nodesPerChip) {
            return time(op, 1);
        }
        return cached(opKey(op) + "nodes " + nodes, () -> computeOnNodes(op, nodes));
    }

    private StepBackend.ComputeTiming computeOnNodes(ComputeOp op, int nodes) {
        DType t = dtype(op.dataType());
        StepBackend.ComputeTiming shaped = shapedMatrix(op, (g, m, n, k) -> matrixOnNodes(g, m, n, k, t, nodes));
        if (shaped != null) {
            return shaped;
        }
        boolean matrixKind = op.kind() == ComputeKind.GEMM || op.kind() == ComputeKind.CONVOLUTION || op.kind() == ComputeKind.ATTENTION;
        return vectorOrMatrixByFlops(op, t, nodes, matrixKind && t.onMatrixPipe());
    }

    /** {@code batch} products of m x n x k on a region of {@code nodes} nodes of one die, at roofline fidelity. */
    private StepBackend.ComputeTiming matrixOnNodes(long batch, long m, long n, long k, DType t, int nodes) {
        return timing(spread(batch, nodes, m, n, k, t, ChipComputeModel.Fidelity.ROOFLINE), Math.max(1, batch * m), n, k, t, nodes);
    }
}
