package io.dojosim.workload;

import io.dojosim.core.config.Check;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A training step: metadata and one operation graph per rank.
 *
 * <p>Source: the structure follows MLCommons Chakra execution traces (one graph per rank) so that
 * traces and generated models share one representation.
 *
 * @param warnings what an importer reported and tolerated (dangling control dependencies, missing
 *     sizes); not part of the step itself
 */
public record Workload(WorkloadMetadata metadata, List<RankGraph> ranks, List<String> warnings) {
    public Workload {
        Check.require(metadata != null, "workload metadata is missing");
        ranks = List.copyOf(ranks);
        warnings = List.copyOf(warnings);
        Check.require(!ranks.isEmpty(), "workload '" + metadata.name() + "' has no rank graph");
        Set<Integer> seen = new HashSet<>();
        for (RankGraph g : ranks) {
            Check.require(seen.add(g.rank()), "workload '" + metadata.name() + "': rank " + g.rank() + " appears twice");
        }
    }

    public Workload(WorkloadMetadata metadata, List<RankGraph> ranks) {
        this(metadata, ranks, List.of());
    }

    /** @return the graph of rank 0 or, when there is none, the first graph */
    public RankGraph primary() {
        for (RankGraph g : ranks) {
            if (g.rank() == 0) {
                return g;
            }
        }
        return ranks.get(0);
    }

    /** @return total operations over all ranks */
    public long operationCount() {
        long n = 0;
        for (RankGraph g : ranks) {
            n += g.size();
        }
        return n;
    }
}
