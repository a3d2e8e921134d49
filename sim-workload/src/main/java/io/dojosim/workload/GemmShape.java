package io.dojosim.workload;

import io.dojosim.core.config.Check;

/**
 * A (batched) matrix multiply C[b] (m x n) = A[b] (m x k) * B[b] (k x n).
 *
 * <p>Backward GEMMs carry the shape of the product actually computed (for Y = X W with X m x k and
 * W k x n: input gradient m x k x n, weight gradient k x n x m), so FLOPs are 2·b·m·n·k in every
 * phase.
 *
 * @param batch independent products (1 for a plain GEMM)
 * @param m rows of A and C
 * @param n columns of B and C
 * @param k reduction dimension
 */
public record GemmShape(long batch, long m, long n, long k) implements Shape {
    public GemmShape {
        Check.require(batch >= 1, "GEMM batch must be >= 1, got " + batch);
        Check.require(m >= 1 && n >= 1 && k >= 1,
                "GEMM dimensions m, n, k must be >= 1, got m=" + m + " n=" + n + " k=" + k);
    }

    @Override
    public long flops(Phase phase) {
        return Shape.mul(2, batch, m, n, k);
    }

    @Override
    public ComputeKind kind() {
        return ComputeKind.GEMM;
    }

    /** @return elements of A (m x k per batch) */
    public long aElements() {
        return Shape.mul(batch, m, k);
    }

    /** @return elements of B (k x n per batch) */
    public long bElements() {
        return Shape.mul(batch, k, n);
    }

    /** @return elements of C (m x n per batch) */
    public long cElements() {
        return Shape.mul(batch, m, n);
    }
}
