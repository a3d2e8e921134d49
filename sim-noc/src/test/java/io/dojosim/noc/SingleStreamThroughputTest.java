package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One stream between neighbours, uncontended, must move one flit per cycle per port: the rate
 * the published 64 B/cycle router port gives (HC34-U) and the packet model assumes. A message of
 * N single-flit packets is delivered at T0(1 hop, 1 flit) + (N - 1) cycles.
 *
 * <p>Without speculative switch allocation a virtual channel holds one packet at a time and
 * cannot start the next packet's VC allocation before the previous tail has won the switch: with
 * lookahead routing that is VA (1) + SA (1) = 2 cycles per packet per VC. Two VCs hide it under
 * XY routing (the source alternates them), but table routing gives each class one VC, and the
 * stream drops to 0.5 flit/cycle (the cause of the 1.84 x gap of docs/validation.md, sim-pod).
 */
class SingleStreamThroughputTest {
    private static final int FLITS = 2000;

    static long stream(NocParams p, MeshShape m, int src, int dst) {
        return ZeroLoadLatencyTest.deliverOne(p, m, src, dst, (long) FLITS * p.flitBytes());
    }

    @ParameterizedTest(name = "{0} routing, {1} VC(s), {2}")
    @CsvSource({"XY, 2, FLIT", "XY, 1, FLIT", "TABLE, 2, FLIT", "XY, 2, PACKET", "TABLE, 2, PACKET"})
    void d1RouterSustainsOneFlitPerCycleBetweenNeighbours(NocParams.Routing r, int vcs, NocParams.Fidelity f) {
        NocParams p = NocParams.defaults().withRouting(r).withVcs(vcs).withFidelity(f);
        MeshShape m = MeshShape.full(4, 1);
        // T0 for one hop: 2 * 1 + 4 = 6, then one flit per cycle: 6 + 1999
        assertEquals(6 + FLITS - 1, stream(p, m, 0, 1));
        // three hops: T0 = 2 * 3 + 4 = 10
        assertEquals(10 + FLITS - 1, stream(p, m, 0, 3));
    }

    @ParameterizedTest(name = "{0} routing, {1} VC(s)")
    @CsvSource({"XY, 1", "TABLE, 2"})
    void withoutSpeculationOneVcPerClassMovesHalfAFlitPerCycle(NocParams.Routing r, int vcs) {
        NocParams p = NocParams.defaults().withSpeculativeSwitchAlloc(false).withRouting(r).withVcs(vcs);
        MeshShape m = MeshShape.full(4, 1);
        // T0 for one hop without speculation: 3 * 1 + 5 = 8; then one packet every VA + SA = 2 cycles
        assertEquals(8 + 2 * (FLITS - 1), stream(p, m, 0, 1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLIT", "PACKET"})
    void withoutSpeculationTwoVcsHideTheAllocationBubble(NocParams.Fidelity f) {
        NocParams p = NocParams.defaults().withSpeculativeSwitchAlloc(false).withFidelity(f);
        assertEquals(8 + FLITS - 1, stream(p, MeshShape.full(4, 1), 0, 1));
    }
}
