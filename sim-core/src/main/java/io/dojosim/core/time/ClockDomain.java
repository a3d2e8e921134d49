package io.dojosim.core.time;

import io.dojosim.core.config.Check;

/**
 * A clock of fixed frequency that converts cycles to simulated time (picoseconds) and back.
 *
 * <p>Rounding rule: the period is {@code round(1e12 / frequencyHz)} picoseconds, rounded half up,
 * and fixed for the life of the domain. A cycle count converts to time by exact multiplication with
 * that period, so cycle edges never drift against each other. Time converts to cycles by floor
 * ({@link #cycleAt}: the cycle in progress) or ceiling ({@link #nextEdgePs}: the next edge at or
 * after a time). Frequencies that divide 10^12 (2 GHz = 500 ps, 2.5 GHz = 400 ps, 1 GHz) are exact;
 * others carry a relative error below {@code 0.5 / periodPs} (3 GHz: 333 ps, 0.1 % fast).
 *
 * <p>Caveats: {@link #effectiveFrequencyHz()} reports the frequency the rounded period implies; peaks
 * computed by models use the configured frequency, not the rounded one.
 *
 * @param name        a name for messages, such as {@code d1.core}
 * @param frequencyHz the clock frequency in hertz, at least 1 kHz and at most 1 THz
 */
public record ClockDomain(String name, long frequencyHz) {
    /** Picoseconds per second. */
    public static final long PS_PER_SECOND = 1_000_000_000_000L;

    public ClockDomain {
        Check.require(name != null && !name.isEmpty(), "clock domain name must not be empty");
        Check.require(frequencyHz >= 1_000 && frequencyHz <= PS_PER_SECOND,
                "clock " + name + ": frequencyHz must be in [1e3, 1e12], was " + frequencyHz);
    }

    /** @return the clock period in picoseconds, rounded to the nearest picosecond (half up). */
    public long periodPs() {
        return (PS_PER_SECOND + frequencyHz / 2) / frequencyHz;
    }

    /** @return the time at which the given cycle begins. */
    public long cyclesToPs(long cycles) {
        return Math.multiplyExact(cycles, periodPs());
    }

    /** @return the cycle in progress at the given time (floor). */
    public long cycleAt(long timePs) {
        return Math.floorDiv(timePs, periodPs());
    }

    /** @return the number of whole and partial cycles that cover a duration (ceiling). */
    public long psToCyclesCeil(long durationPs) {
        long p = periodPs();
        return Math.floorDiv(durationPs + p - 1, p);
    }

    /** @return the first clock edge at or after the given time. */
    public long nextEdgePs(long timePs) {
        return psToCyclesCeil(timePs) * periodPs();
    }

    /** @return the frequency implied by the rounded period, in hertz. */
    public double effectiveFrequencyHz() {
        return (double) PS_PER_SECOND / periodPs();
    }
}
