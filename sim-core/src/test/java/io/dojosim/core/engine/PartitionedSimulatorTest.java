package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parallel kernel gives the same results as the sequential reference for any thread count:
 * the synthetic ring-with-chords network of {@link TrafficModel}, split into partitions, with
 * random traffic from per-node streams, compared statistic by statistic.
 */
class PartitionedSimulatorTest {

    /** What one run leaves behind. */
    record Outcome(Map<String, Object> stats, long nowPs, long events, PartitionedSimulator.Report report) {
    }

    /**
     * Builds the model on {@code partitions} partitions (contiguous blocks of nodes), runs it with
     * {@code threads} threads (0 = the sequential reference) and returns the statistics.
     */
    static Outcome run(long seed, int nodes, int partitions, int threads, long endPs) {
        try (PartitionedSimulator ps = new PartitionedSimulator(seed, partitions, Math.max(threads, 1))) {
            Clock[] clocks = new Clock[partitions];
            for (int p = 0; p < partitions; p++) {
                clocks[p] = new Clock(ps.partition(p), TrafficModel.CLOCK);
            }
            TrafficModel m = new TrafficModel(nodes, 300, 0.35, 3, 7,
                    i -> ps.partition(i * partitions / nodes), i -> clocks[i * partitions / nodes]);
            m.start();
            if (threads == 0) {
                ps.runSequential(endPs);
            } else {
                ps.runUntil(endPs);
            }
            for (Clock c : clocks) {
                c.settle();
            }
            if (endPs == Long.MAX_VALUE) {
                assertEquals(m.injected(), m.delivered(), "conservation: every message arrives");
            }
            return new Outcome(ps.snapshot(ps.now()), ps.now(), ps.eventsExecuted(), ps.report());
        }
    }

    @Test
    void windowedRunsOnOneTwoAndFourThreadsEqualTheSequentialReference() {
        for (long seed : new long[] {1, 2, 3}) {
            Outcome ref = run(seed, 32, 4, 0, Long.MAX_VALUE);
            assertTrue(ref.events() > 20_000, "enough traffic to matter: " + ref.events());
            for (int threads : new int[] {1, 2, 4}) {
                Outcome o = run(seed, 32, 4, threads, Long.MAX_VALUE);
                assertEquals(ref.stats(), o.stats(), "seed " + seed + ", " + threads + " threads");
                assertEquals(ref.nowPs(), o.nowPs());
                assertEquals(ref.events(), o.events());
            }
        }
    }

    @Test
    void moreThreadsThanOnePerPartitionGroupAndUnevenGroupsStillAgree() {
        // 7 partitions on 2 and 3 threads: threads own 4+3 and 3+2+2 partitions
        Outcome ref = run(5, 28, 7, 0, Long.MAX_VALUE);
        assertEquals(ref.stats(), run(5, 28, 7, 2, Long.MAX_VALUE).stats());
        assertEquals(ref.stats(), run(5, 28, 7, 3, Long.MAX_VALUE).stats());
    }

    @Test
    void aRunCutAtAnEndTimeAgreesToo() {
        long end = 150 * TrafficModel.CLOCK.periodPs() + 123;
        Outcome ref = run(9, 32, 4, 0, end);
        Outcome par = run(9, 32, 4, 2, end);
        assertEquals(ref.stats(), par.stats());
        assertEquals(end, par.nowPs());
    }

    @Test
    void onePartitionIsExactlyThePlainSequentialKernel() {
        Simulator sim = new Simulator(4);
        Clock clock = new Clock(sim, TrafficModel.CLOCK);
        TrafficModel m = new TrafficModel(16, 300, 0.35, 3, 7, i -> sim, i -> clock);
        m.start();
        sim.run();
        clock.settle();
        assertEquals(sim.stats().snapshot(sim.now()), run(4, 16, 1, 1, Long.MAX_VALUE).stats());
    }

    @Test
    void windowsAreOneLookaheadLongAndSkipIdleTime() {
        try (PartitionedSimulator ps = new PartitionedSimulator(1, 2, 2)) {
            Simulator a = ps.partition(0);
            Simulator b = ps.partition(1);
            a.declareRemoteLatency(b, 1_000);
            List<Long> seen = new ArrayList<>();
            EventHandler onB = (t, k, arg) -> {
                synchronized (seen) {
                    seen.add(t);
                }
            };
            EventHandler onA = (t, k, arg) -> a.scheduleRemote(b, t + 1_000, 0, onB, 0, 0);
            // bursts at 0 and at 1 ms: the windows in between are skipped
            a.schedule(0, 0, onA, 0, 0);
            a.schedule(1_000_000_000L, 0, onA, 0, 0);
            ps.run();
            assertEquals(List.of(1_000L, 1_000_001_000L), seen);
            PartitionedSimulator.Report r = ps.report();
            assertEquals(1_000, r.lookaheadPs());
            // windows start at 0, 1000 (b's event), 1e9 and 1e9 + 1000
            assertEquals(4, r.windows());
            assertEquals(1_000_001_000L, ps.now());
            assertEquals(2, r.eventsByThread()[0]);
            assertEquals(2, r.eventsByThread()[1]);
        }
    }

    @Test
    void aRemoteEventCloserThanTheLookaheadIsABug() {
        try (PartitionedSimulator ps = new PartitionedSimulator(1, 2, 1)) {
            Simulator a = ps.partition(0);
            Simulator b = ps.partition(1);
            a.declareRemoteLatency(b, 1_000);
            a.schedule(0, 0, (t, k, arg) -> a.scheduleRemote(b, t + 999, 0, (t2, k2, a2) -> { }, 0, 0), 0, 0);
            SimulationError e = assertThrows(SimulationError.class, ps::run);
            assertTrue(e.getMessage().contains("lookahead"), e.getMessage());
        }
    }

    @Test
    void stopInsideAPartitionIsRejectedRatherThanBreakingTheWindows() {
        try (PartitionedSimulator ps = new PartitionedSimulator(1, 2, 2)) {
            Simulator a = ps.partition(0);
            a.declareRemoteLatency(ps.partition(1), 1_000);
            a.schedule(10, 0, (t, k, arg) -> a.stop(), 0, 0);
            SimulationError e = assertThrows(SimulationError.class, ps::run);
            assertTrue(e.getMessage().contains("stop()"), e.getMessage());
        }
    }

    @Test
    void remoteEventsBetweenUnrelatedSimulatorsAreRejected() {
        Simulator lone = new Simulator(1);
        try (PartitionedSimulator ps = new PartitionedSimulator(1, 2, 1)) {
            assertThrows(SimulationError.class, () -> ps.partition(0).scheduleRemote(lone, 10, 0, (t, k, a) -> { }, 0, 0));
            assertThrows(SimulationError.class, () -> lone.declareRemoteLatency(ps.partition(0), 10));
        }
    }

    @Test
    void aFailureOnOneThreadStopsTheRunInsteadOfHangingIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (PartitionedSimulator ps = new PartitionedSimulator(1, 2, 2)) {
                Simulator a = ps.partition(0);
                Simulator b = ps.partition(1);
                a.declareRemoteLatency(b, 500);
                EventHandler tick = new EventHandler() {
                    @Override
                    public void onEvent(long t, int k, long arg) {
                        a.schedule(t + 500, 0, this, 0, 0);
                    }
                };
                a.schedule(0, 0, tick, 0, 0);
                b.schedule(50_000, 0, (t, k, arg) -> {
                    throw new IllegalStateException("model bug at " + t);
                }, 0, 0);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> ps.runUntil(1_000_000));
                assertTrue(e.getMessage().contains("model bug at 50000"));
            }
        });
    }

    @Test
    void linksBetweenPartitionsSetTheLookaheadAndCrossThroughMailboxes() {
        try (PartitionedSimulator ps = new PartitionedSimulator(1, 2, 2)) {
            Clock c0 = new Clock(ps.partition(0), TrafficModel.CLOCK);
            Clock c1 = new Clock(ps.partition(1), TrafficModel.CLOCK);
            TrafficModel m = new TrafficModel(4, 50, 1.0, 4, 6, i -> ps.partition(i / 2), i -> i < 2 ? c0 : c1);
            // node1 -> node2 (ring) and node0 -> node2, node1 -> node3 (chords) cross: lookahead 4 cycles
            assertEquals(4 * TrafficModel.CLOCK.periodPs(), ps.lookaheadPs());
            assertTrue(m.nodes[1].out[0].link().crossesPartitions());
            assertTrue(!m.nodes[0].out[0].link().crossesPartitions());
            m.start();
            ps.run();
            assertEquals(m.injected(), m.delivered());
            assertEquals(200, m.injected(), "4 nodes inject on each of 50 cycles");
        }
    }
}
