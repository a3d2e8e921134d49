package io.dojosim.workload.gen;

import io.dojosim.workload.ConvShape;

/**
 * ResNet-50 v1.5 (He et al. 2016; v1.5 = torchvision/MLPerf variant with the stride on the 3x3
 * convolution of each downsampling bottleneck) at 224x224 unless told otherwise.
 *
 * <p>Layers: 7x7/2 stem (64), 3x3/2 max-pool, four stages of 3, 4, 6, 3 bottlenecks of width 64,
 * 128, 256, 512 (output 4x the width), batch norm after every convolution, global average pool,
 * 1000-way fully connected layer. 25,557,032 parameters.
 */
final class ResNet50 {
    private ResNet50() {
    }

    static void build(NetworkBuilder nb, long batch, long image, long classes) {
        long hw = image;
        int x = nb.conv("conv1", ConvShape.dense(batch, 3, hw, hw, 64, 7, 7, 2, 3));
        hw = (hw + 6 - 7) / 2 + 1;
        x = nb.norm("bn1", batch * 64 * hw * hw, 64, x);
        x = nb.elementwise("relu1", batch * 64 * hw * hw, 1, x);
        long pooled = (hw + 2 - 3) / 2 + 1;
        x = nb.elementwise("maxpool", batch * 64 * pooled * pooled, 9, x);
        hw = pooled;
        long in = 64;
        int[] blocks = {3, 4, 6, 3};
        long[] widths = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                long w = widths[s];
                long out = 4 * w;
                String n = "layer" + (s + 1) + "." + b;
                int y = nb.conv(n + ".conv1", ConvShape.dense(batch, in, hw, hw, w, 1, 1, 1, 0), x);
                y = nb.norm(n + ".bn1", batch * w * hw * hw, w, y);
                y = nb.elementwise(n + ".relu1", batch * w * hw * hw, 1, y);
                long ohw = (hw + 2 - 3) / stride + 1;
                y = nb.conv(n + ".conv2", ConvShape.dense(batch, w, hw, hw, w, 3, 3, stride, 1), y);
                y = nb.norm(n + ".bn2", batch * w * ohw * ohw, w, y);
                y = nb.elementwise(n + ".relu2", batch * w * ohw * ohw, 1, y);
                y = nb.conv(n + ".conv3", ConvShape.dense(batch, w, ohw, ohw, out, 1, 1, 1, 0), y);
                y = nb.norm(n + ".bn3", batch * out * ohw * ohw, out, y);
                x = nb.residual(n, "downsample", "relu3", b == 0, ConvShape.dense(batch, in, hw, hw, out, 1, 1, stride, 0), y, x);
                in = out;
                hw = ohw;
            }
        }
        x = nb.elementwise("avgpool", batch * in, hw * hw, x);
        x = nb.linear("fc", batch, in, classes, true, x);
        nb.elementwise("loss", batch * classes, 5, x);
    }
}
