package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ConvShape;
import io.dojosim.workload.DataType;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.Phase;
import io.dojosim.workload.Shape;
import io.dojosim.workload.gen.NetworkBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Re-costing by shape: recognises a PyTorch operator of a trace from its name and its input and
 * output tensor shapes, and says what the Dojo model should time instead of the recorded duration.
 *
 * <pre>
 * operator (aten::, in-place "_" and a "(n)" suffix ignored)   becomes
 * mm, addmm, bmm, matmul, linear                                GEMM, GemmShape
 * conv2d, convolution, _convolution, cudnn_convolution          CONVOLUTION, ConvShape
 * scaled_dot_product_attention, _scaled_dot_product_*_attention ATTENTION, AttentionShape
 * layer_norm, native_layer_norm, batch_norm, native_batch_norm,
 *   cudnn_batch_norm, group_norm                                NORMALIZATION, 8 FLOPs/element
 * softmax, _softmax, log_softmax, _log_softmax                  ELEMENTWISE, 5 FLOPs/element
 * gelu, tanh (8), silu (5), sigmoid (4), add, sub, mul, div,
 *   relu, threshold_backward, neg, clamp, where, dropout ... (1) ELEMENTWISE
 * embedding                                                     ELEMENTWISE, 0 FLOPs, rows x width bytes
 * _fused_adam_, _fused_adamw_ (12 FLOPs/param), _fused_sgd_ (4) OPTIMIZER_UPDATE
 * _foreach_* (1 FLOP/element)                                   ELEMENTWISE
 * convolution_backward (input and/or weight gradient, output_mask) CONVOLUTION, FLOPs only
 * native_/cudnn_batch_norm_backward, native_layer_norm_backward NORMALIZATION, 16 FLOPs/element
 * max/avg pooling and its backward (1), gelu/tanh_backward (8),
 *   _softmax_backward_data (5), sigmoid_backward (4)            ELEMENTWISE
 * </pre>
 *
 * FLOPs per element follow the built-in generators (NetworkBuilder). A convolution's stride and
 * padding come from {@code inputs.values} (positions 3 and 4, as both aten::convolution and
 * aten::conv2d order them) or, when the values are absent, from the first stride and padding
 * (smallest first) that turn the input into the recorded output size; a dilated or transposed
 * convolution is not recognised.
 *
 * <p>Caveats: a convolution's backward is known by its FLOPs only (the D1 model times it as
 * matrix work of that size); backward operators not in the table are replayed; the FLOPs of
 * elementwise operators are conventions, not measurements.
 */
final class TorchOps {
    private TorchOps() {
    }

    /**
     * A recognised operator.
     *
     * @param batchHint the leading dimension of the input of a convolution or linear layer, -1 otherwise
     */
    record Recognised(String op, ComputeKind kind, Shape shape, long flops, long inputBytes, long outputBytes,
                      long weightBytes, DataType dataType, long batchHint) {
    }

    private static final Map<String, Long> ELEMENTWISE = Map.ofEntries(
            Map.entry("softmax", 5L), Map.entry("_softmax", 5L), Map.entry("log_softmax", 5L),
            Map.entry("_log_softmax", 5L), Map.entry("gelu", 8L), Map.entry("tanh", 8L), Map.entry("silu", 5L),
            Map.entry("sigmoid", 4L), Map.entry("add", 1L), Map.entry("sub", 1L), Map.entry("rsub", 1L),
            Map.entry("mul", 1L), Map.entry("div", 1L), Map.entry("relu", 1L), Map.entry("threshold_backward", 1L),
            Map.entry("neg", 1L), Map.entry("clamp", 1L), Map.entry("where", 1L), Map.entry("masked_fill", 1L),
            Map.entry("dropout", 1L), Map.entry("native_dropout", 1L), Map.entry("hardtanh", 1L),
            Map.entry("exp", 1L), Map.entry("sqrt", 1L), Map.entry("rsqrt", 1L), Map.entry("pow", 1L),
            Map.entry("max_pool2d", 1L), Map.entry("max_pool2d_with_indices", 1L), Map.entry("avg_pool2d", 1L),
            Map.entry("adaptive_avg_pool2d", 1L), Map.entry("max_pool2d_with_indices_backward", 1L),
            Map.entry("gelu_backward", 8L), Map.entry("_softmax_backward_data", 5L), Map.entry("sigmoid_backward", 4L),
            Map.entry("tanh_backward", 8L), Map.entry("silu_backward", 5L));

    /** @return the operator name without "aten::", a trailing "(n)" and an in-place "_", or null when not aten */
    static String baseName(String name) {
        String n = name.trim().replaceFirst("\\(\\d+\\)$", "");
        if (!n.startsWith("aten::")) {
            return null;
        }
        n = n.substring(6);
        int dot = n.indexOf('.');
        if (dot > 0) {
            n = n.substring(0, dot); // overload name, e.g. add.Tensor
        }
        if (n.endsWith("_") && !n.startsWith("_fused_") && !n.startsWith("_foreach_")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }

    /**
     * @return what the Dojo model should time for this operator, or null when the name or the
     *     shapes are not recognised
     */
    static Recognised recognise(String name, String inShapes, String inTypes, String inValues, String outShapes) {
        String op = baseName(name);
        if (op == null) {
            return null;
        }
        List<Object> in = PyLiteral.list(inShapes);
        if (in == null || in.isEmpty()) {
            return null;
        }
        List<Object> out = PyLiteral.list(outShapes);
        DataType dt = dataType(inTypes);
        try {
            return switch (op) {
                case "mm", "addmm", "bmm", "matmul", "linear" -> gemm(op, in, dt);
                case "conv2d", "convolution", "_convolution", "cudnn_convolution" -> conv(op, in, inValues, out, dt);
                case "scaled_dot_product_attention", "_scaled_dot_product_flash_attention",
                        "_scaled_dot_product_efficient_attention", "_scaled_dot_product_cudnn_attention" -> attention(op, in, dt);
                case "layer_norm", "native_layer_norm", "batch_norm", "native_batch_norm", "cudnn_batch_norm",
                        "group_norm" -> norm(op, in, dt);
                case "convolution_backward", "cudnn_convolution_backward" -> convBackward(op, in, inValues, dt);
                case "native_batch_norm_backward", "cudnn_batch_norm_backward", "native_layer_norm_backward",
                        "batch_norm_backward" -> normBackward(op, in, dt);
                case "embedding" -> embedding(op, in, dt);
                case "_fused_adam_", "_fused_adamw_", "_fused_sgd_" -> optimizer(op, in);
                default -> {
                    if (op.startsWith("_foreach_")) {
                        long e = PyLiteral.numel(in.get(0));
                        yield e <= 0 ? null : new Recognised(op, ComputeKind.ELEMENTWISE, null, e,
                                Math.multiplyExact(e, dt.bytes()), Math.multiplyExact(e, dt.bytes()), 0, dt, -1);
                    }
                    Long perElement = ELEMENTWISE.get(op);
                    yield perElement == null ? null : elementwise(op, perElement, in, out, dt);
                }
            };
        } catch (ConfigException | ArithmeticException e) {
            return null; // a zero or absurd dimension: leave the node to its recorded duration
        }
    }

    private static Recognised gemm(String op, List<Object> s, DataType dt) {
        int a = op.equals("addmm") ? 1 : 0;
        if (s.size() < a + 2) {
            return null;
        }
        long[] x = PyLiteral.dims(s.get(a));
        long[] y = PyLiteral.dims(s.get(a + 1));
        if (x == null || y == null || x.length < 1) {
            return null;
        }
        GemmShape g;
        long batchHint = -1;
        boolean weight = false;
        switch (op) {
            case "mm", "addmm" -> {
                if (x.length != 2 || y.length != 2 || x[1] != y[0]) {
                    return null;
                }
                g = new GemmShape(1, x[0], y[1], x[1]);
                weight = op.equals("addmm");
            }
            case "bmm" -> {
                if (x.length != 3 || y.length != 3 || x[0] != y[0] || x[2] != y[1]) {
                    return null;
                }
                g = new GemmShape(x[0], x[1], y[2], x[2]);
            }
            case "linear" -> {
                if (y.length != 2 || x[x.length - 1] != y[1]) {
                    return null;
                }
                long m = 1;
                for (int i = 0; i < x.length - 1; i++) {
                    m = Math.multiplyExact(m, x[i]);
                }
                g = new GemmShape(1, m, y[0], y[1]);
                batchHint = x.length >= 2 ? x[0] : -1;
                weight = true;
            }
            default -> { // matmul: [..., M, K] x [K, N] folds leading dims into M; [..., M, K] x [..., K, N] batches them
                if (x.length < 2 || y.length < 2 || x[x.length - 1] != y[y.length - 2]) {
                    return null;
                }
                long lead = 1;
                for (int i = 0; i < x.length - 2; i++) {
                    lead = Math.multiplyExact(lead, x[i]);
                }
                if (y.length == 2) {
                    g = new GemmShape(1, Math.multiplyExact(lead, x[x.length - 2]), y[1], y[0]);
                    weight = true;
                } else {
                    long leadY = 1;
                    for (int i = 0; i < y.length - 2; i++) {
                        leadY = Math.multiplyExact(leadY, y[i]);
                    }
                    if (leadY != lead) {
                        return null; // broadcast batch dimensions: not recognised
                    }
                    g = new GemmShape(lead, x[x.length - 2], y[y.length - 1], x[x.length - 1]);
                }
            }
        }
        long eb = dt.bytes();
        long aBytes = Math.multiplyExact(g.aElements(), eb);
        long bBytes = Math.multiplyExact(g.bElements(), eb);
        return new Recognised(op, ComputeKind.GEMM, g, g.flops(Phase.UNSPECIFIED), weight ? aBytes : aBytes + bBytes,
                Math.multiplyExact(g.cElements(), eb), weight ? bBytes : 0, dt, batchHint);
    }

    private static Recognised conv(String op, List<Object> s, String values, List<Object> out, DataType dt) {
        if (s.size() < 2) {
            return null;
        }
        long[] x = PyLiteral.dims(s.get(0));
        long[] w = PyLiteral.dims(s.get(1));
        if (x == null || w == null || x.length != 4 || w.length != 4 || w[1] == 0 || x[1] % w[1] != 0) {
            return null;
        }
        long groups = x[1] / w[1];
        ConvShape shape = null;
        List<Object> v = PyLiteral.list(values);
        if (v != null && v.size() > 5) {
            long[] st = PyLiteral.dims(v.get(3));
            long[] pad = PyLiteral.dims(v.get(4));
            long[] dil = PyLiteral.dims(v.get(5));
            boolean transposed = op.equals("convolution") || op.equals("_convolution")
                    ? v.size() > 6 && String.valueOf(v.get(6)).equalsIgnoreCase("true") : false;
            if (transposed || (dil != null && !allOnes(dil))) {
                return null;
            }
            if (st != null && pad != null && st.length == 2 && pad.length == 2 && st[0] == st[1] && pad[0] == pad[1]
                    && st[0] >= 1 && st[0] <= Integer.MAX_VALUE && pad[0] <= Integer.MAX_VALUE) {
                shape = new ConvShape(x[0], x[1], x[2], x[3], w[0], w[2], w[3], (int) st[0], (int) pad[0], groups);
            }
        }
        long[] y = out != null && !out.isEmpty() ? PyLiteral.dims(out.get(0)) : null;
        if (shape == null && y != null && y.length == 4) {
            shape = fitStrideAndPadding(x, w, groups, y[2], y[3]);
        }
        if (shape == null) {
            return null;
        }
        if (y != null && y.length == 4 && (y[2] != shape.p() || y[3] != shape.q())) {
            return null; // the values disagree with the recorded output
        }
        long eb = dt.bytes();
        return new Recognised(op, ComputeKind.CONVOLUTION, shape, shape.flops(Phase.UNSPECIFIED),
                Math.multiplyExact(shape.inputElements(), eb), Math.multiplyExact(shape.outputElements(), eb),
                Math.multiplyExact(shape.weightElements(), eb), dt, x[0]);
    }

    private static boolean allOnes(long[] d) {
        for (long x : d) {
            if (x != 1) {
                return false;
            }
        }
        return true;
    }

    /** The first square stride (1..16), then padding (0..max(R,S)), that gives output P x Q. */
    private static ConvShape fitStrideAndPadding(long[] x, long[] w, long groups, long p, long q) {
        long maxPad = Math.max(w[2], w[3]);
        for (int st = 1; st <= 16; st++) {
            for (int pad = 0; pad <= maxPad; pad++) {
                if (x[2] + 2L * pad < w[2] || x[3] + 2L * pad < w[3]) {
                    continue;
                }
                if ((x[2] + 2L * pad - w[2]) / st + 1 == p && (x[3] + 2L * pad - w[3]) / st + 1 == q) {
                    return new ConvShape(x[0], x[1], x[2], x[3], w[0], w[2], w[3], st, pad, groups);
                }
            }
        }
        return null;
    }

    /**
     * aten::convolution_backward(grad_output, input, weight, ..., output_mask): one product of the
     * forward's size for the input gradient and one for the weight gradient, as output_mask (values
     * position 10) asks; both when the values are absent. Known by FLOPs only (no shape): the
     * recorded grad_output gives P and Q, so stride and padding are not needed.
     */
    private static Recognised convBackward(String op, List<Object> s, String values, DataType dt) {
        if (s.size() < 3) {
            return null;
        }
        long[] gy = PyLiteral.dims(s.get(0));
        long[] x = PyLiteral.dims(s.get(1));
        long[] w = PyLiteral.dims(s.get(2));
        if (gy == null || x == null || w == null || gy.length != 4 || x.length != 4 || w.length != 4
                || gy[0] != x[0] || gy[1] != w[0] || w[1] == 0 || x[1] % w[1] != 0) {
            return null;
        }
        boolean inputGrad = true, weightGrad = true;
        List<Object> v = PyLiteral.list(values);
        if (v != null && v.size() > 10 && v.get(10) instanceof List<?> mask && mask.size() >= 2) {
            inputGrad = String.valueOf(mask.get(0)).equalsIgnoreCase("true");
            weightGrad = String.valueOf(mask.get(1)).equalsIgnoreCase("true");
        }
        int products = (inputGrad ? 1 : 0) + (weightGrad ? 1 : 0);
        if (products == 0) {
            return null;
        }
        long perProduct = Shape.mul(2, gy[0], gy[1], gy[2], gy[3], w[1], w[2], w[3]);
        long eb = dt.bytes();
        long xe = Shape.mul(x[0], x[1], x[2], x[3]), we = Shape.mul(w[0], w[1], w[2], w[3]);
        long gye = Shape.mul(gy[0], gy[1], gy[2], gy[3]);
        return new Recognised(op, ComputeKind.CONVOLUTION, null, Math.multiplyExact(perProduct, products),
                Math.multiplyExact(gye + (weightGrad ? xe : 0), eb),
                Math.multiplyExact((inputGrad ? xe : 0) + (weightGrad ? we : 0), eb),
                inputGrad ? Math.multiplyExact(we, eb) : 0, dt, -1);
    }

    /** Backward of a batch or layer norm: input gradient (12 FLOPs/element) and scale/shift gradient (4). */
    private static Recognised normBackward(String op, List<Object> s, DataType dt) {
        long[] gy = PyLiteral.dims(s.get(0));
        if (gy == null || gy.length < 2) {
            return null;
        }
        long e = PyLiteral.numel(s.get(0));
        long channels = op.contains("layer_norm") ? gy[gy.length - 1] : gy[1];
        long eb = dt.bytes();
        return new Recognised(op, ComputeKind.NORMALIZATION, null,
                Math.multiplyExact(e, NetworkBuilder.NORM_IG_FLOPS_PER_ELEMENT + NetworkBuilder.NORM_WG_FLOPS_PER_ELEMENT),
                Math.multiplyExact(2 * e, eb), Math.multiplyExact(e, eb), Math.multiplyExact(2 * channels, eb), dt, -1);
    }

    private static Recognised attention(String op, List<Object> s, DataType dt) {
        if (s.size() < 3) {
            return null;
        }
        long[] q = PyLiteral.dims(s.get(0));
        long[] k = PyLiteral.dims(s.get(1));
        long[] v = PyLiteral.dims(s.get(2));
        if (q == null || k == null || v == null || q.length != 4 || k.length != 4 || v.length != 4
                || q[0] != k[0] || q[1] != k[1] || q[3] != k[3] || k[2] != v[2]) {
            return null;
        }
        AttentionShape a = new AttentionShape(q[0], q[1], q[2], k[2], q[3]);
        long eb = dt.bytes();
        long qe = Shape.mul(q[0], q[1], q[2], q[3]);
        long kve = Shape.mul(2, k[0], k[1], k[2], k[3]);
        return new Recognised(op, ComputeKind.ATTENTION, a, a.flops(Phase.UNSPECIFIED), Math.multiplyExact(qe + kve, eb),
                Math.multiplyExact(qe, eb), 0, dt, -1);
    }

    private static Recognised norm(String op, List<Object> s, DataType dt) {
        long[] x = PyLiteral.dims(s.get(0));
        if (x == null || x.length < 2) {
            return null;
        }
        long e = PyLiteral.numel(s.get(0));
        long channels;
        if (op.endsWith("layer_norm")) {
            long[] wt = s.size() > 2 ? PyLiteral.dims(s.get(2)) : null;
            channels = wt != null && wt.length > 0 ? PyLiteral.numel(s.get(2)) : x[x.length - 1];
        } else {
            channels = x[1];
        }
        long eb = dt.bytes();
        return new Recognised(op, ComputeKind.NORMALIZATION, null,
                Math.multiplyExact(e, NetworkBuilder.NORM_FWD_FLOPS_PER_ELEMENT), Math.multiplyExact(e, eb),
                Math.multiplyExact(e, eb), Math.multiplyExact(2 * channels, eb), dt, -1);
    }

    private static Recognised embedding(String op, List<Object> s, DataType dt) {
        if (s.size() < 2) {
            return null;
        }
        long[] table = PyLiteral.dims(s.get(0));
        long rows = PyLiteral.numel(s.get(1));
        if (table == null || table.length != 2 || rows <= 0) {
            return null;
        }
        long bytes = Shape.mul(rows, table[1], dt.bytes());
        return new Recognised(op, ComputeKind.ELEMENTWISE, null, 0, bytes, bytes, 0, dt, -1);
    }

    private static Recognised optimizer(String op, List<Object> s) {
        long params = PyLiteral.numel(s.get(0));
        if (params <= 0) {
            return null;
        }
        boolean sgd = op.equals("_fused_sgd_");
        long flopsPerParam = sgd ? 4 : 12;
        long reads = sgd ? 3 : 4;
        long writes = sgd ? 2 : 3;
        return new Recognised(op, ComputeKind.OPTIMIZER_UPDATE, null, Math.multiplyExact(params, flopsPerParam),
                Shape.mul(params, 4, reads), Shape.mul(params, 4, writes), 0, DataType.FP32, -1);
    }

    private static Recognised elementwise(String op, long perElement, List<Object> in, List<Object> out, DataType dt) {
        long outElems = out != null && !out.isEmpty() ? PyLiteral.numel(out.get(0)) : -1;
        long inElems = 0, maxIn = 0;
        for (Object o : in) {
            long[] d = PyLiteral.dims(o);
            if (d != null && d.length > 0) {
                long e = PyLiteral.numel(o);
                inElems = Math.addExact(inElems, e);
                maxIn = Math.max(maxIn, e);
            }
        }
        long elems = outElems > 0 ? outElems : maxIn;
        if (elems <= 0) {
            return null;
        }
        long eb = dt.bytes();
        return new Recognised(op, ComputeKind.ELEMENTWISE, null, Math.multiplyExact(elems, perElement),
                Math.multiplyExact(Math.max(inElems, elems), eb), Math.multiplyExact(elems, eb), 0, dt, -1);
    }

    /** Data type from the type strings of PyTorch-derived traces; FP32 when unknown. */
    static DataType dataType(String types) {
        return Keywords.first(types == null ? "" : types.toLowerCase(Locale.ROOT), TYPE_WORDS, DataType.FP32);
    }

    private static final List<Keywords<DataType>> TYPE_WORDS = List.of(
            new Keywords<>(DataType.BF16, "bfloat16"),
            new Keywords<>(DataType.FP16, "half", "float16"),
            new Keywords<>(DataType.CFP8, "cfp8"),
            new Keywords<>(DataType.INT8, "int8", "char"));
}
