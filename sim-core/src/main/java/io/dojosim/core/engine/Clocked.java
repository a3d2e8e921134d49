package io.dojosim.core.engine;

/**
 * Logic that advances once per cycle of a {@link Clock} while it has work.
 *
 * <p>A member returns false from {@link #tick} when it has nothing to do next cycle; the clock
 * then stops ticking it until {@link Clock#wake} is called (usually when a delivery brings work).
 * The clock reports the cycles it skipped through {@link #skipped}, so statistics that count
 * cycles come out the same as if it had ticked every cycle.
 */
public interface Clocked {
    /**
     * Advances one cycle.
     *
     * @param cycle the cycle number of this clock
     * @return true to be ticked again next cycle, false to leave the clock until woken
     */
    boolean tick(long cycle);

    /**
     * Reports cycles on which this member was not ticked (it was idle, or the whole clock was
     * stopped): called just before its next tick and by {@link Clock#settle()}.
     */
    default void skipped(long idleCycles) {
    }

    /**
     * A running count of the work this member has done (router evaluations of a mesh, for
     * example), for host decisions only ({@link Workers#lanesFor}); by default 0, so each tick counts as one item. Never
     * part of a result.
     */
    default long workDone() {
        return 0;
    }
}
