package io.dojosim.workload;

import io.dojosim.core.config.Check;

/**
 * A 2-D convolution in NCHW terms: input N x C x H x W, K filters of C/groups x R x S, square
 * stride and zero padding. Output P x Q with P = (H + 2·padding - R) / stride + 1 (floor).
 *
 * <p>The backward operations of a convolution layer carry the layer's forward shape: the input
 * gradient (a transposed convolution) and the weight gradient (a correlation of input and output
 * gradient) each take the same 2·N·K·P·Q·(C/groups)·R·S FLOPs as the forward pass.
 *
 * @param n batch
 * @param c input channels
 * @param h input height
 * @param w input width
 * @param k output channels (filters)
 * @param r filter height
 * @param s filter width
 * @param stride stride in both directions
 * @param padding zero padding on each side in both directions
 * @param groups channel groups (1 for a dense convolution, C for depthwise)
 */
public record ConvShape(long n, long c, long h, long w, long k, long r, long s, int stride,
                        int padding, long groups) implements Shape {
    public ConvShape {
        Check.require(n >= 1 && c >= 1 && h >= 1 && w >= 1 && k >= 1 && r >= 1 && s >= 1,
                "convolution dimensions n, c, h, w, k, r, s must be >= 1, got n=" + n + " c=" + c
                        + " h=" + h + " w=" + w + " k=" + k + " r=" + r + " s=" + s);
        Check.require(stride >= 1, "convolution stride must be >= 1, got " + stride);
        Check.require(padding >= 0, "convolution padding must be >= 0, got " + padding);
        Check.require(groups >= 1 && c % groups == 0 && k % groups == 0,
                "convolution groups must be >= 1 and divide c=" + c + " and k=" + k + ", got " + groups);
        Check.require(h + 2L * padding >= r && w + 2L * padding >= s,
                "convolution filter " + r + "x" + s + " is larger than the padded input "
                        + (h + 2L * padding) + "x" + (w + 2L * padding));
    }

    /** Convenience for a dense convolution. */
    public static ConvShape dense(long n, long c, long h, long w, long k, long r, long s, int stride, int padding) {
        return new ConvShape(n, c, h, w, k, r, s, stride, padding, 1);
    }

    /** @return output height */
    public long p() {
        return (h + 2L * padding - r) / stride + 1;
    }

    /** @return output width */
    public long q() {
        return (w + 2L * padding - s) / stride + 1;
    }

    @Override
    public long flops(Phase phase) {
        return Shape.mul(2, n, k, p(), q(), c / groups, r, s);
    }

    @Override
    public ComputeKind kind() {
        return ComputeKind.CONVOLUTION;
    }

    /** @return elements of the input activation */
    public long inputElements() {
        return Shape.mul(n, c, h, w);
    }

    /** @return elements of the output activation */
    public long outputElements() {
        return Shape.mul(n, k, p(), q());
    }

    /** @return elements of the filter weights */
    public long weightElements() {
        return Shape.mul(k, c / groups, r, s);
    }
}
