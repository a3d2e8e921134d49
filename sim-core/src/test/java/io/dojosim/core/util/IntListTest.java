package io.dojosim.core.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IntListTest {

    @Test
    void valuesComeBackInOrderAcrossGrowth() {
        IntList l = new IntList(1);
        for (int i = 0; i < 100; i++) {
            l.add(i * i);
        }
        assertEquals(100, l.size());
        assertEquals(49 * 49, l.get(49));
        int[] a = l.toArray();
        assertEquals(100, a.length);
        assertEquals(99 * 99, a[99]);
    }

    @Test
    void clearEmptiesTheListAndTheNextValuesReplaceTheOldOnes() {
        IntList l = new IntList();
        l.add(7);
        l.add(8);
        l.clear();
        assertEquals(0, l.size());
        l.add(9);
        assertArrayEquals(new int[] {9}, l.toArray());
    }
}
