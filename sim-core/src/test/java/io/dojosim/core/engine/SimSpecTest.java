package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.time.ClockDomain;
import org.junit.jupiter.api.Test;

class SimSpecTest {
    @Test
    void theFactoryBuildsTheNamedEventSetForEveryName() {
        for (SimSpec.EventSet e : SimSpec.EventSet.values()) {
            Simulator sim = new SimSpec(7, e, true).newSimulator();
            assertEquals(PendingEventSets.of(e.key()).name(), sim.queueName(), e.key());
        }
        assertEquals(PendingEventSets.NAMES.size(), SimSpec.EventSet.values().length, "every name sim.eventSet allows has an enum value");
    }

    @Test
    void clocksOfTheFactorysSimulatorTakeItsIdleSkipping() {
        Simulator off = new SimSpec(1, SimSpec.EventSet.WHEEL, false).newSimulator();
        assertFalse(new Clock(off, new ClockDomain("c", 1_000_000_000L)).idleSkipping());
        Simulator on = SimSpec.defaults().newSimulator();
        assertTrue(new Clock(on, new ClockDomain("c", 1_000_000_000L)).idleSkipping());
    }
}
