package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.collective.CollectiveGroup;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The chip ring order of {@link CollectiveGroup#ofChips}: a ring over a rectangle of one mesh
 * domain closes through a neighbour (a side is even) or straight through one chip (both odd), never
 * through a turn (ADR 0106); anything else keeps the snake order.
 */
class RingOrderTest {
    private static Topology topology(ResolvedConfig c) {
        return new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(c)));
    }

    private static int[] chips(CollectiveGroup g) {
        int[] c = new int[g.size()];
        for (int i = 0; i < c.length; i++) c[i] = Endpoint.a(g.member(i));
        return c;
    }

    private static boolean neighbours(Topology t, int a, int b) {
        for (int d = 0; d < 4; d++) {
            if (t.neighbour(a, d) == b) return true;
        }
        return false;
    }

    /** @return the hops i -> i + 1 (the last one closes the ring) that are not mesh neighbours */
    private static int[] nonNeighbourHops(Topology t, int[] ring) {
        int[] out = new int[ring.length];
        int k = 0;
        for (int i = 0; i < ring.length; i++) {
            if (!neighbours(t, ring[i], ring[(i + 1) % ring.length])) out[k++] = i;
        }
        return Arrays.copyOf(out, k);
    }

    private static void assertEachChipOnce(int[] ring, int[] expectedChips) {
        int[] a = ring.clone();
        int[] b = expectedChips.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(b, a);
    }

    /** The snake order: rows of the domain, even rows left to right, odd rows back. */
    private static int[] snake(Topology t, int[] chips) {
        Integer[] c = Arrays.stream(chips).boxed().toArray(Integer[]::new);
        int w = t.domainWidth();
        Arrays.sort(c, (x, y) -> Long.compare(snakeKey(t, w, x), snakeKey(t, w, y)));
        return Arrays.stream(c).mapToInt(Integer::intValue).toArray();
    }

    private static long snakeKey(Topology t, int w, int c) {
        int y = t.gy(c);
        int x = y % 2 == 0 ? t.gx(c) : w - 1 - t.gx(c);
        return ((long) t.domainOf(c) * t.domainHeight() + y) * w + x;
    }

    @Test
    void aFiveByFiveTileRingClosesStraightThroughOneChip() {
        Topology t = topology(TopologyTest.scope("tile"));
        int[] ring = chips(CollectiveGroup.forScope(t, "tile"));
        assertEachChipOnce(ring, java.util.stream.IntStream.range(0, 25).toArray());
        // 25 chips: no Hamiltonian cycle, so exactly one hop is not a neighbour: the closing one,
        // two chips along row 0 from (2,0) back to (0,0), straight through (1,0)
        assertArrayEquals(new int[] {24}, nonNeighbourHops(t, ring));
        int a = ring[24];
        int b = ring[0];
        assertEquals(0, t.gx(b));
        assertEquals(0, t.gy(b));
        assertEquals(2, t.gx(a));
        assertEquals(0, t.gy(a));
        // the order written out (ranks on the 5 x 5 grid, y down)
        int[][] rank = {
            {0, 1, 24, 23, 22},
            {3, 2, 13, 14, 21},
            {4, 5, 12, 15, 20},
            {7, 6, 11, 16, 19},
            {8, 9, 10, 17, 18},
        };
        for (int i = 0; i < 25; i++) assertEquals(rank[t.gy(ring[i])][t.gx(ring[i])], i, "chip " + ring[i]);
        // the training step still places replicas and stages along the snake
        assertArrayEquals(snake(t, ring), CollectiveGroup.snakeChipsOfTile(t, 0));
    }

    @Test
    void aFourByFourTileRingIsACycleOfNeighbours() {
        Topology t = topology(TopologyTest.scope("tile").with("pod.tile.chipsX", 4, "test").with("pod.tile.chipsY", 4, "test")
                .with("pod.dip.perTileEdge", 4, "test"));
        int[] ring = chips(CollectiveGroup.forScope(t, "tile"));
        assertEachChipOnce(ring, java.util.stream.IntStream.range(0, 16).toArray());
        assertEquals(0, nonNeighbourHops(t, ring).length, Arrays.toString(ring));
    }

    @Test
    void aRectangleWithOneEvenSideIsACycleOfNeighboursEitherWay() {
        for (int[] wh : new int[][] {{4, 3}, {3, 4}, {2, 5}, {5, 2}}) {
            Topology t = topology(TopologyTest.scope("tile").with("pod.tile.chipsX", wh[0], "test").with("pod.tile.chipsY", wh[1], "test")
                    .with("pod.dip.perTileEdge", Math.min(wh[0], wh[1]), "test"));
            int[] ring = chips(CollectiveGroup.forScope(t, "tile"));
            assertEachChipOnce(ring, java.util.stream.IntStream.range(0, wh[0] * wh[1]).toArray());
            assertEquals(0, nonNeighbourHops(t, ring).length, wh[0] + " x " + wh[1] + ": " + Arrays.toString(ring));
        }
    }

    @Test
    void aThreeByThreeRegionInsideATileClosesStraightAndATrayIsACycle() {
        Topology t = topology(TopologyTest.scope("tray"));
        // chips at domain columns 1..3, rows 2..4 of tile 0
        int[] region = new int[9];
        int k = 0;
        for (int y = 2; y <= 4; y++) {
            for (int x = 1; x <= 3; x++) region[k++] = t.chipAt(0, x, y);
        }
        int[] ring = chips(CollectiveGroup.ofChips(t, "region", region));
        assertEachChipOnce(ring, region);
        assertArrayEquals(new int[] {8}, nonNeighbourHops(t, ring));
        assertEquals(t.chipAt(0, 1, 2), ring[0]);
        assertEquals(t.chipAt(0, 3, 2), ring[8]);
        // the tray is one 15 x 10 mesh domain: an even side, so every hop is a neighbour
        int[] tray = chips(CollectiveGroup.forScope(t, "tray"));
        assertEquals(150, tray.length);
        assertEquals(0, nonNeighbourHops(t, tray).length);
    }

    @Test
    void aTileWithADeadChipOrChipsOfManyDomainsKeepTheSnakeOrder() {
        Topology dead = topology(TopologyTest.scope("tile").with("pod.system.deadChips", "0,2,2", "test"));
        int[] ring = chips(CollectiveGroup.forScope(dead, "tile"));
        assertEquals(24, ring.length);
        assertArrayEquals(snake(dead, ring), ring);
        // two trays are two mesh domains: the snake over each, domain after domain
        Topology pod = topology(TopologyTest.scope("pod").with("pod.system.cabinets", 1, "test"));
        int[] all = chips(CollectiveGroup.forScope(pod, "pod"));
        assertEquals(300, all.length);
        assertTrue(pod.domainOf(all[0]) != pod.domainOf(all[299]));
        assertArrayEquals(snake(pod, all), all);
    }
}
