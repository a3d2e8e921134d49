package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void everyLaneRunsOncePerRoundAndItsWritesAreVisibleAfterwards() {
        try (Workers w = new Workers(3)) {
            long[] sums = new long[3];
            for (int round = 0; round < 1000; round++) {
                final int r = round;
                w.run((lane, lanes) -> {
                    assertEquals(3, lanes);
                    sums[lane] += r + lane; // plain writes, published by the barrier
                    w.countItems(lane, 1);
                }, 3);
            }
            // sum over rounds of (r + lane) = 499500 + 1000 * lane
            assertArrayEquals(new long[] {499_500, 500_500, 501_500}, sums);
            Workers.Report rep = w.report();
            assertEquals(1000, rep.rounds());
            assertArrayEquals(new long[] {1000, 1000, 1000}, rep.items());
            assertEquals(1.0, rep.itemsPerRound(2));
        }
    }

    @Test
    void fewerLanesThanThreadsLeaveTheOthersIdle() {
        try (Workers w = new Workers(4)) {
            int[] ran = new int[4];
            w.run((lane, lanes) -> ran[lane]++, 2);
            assertArrayEquals(new int[] {1, 1, 0, 0}, ran);
        }
    }

    @Test
    void roundsOfChangingWidthRunEachLaneExactlyOnce() {
        // a worker left out of one round must not run the next round's task twice or with the old width
        try (Workers w = new Workers(4)) {
            long[] ran = new long[4];
            long[] expected = new long[4];
            io.dojosim.core.random.Rng rng = new io.dojosim.core.random.Rng(3);
            for (int round = 0; round < 1000; round++) {
                int k = 1 + rng.nextInt(4);
                for (int l = 0; l < k; l++) expected[l]++;
                final int width = k;
                w.run((lane, lanes) -> {
                    assertEquals(width, lanes);
                    ran[lane]++;
                }, k);
            }
            assertArrayEquals(expected, ran);
        }
    }

    @Test
    void aFailureInAWorkerLaneReachesTheCaller() {
        try (Workers w = new Workers(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.run((lane, lanes) -> {
                if (lane == 1) throw new IllegalStateException("lane 1 failed");
            }, 2));
            assertEquals("lane 1 failed", e.getMessage());
            int[] ran = new int[2];
            w.run((lane, lanes) -> ran[lane]++, 2); // the team still works afterwards
            assertArrayEquals(new int[] {1, 1}, ran);
        }
    }

    @Test
    void aTeamOfOneNeverSplitsAndStartsNoThread() {
        try (Workers w = Workers.single()) {
            assertEquals(1, w.lanesFor(8));
            assertThrows(IllegalArgumentException.class, () -> w.run((lane, lanes) -> { }, 2));
        }
        assertThrows(IllegalArgumentException.class, () -> new Workers(0));
    }

    @Test
    void theSplitPolicyStartsUnsplitThenProbesBothWaysThenKeepsOne() throws InterruptedException {
        // a JIT that compiles nothing: the first probe is not put off
        try (Workers w = new Workers(2, () -> 0)) {
            int settle = 512;
            Thread.sleep(25); // the policy looks at the JIT's rate over at least 20 ms
            int warm = 8;
            int serialProbe = warm + 64;
            int[] lanes = new int[settle + serialProbe + warm + 64 + 512];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = w.lanesFor(2);
                w.run((lane, k) -> w.countItems(lane, 100), lanes[i]);
            }
            // 512 decisions unsplit to settle, 8 + 64 unsplit (the first 8 not charged), then 8 + up to 64
            // split (fewer when splitting loses from the 9th charged round on), whatever the host's
            // load; then one kind kept
            for (int i = 0; i < settle + serialProbe; i++) assertEquals(1, lanes[i], "settle or probe unsplit " + i);
            int split = 0;
            while (lanes[settle + serialProbe + split] == 2 && split < warm + 64) split++;
            assertTrue(split == warm + 64 || split >= warm + 9, "split probe of " + split + " rounds");
            Workers.Report r = w.report();
            int kept = lanes[settle + serialProbe + split];
            for (int i = settle + serialProbe + split; i < lanes.length; i++) assertEquals(kept, lanes[i], "kept " + i);
            if (split < warm + 64) {
                assertEquals(1, kept, "a split probe given up keeps rounds unsplit");
                assertEquals(1, r.abandonedProbes());
            }
            assertEquals(split + (kept == 2 ? lanes.length - settle - serialProbe - split : 0), r.rounds());
            assertEquals(100L * r.declined(), r.serialItems());
            assertEquals(0, r.postponedProbes());
        }
    }

    @Test
    void aBusyJitPutsOffEveryProbeAndNoRoundIsSplit() throws InterruptedException {
        // a JIT compiling all the time (1 ms of compilation per call, far above 5 % of the wall time)
        long[] jit = {0};
        try (Workers w = new Workers(2, () -> jit[0] += 1_000)) {
            for (int i = 0; i < 5_000; i++) {
                if (i % 512 == 0) Thread.sleep(21);
                assertEquals(1, w.lanesFor(2), "decision " + i);
                w.run((lane, k) -> w.countItems(lane, 1), 1);
            }
            Workers.Report r = w.report();
            assertEquals(0, r.rounds());
            assertEquals(5_000, r.declined());
            assertTrue(r.postponedProbes() >= 1, "postponed " + r.postponedProbes());
        }
    }

    @Test
    void aOneThreadTeamNeverAsksTheJit() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        long[] sum = new long[1];
        try (Workers w = new Workers(1, () -> { asked.incrementAndGet(); return 0; })) {
            for (int i = 0; i < 5000; i++) { // well past the settling period after which a team looks at the JIT
                int lanes = w.lanesFor(4);
                final int k = i;
                w.run((lane, n) -> sum[0] += k, lanes);
            }
        }
        assertEquals(0, asked.get());
        assertEquals(4999L * 5000 / 2, sum[0]);
    }
}
