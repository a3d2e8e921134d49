package io.dojosim.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsRegistryTest {

    @Test
    @SuppressWarnings("unchecked")
    void snapshotIsATreeSplitOnDotsOutsideBrackets() {
        StatsRegistry r = new StatsRegistry();
        r.counter("pod.tile[3].chip[2,4].node[7.5].flits", Unit.FLITS, "flits routed").add(12);
        r.counter("pod.tile[3].chip[2,4].busy", Unit.CYCLES, "busy cycles").add(3);
        r.counter("pod.tile[10].x", Unit.COUNT, "x");
        Map<String, Object> root = r.snapshot(0);
        assertEquals(List.of("pod"), List.copyOf(root.keySet()));
        Map<String, Object> pod = (Map<String, Object>) root.get("pod");
        assertEquals(List.of("tile[10]", "tile[3]"), List.copyOf(pod.keySet()), "sorted by name");
        Map<String, Object> chip = (Map<String, Object>) ((Map<String, Object>) pod.get("tile[3]")).get("chip[2,4]");
        assertEquals(List.of("busy", "node[7.5]"), List.copyOf(chip.keySet()));
        Map<String, Object> leaf = (Map<String, Object>) ((Map<String, Object>) chip.get("node[7.5]")).get("flits");
        assertEquals(List.of("unit", "value", "description"), List.copyOf(leaf.keySet()));
        assertEquals("flits", leaf.get("unit"));
        assertEquals(12L, leaf.get("value"));
        assertEquals("flits routed", leaf.get("description"));
    }

    @Test
    void declaringAStatisticTwiceOrUnderAnotherStatisticIsABug() {
        StatsRegistry r = new StatsRegistry();
        r.counter("a.b", Unit.COUNT, "b");
        assertThrows(IllegalStateException.class, () -> r.counter("a.b", Unit.COUNT, "again"));
        r.counter("a.b.c", Unit.COUNT, "c under the counter b");
        assertThrows(IllegalStateException.class, () -> r.snapshot(0));
    }

    @Test
    void resetAllEndsTheWarmUp() {
        StatsRegistry r = new StatsRegistry();
        Counter c = r.counter("c", Unit.COUNT, "c");
        Distribution d = r.distribution("d", Unit.CYCLES, "d");
        Utilization u = r.utilization("u", "u");
        c.add(5);
        d.record(10);
        d.record(30);
        u.addBusy(1_000);
        assertEquals(20.0, d.mean());
        r.resetAll(2_000);
        assertEquals(0, c.get());
        assertEquals(0, d.count());
        assertEquals(0, d.max());
        assertEquals(0.0, u.ratio(2_000));
        c.inc();
        d.record(7);
        u.addBusy(500);
        assertEquals(1, c.get());
        assertEquals(7.0, d.mean());
        assertEquals(7, d.min());
        assertEquals(0.25, u.ratio(4_000), 1e-12, "500 busy over the 2000 ps window since the reset");
    }

    @Test
    void distributionKeepsExactMeanMinMaxAndPercentiles() {
        Distribution d = new Distribution("d", Unit.CYCLES, "d");
        for (int i = 1; i <= 100; i++) {
            d.record(i);
        }
        assertEquals(50.5, d.mean());
        assertEquals(1, d.min());
        assertEquals(100, d.max());
        assertEquals(50, d.percentile(50));
        assertEquals(99, d.percentile(99));
        assertThrows(IllegalArgumentException.class, () -> d.record(-1));
    }

    @Test
    void utilizationCountsBusyTimeInsideItsWindowIncludingAnOpenInterval() {
        Utilization u = new Utilization("link", "busy", 0);
        u.begin(1_000);
        u.end(3_000);           // 2000 busy
        u.addBusy(500);         // 2500
        assertEquals(2_500, u.busyPs(5_000));
        assertEquals(0.5, u.ratio(5_000), 1e-12);
        u.begin(6_000);         // open at the snapshot: counts up to it
        assertEquals(3_500, u.busyPs(7_000));
        assertEquals(0.5, u.ratio(7_000), 1e-12);
        u.reset(8_000);         // warm-up ends while busy: the open interval restarts at 8000
        assertEquals(1_000, u.busyPs(9_000));
        assertEquals(1.0, u.ratio(9_000), 1e-12);
        u.end(10_000);
        assertEquals(2_000, u.busyPs(12_000));
        assertEquals(0.5, u.ratio(12_000), 1e-12);
        assertEquals(Map.of("value", 0.5, "busyPs", 2_000L, "windowPs", 4_000L), Map.copyOf(u.values(12_000)));
    }
}
