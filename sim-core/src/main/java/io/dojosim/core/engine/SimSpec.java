package io.dojosim.core.engine;

import java.util.Locale;

/**
 * The simulation kernel's parameters ({@code sim.*}), bound once from the resolved config, and the
 * one factory of simulators: every scenario (run, collective, kernel, noc) gets its simulator from
 * {@link #newSimulator()}, so {@code sim.eventSet} and {@code sim.idleSkipping} act everywhere.
 *
 * <p>Caveats: neither the event set nor idle skipping changes a result (the kernel's total order
 * and the clocks' accounting make them invisible); they change only the host time.
 *
 * @param seed         root seed of every random stream
 * @param eventSet     pending-event set of the kernel
 * @param idleSkipping idle components leave their clock (false ticks every member every cycle)
 */
public record SimSpec(long seed, EventSet eventSet, boolean idleSkipping) {

    /** The pending-event sets {@code sim.eventSet} allows. */
    public enum EventSet {
        WHEEL, LINKEDWHEEL, HEAP4;

        /** @return the key's spelling, for example {@code linkedwheel} */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the set named by {@link PendingEventSets#NAMES} */
        public static EventSet of(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT));
        }
    }

    public SimSpec {
        if (eventSet == null) {
            throw new IllegalArgumentException("sim.eventSet is required");
        }
    }

    /** @return the defaults of {@code sim.*}: seed 1, the chunked timing wheel, idle skipping on */
    public static SimSpec defaults() {
        return new SimSpec(1, EventSet.WHEEL, true);
    }

    /** @return these parameters with another seed */
    public SimSpec withSeed(long s) {
        return new SimSpec(s, eventSet, idleSkipping);
    }

    /** @return a new simulator on the configured event set, seeded, its clocks skipping idle members as configured */
    public Simulator newSimulator() {
        Simulator sim = new Simulator(seed, PendingEventSets.of(eventSet.key()));
        sim.setIdleSkipping(idleSkipping);
        return sim;
    }
}
