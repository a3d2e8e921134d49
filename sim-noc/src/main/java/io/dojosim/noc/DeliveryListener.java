package io.dojosim.noc;

/**
 * Told when the last byte of a message sent with {@link MeshNetwork#send} has been ejected at its
 * destination (or has left the mesh through an edge port).
 */
@FunctionalInterface
public interface DeliveryListener {
    /**
     * @param nowPs the simulated time of delivery (a cycle edge of the network clock)
     * @param tag   the tag given to {@link MeshNetwork#send}
     */
    void delivered(long nowPs, long tag);
}
