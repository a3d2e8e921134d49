package io.dojosim.noc;

/**
 * Told when the tail flit of a message sent with {@link MeshNetwork#send} has left its source
 * terminal's injection queue into the first router: the source's injection channel is free for the
 * next message from then on, while the message is still crossing the mesh. Always called before
 * the same message's {@link DeliveryListener#delivered}.
 */
@FunctionalInterface
public interface InjectionListener {
    /**
     * @param nowPs the simulated time the tail has left the source (a cycle edge of the network
     *              clock: the end of the cycle in which the tail flit entered the injection channel)
     * @param tag   the tag given to {@link MeshNetwork#send}
     */
    void injected(long nowPs, long tag);
}
