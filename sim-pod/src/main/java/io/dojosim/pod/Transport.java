package io.dojosim.pod;

import io.dojosim.core.engine.Simulator;

/**
 * Moves bytes between {@link Endpoint}s and says when they have arrived: the flow model of the
 * whole machine ({@link FlowNetwork}) or the flit/packet mesh of one chip ({@link ChipMeshTransport}).
 * Collectives run on either, so the same schedule can be compared across fidelities.
 */
public interface Transport {
    /** @return the simulator the transport schedules on */
    Simulator simulator();

    /** Starts a transfer now; {@code listener} is told with {@code tag} when its last byte has arrived. */
    void send(long src, long dst, long bytes, TransferListener listener, long tag);

    /** @return a short name of the fidelity, for reports: {@code flow}, {@code flit}, {@code packet} */
    String fidelity();
}
