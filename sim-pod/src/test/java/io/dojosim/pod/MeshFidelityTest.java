package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.pod.collective.CollectivePrimitive;
import io.dojosim.pod.collective.CollectiveResult;
import org.junit.jupiter.api.Test;

/**
 * The coarse on-chip model (node ports of 64 B/cycle, no mesh links) against sim-noc's mesh of
 * the same chip on schedules both can run: the same transfer graph of a collective among nodes of
 * one chip, sized so that bandwidth dominates (hundreds of flits per step). The chip is a full
 * 18 x 20 mesh (no harvested site) so that dimension-order routing reaches every pair.
 */
class MeshFidelityTest {
    private static final int W = 18;

    static ResolvedConfig fullChip() {
        return TopologyTest.scope("tile").with("d1.chip.activeNodes", 360, "test").with("d1.chip.disabledSites", "[]", "test");
    }

    static CollectiveResult run(Transport t, Topology topo, CollectivePrimitive op, CollectiveAlgorithm a, CollectiveGroup g, long bytes) {
        Collective c = new Collective(t, topo, op, a, g, bytes, 1, 1);
        c.start(null, 0);
        t.simulator().run();
        return c.result();
    }

    /** @return fine time / coarse time */
    static double ratio(String fidelity, CollectivePrimitive op, CollectiveAlgorithm a, String which, long bytes) {
        ResolvedConfig cfg = fullChip();
        Topology topo = Machine.build(io.dojosim.pod.bind.SpecBinder.bind(cfg)).topology();
        CollectiveGroup g;
        if (which.equals("row")) {
            long[] m = new long[W];
            for (int x = 0; x < W; x++) m[x] = Endpoint.node(0, x);
            g = CollectiveGroup.of("row 0", m);
        } else if (which.equals("column")) {
            long[] m = new long[20];
            for (int y = 0; y < 20; y++) m[y] = Endpoint.node(0, y * W);
            g = CollectiveGroup.of("column 0", m);
        } else {
            // a 6 x 5 block of the chip: rows of 6 nodes, columns of 5
            long[] m = new long[30];
            int[][] rows = new int[1][30];
            long[] pos = new long[30];
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 6; x++) {
                    int i = y * 6 + x;
                    m[i] = Endpoint.node(0, y * W + x);
                    rows[0][i] = y;
                    pos[i] = y * W + x;
                }
            }
            g = new CollectiveGroup("6 x 5 block", m, rows, rows, pos);
        }
        CollectiveResult coarse = run(new FlowNetwork(new Simulator(1), topo), topo, op, a, g, bytes);
        CollectiveResult fine = run(new ChipMeshTransport(new Simulator(1), io.dojosim.pod.bind.SpecBinder.bind(cfg), 0, fidelity), topo, op, a, g, bytes);
        System.out.printf(java.util.Locale.ROOT, "MeshFidelity %s %s %s %s %d B: coarse %.4f us, %s %.4f us, ratio %.4f%n", fidelity, op, a, which,
                bytes, coarse.timeSeconds() * 1e6, fidelity, fine.timeSeconds() * 1e6, fine.timeSeconds() / coarse.timeSeconds());
        return fine.timeSeconds() / coarse.timeSeconds();
    }

    @Test
    void ringReduceScatterAlongARowAgreesWithThePacketMesh() {
        // 17 steps of 256 flits to the east neighbour, and the wrap-around flow westward on free links
        assertEquals(1.0, ratio("packet", CollectivePrimitive.REDUCESCATTER, CollectiveAlgorithm.RING, "row", 18L * 64 * 256), 0.05);
    }

    @Test
    void ringAllReduceAlongAColumnAgreesWithThePacketMesh() {
        assertEquals(1.0, ratio("packet", CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.RING, "column", 20L * 64 * 128), 0.05);
    }

    @Test
    void twoDAllReduceOverABlockAgreesWithThePacketMesh() {
        // rows of 6 (5 steps of 320 flits), columns of 5 (8 steps of 64 flits), rows again
        assertEquals(1.0, ratio("packet", CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.TWO_D, "block", 30L * 64 * 320), 0.05);
    }

    @Test
    void ringReduceScatterAlongARowAgreesWithTheFlitMesh() {
        // the flit router sustains 1 flit/cycle per port with speculative switch allocation
        // (sim-noc SingleStreamThroughputTest); without it table routing's one VC per class halves it
        assertEquals(1.0, ratio("flit", CollectivePrimitive.REDUCESCATTER, CollectiveAlgorithm.RING, "row", 18L * 64 * 256), 0.05);
    }

    @Test
    void ringAllReduceAlongAColumnAgreesWithTheFlitMesh() {
        assertEquals(1.0, ratio("flit", CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.RING, "column", 20L * 64 * 128), 0.05);
    }

    @Test
    void twoDAllReduceOverABlockAgreesWithTheFlitMesh() {
        assertEquals(1.0, ratio("flit", CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.TWO_D, "block", 30L * 64 * 320), 0.05);
    }

    /** @return picoseconds until one transfer of {@code bytes} from node 0 to node 1 of chip 0 arrives */
    static long oneTransfer(Transport t, long bytes) {
        long[] at = {-1};
        t.send(Endpoint.node(0, 0), Endpoint.node(0, 1), bytes, (now, tag) -> at[0] = now, 0);
        t.simulator().run();
        return at[0];
    }

    @Test
    void aSingleStreamBetweenNeighboursTakesTheSameTimeAtEveryFidelity() {
        ResolvedConfig cfg = fullChip();
        Topology topo = Machine.build(io.dojosim.pod.bind.SpecBinder.bind(cfg)).topology();
        long bytes = 2000L * 64;
        // flow: 128,000 B at the node port's 64 B x 2 GHz = 1 us, plus one 2-cycle hop (1 ns)
        long flow = oneTransfer(new FlowNetwork(new Simulator(1), topo), bytes);
        assertEquals(1_001_000L, flow);
        // mesh: T0 for one hop (2 x 1 + 4 = 6 cycles) + 1,999 more flits at 1 per cycle = 2,005 cycles of 500 ps
        long flit = oneTransfer(new ChipMeshTransport(new Simulator(1), io.dojosim.pod.bind.SpecBinder.bind(cfg), 0, "flit"), bytes);
        long packet = oneTransfer(new ChipMeshTransport(new Simulator(1), io.dojosim.pod.bind.SpecBinder.bind(cfg), 0, "packet"), bytes);
        assertEquals(2005 * 500L, flit);
        assertEquals(flit, packet);
        assertEquals(1.0, (double) flit / flow, 0.05);
    }
}
