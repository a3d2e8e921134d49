package io.dojosim.workload.gen;

import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.ConvShape;

/**
 * RegNetY backbone (Radosavovic et al. 2020, pycls) and the multi-camera bird's-eye-view model
 * built on it as a proxy for Tesla's vision networks (AI Day 2021/2022: per-camera RegNet, BiFPN
 * fusion, a transformer that projects camera features into a BEV grid).
 *
 * <p>RegNetY-8.0GF stage table (width, blocks) = (224,2) (448,4) (896,10) (2016,1), group width 56,
 * squeeze-excite ratio 0.25 of the block input width, stem 3x3/2 with 32 channels; computed from
 * pycls' RegNetY-8.0GF config (DEPTH 17, W0 192, WA 76.82, WM 2.19, GROUP_W 56). Each block: 1x1
 * conv, BN, ReLU, 3x3 group conv (stride 2 in a stage's first block), BN, ReLU, SE (avg-pool, 1x1
 * conv, ReLU, 1x1 conv, sigmoid, scale), 1x1 conv, BN, projection shortcut where shape changes,
 * add, ReLU.
 *
 * <p>Caveats: every BEV-model choice past the backbone (neck, grid size, transformer depth, head)
 * is an assumption, listed with its basis in docs/model/workloads.md.
 */
final class RegNetVision {
    private RegNetVision() {
    }

    static final long[] WIDTHS = {224, 448, 896, 2016};
    static final int[] DEPTHS = {2, 4, 10, 1};
    static final long GROUP_WIDTH = 56;
    static final long STEM_WIDTH = 32;

    /** Appends the backbone for n images of h x w; returns the units of the four stage outputs. */
    static int[] backbone(NetworkBuilder nb, long n, long h, long w) {
        int x = nb.conv("stem.conv", ConvShape.dense(n, 3, h, w, STEM_WIDTH, 3, 3, 2, 1));
        h = (h + 2 - 3) / 2 + 1;
        w = (w + 2 - 3) / 2 + 1;
        x = nb.norm("stem.bn", n * STEM_WIDTH * h * w, STEM_WIDTH, x);
        x = nb.elementwise("stem.relu", n * STEM_WIDTH * h * w, 1, x);
        long in = STEM_WIDTH;
        int[] outs = new int[4];
        for (int s = 0; s < 4; s++) {
            long wo = WIDTHS[s];
            for (int b = 0; b < DEPTHS[s]; b++) {
                int stride = b == 0 ? 2 : 1;
                String p = "s" + (s + 1) + ".b" + (b + 1);
                long oh = (h + 2 - 3) / stride + 1;
                long ow = (w + 2 - 3) / stride + 1;
                long se = Math.round(0.25 * in);
                int y = nb.conv(p + ".a", ConvShape.dense(n, in, h, w, wo, 1, 1, 1, 0), x);
                y = nb.norm(p + ".a.bn", n * wo * h * w, wo, y);
                y = nb.elementwise(p + ".a.relu", n * wo * h * w, 1, y);
                y = nb.conv(p + ".b", new ConvShape(n, wo, h, w, wo, 3, 3, stride, 1, wo / GROUP_WIDTH), y);
                y = nb.norm(p + ".b.bn", n * wo * oh * ow, wo, y);
                y = nb.elementwise(p + ".b.relu", n * wo * oh * ow, 1, y);
                int pool = nb.elementwise(p + ".se.pool", n * wo, oh * ow, y);
                int f1 = nb.convBias(p + ".se.fc1", ConvShape.dense(n, wo, 1, 1, se, 1, 1, 1, 0), pool);
                int r = nb.elementwise(p + ".se.relu", n * se, 1, f1);
                int f2 = nb.convBias(p + ".se.fc2", ConvShape.dense(n, se, 1, 1, wo, 1, 1, 1, 0), r);
                int sig = nb.elementwise(p + ".se.sigmoid", n * wo, 4, f2);
                y = nb.elementwise(p + ".se.scale", n * wo * oh * ow, 1, y, sig);
                y = nb.conv(p + ".c", ConvShape.dense(n, wo, oh, ow, wo, 1, 1, 1, 0), y);
                y = nb.norm(p + ".c.bn", n * wo * oh * ow, wo, y);
                x = nb.residual(p, "proj", "relu", in != wo || stride != 1, ConvShape.dense(n, in, h, w, wo, 1, 1, stride, 0), y, x);
                in = wo;
                h = oh;
                w = ow;
            }
            outs[s] = x;
        }
        return outs;
    }

    /** RegNetY-8.0GF image classifier (for checking the backbone against pycls' figures). */
    static void classifier(NetworkBuilder nb, long batch, long image, long classes) {
        int[] outs = backbone(nb, batch, image, image);
        long hw = image;
        for (int i = 0; i < 5; i++) {
            hw = (hw + 2 - 3) / 2 + 1;
        }
        int pool = nb.elementwise("head.pool", batch * WIDTHS[3], hw * hw, outs[3]);
        int fc = nb.linear("head.fc", batch, WIDTHS[3], classes, true, pool);
        nb.elementwise("loss", batch * classes, 5, fc);
    }

    /** Size after k stride-2 3x3 (padding 1) reductions. */
    static long reduce(long x, int k) {
        for (int i = 0; i < k; i++) {
            x = (x + 2 - 3) / 2 + 1;
        }
        return x;
    }

    /** Multi-camera BEV model; dims as documented in {@link Generators}. */
    static void bev(NetworkBuilder nb, long batch, long cameras, long imgH, long imgW, long neck, long gridH,
                    long gridW, long dim, long heads, long layers, long ffn, long outputs) {
        long n = batch * cameras;
        int[] feats = backbone(nb, n, imgH, imgW);
        // neck (one BiFPN-like top-down step): 1x1 laterals on stride 16 and 32, upsample-add, 3x3 conv
        long h4 = reduce(imgH, 4), w4 = reduce(imgW, 4), h5 = reduce(imgH, 5), w5 = reduce(imgW, 5);
        int lat5 = nb.conv("neck.lateral5", ConvShape.dense(n, WIDTHS[3], h5, w5, neck, 1, 1, 1, 0), feats[3]);
        int lat4 = nb.conv("neck.lateral4", ConvShape.dense(n, WIDTHS[2], h4, w4, neck, 1, 1, 1, 0), feats[2]);
        int td4 = nb.elementwise("neck.topdown4", n * neck * h4 * w4, 1, lat4, lat5);
        int p4 = nb.conv("neck.out4", ConvShape.dense(n, neck, h4, w4, neck, 3, 3, 1, 1), td4);
        // BEV transformer: grid queries attend to themselves and to every camera's stride-16 tokens
        long q = gridH * gridW;
        long tq = batch * q;
        long kvPerSample = cameras * h4 * w4;
        long d = dim / heads;
        int x = nb.embedding("bev.queries", tq, dim, q * dim, 0);
        int kvSrc = nb.linear("bev.camproj", n * h4 * w4, neck, dim, true, p4);
        for (int l = 0; l < layers; l++) {
            String p = "bev.layer" + l;
            int qkv = nb.linear(p + ".self.qkv", tq, dim, 3 * dim, true, x);
            int sm = nb.elementwise(p + ".self.softmax", batch * heads * q * q, 5, qkv);
            int at = nb.attention(p + ".self.attn", AttentionShape.self(batch, heads, q, d), sm);
            int pr = nb.linear(p + ".self.proj", tq, dim, dim, true, at);
            int r = nb.elementwise(p + ".self.add", tq * dim, 1, pr, x);
            int n1 = nb.norm(p + ".ln1", tq * dim, dim, r);
            int cq = nb.linear(p + ".cross.q", tq, dim, dim, true, n1);
            int ckv = nb.linear(p + ".cross.kv", batch * kvPerSample, dim, 2 * dim, true, kvSrc);
            int csm = nb.elementwise(p + ".cross.softmax", batch * heads * q * kvPerSample, 5, cq, ckv);
            int cat = nb.attention(p + ".cross.attn", new AttentionShape(batch, heads, q, kvPerSample, d), csm);
            int cpr = nb.linear(p + ".cross.proj", tq, dim, dim, true, cat);
            int cr = nb.elementwise(p + ".cross.add", tq * dim, 1, cpr, n1);
            int n2 = nb.norm(p + ".ln2", tq * dim, dim, cr);
            int f1 = nb.linear(p + ".ffn1", tq, dim, ffn, true, n2);
            int g = nb.elementwise(p + ".relu", tq * ffn, 1, f1);
            int f2 = nb.linear(p + ".ffn2", tq, ffn, dim, true, g);
            int fr = nb.elementwise(p + ".ffn.add", tq * dim, 1, f2, n2);
            x = nb.norm(p + ".ln3", tq * dim, dim, fr);
        }
        int c1 = nb.conv("head.conv", ConvShape.dense(batch, dim, gridH, gridW, dim, 3, 3, 1, 1), x);
        c1 = nb.norm("head.bn", batch * dim * q, dim, c1);
        c1 = nb.elementwise("head.relu", batch * dim * q, 1, c1);
        int out = nb.convBias("head.out", ConvShape.dense(batch, dim, gridH, gridW, outputs, 1, 1, 1, 0), c1);
        nb.elementwise("loss", batch * outputs * q, 5, out);
    }
}
