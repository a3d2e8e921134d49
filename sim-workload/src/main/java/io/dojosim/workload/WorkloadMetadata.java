package io.dojosim.workload;

import io.dojosim.core.config.Check;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a workload is and how much work one step does.
 *
 * @param name workload name, e.g. "gpt3-175b"
 * @param source where it came from: "generator", "dojosim", "chakra", "astra-sim-text"
 * @param batchSize samples the graph processes in one step (for a trace: per rank, when known)
 * @param samplesPerStep samples the whole job consumes per step (throughput denominator), 0 when
 *     unknown
 * @param tokensPerStep tokens per step for a language model, 0 otherwise
 * @param dataTypes data types used by the workload (compute first)
 * @param parameterCount trainable parameters, 0 when unknown
 * @param parallelism parallelism hint
 * @param properties free-form facts (generator parameters, trace metadata), sorted by key
 */
public record WorkloadMetadata(String name, String source, long batchSize, long samplesPerStep, long tokensPerStep,
                               List<DataType> dataTypes, long parameterCount, ParallelismHint parallelism,
                               Map<String, String> properties) {
    public WorkloadMetadata {
        Check.require(name != null && !name.isBlank(), "workload name must not be empty");
        Check.require(source != null, "workload source is missing");
        Check.require(batchSize >= 0, "batchSize must be >= 0, got " + batchSize);
        Check.require(samplesPerStep >= 0, "samplesPerStep must be >= 0, got " + samplesPerStep);
        Check.require(tokensPerStep >= 0, "tokensPerStep must be >= 0, got " + tokensPerStep);
        Check.require(parameterCount >= 0, "parameterCount must be >= 0, got " + parameterCount);
        Check.require(parallelism != null, "parallelism hint is missing");
        dataTypes = List.copyOf(dataTypes);
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }
}
