package io.dojosim.workload;

import io.dojosim.core.config.Check;

/**
 * The core of scaled dot-product attention for {@code batch} sequences and {@code heads} heads:
 * scores S = Q K^T (seq x kvSeq per head, reduction headDim) and context O = softmax(S) V.
 * Projections (Q, K, V, output) are separate GEMM operations.
 *
 * <p>FLOPs: forward 4·batch·heads·seq·kvSeq·headDim (two GEMMs); {@link Phase#BACKWARD_INPUT_GRAD}
 * twice that (dV, dP, dQ, dK); attention has no weights, so it never appears in the weight-gradient
 * phase. The softmax is counted as a separate elementwise operation. Caveats: causal masking is not
 * taken into account (as in Narayanan et al. 2021's FLOP formula).
 *
 * @param batch sequences
 * @param heads attention heads
 * @param seq query length
 * @param kvSeq key/value length (equal to seq for self-attention)
 * @param headDim dimension of one head
 */
public record AttentionShape(long batch, long heads, long seq, long kvSeq, long headDim) implements Shape {
    public AttentionShape {
        Check.require(batch >= 1 && heads >= 1 && seq >= 1 && kvSeq >= 1 && headDim >= 1,
                "attention batch, heads, seq, kvSeq, headDim must be >= 1, got batch=" + batch
                        + " heads=" + heads + " seq=" + seq + " kvSeq=" + kvSeq + " headDim=" + headDim);
    }

    /** Self-attention: kvSeq = seq. */
    public static AttentionShape self(long batch, long heads, long seq, long headDim) {
        return new AttentionShape(batch, heads, seq, seq, headDim);
    }

    @Override
    public long flops(Phase phase) {
        long forward = Shape.mul(4, batch, heads, seq, kvSeq, headDim);
        return phase == Phase.BACKWARD_INPUT_GRAD ? Math.multiplyExact(2, forward) : forward;
    }

    @Override
    public ComputeKind kind() {
        return ComputeKind.ATTENTION;
    }
}
