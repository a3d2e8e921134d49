package io.dojosim.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dojosim.core.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The rounding rule: period = round(1e12 / f) ps, half up; cycles to time by exact multiplication. */
class ClockDomainTest {

    @Test
    void periodsOfCommonClocksFollowTheRoundingRule() {
        assertEquals(500, new ClockDomain("d1", 2_000_000_000L).periodPs());      // exact
        assertEquals(400, new ClockDomain("x", 2_500_000_000L).periodPs());       // exact
        assertEquals(333, new ClockDomain("x", 3_000_000_000L).periodPs());       // 333.33 -> 333
        assertEquals(667, new ClockDomain("x", 1_500_000_000L).periodPs());       // 666.67 -> 667
        assertEquals(1_000, new ClockDomain("x", 1_000_000_000L).periodPs());
        // exactly half a picosecond rounds up: 1e12 / 8e11 = 1.25 -> 1, 1e12 / 4e11 = 2.5 -> 3
        assertEquals(1, new ClockDomain("x", 800_000_000_000L).periodPs());
        assertEquals(3, new ClockDomain("x", 400_000_000_000L).periodPs());
    }

    @Test
    void cyclesAndTimeConvertWithoutDrift() {
        ClockDomain c = new ClockDomain("x", 3_000_000_000L);
        assertEquals(333_000_000L, c.cyclesToPs(1_000_000)); // a million edges, no accumulated error
        assertEquals(3, c.cycleAt(999));     // floor: 999 ps lies in cycle 3 (999..1331)
        assertEquals(2, c.cycleAt(998));
        assertEquals(3, c.psToCyclesCeil(999));
        assertEquals(4, c.psToCyclesCeil(1_000));
        assertEquals(999, c.nextEdgePs(999));
        assertEquals(1_332, c.nextEdgePs(1_000));
        assertEquals(0, c.nextEdgePs(0));
        assertEquals(1e12 / 333, c.effectiveFrequencyHz(), 1e-3); // 3.003 GHz, 0.1 % fast
    }

    @Test
    void frequenciesOutsideTheRangeAreAUsersMistake() {
        assertThrows(ConfigException.class, () -> new ClockDomain("slow", 999));
        assertThrows(ConfigException.class, () -> new ClockDomain("fast", 1_000_000_000_001L));
        assertThrows(ConfigException.class, () -> new ClockDomain("", 1_000_000_000L));
    }
}
