package io.dojosim.pod.collective;

import io.dojosim.pod.Topology;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code pod.collective.algorithm = auto}: for one collective (primitive, group, bytes per member)
 * the algorithm among ring, 2D and hierarchical whose alpha-beta estimate
 * ({@link Collective#estimateSeconds}, ADR 0061 and ADR 0064) is the smallest. A tie (for example
 * a group without a usable hierarchy level, where all three build the same ring) goes to the
 * earlier of ring, 2d, hierarchical, so the choice is deterministic. Choices are cached per
 * (group shape, primitive, bytes), so a training step that repeats a collective estimates it once.
 *
 * <p>Source: the bound is a lower bound of each schedule on the flow model; how far the simulated
 * time of the chosen algorithm lies from the simulated best is measured in docs/validation.md
 * (auto's choice) and held by {@code AlgorithmSelectorTest}.
 *
 * <p>Caveats: the estimate ignores traffic from other operations in flight (it prices the
 * collective alone); it uses the flow model's routes and rates even when the collective runs on
 * chip meshes. Not thread-safe: one selector per simulation.
 */
public final class AlgorithmSelector {
    private final Topology topo;
    private final int chunks;
    private final int depth;
    private final Map<Key, CollectiveAlgorithm> cache = new HashMap<>();

    private record Key(Object shape, CollectivePrimitive op, long bytes) {
    }

    /** @param chunks and pipelineDepth are those the collectives will run with ({@code pod.collective.*}) */
    public AlgorithmSelector(Topology topo, int chunks, int pipelineDepth) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.chunks = chunks;
        this.depth = pipelineDepth;
    }

    /** @return ring, 2d or hierarchical: the smallest estimate (cached) */
    public CollectiveAlgorithm choose(CollectivePrimitive op, CollectiveGroup group, long bytes) {
        Key k = new Key(group.shapeKey(), op, bytes);
        CollectiveAlgorithm a = cache.get(k);
        if (a == null) {
            // hierarchical first: the cheapest to estimate and usually the best, so its estimate
            // lets a 3,000-chip ring's walk stop early (a pruned candidate is above the best)
            CollectiveAlgorithm[] c = CollectiveAlgorithm.concrete();
            double[] e = new double[c.length];
            double best = Double.POSITIVE_INFINITY;
            for (int i = c.length - 1; i >= 0; i--) {
                e[i] = Collective.estimateSeconds(topo, op, c[i], group, bytes, chunks, depth, best);
                best = Math.min(best, e[i]);
            }
            a = best(e);
            cache.put(k, a);
        }
        return a;
    }

    /** @return the algorithm to run: {@code requested} itself, or for auto the choice of {@link #choose} */
    public CollectiveAlgorithm resolve(CollectiveAlgorithm requested, CollectivePrimitive op, CollectiveGroup group, long bytes) {
        return requested == CollectiveAlgorithm.AUTO ? choose(op, group, bytes) : requested;
    }

    /** @return the estimate of each candidate in seconds, indexed like {@link CollectiveAlgorithm#concrete()} (not cached) */
    public double[] estimates(CollectivePrimitive op, CollectiveGroup group, long bytes) {
        CollectiveAlgorithm[] c = CollectiveAlgorithm.concrete();
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = Collective.estimateSeconds(topo, op, c[i], group, bytes, chunks, depth);
        }
        return out;
    }

    /** @return the candidate with the smallest estimate; the first on a tie */
    public static CollectiveAlgorithm best(double[] estimates) {
        CollectiveAlgorithm[] c = CollectiveAlgorithm.concrete();
        int b = 0;
        for (int i = 1; i < c.length; i++) {
            if (estimates[i] < estimates[b]) b = i;
        }
        return c[b];
    }

    /** @return distinct (group shape, primitive, bytes) choices made so far */
    public int cachedChoices() {
        return cache.size();
    }
}
