package io.dojosim.workload;

import io.dojosim.core.config.Check;
import java.util.List;

/**
 * A compute operation: a kernel of a layer in one phase.
 *
 * <p>When a {@link Shape} is present the FLOPs are those of the shape (the record refuses any other
 * figure, so a file's {@code flops} field is checked against the shape). Bytes are the operation's
 * operands in HBM terms: activations read ({@code inputBytes}), written ({@code outputBytes}) and
 * weights read ({@code weightBytes}); the mapper decides what of it stays in SRAM.
 *
 * <p>Caveats: an operation of a trace may carry only a measured duration; it is then
 * {@link Costing#REPLAYED}. {@code onHost} marks a host (CPU) operation of a trace, which the
 * executor replays on no Dojo unit.
 */
public record ComputeOp(long id, String name, ComputeKind kind, Shape shape, DataType dataType, long flops,
                        long inputBytes, long outputBytes, long weightBytes, boolean onHost, List<Long> deps,
                        String layer, Phase phase, long measuredDurationPs) implements Operation {
    /** The most FLOPs one operation may hold (2^62): its time on one node stays far from overflowing a long of ps. */
    public static final long MAX_FLOPS = 1L << 62;

    public ComputeOp {
        deps = Operation.checkCommon(id, name, deps, layer, phase, measuredDurationPs);
        Check.require(kind != null, "operation " + id + ": compute kind is missing");
        Check.require(dataType != null, "operation " + id + ": data type is missing");
        Check.require(flops >= 0, "operation " + id + ": flops must be >= 0, got " + flops);
        Check.require(flops <= MAX_FLOPS, "operation " + id + " ('" + name + "'): flops (num_ops) " + flops
                + " is above the most one operation may hold; allowed: 0 to " + MAX_FLOPS + " (2^62: its time on one node would overflow)");
        Check.require(inputBytes >= 0 && outputBytes >= 0 && weightBytes >= 0,
                "operation " + id + ": byte counts must be >= 0");
        if (shape != null) {
            Check.require(shape.kind() == kind, "operation " + id + ": a " + shape.kind()
                    + " shape does not fit compute kind " + kind);
            Check.require(!(shape instanceof AttentionShape && phase == Phase.BACKWARD_WEIGHT_GRAD),
                    "operation " + id + ": attention has no weights, so no weight-gradient phase");
            long expected = shape.flops(phase);
            Check.require(flops == expected, "operation " + id + ": flops " + flops
                    + " disagree with the shape, which gives " + expected);
        }
    }

    /** Starts a builder; FLOPs are computed from the shape when one is set. */
    public static Builder builder(long id, String name, ComputeKind kind) {
        return new Builder(id, name, kind);
    }

    @Override
    public OpType type() {
        return OpType.COMPUTE;
    }

    @Override
    public Costing costing() {
        if (shape != null || flops > 0 || bytes() > 0) {
            return Costing.MODELED;
        }
        return measuredDurationPs != NO_DURATION ? Costing.REPLAYED : Costing.FREE;
    }

    @Override
    public long bytes() {
        return inputBytes + outputBytes + weightBytes;
    }

    /** Builder with defaults: FP32, no shape, 0 FLOPs and bytes, no deps, no layer, UNSPECIFIED phase. */
    public static final class Builder {
        private final long id;
        private final String name;
        private final ComputeKind kind;
        private Shape shape;
        private DataType dataType = DataType.FP32;
        private long flops = -1;
        private long inputBytes;
        private long outputBytes;
        private long weightBytes;
        private boolean onHost;
        private List<Long> deps = List.of();
        private String layer = "";
        private Phase phase = Phase.UNSPECIFIED;
        private long measuredDurationPs = NO_DURATION;

        private Builder(long id, String name, ComputeKind kind) {
            this.id = id;
            this.name = name;
            this.kind = kind;
        }

        public Builder shape(Shape s) { this.shape = s; return this; }
        public Builder dataType(DataType t) { this.dataType = t; return this; }
        /** Declared FLOPs; with a shape they must agree with it. */
        public Builder flops(long f) { this.flops = f; return this; }
        public Builder inputBytes(long b) { this.inputBytes = b; return this; }
        public Builder outputBytes(long b) { this.outputBytes = b; return this; }
        public Builder weightBytes(long b) { this.weightBytes = b; return this; }
        public Builder onHost(boolean h) { this.onHost = h; return this; }
        public Builder deps(List<Long> d) { this.deps = d; return this; }
        public Builder layer(String l) { this.layer = l; return this; }
        public Builder phase(Phase p) { this.phase = p; return this; }
        public Builder measuredDurationPs(long d) { this.measuredDurationPs = d; return this; }

        public ComputeOp build() {
            long f = flops;
            if (f < 0) {
                f = shape != null && phase != null ? shape.flops(phase) : 0;
            }
            return new ComputeOp(id, name, kind, shape, dataType, f, inputBytes, outputBytes, weightBytes,
                    onHost, deps, layer, phase, measuredDurationPs);
        }
    }
}
