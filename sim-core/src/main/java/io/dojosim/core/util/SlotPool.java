package io.dojosim.core.util;

import java.util.Arrays;

/**
 * The slots of a struct of arrays: a model keeps one primitive array per field, indexed by slot,
 * and this pool decides which slot a new record takes and when the arrays grow. A released slot
 * is taken again before a new one (last released, first taken); when every slot is in use the
 * capacity doubles and the owner is asked to grow its arrays to it. Once the arrays have reached
 * the peak number of live records, taking and releasing allocate nothing (ADR 0077).
 *
 * <pre>
 *   slots 0 .. used-1 have been handed out; the free stack holds the released ones
 *   take():    pop the free stack, else slot `used` (growing to 2 x capacity when used == capacity)
 *   release(): push the slot on the free stack
 * </pre>
 *
 * <p>An append-only table (a builder's rows, an inbox cleared in bulk) uses {@link #take()} and
 * {@link #clear()} and never releases.
 *
 * <p>Caveats: the pool does not check double release (the owner's generation counters do);
 * {@link Growth#growTo} is called before the slot beyond the old capacity is returned, so the
 * owner's arrays are never shorter than {@link #capacity()}.
 */
public final class SlotPool {
    /** Grows the owner's per-slot arrays; called with the new capacity, old contents kept. */
    @FunctionalInterface
    public interface Growth {
        void growTo(int capacity);
    }

    private final Growth growth;
    private int[] free;
    private int freeCount;
    private int used;
    private int capacity;

    /**
     * @param capacity the length the owner's arrays start with, at least 1
     * @param growth   grows the owner's arrays (typically {@code Arrays.copyOf} of each)
     */
    public SlotPool(int capacity, Growth growth) {
        if (capacity < 1) {
            throw new IllegalArgumentException("slot pool capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.growth = growth;
        this.free = new int[capacity];
    }

    /** @return a slot: the last released one, else the next never used (growing the arrays first when full) */
    public int take() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (used == capacity) {
            capacity *= 2;
            free = Arrays.copyOf(free, capacity);
            growth.growTo(capacity);
        }
        return used++;
    }

    /** Returns a slot to the pool; the next {@link #take()} hands it out again. */
    public void release(int slot) {
        free[freeCount++] = slot;
    }

    /** Forgets every slot: the next {@link #take()} returns 0. Capacity and the owner's arrays stay. */
    public void clear() {
        used = 0;
        freeCount = 0;
    }

    /** @return the length the owner's arrays have */
    public int capacity() {
        return capacity;
    }

    /** @return slots handed out at least once since creation or {@link #clear()} (the high-water mark) */
    public int used() {
        return used;
    }

    /** @return slots handed out and not released */
    public int live() {
        return used - freeCount;
    }
}
