package io.dojosim.core.time;

import java.util.Locale;

/** Helpers for simulated time, which is always a {@code long} count of picoseconds. */
public final class Time {
    public static final long PS = 1L;
    public static final long NS = 1_000L;
    public static final long US = 1_000_000L;
    public static final long MS = 1_000_000_000L;
    public static final long S = 1_000_000_000_000L;

    private Time() {
    }

    /** @return the time in seconds as a double, for reports only (never for event times). */
    public static double toSeconds(long ps) {
        return ps / 1e12;
    }

    /** @return a short human-readable rendering such as {@code 1.250 us}. */
    public static String format(long ps) {
        long a = Math.abs(ps);
        if (a >= S) return String.format(Locale.ROOT, "%.3f s", ps / 1e12);
        if (a >= MS) return String.format(Locale.ROOT, "%.3f ms", ps / 1e9);
        if (a >= US) return String.format(Locale.ROOT, "%.3f us", ps / 1e6);
        if (a >= NS) return String.format(Locale.ROOT, "%.3f ns", ps / 1e3);
        return ps + " ps";
    }
}
