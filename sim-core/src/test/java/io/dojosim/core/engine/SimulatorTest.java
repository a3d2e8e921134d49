package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel rules that do not depend on the pending-event set (which the contract suite covers). */
class SimulatorTest {

    private static final class Log implements EventHandler {
        final List<Long> times = new ArrayList<>();

        @Override
        public void onEvent(long nowPs, int kind, long arg) {
            times.add(nowPs);
        }
    }

    @Test
    void schedulingInThePastIsABugReportedAsSimulationError() {
        Simulator sim = new Simulator(1);
        Log log = new Log();
        sim.schedule(1_000, 0, log, 0, 0);
        sim.run();
        assertEquals(1_000, sim.now());
        SimulationError e = assertThrows(SimulationError.class, () -> sim.schedule(999, 0, log, 0, 0));
        assertTrue(e.getMessage().contains("in the past"), e.getMessage());
        sim.schedule(1_000, 0, log, 0, 0); // "now" itself is allowed
    }

    @Test
    void priorityOutsideItsRangeIsRejected() {
        Simulator sim = new Simulator(1);
        Log log = new Log();
        assertThrows(SimulationError.class, () -> sim.schedule(0, Simulator.MAX_PRIORITY + 1, log, 0, 0));
        assertThrows(SimulationError.class, () -> sim.schedule(0, Simulator.MIN_PRIORITY - 1, log, 0, 0));
    }

    @Test
    void staleHandlesAreRecognisedEvenWhenTheirSlotIsReused() {
        Simulator sim = new Simulator(1);
        Log log = new Log();
        long h1 = sim.schedule(100, 0, log, 0, 0);
        sim.run();
        // slots are taken in rising order round the capacity (1,024 at first): run events one at a
        // time until the slot of h1 comes round again
        long h2 = -1;
        int takes = 0;
        while (takes < 2_000) {
            long h = sim.schedule(200 + takes, 0, log, 0, 0);
            takes++;
            if ((int) h == (int) h1) {
                h2 = h;
                break;
            }
            sim.run();
        }
        assertEquals(1_024, takes, "the slot of h1 is taken again after one turn of the capacity");
        assertNotEquals(h1, h2, "but with a new generation");
        assertFalse(sim.cancel(h1));
        assertEquals(1, sim.pending());
        assertFalse(sim.cancel(-1));
        assertTrue(sim.cancel(h2));
        assertFalse(sim.cancel(h2));
        sim.run();
        assertEquals(1_024, log.times.size()); // h1's event and 1,023 of the later ones, not h2's
    }

    @Test
    void aCancelledEventsSlotIsNotReusedWhileItsEntryIsPending() {
        Simulator sim = new Simulator(1);
        Log log = new Log();
        long far = sim.schedule(1_000_000_000L, 0, log, 1, 1); // 1 ms: pending through what follows
        long keep = sim.schedule(2_000_000_000L, 0, log, 2, 2);
        assertTrue(sim.cancel(far));
        // 5,000 events one after another: the slot cursor goes round the capacity several times
        for (int i = 0; i < 5_000; i++) {
            sim.schedule(1_000L * (i + 1), 0, log, 3, 3);
            sim.runUntil(1_000L * (i + 1));
        }
        assertEquals(1, sim.pending());
        assertFalse(sim.cancel(far));
        sim.run();
        assertEquals(5_001, sim.eventsExecuted());
        assertEquals(2_000_000_000L, log.times.get(log.times.size() - 1));
        assertFalse(sim.cancel(keep));
    }

    @Test
    void runUntilRunsEventsAtTheEndTimeAndLeavesTheClockThere() {
        Simulator sim = new Simulator(1);
        Log log = new Log();
        for (long t : new long[] {500, 1_000, 1_500, 2_000}) {
            sim.schedule(t, 0, log, 0, 0);
        }
        sim.runUntil(1_500);
        assertEquals(List.of(500L, 1_000L, 1_500L), log.times);
        assertEquals(1_500, sim.now());
        sim.runUntil(1_800); // nothing in (1500, 1800]: time still advances
        assertEquals(1_800, sim.now());
        assertEquals(1, sim.pending());
        assertEquals(2_000, sim.nextEventTime());
        assertThrows(SimulationError.class, () -> sim.runUntil(1_700));
        sim.run();
        assertEquals(2_000, sim.now());
        assertEquals(4, sim.eventsExecuted());
    }

    @Test
    void eventsScheduledDuringRunUntilAtOrBeforeTheEndAlsoRun() {
        Simulator sim = new Simulator(1);
        List<Long> seen = new ArrayList<>();
        EventHandler chain = new EventHandler() {
            @Override
            public void onEvent(long nowPs, int kind, long arg) {
                seen.add(nowPs);
                sim.schedule(nowPs + 500, 0, this, 0, 0);
            }
        };
        sim.schedule(0, 0, chain, 0, 0);
        sim.runUntil(2_000);
        assertEquals(List.of(0L, 500L, 1_000L, 1_500L, 2_000L), seen);
        assertEquals(1, sim.pending()); // the one at 2500
    }

    @Test
    void stopEndsTheRunAfterTheCurrentEvent() {
        Simulator sim = new Simulator(1);
        Log log = new Log();
        sim.schedule(100, 0, (t, k, a) -> sim.stop(), 0, 0);
        sim.schedule(100, 1, log, 0, 0);
        sim.schedule(200, 0, log, 0, 0);
        sim.runUntil(10_000);
        assertEquals(100, sim.now(), "a stopped run does not jump to its end time");
        assertEquals(List.of(), log.times);
        sim.run();
        assertEquals(List.of(100L, 200L), log.times);
    }

    @Test
    void kindAndArgumentReachTheHandlerUnchanged() {
        Simulator sim = new Simulator(1);
        long[] got = new long[2];
        sim.schedule(5, 0, (t, k, a) -> {
            got[0] = k;
            got[1] = a;
        }, -7, Long.MIN_VALUE);
        sim.run();
        assertEquals(-7, got[0]);
        assertEquals(Long.MIN_VALUE, got[1]);
    }

    @Test
    void everyEventReachesItsOwnHandlerWithItsKindAndArgumentAmongThousandsOfHandlers() {
        // more handlers than the kernel's 256-entry handler cache, so lookups collide and miss
        Simulator sim = new Simulator(1);
        int n = 3_000;
        long[] seen = new long[n];
        int[] kinds = new int[n];
        EventHandler[] hs = new EventHandler[n];
        for (int i = 0; i < n; i++) {
            int me = i;
            hs[i] = (now, kind, arg) -> {
                seen[me] += arg;
                kinds[me] = kind;
            };
        }
        long cancelled = -1;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < n; i++) {
                long h = sim.schedule(1_000L * (round + 1) + (i % 7), i % 5 - 2, hs[(i * 7919) % n], -i, i + 1);
                if (round == 1 && i == 42) cancelled = h;
            }
        }
        assertTrue(sim.cancel(cancelled));
        long moved = sim.schedule(500, 3, hs[5], 77, 1_000_000);
        assertTrue(sim.cancel(moved));
        sim.schedule(9_000, 3, hs[5], 77, 1_000_000); // moved later: cancel and schedule anew
        sim.run();
        assertEquals(3L * n, sim.eventsExecuted()); // 3n scheduled + 1 moved - 1 cancelled
        for (int i = 0; i < n; i++) {
            int target = (i * 7919) % n; // 7919 is prime and does not divide 3,000: a permutation
            long expected = 3L * (i + 1) - (i == 42 ? i + 1 : 0) + (target == 5 ? 1_000_000 : 0);
            assertEquals(expected, seen[target], "handler " + target);
            assertEquals(target == 5 ? 77 : -i, kinds[target], "kind seen by handler " + target);
        }
    }
}
