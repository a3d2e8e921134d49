package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.stats.Counter;
import io.dojosim.core.stats.Distribution;
import io.dojosim.core.stats.Unit;
import io.dojosim.core.time.ClockDomain;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hand-checked clocked model: two producers feed one consumer through fixed-latency deliveries
 * (events at {@link Simulator#PRIORITY_DELIVERY}), on one 2 GHz clock (500 ps per cycle).
 *
 * <pre>
 *   p1: sends one item on each of cycles 0..4     --3 cycles-->  \
 *                                                                  consumer (FIFO, 2 cycles per item)
 *   p2: sends one item on cycles 2, 4, 6          --1 cycle--->  /
 * </pre>
 *
 * Arrivals (cycle: items, in event order): 3: p1#0, p2#0 | 4: p1#1 | 5: p1#2, p2#1 | 6: p1#3 |
 * 7: p1#4, p2#2. Same-time arrivals keep the order in which they were sent (p1#2 was sent on cycle
 * 2, p2#1 on cycle 4). The consumer starts an item on the tick it is free and the queue is not
 * empty and holds it for 2 ticks, so it is busy on cycles 3..18 without a gap (8 items x 2) and
 * finishes, in order: p1#0@4, p2#0@6, p1#1@8, p1#2@10, p2#1@12, p1#3@14, p1#4@16, p2#2@18.
 * The queue (after the arrivals of a cycle, before starting) peaks at 6 on cycle 7.
 * Every member accounts for 19 cycles (0..18): busy or active ticks plus idle ticks plus skipped.
 */
class ClockTest {
    static final ClockDomain D1 = new ClockDomain("d1", 2_000_000_000L);

    static final class Producer implements Clocked {
        private final Simulator sim;
        private final Counter sent;
        private final Counter idle;
        private final long[] sendCycles;
        private final int tag;
        private EventHandler target;
        private long latencyPs;
        private int next;

        Producer(Simulator sim, String path, int tag, long... sendCycles) {
            this.sim = sim;
            this.tag = tag;
            this.sendCycles = sendCycles;
            this.sent = sim.stats().counter(path + ".sent", Unit.COUNT, "items sent");
            this.idle = sim.stats().counter(path + ".idleCycles", Unit.CYCLES, "cycles without a send");
        }

        void connect(EventHandler target, long latencyPs) {
            this.target = target;
            this.latencyPs = latencyPs;
        }

        @Override
        public boolean tick(long cycle) {
            if (next < sendCycles.length && sendCycles[next] == cycle) {
                sim.schedule(sim.now() + latencyPs, Simulator.PRIORITY_DELIVERY, target, 0, ((long) tag << 32) | next);
                sent.inc();
                next++;
            } else {
                idle.inc();
            }
            return next < sendCycles.length;
        }

        @Override
        public void skipped(long idleCycles) {
            idle.add(idleCycles);
        }
    }

    static final class Consumer implements Clocked, EventHandler {
        private final Clock clock;
        private final int id;
        private final ArrayDeque<Long> queue = new ArrayDeque<>();
        private final Counter busy;
        private final Counter idle;
        private final Distribution queueLength;
        final List<String> done = new ArrayList<>();
        private long current = -1;
        private int remaining;
        long maxQueue;

        Consumer(Simulator sim, String path, Clock clock) {
            this.clock = clock;
            this.busy = sim.stats().counter(path + ".busyCycles", Unit.CYCLES, "cycles serving an item");
            this.idle = sim.stats().counter(path + ".idleCycles", Unit.CYCLES, "cycles without an item");
            this.queueLength = sim.stats().distribution(path + ".queueLength", Unit.COUNT, "queue at a start");
            this.id = clock.register(this);
        }

        /** Both producers deliver into one FIFO, in delivery-event order. */
        @Override
        public void onEvent(long nowPs, int kind, long payload) {
            queue.add(payload);
            clock.wake(id);
        }

        @Override
        public boolean tick(long cycle) {
            if (remaining == 0 && !queue.isEmpty()) {
                maxQueue = Math.max(maxQueue, queue.size());
                queueLength.record(queue.size());
                current = queue.poll();
                remaining = 2;
            }
            if (remaining > 0) {
                busy.inc();
                if (--remaining == 0) {
                    done.add("p" + (current >>> 32) + "#" + (int) current + "@" + cycle);
                }
            } else {
                idle.inc();
            }
            return remaining > 0 || !queue.isEmpty();
        }

        @Override
        public void skipped(long idleCycles) {
            idle.add(idleCycles);
        }
    }

    static final class Model {
        final Simulator sim = new Simulator(7);
        final Clock clock = new Clock(sim, D1);
        final Producer p1 = new Producer(sim, "p1", 1, 0, 1, 2, 3, 4);
        final Producer p2 = new Producer(sim, "p2", 2, 2, 4, 6);
        final Consumer c;

        Model(boolean idleSkipping) {
            clock.setIdleSkipping(idleSkipping);
            int id1 = clock.register(p1);
            int id2 = clock.register(p2);
            c = new Consumer(sim, "c", clock);
            long p = D1.periodPs();
            p1.connect(c, 3 * p);
            p2.connect(c, p);
            clock.wake(id1);
            clock.wake(id2);
        }

        Map<String, Object> run() {
            sim.run();
            clock.settle();
            return sim.stats().snapshot(sim.now());
        }
    }

    private static Model build(boolean idleSkipping) {
        return new Model(idleSkipping);
    }

    @Test
    void producersAndConsumerGiveTheCycleCountsDerivedByHand() {
        Model m = build(true);
        m.run();
        assertEquals(List.of("p1#0@4", "p2#0@6", "p1#1@8", "p1#2@10", "p2#1@12", "p1#3@14", "p1#4@16", "p2#2@18"),
                m.c.done);
        assertEquals(18 * 500, m.sim.now());
        assertEquals(6, m.c.maxQueue);
        assertEquals(16, counter(m, "c.busyCycles"));
        assertEquals(3, counter(m, "c.idleCycles"));
        assertEquals(5, counter(m, "p1.sent"));
        assertEquals(19 - 5, counter(m, "p1.idleCycles"));
        assertEquals(3, counter(m, "p2.sent"));
        assertEquals(19 - 3, counter(m, "p2.idleCycles"));
        // member ticks with skipping: p1 on 0..4 (5), p2 on 0..6 (7), consumer on 3..18 (16)
        assertEquals(5 + 7 + 16, m.clock.ticksExecuted());
    }

    @Test
    void idleSkippingOnAndOffGiveIdenticalStatistics() {
        Model on = build(true);
        Model off = build(false);
        Map<String, Object> a = on.run();
        Map<String, Object> b = off.run();
        assertEquals(a, b);
        assertEquals(on.c.done, off.c.done);
        assertEquals(3 * 19, off.clock.ticksExecuted(), "without skipping every member ticks every cycle");
    }

    @Test
    void aDeliveryAtACycleEdgeIsSeenByThatEdgesTickAndOneBetweenEdgesByTheNext() {
        Simulator sim = new Simulator(1);
        Clock clock = new Clock(sim, D1);
        List<Long> ticked = new ArrayList<>();
        int id = clock.register(cycle -> {
            ticked.add(cycle);
            return false;
        });
        sim.schedule(1_000, Simulator.PRIORITY_DELIVERY, (t, k, a) -> clock.wake(id), 0, 0); // edge of cycle 2
        sim.schedule(2_100, Simulator.PRIORITY_DELIVERY, (t, k, a) -> clock.wake(id), 0, 0); // inside cycle 4
        sim.run();
        assertEquals(List.of(2L, 5L), ticked);
    }

    @Test
    void aMemberWokenDuringAnotherMembersTickStartsOnTheNextCycle() {
        Simulator sim = new Simulator(1);
        Clock clock = new Clock(sim, D1);
        List<String> ticked = new ArrayList<>();
        int[] ids = new int[2];
        ids[0] = clock.register(cycle -> {
            ticked.add("a" + cycle);
            clock.wake(ids[1]); // registered after a, so later in this cycle's loop
            return false;
        });
        ids[1] = clock.register(cycle -> {
            ticked.add("b" + cycle);
            return false;
        });
        clock.wake(ids[0]);
        sim.run();
        assertEquals(List.of("a0", "b1"), ticked);
    }

    @Test
    void manyMembersAcrossSeveralBitmapWordsAreTickedExactlyWhileActive() {
        // 130 members (three 64-bit words): member i wants (i mod 5) + 1 ticks from cycle 0.
        // Ticks with skipping: sum over i of (i mod 5) + 1 = 26 * 15 = 390. The clock runs cycles
        // 0..4, so without skipping it ticks 130 * 5 = 650 times; either way every member
        // accounts for exactly 5 cycles after settle().
        for (boolean skipping : new boolean[] {true, false}) {
            Simulator sim = new Simulator(1);
            Clock clock = new Clock(sim, D1);
            clock.setIdleSkipping(skipping);
            long[] ticks = new long[130];
            long[] skippedCycles = new long[130];
            for (int i = 0; i < 130; i++) {
                final int id = i;
                int want = (i % 5) + 1;
                clock.wake(clock.register(new Clocked() {
                    @Override
                    public boolean tick(long cycle) {
                        ticks[id]++;
                        return ticks[id] < want;
                    }

                    @Override
                    public void skipped(long idleCycles) {
                        skippedCycles[id] += idleCycles;
                    }
                }));
            }
            sim.run();
            clock.settle();
            assertEquals(skipping ? 390 : 650, clock.ticksExecuted());
            for (int i = 0; i < 130; i++) {
                assertEquals(skipping ? (i % 5) + 1 : 5, ticks[i]);
                assertEquals(5, ticks[i] + skippedCycles[i], "member " + i);
            }
        }
    }

    private static long counter(Model m, String name) {
        return ((Counter) m.sim.stats().get(name)).get();
    }
}
