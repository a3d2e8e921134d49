package io.dojosim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WorkPartitionerTest {

    @Test
    void heaviestItemsGoFirstToTheLeastLoadedPartition() {
        // items by weight: #1 (7) -> p0, #3 (5) -> p1, #4 (4) -> p1 (5 < 7), #0 (3) -> p0 (7 < 9),
        // #2 (1) -> p1 (9 < 10); loads after each step: (7,0) (7,5) (7,9) (10,9) (10,10)
        int[] parts = WorkPartitioner.balance(new long[] {3, 7, 1, 5, 4}, 2);
        assertArrayEquals(new int[] {0, 0, 1, 1, 1}, parts);
    }

    @Test
    void equalWeightsDealRoundRobinInIndexOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0}, WorkPartitioner.balance(new long[] {1, 1, 1, 1, 1, 1, 1}, 3));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> WorkPartitioner.balance(new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> WorkPartitioner.balance(new long[] {-1}, 1));
    }
}
