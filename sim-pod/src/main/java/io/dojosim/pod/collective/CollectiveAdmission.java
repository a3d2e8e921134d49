package io.dojosim.pod.collective;

import io.dojosim.core.config.ConfigException;

/**
 * Admission of a collective before its transfer graph is built: the transfers a group of this
 * many members makes, estimated at {@link #TRANSFERS_PER_MEMBER}, each holding about
 * {@link #BYTES_PER_TRANSFER} of graph and flow state. A group whose graph cannot fit the heap is
 * refused naming the members and the estimate (issue 17, case 3: every node of the ExaPOD,
 * 1,062,000 members, asked for several GB and ran out of memory).
 *
 * <p>Caveats: the per-member figure is measured on a hierarchical all-reduce over a tile's 8,850
 * nodes (about 6 million transfers, {@link CollectiveGroup#nodesOfChips}); a ring over as many
 * members makes more, so the check admits what surely does not fit no further than it must.
 */
public final class CollectiveAdmission {
    /** Transfers per member of a node-level collective (6 million over 8,850 members, rounded up). */
    public static final long TRANSFERS_PER_MEMBER = 700;
    /** Heap per transfer of the graph and its flow (ids, sizes, dependency lists, a flow record). */
    public static final long BYTES_PER_TRANSFER = 128;

    private CollectiveAdmission() {
    }

    /** @return the most members a heap of this size admits (3/4 of it for the graph) */
    public static long maxMembers(long heapBytes) {
        return Math.max(2, heapBytes / 4 * 3 / (TRANSFERS_PER_MEMBER * BYTES_PER_TRANSFER));
    }

    /**
     * @param what the members, as the command names them (e.g. "--scope pod --members nodes")
     * @throws ConfigException when the estimate exceeds the heap
     */
    public static void check(long members, String what, long heapBytes) {
        long limit = maxMembers(heapBytes);
        if (members > limit) {
            long est = members * TRANSFERS_PER_MEMBER;
            throw new ConfigException(what + ": " + members + " members make an estimated " + est + " transfers ("
                    + (est / (1L << 20) * BYTES_PER_TRANSFER) + " MiB of state); allowed: at most " + limit + " members in this heap ("
                    + (heapBytes >> 20) + " MiB; give more with DOJOSIM_JAVA_OPTS=-Xmx<size>), e.g. --members chips or a smaller --scope");
        }
    }
}
