package io.dojosim.workload.gen;

import io.dojosim.workload.AttentionShape;

/**
 * Transformer language models: GPT (pre-layer-norm decoder, Radford et al. 2019; Brown et al. 2020)
 * and BERT (post-layer-norm encoder with masked-LM and next-sentence heads, Devlin et al. 2019).
 *
 * <p>One layer: QKV projection (tokens x h x 3·a·d), softmax, attention core (a heads of dimension
 * d), output projection, residual add, layer norm, FFN-1 (h x f), GELU, FFN-2 (f x h), residual add,
 * layer norm. With a·d = h and f = 4h, a GPT step's GEMM and attention FLOPs are exactly
 * 72·B·s·L·h²·(1 + s/(6h) + V/(12·L·h)) (Narayanan et al. 2021, without recomputation).
 *
 * <p>Caveats: no activation recomputation; causal masking not exploited; dropout omitted; the
 * BERT masked-LM decoder bias (V parameters) is omitted.
 */
final class Transformers {
    private Transformers() {
    }

    /** Workload property: layer-name suffixes whose GEMMs split their output columns over a tensor-parallel group. */
    public static final String TP_COLUMN = "tensorParallel.column";
    /** Workload property: layer-name suffixes whose GEMMs split their input rows (the output is a partial sum). */
    public static final String TP_ROW = "tensorParallel.row";
    /** Workload property: layer-name suffixes whose work divides by the group (attention heads, activations between a column and a row layer, the vocabulary's loss). */
    public static final String TP_SPLIT = "tensorParallel.split";
    /** Workload property: layer-name suffixes of vocabulary-parallel embedding tables (parameters split, output all-reduced). */
    public static final String TP_VOCAB = "tensorParallel.vocab";
    /** Workload property: the dimension the tensor-parallel degree must divide. */
    public static final String TP_DIVIDES = "tensorParallel.divides";

    /**
     * Records, for the simulator's tensor parallelism (Megatron-LM, Shoeybi et al. 2019), which
     * layers of {@link #layer} split how: QKV and FFN-1 by columns, the output projection and FFN-2
     * by rows, softmax, attention core and GELU by heads or columns, the tied vocabulary projection
     * by columns with its loss, the embedding table by vocabulary rows. The suffix is the last
     * dot-separated part of a layer name ({@code layer7.qkv} is {@code qkv}).
     */
    static void tensorParallelRoles(java.util.Map<String, String> props) {
        props.put(TP_COLUMN, "qkv,fc1,logits");
        props.put(TP_ROW, "proj,fc2");
        props.put(TP_SPLIT, "softmax,attn,gelu,loss");
        props.put(TP_VOCAB, "embedding");
        props.put(TP_DIVIDES, "heads");
    }

    /** Appends one layer reading unit x; returns the layer's output unit. */
    static int layer(NetworkBuilder nb, String p, long b, long s, long h, long a, long d, long f, boolean preNorm,
                     int x) {
        long t = b * s;
        int in = preNorm ? nb.norm(p + ".ln1", t * h, h, x) : x;
        int qkv = nb.linear(p + ".qkv", t, h, 3 * a * d, true, in);
        int sm = nb.elementwise(p + ".softmax", b * a * s * s, 5, qkv);
        int at = nb.attention(p + ".attn", AttentionShape.self(b, a, s, d), sm);
        int pr = nb.linear(p + ".proj", t, a * d, h, true, at);
        int r1 = nb.elementwise(p + ".add1", t * h, 1, pr, x);
        int n1 = preNorm ? nb.norm(p + ".ln2", t * h, h, r1) : nb.norm(p + ".ln1", t * h, h, r1);
        int f1 = nb.linear(p + ".fc1", t, h, f, true, n1);
        int g = nb.elementwise(p + ".gelu", t * f, 8, f1);
        int f2 = nb.linear(p + ".fc2", t, f, h, true, g);
        int r2 = nb.elementwise(p + ".add2", t * h, 1, f2, preNorm ? r1 : n1);
        return preNorm ? r2 : nb.norm(p + ".ln2", t * h, h, r2);
    }

    static void gpt(NetworkBuilder nb, long b, long s, long layers, long h, long a, long d, long f, long vocab) {
        long t = b * s;
        int emb = nb.embedding("embedding", t, h, vocab * h + s * h, 1);
        int x = emb;
        for (int l = 0; l < layers; l++) {
            x = layer(nb, "layer" + l, b, s, h, a, d, f, true, x);
        }
        x = nb.norm("ln_f", t * h, h, x);
        int logits = nb.tiedLinear("logits", t, h, vocab, emb, x);
        nb.elementwise("loss", t * vocab, 5, logits);
    }

    static void bert(NetworkBuilder nb, long b, long s, long layers, long h, long a, long d, long f, long vocab,
                     long maxPositions, long masked) {
        long t = b * s;
        int emb = nb.embedding("embedding", t, h, (vocab + maxPositions + 2) * h, 2);
        int x = nb.norm("embedding.ln", t * h, h, emb);
        for (int l = 0; l < layers; l++) {
            x = layer(nb, "layer" + l, b, s, h, a, d, f, false, x);
        }
        long m = b * masked;
        int gather = nb.elementwise("mlm.gather", m * h, 0, x);
        int dense = nb.linear("mlm.dense", m, h, h, true, gather);
        int act = nb.elementwise("mlm.gelu", m * h, 8, dense);
        int ln = nb.norm("mlm.ln", m * h, h, act);
        int logits = nb.tiedLinear("mlm.logits", m, h, vocab, emb, ln);
        int pool = nb.linear("pooler", b, h, h, true, x);
        int tanh = nb.elementwise("pooler.tanh", b * h, 8, pool);
        int nsp = nb.linear("nsp", b, h, 2, true, tanh);
        nb.elementwise("loss", m * vocab + 2 * b, 5, logits, nsp);
    }
}
