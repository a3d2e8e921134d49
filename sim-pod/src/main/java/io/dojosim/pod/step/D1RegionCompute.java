package io.dojosim.pod.step;

import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.kernel.GemmTiling;
import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.ConvShape;
import io.dojosim.workload.DataType;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Times a compute operation spread over every active node of a region of chips, from the D1 node
 * model's GEMM micro-kernel ({@link GemmTiling}: 8x8x4 matrix blocks with register blocking, edge
 * blocks padded) and the node's published pipe and port widths.
 *
 * <pre>
 *   matrix work (GEMM, convolution as implicit GEMM, attention as two batched GEMMs):
 *     batch items go to nodes first; a product is split over a px x py grid of nodes
 *     (px * py <= nodes per item, chosen to minimise the padded local work);
 *     per node: matrix cycles = blocks / blocksPerCycle, SRAM load and store cycles over the
 *     64 B ports, mesh cycles = operand panels received through the 64 B/cycle router write port;
 *     time = max(matrix, load, store, mesh) + matrix and SRAM latency (one pipeline fill)
 *   vector work (elementwise, normalization, optimizer, other):
 *     per node: FLOPs / (2 x FMA per cycle of the type), SRAM bytes over the ports; the larger wins
 * </pre>
 *
 * <p>Caveats: analytic, not the cycle-level node simulation (which {@code dojosim kernel} runs); the
 * grid split assumes operands start distributed across the region and that operand traffic between
 * chips is no slower than the mesh (die-to-die edges carry about 2 TB/s, the mesh bisection about
 * 2.3 TB/s at 64 B/cycle). Results are cached per (operation shape, data type, chips).
 */
public final class D1RegionCompute implements RegionComputeModel {
    private final NodeParams p;
    private final int nodesPerChip;
    private final long periodPs;
    private final Map<String, StepBackend.ComputeTiming> cache = new HashMap<>();

    public D1RegionCompute(NodeParams p, int nodesPerChip) {
        this.p = p;
        this.nodesPerChip = nodesPerChip;
        this.periodPs = p.clock().periodPs();
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
        String key = op.kind() + "|" + op.shape() + "|" + op.dataType() + "|" + op.flops() + "|" + op.inputBytes() + "|"
                + op.outputBytes() + "|" + op.weightBytes() + "|" + op.phase() + "|" + chips;
        StepBackend.ComputeTiming t = cache.get(key);
        if (t == null) {
            t = compute(op, (long) chips * nodesPerChip);
            cache.put(key, t);
        }
        return t;
    }

    private StepBackend.ComputeTiming compute(ComputeOp op, long nodes) {
        Shape s = op.shape();
        DType t = dtype(op.dataType());
        if (s instanceof GemmShape) {
            GemmShape g = (GemmShape) s;
            return matrix(g.batch(), g.m(), g.n(), g.k(), t, nodes);
        }
        if (s instanceof ConvShape) {
            ConvShape c = (ConvShape) s;
            long m = c.n() * c.p() * c.q();
            long n = c.k() / c.groups();
            long k = (c.c() / c.groups()) * c.r() * c.s();
            return matrix(c.groups(), m, n, k, t, nodes);
        }
        if (s instanceof AttentionShape) {
            AttentionShape a = (AttentionShape) s;
            // QK^T (seq x kvSeq x headDim) then PV (seq x headDim x kvSeq), batched over batch x heads;
            // the backward input gradient does both products twice (the shape's FLOPs say so)
            double scale = (double) op.flops() / (4.0 * a.batch() * a.heads() * a.seq() * a.kvSeq() * a.headDim());
            StepBackend.ComputeTiming qk = matrix(a.batch() * a.heads(), a.seq(), a.kvSeq(), a.headDim(), t, nodes);
            StepBackend.ComputeTiming pv = matrix(a.batch() * a.heads(), a.seq(), a.headDim(), a.kvSeq(), t, nodes);
            return new StepBackend.ComputeTiming(Math.round((qk.busyPs() + pv.busyPs()) * scale),
                    Math.round((qk.matrixBusyPs() + pv.matrixBusyPs()) * scale), 0,
                    Math.round((qk.sramBusyPs() + pv.sramBusyPs()) * scale), qk.limiter());
        }
        if (op.kind() == ComputeKind.GEMM || op.kind() == ComputeKind.CONVOLUTION || op.kind() == ComputeKind.ATTENTION) {
            // matrix work known only by its FLOPs: full-efficiency matrix pipe, bounded by its bytes
            return vectorOrMatrixByFlops(op, t, nodes, t.onMatrixPipe());
        }
        return vectorOrMatrixByFlops(op, t, nodes, false);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private StepBackend.ComputeTiming matrix(long batch, long m, long n, long k, DType t, long nodes) {
        long itemsPerNode;
        long px;
        long py;
        if (batch >= nodes) {
            itemsPerNode = ceilDiv(batch, nodes);
            px = 1;
            py = 1;
        } else {
            itemsPerNode = 1;
            long perItem = nodes / batch;
            long[] grid = bestGrid(m, n, k, t, perItem);
            px = grid[0];
            py = grid[1];
        }
        long ml = ceilDiv(m, px);
        long nl = ceilDiv(n, py);
        GemmTiling.Work w = GemmTiling.tile(p, t, ml, nl, k, false);
        long pipeCycles = t.onMatrixPipe() ? ceilDiv(w.ops(), p.matrixBlocksPerCycle()) : w.ops();
        long load = ceilDiv(w.loadBytes(), (long) p.sramLoadPorts() * p.sramPortBytes());
        long store = ceilDiv(w.storeBytes(), (long) p.sramStorePorts() * p.sramPortBytes());
        long operandBytes = (px > 1 || py > 1) ? (ml * k * (py > 1 ? 1 : 0) + k * nl * (px > 1 ? 1 : 0)) * t.bytes() : 0;
        long mesh = ceilDiv(operandBytes, p.routerWriteBytesPerCycle());
        pipeCycles *= itemsPerNode;
        load *= itemsPerNode;
        store *= itemsPerNode;
        mesh *= itemsPerNode;
        long bound = Math.max(Math.max(pipeCycles, load), Math.max(store, mesh));
        String limiter = bound == pipeCycles ? (t.onMatrixPipe() ? "matrix" : "simd")
                : bound == mesh ? "mesh" : "sram";
        long fill = (t.onMatrixPipe() ? p.matrixLatencyCycles() : p.simdLatencyCycles()) + p.sramLatencyCycles();
        long cycles = bound + fill;
        long busy = pipeCycles * periodPs;
        return new StepBackend.ComputeTiming(cycles * periodPs, t.onMatrixPipe() ? busy : 0, t.onMatrixPipe() ? 0 : busy,
                Math.max(load, store) * periodPs, limiter);
    }

    /** @return the px x py grid (px * py <= nodes) with the least padded local work */
    private long[] bestGrid(long m, long n, long k, DType t, long nodes) {
        long bestPx = 1;
        long bestPy = 1;
        long bestCost = Long.MAX_VALUE;
        for (long px = 1; px <= nodes && px <= m; px++) {
            long py = Math.min(nodes / px, n);
            long ml = ceilDiv(m, px);
            long nl = ceilDiv(n, py);
            // padded blocks of the local product plus its operand panels (both in block units)
            long cost = ceilDiv(ml, 8) * ceilDiv(nl, 8) * ceilDiv(k, 4) + (ml + nl) * ceilDiv(k, 4) / 64;
            if (cost < bestCost) {
                bestCost = cost;
                bestPx = px;
                bestPy = py;
            }
        }
        return new long[] {bestPx, bestPy};
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
}
