package io.dojosim.workload.gen;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.DataType;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.ParallelismKind;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in workloads: {@code resnet50}, {@code bert-large}, the GPT-3 family
 * ({@code gpt3-125m} ... {@code gpt3-175b}), {@code regnety-8.0gf} and {@code vision-bev}.
 *
 * <p>The metadata's {@code optimizer} property names the optimizer the step's update runs
 * ("sgd-momentum" for the image classifiers, "adam" for the language models and vision-bev); the
 * mapper sizes the optimizer state from it.
 *
 * <p>Each generator emits one logical graph (rank 0) of a whole training step at the global batch:
 * forward, input and weight gradients, a data-parallel all-reduce of each layer's gradients and the
 * optimizer update. The mapper splits it across the machine; a mapper that runs without data
 * parallelism treats the all-reduces as no-ops (group of one).
 *
 * <p>Sources: GPT-3 dimensions and batch sizes from Brown et al. 2020, Table 2.1 (13B and 175B as in
 * Calculon's models/gpt3-13B.json and gpt3-175B.json); BERT-large from Devlin et al. 2019 with
 * MLPerf's sequence length 512 and 76 masked positions; ResNet-50 v1.5 from torchvision/MLPerf;
 * RegNetY-8.0GF from pycls. Caveats: vision-bev is a proxy whose dimensions past the backbone are
 * assumptions (docs/model/workloads.md).
 */
public final class Generators {
    private Generators() {
    }

    /**
     * A built-in workload.
     *
     * @param dims model dimensions and their defaults
     */
    public record Info(String name, String description, long defaultBatch, Map<String, Long> dims) {
        /** @return the global batch of one step in the workload's reference recipe, stated for the ExaPOD (3,000 chips) */
        public long globalBatch() {
            return GLOBAL_BATCH.getOrDefault(name, defaultBatch);
        }

        /** @return where {@link #globalBatch()} comes from */
        public String globalBatchSource() {
            return GLOBAL_BATCH_SOURCE.getOrDefault(name, "Brown et al. 2020, Table 2.1 (batch size in tokens / 2,048)");
        }
    }

    /**
     * Reference global batches (samples per step) of the built-in workloads at the scale of an
     * ExaPOD. The GPT-3 family keeps the batch of Brown et al. (its {@code defaultBatch}).
     */
    private static final Map<String, Long> GLOBAL_BATCH = Map.of(
            "resnet50", 32_768L,
            "regnety-8.0gf", 32_768L,
            "bert-large", 12_288L,
            "vision-bev", 1_920L);
    private static final Map<String, String> GLOBAL_BATCH_SOURCE = Map.of(
            "resnet50", "MLPerf Training v3.0 closed ResNet-50 at 4,096 TPU-v4 (32,768; shared/workloads/measured/derived)",
            "regnety-8.0gf", "assumed equal to resnet50's MLPerf-scale batch (32,768); pycls trains at 1,024 on 8 GPUs",
            "bert-large", "MLPerf Training v3.0 closed BERT at 3,072 H100 (12,288; shared/workloads/measured/derived)",
            "vision-bev", "assumed: 16 clips per training tile, 1,920 on 120 tiles (no public recipe; docs/model/workloads.md)");

    private static final Map<String, Info> INFOS = new LinkedHashMap<>();

    private static void info(String name, String description, long batch, Object... kv) {
        Map<String, Long> d = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        INFOS.put(name, new Info(name, description, batch, java.util.Collections.unmodifiableMap(d)));
    }

    private static void gpt(String name, long batch, long layers, long hidden, long heads, long headDim) {
        info(name, "GPT-3 " + name.substring(5).toUpperCase(Locale.ROOT) + " decoder (Brown et al. 2020), seq 2048",
                batch, "layers", layers, "hidden", hidden, "heads", heads, "headDim", headDim, "ffn", 4 * hidden,
                "seq", 2048, "vocab", 50257);
    }

    static {
        info("resnet50", "ResNet-50 v1.5 image classifier, 224x224, SGD with momentum", 256,
                "image", 224, "classes", 1000);
        info("bert-large", "BERT-large encoder with MLM and NSP heads, seq 512, Adam", 256,
                "layers", 24, "hidden", 1024, "heads", 16, "ffn", 4096, "seq", 512, "vocab", 30522,
                "maskedPerSequence", 76);
        gpt("gpt3-125m", 256, 12, 768, 12, 64);
        gpt("gpt3-350m", 256, 24, 1024, 16, 64);
        gpt("gpt3-760m", 256, 24, 1536, 16, 96);
        gpt("gpt3-1.3b", 512, 24, 2048, 16, 128);
        gpt("gpt3-2.7b", 512, 32, 2560, 32, 80);
        gpt("gpt3-6.7b", 1024, 32, 4096, 32, 128);
        gpt("gpt3-13b", 1024, 40, 5140, 40, 128);
        gpt("gpt3-175b", 1536, 96, 12288, 96, 128);
        info("regnety-8.0gf", "RegNetY-8.0GF image classifier (pycls), 224x224, SGD with momentum", 256,
                "image", 224, "classes", 1000);
        info("vision-bev", "proxy of a multi-camera vision network: RegNetY-8.0GF per camera, "
                        + "neck, BEV transformer, occupancy-style head (assumptions in docs/model/workloads.md)", 16,
                "cameras", 8, "imageHeight", 960, "imageWidth", 1280, "neckWidth", 256, "bevHeight", 80,
                "bevWidth", 80, "bevDim", 256, "bevHeads", 8, "bevLayers", 4, "bevFfn", 512, "outputs", 32);
    }

    /** @return every built-in workload, in a fixed order */
    public static List<Info> list() {
        return List.copyOf(INFOS.values());
    }

    /** @return whether {@code name} is a built-in workload */
    public static boolean exists(String name) {
        return INFOS.containsKey(name);
    }

    /**
     * Generates a built-in workload.
     *
     * @throws ConfigException for an unknown name or dimension, or dimensions that do not fit
     */
    public static Workload generate(String name, GeneratorParams p) {
        Info info = INFOS.get(name);
        if (info == null) {
            throw new ConfigException("unknown built-in workload '" + name + "'; allowed: " + String.join(", ", INFOS.keySet()));
        }
        Map<String, Long> d = new LinkedHashMap<>(info.dims());
        for (Map.Entry<String, Long> e : p.dims().entrySet()) {
            if (!d.containsKey(e.getKey())) {
                throw new ConfigException("workload '" + name + "' has no dimension '" + e.getKey() + "'; allowed: "
                        + String.join(", ", d.keySet()));
            }
            d.put(e.getKey(), e.getValue());
        }
        long batch = p.batchSize() > 0 ? p.batchSize() : info.defaultBatch();
        boolean lm = name.startsWith("gpt3") || name.equals("bert-large");
        NetworkBuilder.Optimizer optimizer = lm || name.equals("vision-bev") ? NetworkBuilder.Optimizer.ADAM : NetworkBuilder.Optimizer.SGD_MOMENTUM;
        NetworkBuilder nb = new NetworkBuilder(p.computeType(), p.gradientType(), optimizer);
        long tokens = 0;
        if (name.equals("resnet50")) {
            ResNet50.build(nb, batch, d.get("image"), d.get("classes"));
        } else if (name.equals("regnety-8.0gf")) {
            RegNetVision.classifier(nb, batch, d.get("image"), d.get("classes"));
        } else if (name.equals("bert-large")) {
            long h = d.get("hidden"), a = d.get("heads");
            requireDivides(name, "heads", a, "hidden", h);
            Transformers.bert(nb, batch, d.get("seq"), d.get("layers"), h, a, h / a, d.get("ffn"), d.get("vocab"),
                    d.get("seq"), Math.min(d.get("maskedPerSequence"), d.get("seq")));
            tokens = batch * d.get("seq");
        } else if (name.equals("vision-bev")) {
            requireDivides(name, "bevHeads", d.get("bevHeads"), "bevDim", d.get("bevDim"));
            RegNetVision.bev(nb, batch, d.get("cameras"), d.get("imageHeight"), d.get("imageWidth"), d.get("neckWidth"),
                    d.get("bevHeight"), d.get("bevWidth"), d.get("bevDim"), d.get("bevHeads"), d.get("bevLayers"),
                    d.get("bevFfn"), d.get("outputs"));
        } else {
            Transformers.gpt(nb, batch, d.get("seq"), d.get("layers"), d.get("hidden"), d.get("heads"),
                    d.get("headDim"), d.get("ffn"), d.get("vocab"));
            tokens = batch * d.get("seq");
        }
        return oneRank(name, name, optimizer, lm || name.startsWith("gpt3"), batch, tokens, d, p, nb);
    }

    /**
     * @return the one-rank, data-parallel workload of a generated network: its compute (and gradient)
     * type, the dimensions, generator and optimizer as properties, with the tensor-parallel roles of
     * a transformer when {@code transformer}
     */
    private static Workload oneRank(String name, String generator, NetworkBuilder.Optimizer optimizer, boolean transformer, long batch,
                                    long tokens, Map<String, Long> dims, GeneratorParams p, NetworkBuilder nb) {
        List<DataType> types = new ArrayList<>();
        types.add(p.computeType());
        if (p.gradientType() != p.computeType()) {
            types.add(p.gradientType());
        }
        Map<String, String> props = new TreeMap<>();
        dims.forEach((k, v) -> props.put(k, Long.toString(v)));
        props.put("generator", generator);
        props.put("optimizer", optimizer.key());
        if (transformer) {
            Transformers.tensorParallelRoles(props);
        }
        WorkloadMetadata md = new WorkloadMetadata(name, "generator", batch, batch, tokens, types, nb.parameters(),
                ParallelismHint.of(ParallelismKind.DATA), props);
        return new Workload(md, List.of(new RankGraph(0, nb.build())));
    }

    /**
     * A GPT-style decoder with explicit dimensions, for model files such as Calculon's
     * ({@code hidden, feedforward, seq_size, attn_heads, attn_size, num_blocks}).
     *
     * @param dims layers, hidden, heads, headDim, ffn, seq and optionally vocab (default 50257);
     *     {@code p.dims()} override them
     * @param defaultBatch batch when {@code p.batchSize()} is 0
     */
    public static Workload decoder(String name, Map<String, Long> dims, long defaultBatch, GeneratorParams p) {
        Map<String, Long> d = new LinkedHashMap<>();
        d.put("vocab", 50257L);
        d.putAll(dims);
        for (String k : List.of("layers", "hidden", "heads", "headDim", "ffn", "seq")) {
            if (!d.containsKey(k)) {
                throw new ConfigException("decoder model '" + name + "' lacks dimension '" + k + "'");
            }
        }
        for (Map.Entry<String, Long> e : p.dims().entrySet()) {
            if (!d.containsKey(e.getKey())) {
                throw new ConfigException("decoder model '" + name + "' has no dimension '" + e.getKey() + "'; allowed: "
                        + String.join(", ", d.keySet()));
            }
            d.put(e.getKey(), e.getValue());
        }
        long batch = p.batchSize() > 0 ? p.batchSize() : defaultBatch;
        NetworkBuilder nb = new NetworkBuilder(p.computeType(), p.gradientType(), NetworkBuilder.Optimizer.ADAM);
        Transformers.gpt(nb, batch, d.get("seq"), d.get("layers"), d.get("hidden"), d.get("heads"), d.get("headDim"),
                d.get("ffn"), d.get("vocab"));
        return oneRank(name, "decoder", NetworkBuilder.Optimizer.ADAM, true, batch, batch * d.get("seq"), d, p, nb);
    }

    private static void requireDivides(String name, String a, long av, String b, long bv) {
        if (bv % av != 0) {
            throw new ConfigException("workload '" + name + "': " + b + " (" + bv + ") must be a multiple of " + a
                    + " (" + av + ")");
        }
    }

}
