package io.dojosim.d1.node;

/**
 * What a node needs from the on-chip network: inject a message now. The network later calls
 * {@link D1Node#deliver} on the destination node when the last byte has arrived at its router.
 *
 * <p>Caveats: the node has already paid for reading the bytes out of SRAM through its router read
 * port (64 B per cycle); the network models its own injection, routing and ejection.
 */
public interface NodeNetwork {
    /**
     * @param srcNode   active-node index of the sender
     * @param dstNode   active-node index of the receiver
     * @param bytes     payload bytes, at least 1
     * @param semaphore semaphore of the receiver that counts the arrival
     */
    void send(int srcNode, int dstNode, int bytes, int semaphore);
}
