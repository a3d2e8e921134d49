package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.engine.Simulator;
import org.junit.jupiter.api.Test;

/**
 * The routing-aware coarse chip (ADR 0106), by hand, on one tile of the default die: 18 x 20
 * sites with (0,0), (17,0), (8,0) harvested on the north edge, (0,19), (17,19), (9,19) on the
 * south edge. So 15 of 18 north and south ports and 18 of 20 west and east ports are usable; the
 * lanes whose port is missing hold 55 of the 354 nodes on a north or south side (columns of 18,
 * 18 and 19 nodes) and 30 on a west or east side (rows 0 and 19, 15 nodes each). A mesh link
 * moves 64 B x 2 GHz = 128 GB/s.
 */
class RoutingAwareChipTest {
    private static final double LINK = 128e9;

    private static Topology topo(boolean fullDie) {
        return Machine.build(io.dojosim.pod.bind.SpecBinder.bind(fullDie ? MeshFidelityTest.fullChip() : TopologyTest.scope("tile"))).topology();
    }

    private static double cap(Topology t, long src, long dst) {
        return t.chipCapBps(t.route(src, dst));
    }

    @Test
    void aTransferIsCappedByHowItCrossesEachChip() {
        Topology t = topo(false);
        // chip 0 -> chip 5: leaves by the south side, enters by the north: 15 ports x (1 - 55/354)
        assertEquals(15 * LINK * 299 / 354, cap(t, Endpoint.chip(0), Endpoint.chip(5)), 1);
        // chip 0 -> chip 20 passes chips 5, 10, 15 straight: both sides' handed-over lanes
        assertEquals(15 * LINK * (299.0 / 354) * (299.0 / 354), cap(t, Endpoint.chip(0), Endpoint.chip(20)), 1);
        // chip 0 -> chip 2 passes chip 1 west to east: 18 x 128 GB/s x (324/354)^2 = 1.930 TB/s
        assertEquals(18 * LINK * (324.0 / 354) * (324.0 / 354), cap(t, Endpoint.chip(0), Endpoint.chip(2)), 1);
        // chip 0 -> chip 6 turns north in chip 1: 0.38 of the mean of 18 west and 15 north ports
        assertEquals(0.38 * 16.5 * LINK, cap(t, Endpoint.chip(0), Endpoint.chip(6)), 1);
        // neighbours along a row: leaving by the east side, entering by the west
        assertEquals(18 * LINK * 324 / 354, cap(t, Endpoint.chip(0), Endpoint.chip(1)), 1);
        // a node's route is capped the same way; its own 128 GB/s port is far below
        assertEquals(0.38 * 16.5 * LINK, cap(t, Endpoint.node(0, 3), Endpoint.node(6, 3)), 1);
    }

    @Test
    void onAFullDieOnlyTurnsAreCappedBelowTheBundles() {
        Topology t = topo(true);
        // 18 north and south ports, 20 west and east ones, none missing: the straight caps are the
        // bundles' own capacities (18 column links, 20 row links)
        assertEquals(18 * LINK, cap(t, Endpoint.chip(0), Endpoint.chip(20)), 1);
        assertEquals(20 * LINK, cap(t, Endpoint.chip(0), Endpoint.chip(4)), 1);
        assertEquals(0.38 * 19 * LINK, cap(t, Endpoint.chip(0), Endpoint.chip(6)), 1);
    }

    @Test
    void aTurningTransferRunsAtItsCapAndArrivesAfterTheRouteLatency() {
        Topology t = topo(false);
        Simulator sim = new Simulator(1);
        FlowNetwork f = new FlowNetwork(sim, t);
        long bytes = 8L << 20;
        long[] at = {-1};
        f.send(Endpoint.chip(0), Endpoint.chip(6), bytes, (now, tag) -> at[0] = now, 0);
        sim.run();
        int[] route = t.route(Endpoint.chip(0), Endpoint.chip(6));
        // 8 MiB at 0.38 x 16.5 x 128 GB/s = 802.56 GB/s: 10.452 us, then the route's latency
        double cap = 0.38 * 16.5 * LINK;
        assertEquals(t.latencyPs(Endpoint.chip(0), Endpoint.chip(6), route) + (long) Math.ceil(bytes / cap * 1e12), at[0], 1);
        assertEquals(10_690_313L, at[0]); // docs/validation.md, "Region crossing after ADR 0106"
    }
}
