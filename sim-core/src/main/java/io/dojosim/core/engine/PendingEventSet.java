package io.dojosim.core.engine;

/**
 * The pending-event set of the kernel: a priority queue of events ordered by
 * {@code (timePs, order)}, where {@code order} packs the event priority and its insertion
 * sequence (see {@link Simulator}), so the order is total and reruns are identical.
 *
 * <p>An entry carries the whole event: besides its key, a {@code tag} (the kernel's handle: slot and
 * generation), the handler, the kind and the argument. Polling streams them out of the set with
 * the key, so a dispatch reads no per-event state anywhere else (ADR 0002, ADR 0108).
 *
 * <p>Implementations store primitives and handler references in arrays and allocate nothing per
 * event once grown. Cancelled events are removed lazily by the kernel, so the set needs no remove
 * operation.
 */
public interface PendingEventSet {
    /**
     * Adds an event with its key and payload. Any {@code timePs >= 0} is allowed; the kernel mostly
     * adds times at or after the last polled one, but after dropping cancelled entries ahead of its
     * clock it may add earlier ones, and those must still come out in order.
     */
    void add(long timePs, long order, long tag, EventHandler handler, int kind, long arg);

    /** Adds an entry without payload (handler null, kind and argument 0): a bare key and tag. */
    default void add(long timePs, long order, int slot) {
        add(timePs, order, slot, null, 0, 0L);
    }

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

    /** @return the tag of the minimum entry, without removing it; undefined when empty */
    long minTag();

    /** @return the low 32 bits of {@link #minTag()}: the slot, for sets filled by {@link #add(long, long, int)} */
    default int minSlot() {
        return (int) minTag();
    }

    /**
     * Removes the minimum entry; its payload is then read with {@link #polledHandler()},
     * {@link #polledKind()} and {@link #polledArg()}, valid until the next call that changes the set.
     *
     * @return its tag; undefined when empty
     */
    long pollMin();

    /** @return the handler of the entry removed by the last {@link #pollMin()} */
    EventHandler polledHandler();

    /** @return the kind of the entry removed by the last {@link #pollMin()} */
    int polledKind();

    /** @return the argument of the entry removed by the last {@link #pollMin()} */
    long polledArg();

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
