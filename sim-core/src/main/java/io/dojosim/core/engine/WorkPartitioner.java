package io.dojosim.core.engine;

/**
 * Splits items (chips, tiles) with an expected amount of work each into partitions of about equal
 * total work, for a {@link PartitionedSimulator}.
 *
 * <p>Greedy longest-processing-time: items in decreasing order of weight (ties by index) each go
 * to the partition with the least work so far (ties to the lowest partition). The result depends
 * only on the weights, and its largest partition is at most 4/3 of the optimum (Graham, 1969).
 *
 * <p>Caveats: it ignores which items are linked; keeping linked neighbours together (a chip's
 * nodes, a tile's chips) is the caller's job, by passing whole groups as items.
 */
public final class WorkPartitioner {
    private WorkPartitioner() {
    }

    /**
     * @param weights expected work of each item, each at least 0
     * @param parts   number of partitions, at least 1
     * @return the partition of each item
     */
    public static int[] balance(long[] weights, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1, was " + parts);
        }
        int n = weights.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (weights[i] < 0) {
                throw new IllegalArgumentException("weight of item " + i + " is negative: " + weights[i]);
            }
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> weights[a] != weights[b] ? Long.compare(weights[b], weights[a])
                : Integer.compare(a, b));
        long[] load = new long[parts];
        int[] partOf = new int[n];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            int best = 0;
            for (int p = 1; p < parts; p++) {
                if (load[p] < load[best]) {
                    best = p;
                }
            }
            partOf[i] = best;
            load[best] += weights[i];
        }
        return partOf;
    }
}
