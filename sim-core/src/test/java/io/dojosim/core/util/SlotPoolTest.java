package io.dojosim.core.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotPoolTest {

    @Test
    void releasedSlotsAreTakenAgainLastReleasedFirstBeforeNewOnes() {
        SlotPool p = new SlotPool(8, c -> { });
        assertEquals(0, p.take());
        assertEquals(1, p.take());
        assertEquals(2, p.take());
        p.release(0);
        p.release(2);
        assertEquals(2, p.take());
        assertEquals(0, p.take());
        assertEquals(3, p.take());
        assertEquals(4, p.used());
        assertEquals(4, p.live());
    }

    @Test
    void aFullPoolDoublesAndAsksTheOwnerToGrowBeforeHandingOutTheNewSlot() {
        List<Integer> grownTo = new ArrayList<>();
        int[][] column = {new int[2]};
        SlotPool p = new SlotPool(2, c -> {
            grownTo.add(c);
            column[0] = java.util.Arrays.copyOf(column[0], c);
        });
        for (int i = 0; i < 9; i++) {
            int s = p.take();
            column[0][s] = 10 + s; // never out of bounds: the owner grew first
        }
        assertEquals(List.of(4, 8, 16), grownTo);
        assertEquals(16, p.capacity());
        assertArrayEquals(new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18}, java.util.Arrays.copyOf(column[0], 9));
    }

    @Test
    void takingAndReleasingWithinTheCapacityNeverGrows() {
        int[] growths = {0};
        SlotPool p = new SlotPool(4, c -> growths[0]++);
        for (int round = 0; round < 1_000; round++) {
            int a = p.take();
            int b = p.take();
            int c = p.take();
            p.release(b);
            p.release(a);
            p.release(c);
        }
        assertEquals(0, growths[0]);
        assertEquals(3, p.used());
        assertEquals(0, p.live());
    }

    @Test
    void clearStartsAgainAtSlotZeroKeepingTheCapacity() {
        SlotPool p = new SlotPool(2, c -> { });
        p.take();
        p.take();
        p.take();
        p.release(1);
        p.clear();
        assertEquals(0, p.take());
        assertEquals(1, p.take());
        assertEquals(4, p.capacity());
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SlotPool(0, c -> { }));
    }
}
