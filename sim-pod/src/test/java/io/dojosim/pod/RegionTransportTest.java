package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.stats.Counter;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.pod.collective.CollectiveOp;
import io.dojosim.pod.collective.CollectiveResult;
import org.junit.jupiter.api.Test;

/**
 * The region of interest inside a larger run: transfers between two nodes of the chosen chip go
 * on sim-noc's mesh, every other transfer on the flow model, in one simulation.
 */
class RegionTransportTest {
    private static final int W = 18;

    /** Row 0 of chip 0, then row 0 of chip 1 (its east neighbour): one ring across the die edge. */
    static CollectiveGroup twoChipRow() {
        long[] m = new long[2 * W];
        for (int x = 0; x < W; x++) {
            m[x] = Endpoint.node(0, x);
            m[W + x] = Endpoint.node(1, x);
        }
        return CollectiveGroup.of("row 0 of chips 0 and 1", m);
    }

    static Collective run(Transport t, Topology topo, long bytes) {
        Collective c = new Collective(t, topo, CollectiveOp.REDUCESCATTER, CollectiveAlgorithm.RING, twoChipRow(), bytes, 1, 1);
        c.start(null, 0);
        t.simulator().run();
        return c;
    }

    @Test
    void transfersInsideTheRegionRunOnTheMeshAndTheRestOnTheFlowModel() {
        ResolvedConfig c = MeshFidelityTest.fullChip().with("pod.coarse.chipFidelity", "flit", "test");
        Simulator sim = new Simulator(1);
        Machine m = Machine.build(c);
        FlowNetwork flow = new FlowNetwork(sim, m.topology());
        RegionTransport t = new RegionTransport(flow, c);
        assertEquals(0, t.roiChip());
        long bytes = 36L * 64 * 256; // 256 flits per member and step
        CollectiveResult r = run(t, m.topology(), bytes).result();
        // 35 steps; per step 17 transfers inside chip 0's row (mesh), 17 inside chip 1's and the two
        // crossing the die edge (flow)
        assertEquals(35 * 17, t.meshTransfers());
        assertEquals(35 * 19, t.flowTransfers());
        assertEquals(35 * 36, r.transfers());
        // every mesh transfer is one delivered message of 256 flits on the region's mesh
        assertEquals(35 * 17, ((Counter) sim.stats().get("pod.roi.chip[0].noc.messages")).get());
        assertEquals(35 * 17 * 256 * 64L, ((Counter) sim.stats().get("pod.roi.chip[0].noc.bytesDelivered")).get());
        assertEquals(35 * 19, flow.transfersCompleted());

        // the same schedule all on the flow model: neighbour traffic moves at the node port's
        // 64 B/cycle on both, so the mixed run agrees within 5 %
        Simulator s2 = new Simulator(1);
        RegionTransport all = new RegionTransport(new FlowNetwork(s2, m.topology()), c.with("pod.coarse.chipFidelity", "flow", "test"));
        CollectiveResult coarse = run(all, m.topology(), bytes).result();
        assertEquals(0, all.meshTransfers());
        assertEquals(-1, all.roiChip());
        System.out.printf(java.util.Locale.ROOT, "RegionTransport: mixed %.4f us, flow %.4f us, ratio %.4f%n", r.timeSeconds() * 1e6, coarse.timeSeconds() * 1e6, r.timeSeconds() / coarse.timeSeconds());
        assertEquals(1.0, r.timeSeconds() / coarse.timeSeconds(), 0.05, "mixed " + r.timeSeconds() + " s, flow " + coarse.timeSeconds() + " s");
        assertTrue(r.timeSeconds() > 0);
    }

    @Test
    void aRegionChipOutsideTheSystemIsAConfigError() {
        ResolvedConfig c = MeshFidelityTest.fullChip().with("pod.coarse.chipFidelity", "packet", "test").with("pod.coarse.roiChip", 25, "test");
        Machine m = Machine.build(c);
        ConfigException e = assertThrows(ConfigException.class, () -> new RegionTransport(new FlowNetwork(new Simulator(1), m.topology()), c));
        assertTrue(e.getMessage().contains("pod.coarse.roiChip"), e.getMessage());
    }
}
