package io.dojosim.workload;

/**
 * The tensor shape of a compute operation, from which its FLOPs follow.
 *
 * <p>Convention: one multiply-accumulate counts as 2 FLOPs.
 */
public sealed interface Shape permits GemmShape, ConvShape, AttentionShape {

    /**
     * @param phase the phase of the operation that carries the shape
     * @return floating-point operations of the operation, 2 per multiply-accumulate
     */
    long flops(Phase phase);

    /** @return the compute kind this shape belongs to */
    ComputeKind kind();

    /** Multiplies with overflow detection; overflow is a user's mistake (absurd shape). */
    static long mul(long... factors) {
        long r = 1;
        for (long f : factors) {
            r = Math.multiplyExact(r, f);
        }
        return r;
    }
}
