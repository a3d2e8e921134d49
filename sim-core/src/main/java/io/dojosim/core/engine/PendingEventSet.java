package io.dojosim.core.engine;

/**
 * The pending-event set of the kernel: a priority queue of event slots ordered by
 * {@code (timePs, order)}, where {@code order} packs the event priority and its insertion
 * sequence (see {@link Simulator}), so the order is total and reruns are identical.
 *
 * <p>Implementations store primitives only and allocate nothing per event once grown. Cancelled
 * events are removed lazily by the kernel, so the set needs no remove operation.
 */
public interface PendingEventSet {
    /**
     * Adds an event slot with its key. Any {@code timePs >= 0} is allowed; the kernel mostly adds
     * times at or after the last polled one, but after dropping cancelled entries ahead of its
     * clock it may add earlier ones, and those must still come out in order.
     */
    void add(long timePs, long order, int slot);

    /** @return the number of entries */
    int size();

    /** @return true when no entry is pending */
    default boolean isEmpty() {
        return size() == 0;
    }

    /** @return the time of the minimum entry; undefined when empty */
    long minTime();

    /** @return the order key of the minimum entry; undefined when empty */
    long minOrder();

    /** @return the slot of the minimum entry, without removing it; undefined when empty */
    int minSlot();

    /** Removes the minimum entry. @return its slot; undefined when empty */
    int pollMin();

    /** Removes every entry. */
    void clear();

    /** @return a short name for reports and benchmarks */
    String name();

    /** Compares two keys. @return negative, zero or positive as (t1, o1) is before, equal to or after (t2, o2) */
    static int compare(long t1, long o1, long t2, long o2) {
        int c = Long.compare(t1, t2);
        return c != 0 ? c : Long.compare(o1, o2);
    }
}
