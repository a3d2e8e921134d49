package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.pod.collective.CollectiveGroup;
import org.junit.jupiter.api.Test;

/**
 * ADR 0118: why a ring all-reduce over a tile's 25 chips was 1.09x (one chip meshed) to 1.30x (all
 * 25) slower on the chip meshes than on the flow model. A step of the ring waits for its closing
 * hop, chip (2,0) -> chip (0,0) straight through chip (1,0) (ADR 0106 follow-up). Measured here on
 * one ring step of the {@code RegionRunTest} all-reduce (1.5 MiB over 25 chips: 62,914 B per hop):
 * the hop takes exactly as long alone as with the step's other 24 transfers, on the flow model and
 * on the meshes, so no sharing of chip (1,0)'s mesh makes it slow; what does is the region's
 * boundary chunk, stored whole at every mesh edge (the closing hop has four such edges, a
 * neighbour hop two).
 */
class RingClosingHopTest {
    /** One hop of the ring all-reduce of RegionRunTest: 1,572,864 B over 25 chips. */
    private static final long HOP_BYTES = 62_914;

    private static int[] ring(ResolvedConfig c) {
        Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(c)));
        CollectiveGroup g = CollectiveGroup.forScope(t, "tile");
        int[] ring = new int[g.size()];
        for (int i = 0; i < ring.length; i++) ring[i] = Endpoint.a(g.member(i));
        return ring;
    }

    /** Sends every pair at time zero on a fresh simulator; returns each one's arrival in ps. */
    private static long[] arrivals(ResolvedConfig c, long[][] pairs) {
        Simulator sim = new Simulator(1);
        FlowNetwork fn = new FlowNetwork(sim, Machine.build(io.dojosim.pod.bind.SpecBinder.bind(c)).topology());
        Transport t = "flow".equals(c.getString("pod.coarse.chipFidelity")) ? fn : new RegionTransport(fn, io.dojosim.pod.bind.SpecBinder.bind(c));
        long[] at = new long[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            final int k = i;
            t.send(pairs[i][0], pairs[i][1], HOP_BYTES, (now, tag) -> at[k] = now, i);
        }
        sim.run();
        return at;
    }

    private static long[][] ringStep(int[] ring) {
        long[][] pairs = new long[ring.length][];
        for (int i = 0; i < ring.length; i++) pairs[i] = new long[] {Endpoint.chip(ring[i]), Endpoint.chip(ring[(i + 1) % ring.length])};
        return pairs;
    }

    private static long closingHopAlone(ResolvedConfig c) {
        return arrivals(c, new long[][] {{Endpoint.chip(2), Endpoint.chip(0)}})[0];
    }

    private static ResolvedConfig meshed(ResolvedConfig c, String fidelity, String scope, int chip) {
        return c.with("pod.coarse.chipFidelity", fidelity, "test").with("pod.coarse.roiScope", scope, "test").with("pod.coarse.roiChip", chip, "test");
    }

    @Test
    void theClosingHopIsAsSlowAloneAsWithItsRingStepAndSetsTheStepOnEveryModel() {
        ResolvedConfig tile = TopologyTest.scope("tile");
        int[] ring = ring(tile);
        assertEquals(2, ring[24]);
        assertEquals(0, ring[0]);
        long[][] step = ringStep(ring);
        for (ResolvedConfig c : new ResolvedConfig[] {tile, meshed(tile, "packet", "tile", 0), meshed(tile, "packet", "chip", 1)}) {
            long[] all = arrivals(c, step);
            String what = c.getString("pod.coarse.chipFidelity") + " " + c.getString("pod.coarse.roiScope");
            // chip (1,0) receives from chip 0 and sends to chip 6 while the closing hop passes through
            // it: the hop arrives at the same picosecond as when it is alone
            assertEquals(closingHopAlone(c), all[24], what);
            for (int i = 0; i < 24; i++) assertTrue(all[i] < all[24], what + ": hop " + i + " after the closing hop");
        }
        // the flow model's closing hop by hand: half of chip 2's row, a die-to-die crossing, chip 1's
        // whole row, another crossing, half of chip 0's row (9 + 100 + 18 + 100 + 9 ns), then the bytes
        // at the die-to-die rate (the coarse chips allow more: 18 rows x 128 GB/s at an end)
        Topology topo = Machine.build(io.dojosim.pod.bind.SpecBinder.bind(tile)).topology();
        int d2d = -1;
        for (int l : topo.route(Endpoint.chip(2), Endpoint.chip(0))) {
            if (topo.kind(l) == LinkKind.DIE_TO_DIE) d2d = l;
        }
        assertEquals(236_000 + (long) Math.ceil(HOP_BYTES / topo.capacity(d2d) * 1e12), closingHopAlone(tile));
    }

    @Test
    void theClosingHopsGapIsTheBoundaryChunkStoredAtEachMeshEdge() {
        ResolvedConfig tile = TopologyTest.scope("tile");
        double flow = closingHopAlone(tile);
        ResolvedConfig old = tile.with("pod.coarse.boundaryChunkBytes", 2048, "test");
        // measured (docs/validation.md, "Tile ring gap explained"): every chip on packet meshes, 2 KiB
        // chunks (the default before ADR 0118): 368.5 ns against 270.675 ns; 256 B chunks (the default): 290.0 ns
        assertEquals(1.361, closingHopAlone(meshed(old, "packet", "tile", 0)) / flow, 0.005, "2 KiB chunks, all 25 chips meshed");
        assertEquals(1.071, closingHopAlone(meshed(tile, "packet", "tile", 0)) / flow, 0.005, "256 B chunks, all 25 chips meshed");
        // one chip meshed, by position on the hop: its end (chip 0), the chip it passes (1), its start
        // (2); and a chip it does not touch (12), whose mesh leaves it the flow model's exactly
        assertEquals(1.108, closingHopAlone(meshed(old, "flit", "chip", 0)) / flow, 0.005, "2 KiB chunks, chip 0 on a flit mesh");
        assertEquals(1.055, closingHopAlone(meshed(tile, "flit", "chip", 0)) / flow, 0.005, "chip 0 on a flit mesh");
        assertEquals(1.015, closingHopAlone(meshed(tile, "packet", "chip", 1)) / flow, 0.005, "chip 1 on a packet mesh");
        assertEquals(0.984, closingHopAlone(meshed(tile, "packet", "chip", 2)) / flow, 0.005, "chip 2 on a packet mesh");
        assertEquals(flow, closingHopAlone(meshed(tile, "packet", "chip", 12)), "chip 12 on a packet mesh");
    }

    private static long slowest(long[] at) {
        long m = 0;
        for (long v : at) m = Math.max(m, v);
        return m;
    }

    @Test
    void ringsWithoutAStraightClosingHopShowTheSameChunkGap() {
        // one ring step on the flow model and on packet meshes of all 25 chips, the slowest hop of
        // each: a 2 x 2 cycle of neighbours (no hop passes a chip), row 0 (its closing hop passes three
        // chips) and the snake (its closing hop turns in chip 20): with 2 KiB chunks 1.464, 1.264,
        // 1.184; with 256 B 1.071, 1.052, 1.016. The snake's gap was the smallest only because its
        // flow-model closing hop is long (1,030 ns through the turn cap) against the chunks' fixed cost
        ResolvedConfig tile = TopologyTest.scope("tile");
        Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(tile)));
        int[][] rings = {{0, 1, 6, 5}, {0, 1, 2, 3, 4}, CollectiveGroup.snakeChipsOfTile(t, 0)};
        double[] at2k = {1.464, 1.264, 1.184};
        double[] at256 = {1.071, 1.052, 1.016};
        for (int r = 0; r < rings.length; r++) {
            long[][] step = ringStep(rings[r]);
            double flow = slowest(arrivals(tile, step));
            String what = java.util.Arrays.toString(rings[r]);
            assertEquals(at2k[r], slowest(arrivals(meshed(tile.with("pod.coarse.boundaryChunkBytes", 2048, "test"), "packet", "tile", 0), step)) / flow,
                    0.005, what + ", 2 KiB chunks");
            assertEquals(at256[r], slowest(arrivals(meshed(tile, "packet", "tile", 0), step)) / flow, 0.005, what + ", 256 B chunks");
        }
    }
}
