package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void theSplitPolicyProbesBothWaysThenKeepsOne() {
        try (Workers w = new Workers(2)) {
            int[] lanes = new int[64 + 64 + 512];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = w.lanesFor(2);
                w.run((lane, k) -> w.countItems(lane, 100), lanes[i]);
            }
            // 64 decisions split, then 64 unsplit, whatever the host's load; then one kind kept for 512
            for (int i = 0; i < 64; i++) assertEquals(2, lanes[i], "probe split " + i);
            for (int i = 64; i < 128; i++) assertEquals(1, lanes[i], "probe unsplit " + i);
            for (int i = 129; i < lanes.length; i++) assertEquals(lanes[128], lanes[i], "kept " + i);
            Workers.Report r = w.report();
            assertEquals(64 + (lanes[128] == 2 ? 512 : 0), r.rounds());
            assertEquals(64 + (lanes[128] == 1 ? 512 : 0), r.declined());
            assertEquals(100L * r.declined(), r.serialItems());
        }
    }
}
