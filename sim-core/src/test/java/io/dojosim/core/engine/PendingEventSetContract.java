package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.random.Rng;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PendingEventSet} must meet, run against each implementation by a
 * subclass: entries come out in (time, order) order, whatever the insertion order, the distance
 * into the future or the mix of near and far entries. Includes a kernel-level part (cancel,
 * ties by priority then sequence) run on a {@link Simulator} built on the set.
 */
abstract class PendingEventSetContract {

    /** @return a new, empty set of the implementation under test */
    abstract PendingEventSet create();

    /** Orders keys as the kernel does: time, then the packed (priority, sequence) order. */
    private static final Comparator<long[]> KEY = (a, b) -> PendingEventSet.compare(a[0], a[1], b[0], b[1]);

    private static List<Integer> drain(PendingEventSet set) {
        List<Integer> out = new ArrayList<>();
        while (!set.isEmpty()) {
            out.add((int) set.pollMin());
        }
        return out;
    }

    @Test
    void emptySetHasSizeZeroAndStaysUsableAfterDraining() {
        PendingEventSet set = create();
        assertTrue(set.isEmpty());
        assertEquals(0, set.size());
        set.add(500, 1, 7);
        assertEquals(1, set.size());
        assertEquals(500, set.minTime());
        assertEquals(7, set.minSlot());
        assertEquals(7, set.pollMin());
        assertTrue(set.isEmpty());
        set.add(1000, 2, 8);
        assertEquals(1000, set.minTime());
        assertEquals(8, set.pollMin());
        assertTrue(set.isEmpty());
    }

    @Test
    void entriesComeOutInTimeOrderWhateverTheInsertionOrder() {
        PendingEventSet set = create();
        long[] times = {3_000, 500, 2_500, 1_000, 1_500, 2_000, 0};
        for (int i = 0; i < times.length; i++) {
            set.add(times[i], i, i);
        }
        // slots sorted by time: 0 ps (6), 500 (1), 1000 (3), 1500 (4), 2000 (5), 2500 (2), 3000 (0)
        assertEquals(List.of(6, 1, 3, 4, 5, 2, 0), drain(set));
    }

    @Test
    void equalTimesAreOrderedByTheOrderKeyNotByInsertion() {
        PendingEventSet set = create();
        set.add(1_000, 30, 3);
        set.add(1_000, 10, 1);
        set.add(1_000, 20, 2);
        set.add(999, 99, 0);
        assertEquals(List.of(0, 1, 2, 3), drain(set));
    }

    @Test
    void higherPriorityEntriesJoiningALongRunOfEqualTimesComeFirst() {
        // 40 clock-priority entries at one time, then deliveries (lower order) at the same time:
        // one lands 1 entry back, one 40 back (past any bounded walk), one at the very front.
        PendingEventSet set = create();
        long clock = 5L << 52;
        long delivery = 2L << 52;
        for (int i = 0; i < 40; i++) {
            set.add(10_000, clock | (100 + i), i);
        }
        set.add(10_000, clock | 138, 100);   // between the entries of orders 137 and 139
        set.add(10_000, delivery | 200, 101); // before all 40
        set.add(10_000, clock | 100, 102);   // ties never happen in the kernel; here only order matters
        set.add(10_000, 0, 103);              // the very first
        List<Integer> out = drain(set);
        assertEquals(44, out.size());
        assertEquals(List.of(103, 101), out.subList(0, 2));
        assertEquals(List.of(38, 100, 39), out.subList(41, 44));
    }

    @Test
    void minTimeMinOrderAndMinSlotDescribeTheNextPoll() {
        PendingEventSet set = create();
        set.add(700, 5, 1);
        set.add(700, 4, 2);
        set.add(900, 1, 3);
        assertEquals(700, set.minTime());
        assertEquals(4, set.minOrder());
        assertEquals(2, set.minSlot());
        assertEquals(3, set.size());
        assertEquals(2, set.pollMin());
        assertEquals(5, set.minOrder());
    }

    @Test
    void farFutureEntriesBeyondAnyWheelHorizonInterleaveCorrectly() {
        PendingEventSet set = create();
        // near, far (1 ms, 10 s, 1 h in ps) and near again, inserted out of order
        long hourPs = 3_600L * 1_000_000_000_000L;
        set.add(hourPs, 0, 0);
        set.add(500, 1, 1);
        set.add(10_000_000_000_000L, 2, 2);
        set.add(1_000_000_000L, 3, 3);
        set.add(1_000, 4, 4);
        set.add(1_000_000_000L, 5, 5); // same far time, later order
        assertEquals(1, set.pollMin());
        // after polling at 500 ps, add something just beyond a far entry and something near
        set.add(1_000_000_001L, 6, 6);
        set.add(1_500, 7, 7);
        assertEquals(List.of(4, 7, 3, 5, 6, 2, 0), drain(set));
    }

    @Test
    void entriesAddedAtTheTimeJustPolledComeBeforeLaterOnes() {
        PendingEventSet set = create();
        set.add(5_000, 1, 1);
        set.add(9_000, 2, 2);
        assertEquals(1, set.pollMin());
        set.add(5_000, 3, 3); // at "now"
        set.add(5_001, 4, 4);
        assertEquals(List.of(3, 4, 2), drain(set));
    }

    @Test
    void entriesAddedBelowTheLastPolledTimeStillComeOutInOrder() {
        PendingEventSet set = create();
        set.add(100_000, 1, 1);
        set.add(200_000, 2, 2);
        assertEquals(1, set.pollMin()); // the set has now seen time 100 ns
        set.add(2_000, 3, 3);           // earlier than anything polled
        set.add(150_000, 4, 4);
        set.add(1_000, 5, 5);
        assertEquals(List.of(5, 3, 4, 2), drain(set));
    }

    @Test
    void clearEmptiesTheSetAndItCanBeRefilled() {
        PendingEventSet set = create();
        for (int i = 0; i < 100; i++) {
            set.add(i * 500L + (i % 3) * 10_000_000L, i, i);
        }
        set.clear();
        assertTrue(set.isEmpty());
        set.add(42, 1, 9);
        set.add(41, 2, 8);
        assertEquals(List.of(8, 9), drain(set));
    }

    /**
     * 100,000 random operations (adds biased to a few 500 ps cycles ahead, some far, some at the
     * current time, interleaved with polls) against a sorted reference set; every poll must return
     * exactly the reference minimum.
     */
    @Test
    void randomizedDifferentialAgainstASortedReference() {
        PendingEventSet set = create();
        TreeSet<long[]> ref = new TreeSet<>(KEY);
        Rng rng = new Rng(20261130L);
        long now = 0;
        long order = 0;
        int nextSlot = 0;
        int polls = 0;
        for (int op = 0; op < 100_000; op++) {
            int r = rng.nextInt(100);
            if (r < 55 || ref.isEmpty()) {
                long delta;
                int kind = rng.nextInt(100);
                if (kind < 10) {
                    delta = 0;
                } else if (kind < 90) {
                    delta = (1 + rng.nextInt(8)) * 500L;
                } else if (kind < 97) {
                    delta = rng.nextInt(20_000_000); // up to 20 us, across the horizon
                } else {
                    delta = (long) rng.nextInt(Integer.MAX_VALUE) * 1_000L; // up to ~2 s
                }
                // random priority in the high bits, increasing sequence in the low bits
                long o = ((long) rng.nextInt(4) << 52) | order++;
                set.add(now + delta, o, nextSlot);
                ref.add(new long[] {now + delta, o, nextSlot});
                nextSlot++;
            } else {
                long[] min = ref.pollFirst();
                assertEquals(min[0], set.minTime(), "min time at op " + op);
                assertEquals(min[1], set.minOrder(), "min order at op " + op);
                assertEquals((int) min[2], set.minSlot(), "min slot at op " + op);
                assertEquals((int) min[2], set.pollMin(), "polled slot at op " + op);
                now = min[0];
                polls++;
            }
            assertEquals(ref.size(), set.size());
        }
        while (!ref.isEmpty()) {
            assertEquals((int) ref.pollFirst()[2], set.pollMin());
        }
        assertTrue(set.isEmpty());
        assertTrue(polls > 30_000, "the test exercised polls");
    }

    /**
     * Every entry comes out with its own tag, handler, kind and argument, whichever path it took:
     * appended, shifted into place within a run of equal times, at the front of a bucket, into the
     * overflow heap (far future, long walk) and back into a wheel as it advances.
     */
    @Test
    void theTagAndPayloadLeaveWithTheirEntryOnEveryPath() {
        PendingEventSet set = create();
        EventHandler[] hs = new EventHandler[7];
        for (int i = 0; i < hs.length; i++) {
            hs[i] = (now, kind, arg) -> { };
        }
        long clock = 5L << 52;
        long[][] added = new long[60][];
        int n = 0;
        for (int i = 0; i < 40; i++) { // a long run at one time, appended
            added[n++] = new long[] {10_000, clock | (100 + i)};
        }
        added[n++] = new long[] {10_000, clock | 138};          // shifted one back
        added[n++] = new long[] {10_000, 2L << 52};             // before all 40: a long walk
        added[n++] = new long[] {9_000_000_000L, 7};           // 9 ms: beyond any horizon
        added[n++] = new long[] {9_000_000_500L, 3};
        added[n++] = new long[] {500, 9};
        added[n++] = new long[] {20_000_000, 11};              // 20 us: migrates as the wheel advances
        for (int k = 0; k < n; k++) {
            long tag = ((long) (k * 7 + 1) << 32) | k;         // a generation in the high half
            set.add(added[k][0], added[k][1], tag, hs[k % hs.length], 1000 + k, -3L * k);
        }
        long[][] sorted = java.util.Arrays.copyOf(added, n);
        java.util.Arrays.sort(sorted, KEY);
        for (int p = 0; p < n; p++) {
            int k = 0;
            while (added[k] != sorted[p]) {
                k++;
            }
            assertEquals(sorted[p][0], set.minTime());
            assertEquals(((long) (k * 7 + 1) << 32) | k, set.minTag());
            assertEquals(((long) (k * 7 + 1) << 32) | k, set.pollMin(), "tag of entry " + k);
            assertTrue(set.polledHandler() == hs[k % hs.length], "handler of entry " + k);
            assertEquals(1000 + k, set.polledKind(), "kind of entry " + k);
            assertEquals(-3L * k, set.polledArg(), "argument of entry " + k);
        }
        assertTrue(set.isEmpty());
    }

    // ---- kernel-level contract on this set ----

    /** Records (time, kind, arg) of every event it receives. */
    static final class Recorder implements EventHandler {
        final List<String> log = new ArrayList<>();

        @Override
        public void onEvent(long nowPs, int kind, long arg) {
            log.add(nowPs + ":" + arg);
        }
    }

    @Test
    void kernelOrdersTiesByPriorityThenInsertionSequence() {
        Simulator sim = new Simulator(1, create());
        Recorder r = new Recorder();
        sim.schedule(1_000, Simulator.PRIORITY_CLOCK, r, 0, 1);
        sim.schedule(1_000, Simulator.PRIORITY_DELIVERY, r, 0, 2);
        sim.schedule(1_000, Simulator.PRIORITY_CLOCK, r, 0, 3);
        sim.schedule(1_000, Simulator.PRIORITY_DELIVERY, r, 0, 4);
        sim.schedule(500, Simulator.MAX_PRIORITY, r, 0, 5);
        sim.schedule(1_000, Simulator.MIN_PRIORITY, r, 0, 6);
        sim.run();
        assertEquals(List.of("500:5", "1000:6", "1000:2", "1000:4", "1000:1", "1000:3"), r.log);
    }

    @Test
    void cancelledEventsNeverRunAndCancelIsIdempotent() {
        Simulator sim = new Simulator(1, create());
        Recorder r = new Recorder();
        long a = sim.schedule(1_000, 0, r, 0, 1);
        long b = sim.schedule(2_000, 0, r, 0, 2);
        long far = sim.schedule(50_000_000_000L, 0, r, 0, 3); // 50 ms: in the overflow of a wheel
        sim.schedule(3_000, 0, r, 0, 4);
        assertTrue(sim.cancel(b));
        assertFalse(sim.cancel(b));
        assertTrue(sim.cancel(far));
        assertEquals(2, sim.pending());
        sim.run();
        assertEquals(List.of("1000:1", "3000:4"), r.log);
        assertFalse(sim.cancel(a), "a handle of an event that ran is stale");
        assertEquals(2, sim.eventsExecuted());
        assertEquals(0, sim.pending());
    }

    @Test
    void schedulingAtNowAfterCancelledFrontEventsWereDroppedKeepsOrder() {
        // Dropping a cancelled event at 10 ns lets the set see a time ahead of the kernel's clock
        // (still 0); events then scheduled before 10 ns must run in order.
        Simulator sim = new Simulator(1, create());
        Recorder r = new Recorder();
        long a = sim.schedule(10_000, 0, r, 0, 1);
        sim.cancel(a);
        assertEquals(Long.MAX_VALUE, sim.nextEventTime());
        assertFalse(sim.step());
        sim.schedule(600, 0, r, 0, 3);
        sim.schedule(500, 0, r, 0, 2);
        sim.schedule(20_000, 0, r, 0, 4);
        sim.run();
        assertEquals(List.of("500:2", "600:3", "20000:4"), r.log);
    }

    @Test
    void nextEventTimeSkipsCancelledFrontEvents() {
        Simulator sim = new Simulator(1, create());
        Recorder r = new Recorder();
        long a = sim.schedule(1_000, 0, r, 0, 1);
        sim.schedule(4_000, 0, r, 0, 2);
        assertEquals(1_000, sim.nextEventTime());
        sim.cancel(a);
        assertEquals(4_000, sim.nextEventTime());
        sim.run();
        assertEquals(Long.MAX_VALUE, sim.nextEventTime());
    }
}
