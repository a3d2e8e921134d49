package io.dojosim.workload.gen;

import io.dojosim.core.config.Check;
import io.dojosim.workload.DataType;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parameters of a built-in workload generator.
 *
 * @param batchSize samples per step; 0 for the model's default
 * @param computeType data type of activations, weights and arithmetic (BF16, CFP8, FP32, ...)
 * @param gradientType data type of weight gradients and of their all-reduce
 * @param dims model dimensions overriding the generator's defaults (names per generator, see
 *     {@link Generators#list()}); an unknown name is an error
 */
public record GeneratorParams(long batchSize, DataType computeType, DataType gradientType, Map<String, Long> dims) {
    public GeneratorParams {
        Check.require(batchSize >= 0, "batch size must be >= 1 (or 0 for the model default), got " + batchSize);
        Check.require(computeType != null, "compute data type is missing");
        Check.require(gradientType != null, "gradient data type is missing");
        dims = java.util.Collections.unmodifiableMap(new TreeMap<>(dims));
        for (Map.Entry<String, Long> e : dims.entrySet()) {
            Check.require(e.getValue() != null && e.getValue() >= 1,
                    "model dimension '" + e.getKey() + "' must be >= 1, got " + e.getValue());
        }
    }

    /** Model defaults: default batch, BF16 compute, FP32 gradients. */
    public static GeneratorParams defaults() {
        return new GeneratorParams(0, DataType.BF16, DataType.FP32, Map.of());
    }

    public GeneratorParams withBatchSize(long b) {
        return new GeneratorParams(b, computeType, gradientType, dims);
    }

    public GeneratorParams withDim(String name, long value) {
        Map<String, Long> d = new TreeMap<>(dims);
        d.put(name, value);
        return new GeneratorParams(batchSize, computeType, gradientType, d);
    }

    public GeneratorParams withTypes(DataType compute, DataType gradient) {
        return new GeneratorParams(batchSize, compute, gradient, dims);
    }
}
