package io.dojosim.d1.kernel;

import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;

/**
 * The GEMM micro-kernel of one node: how a local C tile of {@code m x n} with reduction depth
 * {@code k} turns into matrix blocks (or SIMD instructions for FP32) and SRAM traffic.
 *
 * <p>Register blocking: the node keeps an {@code a x b} group of 8x8 output blocks in the matrix
 * accumulators ({@code a * b <= d1.node.matrixAccumulatorBlocks}) and, per step of 4 along K, loads
 * an A panel of {@code a} 64 B vectors and a B panel of {@code b} vectors ({@code 2(a + b)} vector
 * registers double-buffered, at most {@code d1.node.vectorRegistersPerThread}). Partial blocks at the
 * edges of a dimension that is not a multiple of 8 (or 4 along K) are padded: they cost a full
 * block, which is the efficiency cliff of small shapes. FP32 runs on the SIMD pipe: one instruction
 * is 16 FMAs along a row of C, rows padded to 16 lanes.
 *
 * <p>Caveats: the blocking is a plausible choice, not Tesla's compiler's; the A and B panels are
 * re-read from SRAM for every macro tile (no reuse across macro tiles).
 */
public final class GemmTiling {
    private GemmTiling() {
    }

    /** Work of one local tile: pipe operations, SRAM bytes and useful FLOPs. */
    public record Work(long ops, long loadBytes, long storeBytes, long usefulFlops, long macroTiles) {
    }

    /** @return the register blocking (blocks of 8 along M, along N) */
    public static int[] blocking(NodeParams p) {
        int best = 1;
        for (int a = 1; a * a <= p.matrixAccumulatorBlocks(); a++) {
            if (4 * a <= p.vectorRegistersPerThread()) {
                best = a;
            }
        }
        return new int[] {best, best};
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** @return output element bytes: BF16 for the matrix types, FP32 for FP32 */
    public static int outBytes(DType t) {
        return t == DType.FP32 ? 4 : 2;
    }

    /**
     * @param partialC   C partial sums (FP32) are read before and written after this step
     *                   (a K-panel step of a distributed GEMM); otherwise C is written once at
     *                   output precision
     */
    public static Work tile(NodeParams p, DType t, long m, long n, long k, boolean partialC) {
        int[] ab = blocking(p);
        int bm = p.matrixBlockM(), bn = p.matrixBlockN(), bk = p.matrixBlockK();
        long tileRows = (long) ab[0] * bm;
        long tileCols = (long) ab[1] * bn;
        long tilesM = ceilDiv(m, tileRows);
        long tilesN = ceilDiv(n, tileCols);
        long e = t.bytes();
        long useful = 2L * m * n * k;
        long cBytes = partialC ? 4 : outBytes(t);
        if (t.onMatrixPipe()) {
            long mb = ceilDiv(m, bm), nb = ceilDiv(n, bn), kb = ceilDiv(k, bk);
            long blocks = mb * nb * kb;
            long load = kb * bk * e * (mb * bm * tilesN + nb * bn * tilesM);
            long padded = mb * bm * nb * bn;
            if (partialC) load += padded * 4;
            return new Work(blocks, load, padded * cBytes, useful, tilesM * tilesN);
        }
        int lanes = p.fp32FmaPerCycle();
        long instr = m * ceilDiv(n, lanes) * k;
        long load = k * e * (m * tilesN + n * tilesM);
        if (partialC) load += m * n * 4;
        return new Work(instr, load, m * n * cBytes, useful, tilesM * tilesN);
    }
}
