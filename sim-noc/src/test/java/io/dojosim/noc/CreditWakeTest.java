package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A flit router whose only flit waits for a credit sleeps and must be woken by the credit's
 * return (ADR 0102). One VC of one flit per port and an ejection channel of 0.125 flit per
 * cycle: router 1 ejects a flit every 8 cycles, so router 0 always holds the next flit blocked on the
 * credit of router 1's single slot for several cycles; a router that missed the wake would never
 * send again.
 */
class CreditWakeTest {
    private static final int FLITS = 500;

    @Test
    void creditBoundStreamDeliversOneFlitPerEjectionInterval() {
        NocParams d = NocParams.defaults().withVcs(1).withBufferFlits(1);
        NocParams p = new NocParams(d.clockHz(), d.routingDelayCycles(), d.vcAllocDelayCycles(), d.swAllocDelayCycles(),
                d.stDelayCycles(), d.speculativeSwitchAlloc(), d.linkLatencyCycles(), d.creditDelayCycles(), d.vcs(),
                d.bufferFlits(), d.flitBytes(), d.packetFlits(), d.routing(), NocParams.Fidelity.FLIT,
                d.injectionFlitsPerCycle(), 0.125, d.measure());
        // D1 defaults: R = 0, speculative SA, S = 1, X = 0, d = 1, credit delay 0. The first flit
        // arrives after T0 = 6 cycles (one hop, SingleStreamThroughputTest). Router 1 then sends one
        // flit every 1 / 0.125 = 8 cycles. Router 0's next flit (injected when router 0's previous
        // departure returned its injection credit, S + d = 2 cycles after it) is allocated 4 cycles
        // after that departure and waits 4 more for the credit of router 1's slot, which returns
        // S + d = 2 cycles after router 1's departure; it reaches router 1 S + X + d = 2 cycles
        // later, inside the 8: the ejection channel sets the pace. Last flit: 6 + 8 * (FLITS - 1).
        assertEquals(6 + 8L * (FLITS - 1),
                ZeroLoadLatencyTest.deliverOne(p, MeshShape.full(4, 1), 0, 1, (long) FLITS * p.flitBytes()));
    }
}
