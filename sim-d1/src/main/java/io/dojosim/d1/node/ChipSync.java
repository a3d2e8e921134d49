package io.dojosim.d1.node;

/**
 * Chip-wide barriers: a node reports that one of its threads reached CHIP_BARRIER; the chip calls
 * {@link D1Node#releaseBarrier} on every waiting node when all participants have arrived.
 */
public interface ChipSync {
    void arrive(int node, int thread, int barrierId, int participants);
}
