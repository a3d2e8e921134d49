package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.time.ClockDomain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two-phase cycles ({@link Clock#tickMembersInParallel}): every due member is ticked once per
 * cycle on some thread, the hook runs after all of them, a member it wakes ticks from the next
 * cycle, and the cycle accounting (ticks plus skipped cycles) covers every cycle, on any number
 * of threads.
 */
class ClockParallelTicksTest {
    /** Works for {@code left} cycles, counting its ticks and the cycles it was told it skipped. */
    static final class Member implements Clocked {
        int left;
        long ticks;
        long skipped;
        final List<Long> cycles = new ArrayList<>();
        final java.util.Set<String> threads = new java.util.TreeSet<>();

        @Override
        public boolean tick(long cycle) {
            ticks++;
            cycles.add(cycle);
            threads.add(Thread.currentThread().getName());
            return --left > 0;
        }

        @Override
        public void skipped(long idle) {
            skipped += idle;
        }
    }

    static List<String> run(int threads) {
        return run(threads, null);
    }

    static List<String> run(int threads, Member[] members) {
        List<String> log = new ArrayList<>();
        try (Workers w = Workers.splittingAlways(threads)) {
            Simulator sim = new Simulator(1);
            Clock clock = new Clock(sim, new ClockDomain("c", 1_000_000_000L)); // 1 ns cycles
            Member[] m = members != null ? members : new Member[5];
            int[] id = new int[5];
            for (int i = 0; i < m.length; i++) {
                m[i] = new Member();
                id[i] = clock.register(m[i]);
            }
            // member i works 3 + i cycles; when member 0 finishes (after its tick of cycle 2), the
            // hook wakes member 4 again for 2 more cycles: it must tick cycles 3 and 4 and
            // then 5 and 6 ... in order, never twice in a cycle
            clock.tickMembersInParallel(w, () -> {
                long c = clock.currentCycle();
                StringBuilder s = new StringBuilder("cycle " + c + ":");
                for (Member x : m) s.append(' ').append(x.ticks);
                log.add(s.toString());
                if (c == 2) {
                    m[4].left += 2;
                    clock.wake(id[4]);
                }
            });
            for (int i = 0; i < m.length; i++) {
                m[i].left = 3 + i;
                clock.wake(id[i]);
            }
            sim.run();
            clock.settle();
            for (int i = 0; i < m.length; i++) {
                assertEquals(sim.now() / 1000 + 1, m[i].ticks + m[i].skipped, "member " + i + " accounts for every cycle");
                log.add("member " + i + " ticked " + m[i].cycles);
            }
        }
        return log;
    }

    @Test
    void everyDueMemberTicksOncePerCycleAndTheHookRunsAfterThemOnAnyThreadCount() {
        List<String> one = run(1);
        assertEquals("cycle 0: 1 1 1 1 1", one.get(0));
        assertEquals("cycle 2: 3 3 3 3 3", one.get(2));
        // member 4 (7 cycles of work, 2 more from the hook) ticks cycles 0 .. 8, once each
        assertEquals("member 4 ticked [0, 1, 2, 3, 4, 5, 6, 7, 8]", one.get(one.size() - 1));
        assertEquals("member 0 ticked [0, 1, 2]", one.get(one.size() - 5));
        assertEquals(one, run(2));
        assertEquals(one, run(4));
    }

    @Test
    void aMemberTicksOnTheLaneOfItsIdEveryCycleSoItsStateStaysOnOneThread() {
        Member[] m = new Member[5];
        run(2, m);
        String caller = Thread.currentThread().getName();
        // members 0, 2 and 4 on lane 0 (the caller); members 1 and 3 on lane 1 in every cycle (each
        // of their cycles has other members due, so none of them is ever ticked alone)
        for (int i = 0; i < m.length; i += 2) assertEquals(java.util.Set.of(caller), m[i].threads, "member " + i);
        for (int i = 1; i < m.length; i += 2) assertEquals(java.util.Set.of("dojosim-worker-1"), m[i].threads, "member " + i);
    }
}
