package io.dojosim.workload.gen;

import io.dojosim.core.config.Check;
import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.ConvShape;
import io.dojosim.workload.DataType;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.Phase;
import io.dojosim.workload.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the operation graph of one training step from a network described as a DAG of layers
 * ("units"). For each unit it emits the forward operation; then, walking the units backwards, the
 * input-gradient operation (units that read the network input get none), the weight-gradient
 * operation (units with weights), a data-parallel all-reduce of the gradients and the optimizer
 * update of the unit's parameters.
 *
 * <p>Dependencies: forward(u) waits for forward of u's inputs; the gradient of u is ready when the
 * input-gradient operations of every consumer of u finished (for the last unit, the loss: when its
 * forward finished); IG(u) and WG(u) wait for that; the all-reduce waits for WG(u) (and the WG of
 * units tied to u's weights); the update waits for the all-reduce.
 *
 * <p>FLOP convention: 2 per multiply-accumulate for GEMM, convolution and attention (from the
 * shapes); elementwise and normalization FLOPs per element are the assumed constants below
 * (docs/model/workloads.md argues them). Bytes: activations and weights in the compute type,
 * weight gradients in the gradient type, optimizer state in FP32.
 */
public final class NetworkBuilder {
    /** Assumed FLOPs per element of a normalization forward (mean, variance, normalize, scale, shift). */
    public static final long NORM_FWD_FLOPS_PER_ELEMENT = 8;
    /** Assumed FLOPs per element of a normalization input gradient. */
    public static final long NORM_IG_FLOPS_PER_ELEMENT = 12;
    /** Assumed FLOPs per element of a normalization weight gradient (sums for gamma and beta). */
    public static final long NORM_WG_FLOPS_PER_ELEMENT = 4;

    /** Optimizer of the step. */
    public enum Optimizer {
        /** SGD with momentum: 4 FLOPs/parameter; reads weight, gradient, momentum; writes weight, momentum. */
        SGD_MOMENTUM("sgd-momentum", 4, 3, 2),
        /** Adam(W): 12 FLOPs/parameter (assumed); reads weight, gradient, m, v; writes weight, m, v. */
        ADAM("adam", 12, 4, 3);

        final String key;
        final long flopsPerParam;
        final long fp32Reads;
        final long fp32Writes;

        Optimizer(String key, long flopsPerParam, long fp32Reads, long fp32Writes) {
            this.key = key;
            this.flopsPerParam = flopsPerParam;
            this.fp32Reads = fp32Reads;
            this.fp32Writes = fp32Writes;
        }

        /** @return the name the workload's metadata gives it (property {@code optimizer}): "sgd-momentum" or "adam" */
        public String key() {
            return key;
        }
    }

    private static final class Unit {
        String layer;
        ComputeKind kind;
        Shape shape;              // forward shape; null for elementwise/normalization
        Shape igShape;            // input-gradient shape (GEMM transposes), null = same as shape
        Shape wgShape;
        long fwdFlops;            // for shapeless units
        long igFlops;
        long wgFlops;
        long inElems;
        long outElems;
        long weightElems;
        long params;
        int[] inputs;
        boolean igNeedsInput;     // IG also reads the forward input (elementwise, norm, attention)
        final List<Integer> tied = new ArrayList<>();
        final List<Integer> consumers = new ArrayList<>();
        long fwdId;
        long igId = -1;
        long wgId = -1;

        Unit(String layer, ComputeKind kind, Shape shape) {
            this.layer = layer;
            this.kind = kind;
            this.shape = shape;
        }
    }

    private final DataType computeType;
    private final DataType gradientType;
    private final Optimizer optimizer;
    private final List<Unit> units = new ArrayList<>();
    private final List<Operation> ops = new ArrayList<>();
    private long nextId = 1;
    private long parameters;

    public NetworkBuilder(DataType computeType, DataType gradientType, Optimizer optimizer) {
        this.computeType = computeType;
        this.gradientType = gradientType;
        this.optimizer = optimizer;
    }

    private int add(Unit u, int... inputs) {
        for (int i : inputs) {
            Check.require(i >= 0 && i < units.size(), "unit input " + i + " does not exist");
            units.get(i).consumers.add(units.size());
        }
        u.inputs = inputs.clone();
        parameters += u.params;
        units.add(u);
        return units.size() - 1;
    }

    /** Fully connected layer over {@code tokens} rows: Y (tokens x out) = X (tokens x in) W (+ bias). */
    public int linear(String layer, long tokens, long in, long out, boolean bias, int... inputs) {
        Unit u = new Unit(layer, ComputeKind.GEMM, new GemmShape(1, tokens, out, in));
        u.igShape = new GemmShape(1, tokens, in, out);
        u.wgShape = new GemmShape(1, in, out, tokens);
        u.inElems = tokens * in;
        u.outElems = tokens * out;
        u.weightElems = in * out;
        u.params = in * out + (bias ? out : 0);
        return add(u, inputs);
    }

    /** Linear layer whose weights are another unit's (weight tying): WG is emitted, no own parameters. */
    public int tiedLinear(String layer, long tokens, long in, long out, int owner, int... inputs) {
        int id = linear(layer, tokens, in, out, false, inputs);
        Unit u = units.get(id);
        parameters -= u.params;
        u.params = 0;
        units.get(owner).tied.add(id);
        return id;
    }

    /** Convolution (no bias). */
    public int conv(String layer, ConvShape shape, int... inputs) {
        Unit u = new Unit(layer, ComputeKind.CONVOLUTION, shape);
        u.inElems = shape.inputElements();
        u.outElems = shape.outputElements();
        u.weightElems = shape.weightElements();
        u.params = u.weightElems;
        return add(u, inputs);
    }

    /** Convolution with a bias per output channel (1x1 convs of squeeze-excite blocks). */
    public int convBias(String layer, ConvShape shape, int... inputs) {
        int id = conv(layer, shape, inputs);
        units.get(id).params += shape.k();
        parameters += shape.k();
        return id;
    }

    /** Attention core (QK^T, PV); no weights. */
    public int attention(String layer, AttentionShape shape, int... inputs) {
        Unit u = new Unit(layer, ComputeKind.ATTENTION, shape);
        long q = shape.batch() * shape.heads() * shape.seq() * shape.headDim();
        long kv = shape.batch() * shape.heads() * shape.kvSeq() * shape.headDim();
        u.inElems = q + 2 * kv;
        u.outElems = q;
        u.igNeedsInput = true;
        return add(u, inputs);
    }

    /** Elementwise operation over {@code elements} outputs, {@code flopsPerElement} each. */
    public int elementwise(String layer, long elements, long flopsPerElement, int... inputs) {
        Unit u = new Unit(layer, ComputeKind.ELEMENTWISE, null);
        u.fwdFlops = elements * flopsPerElement;
        u.igFlops = u.fwdFlops;
        u.inElems = elements * Math.max(1, inputs.length);
        u.outElems = elements;
        u.igNeedsInput = true;
        return add(u, inputs);
    }

    /**
     * Embedding lookup of {@code tokens} rows of width {@code width} from tables of {@code params}
     * parameters, plus {@code addsPerToken} element additions (position/type embeddings). The
     * weight gradient is a scatter-add of one FLOP per element.
     */
    public int embedding(String layer, long tokens, long width, long params, long addsPerToken) {
        Unit u = new Unit(layer, ComputeKind.ELEMENTWISE, null);
        u.fwdFlops = tokens * width * addsPerToken;
        u.wgFlops = tokens * width * (1 + addsPerToken);
        u.inElems = tokens * width * (1 + addsPerToken);
        u.outElems = tokens * width;
        u.weightElems = 0;
        u.params = params;
        return add(u);
    }

    /** Batch or layer normalization of {@code elements} values with {@code channels} scale/shift pairs. */
    public int norm(String layer, long elements, long channels, int... inputs) {
        Unit u = new Unit(layer, ComputeKind.NORMALIZATION, null);
        u.fwdFlops = elements * NORM_FWD_FLOPS_PER_ELEMENT;
        u.igFlops = elements * NORM_IG_FLOPS_PER_ELEMENT;
        u.wgFlops = elements * NORM_WG_FLOPS_PER_ELEMENT;
        u.inElems = elements;
        u.outElems = elements;
        u.weightElems = 2 * channels;
        u.params = 2 * channels;
        u.igNeedsInput = true;
        return add(u, inputs);
    }

    /**
     * The join of a residual block: {@code y} plus the shortcut, then a ReLU. The shortcut is the
     * block's input {@code x}, or, when {@code project}, {@code x} through the 1x1 convolution
     * {@code projection} ({@code block.proj}) and a norm ({@code block.proj.bn}). The sum
     * ({@code block.add}) and the ReLU ({@code block.relu}) have the projection's output shape.
     *
     * @return the unit of the ReLU, the block's output
     */
    public int residual(String block, String proj, String relu, boolean project, ConvShape projection, int y, int x) {
        long elements = projection.outputElements();
        int shortcut = x;
        if (project) {
            shortcut = conv(block + "." + proj, projection, x);
            shortcut = norm(block + "." + proj + ".bn", elements, projection.k(), shortcut);
        }
        int sum = elementwise(block + ".add", elements, 1, y, shortcut);
        return elementwise(block + "." + relu, elements, 1, sum);
    }

    /** @return trainable parameters of the units added so far */
    public long parameters() {
        return parameters;
    }

    /** @return forward FLOPs of the units added so far, per unit kind */
    public long forwardFlops(ComputeKind kind) {
        long f = 0;
        for (Unit u : units) {
            if (u.kind == kind) {
                f += u.shape != null ? u.shape.flops(Phase.FORWARD) : u.fwdFlops;
            }
        }
        return f;
    }

    private long id() {
        return nextId++;
    }

    private ComputeOp compute(Unit u, String suffix, Phase phase, Shape shape, long flops, long in, long out,
                              long weight, List<Long> deps) {
        ComputeOp.Builder b = ComputeOp.builder(id(), u.layer + "." + suffix, shape != null ? shape.kind() : u.kind)
                .dataType(computeType).inputBytes(in).outputBytes(out).weightBytes(weight)
                .deps(deps).layer(u.layer).phase(phase);
        if (shape != null) {
            b.shape(shape);
        } else {
            b.flops(flops);
        }
        ComputeOp op = b.build();
        ops.add(op);
        return op;
    }

    /** Emits the whole step and returns its operations (ids 1..n in emission order). */
    public List<Operation> build() {
        Check.require(!units.isEmpty(), "network has no layers");
        Check.require(ops.isEmpty(), "build() may be called once");
        long dt = computeType.bytes();
        for (Unit u : units) {
            List<Long> deps = new ArrayList<>();
            for (int i : u.inputs) {
                deps.add(units.get(i).fwdId);
            }
            u.fwdId = compute(u, "fwd", Phase.FORWARD, u.shape, u.fwdFlops, u.inElems * dt, u.outElems * dt,
                    u.weightElems * dt, deps).id();
        }
        List<long[]> updates = new ArrayList<>();
        for (int idx = units.size() - 1; idx >= 0; idx--) {
            Unit u = units.get(idx);
            List<Long> ready = new ArrayList<>();
            if (u.consumers.isEmpty()) {
                ready.add(u.fwdId);
            } else {
                for (int c : u.consumers) {
                    Unit cu = units.get(c);
                    Check.require(cu.igId >= 0, "unit " + cu.layer + " consumes " + u.layer + " but has no input gradient");
                    ready.add(cu.igId);
                }
            }
            if (u.inputs.length > 0) {
                Shape s = u.shape == null ? null : (u.igShape != null ? u.igShape : u.shape);
                long in = u.outElems * dt + (u.igNeedsInput ? u.inElems * dt : 0);
                u.igId = compute(u, "ig", Phase.BACKWARD_INPUT_GRAD, s, u.igFlops, in, u.inElems * dt,
                        u.weightElems * dt, ready).id();
            }
            if (u.weightElems > 0 || u.params > 0) {
                Shape s = u.shape == null ? null : (u.wgShape != null ? u.wgShape : u.shape);
                long gradElems = Math.max(u.weightElems, u.params);
                u.wgId = compute(u, "wg", Phase.BACKWARD_WEIGHT_GRAD, s, u.wgFlops, (u.inElems + u.outElems) * dt,
                        gradElems * gradientType.bytes(), 0, ready).id();
            }
        }
        // gradient all-reduce and optimizer update per unit with parameters, last layer first
        for (int idx = units.size() - 1; idx >= 0; idx--) {
            Unit u = units.get(idx);
            if (u.params == 0) {
                continue;
            }
            Set<Long> deps = new LinkedHashSet<>();
            deps.add(u.wgId);
            for (int t : u.tied) {
                deps.add(units.get(t).wgId);
            }
            long arId = id();
            ops.add(new CollectiveOp(arId, u.layer + ".allreduce", CollectiveKind.ALL_REDUCE,
                    u.params * gradientType.bytes(), CommGroup.of(ParallelDim.DATA), 0, List.copyOf(deps), u.layer,
                    Phase.BACKWARD_WEIGHT_GRAD, Operation.NO_DURATION));
            updates.add(new long[] {idx, arId});
        }
        for (long[] up : updates) {
            Unit u = units.get((int) up[0]);
            long p = u.params;
            ops.add(ComputeOp.builder(id(), u.layer + ".update", ComputeKind.OPTIMIZER_UPDATE)
                    .dataType(DataType.FP32).flops(p * optimizer.flopsPerParam)
                    .inputBytes(p * 4 * optimizer.fp32Reads)
                    .outputBytes(p * 4 * optimizer.fp32Writes + p * computeType.bytes())
                    .deps(List.of(up[1])).layer(u.layer).phase(Phase.OPTIMIZER).build());
        }
        return List.copyOf(ops);
    }
}
