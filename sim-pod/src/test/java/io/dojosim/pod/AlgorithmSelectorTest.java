package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.pod.collective.AlgorithmSelector;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.pod.collective.CollectivePrimitive;
import io.dojosim.pod.collective.CollectiveResult;
import org.junit.jupiter.api.Test;

/** The estimate without a graph, the one chip-group builder, and auto's choice against simulation. */
class AlgorithmSelectorTest {
    static Topology topology(String scope) {
        return new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(TopologyTest.scope(scope))));
    }

    static CollectiveResult simulate(ResolvedConfig c, CollectivePrimitive op, CollectiveAlgorithm a, CollectiveGroup g, long bytes,
                                     int chunks, int depth) {
        PodSimulation ps = new PodSimulation(new Simulator(1), Machine.build(io.dojosim.pod.bind.SpecBinder.bind(c)));
        Collective col = ps.collective(op, a, g, bytes, chunks, depth, null, 0);
        ps.simulator().run();
        return col.result();
    }

    @Test
    void theEstimateWithoutAGraphIsTheGraphsBoundExactly() {
        for (String scope : new String[] {"tile", "tray"}) {
            Topology t = topology(scope);
            CollectiveGroup g = CollectiveGroup.forScope(t, scope);
            for (CollectivePrimitive op : CollectivePrimitive.values()) {
                for (CollectiveAlgorithm a : CollectiveAlgorithm.concrete()) {
                    for (int[] cd : new int[][] {{1, 1}, {3, 1}, {4, 2}}) {
                        long bytes = 1_234_567;
                        Collective built = new Collective(new FlowNetwork(new Simulator(1), t), t, op, a, g, bytes, cd[0], cd[1]);
                        double est = Collective.estimateSeconds(t, op, a, g, bytes, cd[0], cd[1]);
                        assertEquals(built.alphaBetaSeconds(), est, 1e-15,
                                scope + " " + op + " " + a + " chunks " + cd[0] + " depth " + cd[1]);
                    }
                }
            }
        }
    }

    @Test
    void chipsOfTilesIsTheBuilderOverTheTilesChipsInAnyOrder() {
        Topology t = topology("tray");
        CollectiveGroup tiles = CollectiveGroup.chipsOfTiles(t, 1, 2);
        int[] chips = new int[50];
        for (int i = 0; i < 50; i++) chips[i] = 74 - i; // tiles 1 and 2, backwards
        CollectiveGroup any = CollectiveGroup.ofChips(t, "other name", chips);
        assertEquals(tiles.shapeKey(), any.shapeKey());
        assertEquals(50, any.size());
        // ring order is snake order over the tray's mesh: row 0 of the tray runs through tiles 0, 1, 2
        assertEquals(Endpoint.chip(25), any.member(0));
        assertEquals(Endpoint.chip(29), any.member(4));
        assertEquals(Endpoint.chip(50), any.member(5));
        assertNotEquals(CollectiveGroup.chipsOfTiles(t, 0, 2).shapeKey(), any.shapeKey());
    }

    @Test
    void aDeadOrRepeatedChipIsRefusedByName() {
        Topology t = topology("tile");
        ConfigException e = assertThrows(ConfigException.class, () -> CollectiveGroup.ofChips(t, "region", new int[] {3, 4, 3}));
        assertTrue(e.getMessage().contains("chip 3 is listed twice in 'region'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> CollectiveGroup.ofChips(t, "region", new int[] {25}));
        assertTrue(e.getMessage().contains("chip 25 of 'region' is not a live chip"), e.getMessage());
    }

    @Test
    void autoPicksTheSmallestEstimateAndCachesIt() {
        Topology t = topology("tile");
        AlgorithmSelector s = new AlgorithmSelector(t, 1, 1);
        CollectiveGroup tile = CollectiveGroup.forScope(t, "tile");
        // 256 B over a tile: a flat ring pays 24 route latencies of its longest hop (the closing
        // one, two chips: 2 x 118 ns), rows then columns 4 + 4
        double[] e = s.estimates(CollectivePrimitive.ALLGATHER, tile, 256);
        assertEquals(24 * 236e-9, e[0], 1e-9);
        assertTrue(e[0] > 1.4 * e[2], "ring " + e[0] + " s, hierarchical " + e[2] + " s");
        assertEquals(e[1], e[2], "on a one-tile system 2D and hierarchical are the same schedule");
        assertEquals(CollectiveAlgorithm.TWO_D, s.choose(CollectivePrimitive.ALLGATHER, tile, 256), "a tie goes to the earlier");
        // a group of one row has no level: all three are the ring, and the tie goes to ring
        CollectiveGroup row = CollectiveGroup.ofChips(t, "row", new int[] {0, 1, 2, 3, 4});
        assertEquals(CollectiveAlgorithm.RING, s.choose(CollectivePrimitive.ALLREDUCE, row, 1 << 20));
        assertEquals(2, s.cachedChoices());
        s.choose(CollectivePrimitive.ALLGATHER, CollectiveGroup.chipsOfTiles(t, 0, 1), 256);
        assertEquals(2, s.cachedChoices(), "the same shape under another name is the same choice");
        // the collective itself resolves auto to the choice
        CollectiveResult r = simulate(TopologyTest.scope("tile"), CollectivePrimitive.ALLGATHER, CollectiveAlgorithm.AUTO, tile, 256, 1, 1);
        assertEquals(CollectiveAlgorithm.TWO_D, r.algorithm());
    }

    @Test
    void theCutoffOnlyDropsCandidatesAboveItSoTheChoiceIsTheUnprunedOne() {
        Topology t = topology("tray");
        CollectiveGroup tray = CollectiveGroup.forScope(t, "tray");
        double ring = Collective.estimateSeconds(t, CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.RING, tray, 1 << 20, 1, 1);
        assertEquals(ring, Collective.estimateSeconds(t, CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.RING, tray, 1 << 20, 1, 1, ring));
        assertEquals(Double.POSITIVE_INFINITY,
                Collective.estimateSeconds(t, CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.RING, tray, 1 << 20, 1, 1, ring * 0.999));
        int[] row = {0, 1, 2, 3, 4, 25, 26, 27, 28, 29};
        for (CollectiveGroup g : new CollectiveGroup[] {tray, CollectiveGroup.ofChips(t, "row", row), CollectiveGroup.chipsOfTiles(t, 0, 1)}) {
            for (CollectivePrimitive op : CollectivePrimitive.values()) {
                for (long bytes : new long[] {256, 256L << 20}) {
                    for (int[] cd : new int[][] {{1, 1}, {32, 4}}) {
                        AlgorithmSelector s = new AlgorithmSelector(t, cd[0], cd[1]);
                        assertEquals(AlgorithmSelector.best(s.estimates(op, g, bytes)), s.choose(op, g, bytes),
                                g.name() + " " + op + " " + bytes + " B, " + cd[0] + " chunks");
                    }
                }
            }
        }
    }

    /** The estimate's documented error for a lone collective (docs/model/collectives.md#algorithm-choice). */
    static final double ESTIMATE_ERROR = 0.10;

    /**
     * Auto against the simulated best of ring, 2D and hierarchical: every estimate is a lower
     * bound of its simulation within {@link #ESTIMATE_ERROR}, so auto's simulated time is at most
     * that much above the best one's.
     */
    @Test
    void autoIsNeverSlowerThanTheSimulatedBestByMoreThanTheEstimatesError() {
        record Case(String scope, int[] chips, CollectivePrimitive op, long bytes, int chunks, int depth) {
        }
        int[] twoTiles = new int[50];
        for (int i = 0; i < 50; i++) twoTiles[i] = i;
        Case[] cases = {
            new Case("tile", null, CollectivePrimitive.ALLGATHER, 256, 1, 1),
            new Case("tile", null, CollectivePrimitive.ALLREDUCE, 25L << 20, 1, 1),
            new Case("tile", null, CollectivePrimitive.ALLREDUCE, 1L << 30, 32, 4),
            new Case("tray", twoTiles, CollectivePrimitive.ALLGATHER, 4L << 20, 1, 1),
            new Case("tray", null, CollectivePrimitive.ALLREDUCE, 25L << 20, 1, 1),
        };
        for (Case k : cases) {
            ResolvedConfig c = TopologyTest.scope(k.scope());
            Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(c)));
            CollectiveGroup g = k.chips() == null ? CollectiveGroup.forScope(t, k.scope()) : CollectiveGroup.ofChips(t, "region", k.chips());
            String what = k.scope() + " " + g.size() + " members " + k.op() + " " + k.bytes() + " B, " + k.chunks() + " chunks";
            double best = Double.POSITIVE_INFINITY;
            for (CollectiveAlgorithm a : CollectiveAlgorithm.concrete()) {
                CollectiveResult r = simulate(c, k.op(), a, g, k.bytes(), k.chunks(), k.depth());
                assertTrue(r.ratioToBound() >= 0.99 && r.ratioToBound() <= 1 + ESTIMATE_ERROR, what + " " + a + ": " + r.ratioToBound());
                assertEquals(r.alphaBetaBoundSeconds(), Collective.estimateSeconds(t, k.op(), a, g, k.bytes(), k.chunks(), k.depth()), 1e-15);
                best = Math.min(best, r.timeSeconds());
            }
            CollectiveResult auto = simulate(c, k.op(), CollectiveAlgorithm.AUTO, g, k.bytes(), k.chunks(), k.depth());
            assertTrue(auto.timeSeconds() <= best * (1 + ESTIMATE_ERROR), what + ": auto (" + auto.algorithm() + ") " + auto.timeSeconds()
                    + " s, best " + best + " s");
        }
    }
}
