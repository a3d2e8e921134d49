package io.dojosim.core.engine;

/**
 * The user asked the simulation to stop (Ctrl-C): thrown by {@link Simulator#runUntil} at the next
 * event boundary after {@link #request()}, so that a command can write what it has, marked
 * incomplete, instead of dying mid-write.
 *
 * <p>Caveats: the flag is process-wide (one Ctrl-C stops every simulator of the process, a sweep's
 * workers included) and is checked every 4,096 events, so an event loop stops within microseconds.
 */
public final class SimulationInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static volatile boolean requested;

    private final long nowPs;

    public SimulationInterrupted(long nowPs) {
        super("interrupted at simulated time " + nowPs + " ps", null, false, false);
        this.nowPs = nowPs;
    }

    /** @return the simulated time the simulation stopped at, in ps */
    public long nowPs() {
        return nowPs;
    }

    /** Asks every running simulation to stop at its next event boundary. */
    public static void request() {
        requested = true;
    }

    /** @return true once {@link #request()} was called */
    public static boolean requested() {
        return requested;
    }

    /** Clears the request (tests). */
    public static void clear() {
        requested = false;
    }
}
