package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Same seed, same statistics; idle skipping changes nothing; streams are per component. */
class DeterminismTest {

    private static Map<String, Object> run(long seed, boolean idleSkipping, PendingEventSet set) {
        Simulator sim = new Simulator(seed, set);
        Clock clock = new Clock(sim, TrafficModel.CLOCK);
        clock.setIdleSkipping(idleSkipping);
        TrafficModel m = new TrafficModel(24, 400, 0.3, 2, 5, sim, clock);
        m.start();
        sim.run();
        clock.settle();
        assertEquals(m.injected(), m.delivered(), "every message arrives (conservation)");
        assertTrue(m.injected() > 24 * 400 * 0.25, "the model carried traffic");
        return sim.stats().snapshot(sim.now());
    }

    @Test
    void sameSeedTwiceGivesIdenticalStatistics() {
        assertEquals(run(11, true, new TimingWheelEventSet()), run(11, true, new TimingWheelEventSet()));
    }

    @Test
    void anotherSeedGivesOtherStatistics() {
        assertNotEquals(run(11, true, new TimingWheelEventSet()), run(12, true, new TimingWheelEventSet()));
    }

    @Test
    void everyPendingEventSetGivesTheSameStatistics() {
        assertEquals(run(11, true, new TimingWheelEventSet()), run(11, true, new QuaternaryHeapEventSet()));
        assertEquals(run(11, true, new TimingWheelEventSet()), run(11, true, new TimingWheelEventSet(250, 64)));
        assertEquals(run(11, true, new TimingWheelEventSet()), run(11, true, new ChunkedTimingWheelEventSet()));
    }

    @Test
    void addingAComponentThatDrawsRandomNumbersChangesNoOtherComponentsResults() {
        Map<String, Object> without = run(11, true, new TimingWheelEventSet());
        Simulator sim = new Simulator(11);
        // created first, draws before anyone else, and has a path that sorts among the nodes
        io.dojosim.core.random.Rng extra = sim.random().stream("net.node[2a]");
        long drawn = 0;
        for (int i = 0; i < 1_000; i++) {
            drawn ^= extra.nextLong();
        }
        Clock clock = new Clock(sim, TrafficModel.CLOCK);
        TrafficModel m = new TrafficModel(24, 400, 0.3, 2, 5, sim, clock);
        m.start();
        sim.run();
        clock.settle();
        assertNotEquals(0, drawn, "the extra stream drew numbers");
        assertEquals(without, sim.stats().snapshot(sim.now()));
    }

    @Test
    void idleSkippingOnAndOffGiveIdenticalStatistics() {
        assertEquals(run(11, true, new TimingWheelEventSet()), run(11, false, new TimingWheelEventSet()));
    }
}
