package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.engine.Simulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-derived cases on one tile with default parameters and the raw die-to-die rate
 * (d1.chip.dieToDieEfficiency = 1.0). Chip c's neighbour to the east is c + 1.
 * The route chip 0 -> chip 1 is: mesh bundle (20 rows x 64 B x 2 GHz = 2.56 TB/s, 9 hops x 2
 * cycles = 9 ns), die-to-die (576 / 4 x 112 Gb/s / 8 = 2.016 TB/s, 100 ns), mesh bundle:
 * bottleneck 2.016 TB/s, latency 9 + 100 + 9 = 118 ns.
 */
class FlowNetworkTest {
    private static final long LAT = 118_000L;

    private final List<long[]> done = new ArrayList<>();
    private final TransferListener record = (t, tag) -> done.add(new long[] {tag, t});

    private static PodSimulation tile() {
        return new PodSimulation(new Simulator(1), Machine.build(io.dojosim.pod.bind.SpecBinder.bind(TopologyTest.raw("tile"))));
    }

    @Test
    void oneFlowRunsAtItsBottleneckAndArrivesAfterTheRouteLatency() {
        PodSimulation ps = tile();
        assertEquals(LAT, ps.machine().topology().routeLatencyPs(ps.machine().topology().route(Endpoint.chip(0), Endpoint.chip(1))));
        ps.transfer(Endpoint.chip(0), Endpoint.chip(1), 2_016_000, record, 7);
        ps.simulator().run();
        assertEquals(1, done.size());
        assertEquals(7, done.get(0)[0]);
        assertEquals(1_000_000L + LAT, done.get(0)[1]); // 2.016 MB at 2.016 TB/s = 1 us
    }

    @Test
    void twoFlowsShareALinkAndTheSurvivorSpeedsUp() {
        PodSimulation ps = tile();
        ps.transfer(Endpoint.chip(0), Endpoint.chip(1), 1_008_000, record, 1);
        ps.transfer(Endpoint.chip(0), Endpoint.chip(1), 2_016_000, record, 2);
        ps.simulator().run();
        // both at 1.008 TB/s: flow 1 sent at 1 us; flow 2 then has 1.008 MB left at 2.016 TB/s: 0.5 us more
        assertEquals(1_000_000L + LAT, done.get(0)[1]);
        assertEquals(1_500_000L + LAT, done.get(1)[1]);
        // conservation: the die-to-die link carried both flows' bytes
        int d2d = ps.machine().topology().route(Endpoint.chip(0), Endpoint.chip(1))[1];
        assertEquals(3_024_000, ps.network().carriedBytes(d2d), 1e-3);
    }

    @Test
    void maxMinFairnessGivesTheUnusedShareToTheUnconstrainedFlow() {
        PodSimulation ps = tile();
        // a node is limited by its 64 B/cycle port (128 GB/s); the chip flow takes the rest of the link
        int a = ps.transfer(Endpoint.chip(0), Endpoint.chip(1), 1L << 40, record, 1);
        int b = ps.transfer(Endpoint.node(0, 5), Endpoint.chip(1), 1L << 40, record, 2);
        ps.simulator().runUntil(1);
        assertEquals(128e9, ps.network().flowRate(b), 1);
        assertEquals(2.016e12 - 128e9, ps.network().flowRate(a), 1);
    }

    @Test
    void slackLinksAndPerFlowCapsGiveTheTextbookAllocation() {
        PodSimulation ps = tile();
        // A: node port limited (128 GB/s); B: chip 0 -> 1; C: chip 0 -> 2 (its 1 -> 2 link is slack).
        // Die-to-die 0 -> 1 is shared by all three: A keeps 128 GB/s, B and C split the rest.
        int a = ps.transfer(Endpoint.node(0, 3), Endpoint.chip(1), 1L << 40, record, 1);
        int b = ps.transfer(Endpoint.chip(0), Endpoint.chip(1), 1L << 40, record, 2);
        int c = ps.transfer(Endpoint.chip(0), Endpoint.chip(2), 1L << 40, record, 3);
        ps.simulator().runUntil(1);
        assertEquals(128e9, ps.network().flowRate(a), 1);
        assertEquals((2.016e12 - 128e9) / 2, ps.network().flowRate(b), 1);
        assertEquals((2.016e12 - 128e9) / 2, ps.network().flowRate(c), 1);
        // a fourth flow on the slack 1 -> 2 link alone leaves the others unchanged and gets the rest
        int d = ps.transfer(Endpoint.chip(1), Endpoint.chip(2), 1L << 40, record, 4);
        ps.simulator().runUntil(2);
        assertEquals((2.016e12 - 128e9) / 2, ps.network().flowRate(c), 1);
        assertEquals(2.016e12 - (2.016e12 - 128e9) / 2, ps.network().flowRate(d), 1);
        // the link's load is the sum of its flows' rates
        int d2d = ps.machine().topology().route(Endpoint.chip(0), Endpoint.chip(1))[1];
        assertEquals(2.016e12, ps.network().currentLoad(d2d), 1);
    }

    @Test
    void hbmReadsAndWritesShareTheHbmBandwidth() {
        PodSimulation ps = tile();
        // DIP 0 hangs on chip 0's west side; a copy inside one HBM crosses the HBM link twice
        int f = ps.transfer(Endpoint.hbm(0), Endpoint.hbm(0), 1L << 30, record, 1);
        ps.simulator().runUntil(1);
        assertEquals(400e9, ps.network().flowRate(f), 1);
        int g = ps.transfer(Endpoint.hbm(1), Endpoint.chip(0), 1L << 30, record, 2);
        ps.simulator().runUntil(2);
        // HBM 800 GB/s, then the 900 GB/s TTP link and a 1.8 TB/s tile-edge share: HBM-bound
        assertEquals(800e9, ps.network().flowRate(g), 1);
    }

    @Test
    void zeroByteTransfersArriveAfterTheLatencyAlone() {
        PodSimulation ps = tile();
        ps.transfer(Endpoint.chip(0), Endpoint.chip(1), 0, record, 3);
        ps.simulator().run();
        assertEquals(LAT, done.get(0)[1]);
    }

    @Test
    void chipFlowAndTheSameBytesSpreadOverAllNodesTakeTheSameTime() {
        // granularity check: 354 node-to-node flows (each limited to 128 GB/s by its port, 45 TB/s in
        // all) are bound by the same 2.016 TB/s die-to-die link as one chip-to-chip flow
        long bytes = 354L * 1_000_000;
        PodSimulation chip = tile();
        chip.transfer(Endpoint.chip(0), Endpoint.chip(1), bytes, record, 0);
        chip.simulator().run();
        long tChip = done.get(0)[1];
        done.clear();
        PodSimulation nodes = tile();
        for (int n = 0; n < 354; n++) {
            nodes.transfer(Endpoint.node(0, n), Endpoint.node(1, n), 1_000_000, record, n);
        }
        nodes.simulator().run();
        long tNodes = 0;
        for (long[] d : done) tNodes = Math.max(tNodes, d[1]);
        assertEquals(tChip, tNodes, 0.05 * tChip);
    }
}
