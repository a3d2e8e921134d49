package io.dojosim.workload;

import io.dojosim.core.config.Check;
import java.util.List;

/**
 * The ranks a collective runs over.
 *
 * @param dimension the parallelism dimension (data, tensor, pipeline, ...) the collective belongs to
 * @param name a process-group name of the trace, "" when none
 * @param ranks explicit ranks, empty when the group is "every rank of {@code dimension}"
 * @param involvedDims Chakra's {@code involved_dim}: which network dimensions the collective spans,
 *     empty for all
 */
public record CommGroup(ParallelDim dimension, String name, List<Integer> ranks, List<Boolean> involvedDims) {
    public CommGroup {
        Check.require(dimension != null, "communication group dimension is missing");
        Check.require(name != null, "communication group name is null (use \"\")");
        ranks = List.copyOf(ranks);
        involvedDims = List.copyOf(involvedDims);
        for (Integer r : ranks) {
            Check.require(r >= 0, "communication group rank must be >= 0, got " + r);
        }
        Check.require(ranks.stream().distinct().count() == ranks.size(),
                "communication group ranks must be distinct, got " + ranks);
    }

    /** Every rank of a dimension. */
    public static CommGroup of(ParallelDim dimension) {
        return new CommGroup(dimension, "", List.of(), List.of());
    }
}
