package io.dojosim.core.engine;

/**
 * Logic that advances once per cycle of a {@link Clock} while it has work.
 *
 * <p>A member returns false from {@link #tick} when it has nothing to do next cycle; the clock
 * then stops ticking it until {@link Clock#wake} is called (usually when a link delivers work).
 * On waking, the clock reports the cycles it skipped through {@link #skipped}, so statistics that
 * count cycles come out the same as if it had ticked every cycle.
 */
public interface Clocked {
    /**
     * Advances one cycle.
     *
     * @param cycle the cycle number of this clock
     * @return true to be ticked again next cycle, false to leave the clock until woken
     */
    boolean tick(long cycle);

    /** Called on waking, before the next tick, with the number of cycles the member was not ticked. */
    default void skipped(long idleCycles) {
    }
}
