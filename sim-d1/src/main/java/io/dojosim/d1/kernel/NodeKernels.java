package io.dojosim.d1.kernel;

import io.dojosim.core.config.Check;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.node.NodeProgram;

/**
 * Synthetic kernels for one node, as micro-operation programs: a GEMM with operands resident in
 * SRAM and a streaming vector kernel.
 *
 * <p>Caveats: every macro tile is one MATRIX (or VECTOR) micro-op followed by one STORE of its
 * output; macro tiles go round-robin to the compute threads, so a store of one thread overlaps the
 * matrix work of the other.
 */
public final class NodeKernels {
    private NodeKernels() {
    }

    /** Compute threads of the node GEMM (Tesla: typically 1-2 compute threads; HC34-U). */
    public static final int GEMM_THREADS = 2;

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * C (m x n) = A (m x k) x B (k x n), all resident in SRAM; C is written at output precision.
     *
     * @throws io.dojosim.core.config.ConfigException if a dimension is below 1; the node reports
     *                                                   a program that does not fit its SRAM
     */
    public static NodeProgram gemm(NodeParams p, long m, long n, long k, DType t) {
        Check.require(m >= 1 && n >= 1 && k >= 1, "gemm: m, n and k must be >= 1, were " + m + ", " + n + ", " + k);
        int threads = Math.min(GEMM_THREADS, p.threads());
        NodeProgram.Builder b = NodeProgram.builder("gemm " + m + "x" + n + "x" + k + " " + t.key(), threads);
        b.alloc("A", m * k * t.bytes());
        b.alloc("B", k * n * t.bytes());
        b.alloc("C", m * n * GemmTiling.outBytes(t));
        int[] ab = GemmTiling.blocking(p);
        long tileRows = (long) ab[0] * p.matrixBlockM();
        long tileCols = (long) ab[1] * p.matrixBlockN();
        int next = 0;
        for (long i = 0; i < m; i += tileRows) {
            long rows = Math.min(tileRows, m - i);
            for (long j = 0; j < n; j += tileCols) {
                long cols = Math.min(tileCols, n - j);
                GemmTiling.Work w = GemmTiling.tile(p, t, rows, cols, k, false);
                NodeProgram.ThreadBuilder tb = b.thread(next);
                if (t.onMatrixPipe()) {
                    tb.matrix(t, w.ops(), w.loadBytes(), 0);
                } else {
                    tb.vector(t, w.ops(), w.loadBytes(), 0);
                }
                tb.store(w.storeBytes());
                next = (next + 1) % threads;
            }
        }
        return b.build();
    }

    /** Instructions per VECTOR micro-op of the streaming kernel. */
    public static final int VECTOR_CHUNK = 1024;

    /**
     * y = a * x + y over {@code elements} elements resident in SRAM: per 64 B of y, one SIMD FMA,
     * two 64 B loads (x and y) and one 64 B store, split over two threads in chunks.
     */
    public static NodeProgram vector(NodeParams p, long elements, DType t) {
        Check.require(elements >= 1, "vector: elements must be >= 1");
        int threads = Math.min(2, p.threads());
        NodeProgram.Builder b = NodeProgram.builder("axpy " + elements + " " + t.key(), threads);
        b.alloc("x", elements * t.bytes());
        b.alloc("y", elements * t.bytes());
        long lanes = p.simdFmaPerInstruction(t);
        long instr = ceilDiv(elements, lanes);
        long bytesPerInstr = (long) p.simdBytes();
        int next = 0;
        for (long s = 0; s < instr; s += VECTOR_CHUNK) {
            long c = Math.min(VECTOR_CHUNK, instr - s);
            b.thread(next).vector(t, c, 2 * c * bytesPerInstr, c * bytesPerInstr);
            next = (next + 1) % threads;
        }
        return b.build();
    }
}
