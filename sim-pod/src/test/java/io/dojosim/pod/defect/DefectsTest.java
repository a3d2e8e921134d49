package io.dojosim.pod.defect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.random.RandomStreams;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defect maps drawn from rates (slow chips are paced inside the simulation: PacedBackendTest). */
class DefectsTest {
    @Test
    void aMapIsAPureFunctionOfItsStreamAndKeepsTheConfigsDeadChips() {
        DefectMap.Rates r = new DefectMap.Rates(2.0, 3.0, 0.1, 1.5);
        DefectMap a = DefectMap.draw(r, 6, 5, 5, List.of("3,4,4"), new RandomStreams(11).stream("montecarlo.sample[3]"));
        DefectMap b = DefectMap.draw(r, 6, 5, 5, List.of("3,4,4"), new RandomStreams(11).stream("montecarlo.sample[3]"));
        assertEquals(a, b);
        assertTrue(a.deadChips().contains("3,4,4"));
        for (String s : a.slowChips().keySet()) {
            assertTrue(!a.deadChips().contains(s), "a dead chip is not also slow: " + s);
        }
        for (double s : a.slowChips().values()) {
            assertTrue(s >= 1.0 && s <= 1.5, "slowdown in [1, 1.5]: " + s);
        }
    }

    @Test
    void drawnRatesMatchTheirMeans() {
        // 4,000 tiles: the dead chips' mean is the Poisson mean, the slow share the fraction (fixed seed: the figures are exact)
        DefectMap m = DefectMap.draw(new DefectMap.Rates(0.3, 0.5, 0.02, 1.3), 4000, 5, 5, List.of(), new RandomStreams(5).stream("t"));
        double deadPerTile = m.deadChips().size() / 4000.0;
        double slowShare = m.slowChips().size() / (100_000.0 - m.deadChips().size());
        assertEquals(0.3, deadPerTile, 0.03, "dead chips per tile");
        assertEquals(0.02, slowShare, 0.002, "slow chip share");
        assertEquals(0.5, m.deadLinks().size() / 4000.0, 0.05, "dead links per tile");
        assertEquals(m.deadLinks().size(), new java.util.HashSet<>(m.deadLinks()).size(), "distinct links");
        for (String l : m.deadLinks()) {
            String[] f = l.split(",");
            int x = Integer.parseInt(f[1]);
            int y = Integer.parseInt(f[2]);
            assertTrue(f[3].equals("E") ? x < 4 && y < 5 : f[3].equals("N") && x < 5 && y < 4, "a link between two chips of the tile: " + l);
        }
        assertEquals(0, DefectMap.draw(new DefectMap.Rates(0, 0, 0, 1), 10, 5, 5, List.of(), new RandomStreams(5).stream("t")).deadChips().size());
    }

    @Test
    void deadNodesAreDrawnAfterTheOtherDefectsPerAliveChipAndLeaveEveryChipANode() {
        DefectMap.Rates without = new DefectMap.Rates(2.0, 3.0, 0.1, 1.5, 0.0);
        DefectMap.Rates with = new DefectMap.Rates(2.0, 3.0, 0.1, 1.5, 0.5);
        DefectMap a = DefectMap.draw(without, 6, 5, 5, 354, List.of(), new RandomStreams(11).stream("montecarlo.sample[3]"));
        DefectMap b = DefectMap.draw(with, 6, 5, 5, 354, List.of(), new RandomStreams(11).stream("montecarlo.sample[3]"));
        // drawn last: the same dead chips, links and slow chips as without them
        assertEquals(a.deadChips(), b.deadChips());
        assertEquals(a.deadLinks(), b.deadLinks());
        assertEquals(a.slowChips(), b.slowChips());
        assertTrue(a.deadNodes().isEmpty());
        for (String chip : b.deadNodes().keySet()) assertTrue(!b.deadChips().contains(chip), "a dead chip has no dead nodes: " + chip);
        // the mean over 4,000 tiles of 25 chips is the Poisson mean (fixed seed)
        DefectMap m = DefectMap.draw(new DefectMap.Rates(0, 0, 0, 1, 0.5), 4000, 5, 5, 354, List.of(), new RandomStreams(5).stream("t"));
        assertEquals(0.5, m.deadNodeCount() / 100_000.0, 0.01, "dead nodes per chip");
        // a chip keeps at least one node: with 3 nodes per chip and a mean of 50, every chip loses exactly 2
        DefectMap capped = DefectMap.draw(new DefectMap.Rates(0, 0, 0, 1, 50), 1, 5, 5, 3, List.of(), new RandomStreams(5).stream("t"));
        assertEquals(25, capped.deadNodes().size());
        assertEquals(50, capped.deadNodeCount());
        assertEquals("0,0,0,2", capped.deadNodeEntries().get(0));
    }
}
