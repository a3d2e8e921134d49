package io.dojosim.bench;

import io.dojosim.core.random.Rng;

/**
 * A precomputed table of hold-model increments, so the benchmarks measure the event set and not
 * the random-number generator or {@code Math.log}.
 *
 * <p>Increments are whole cycles of a 500 ps clock (the D1 clock): with probability
 * {@code 1 - farFraction} a geometric number of cycles with the given mean (at least 1), otherwise
 * a uniform number of cycles in [{@value #FAR_MIN_CYCLES}, {@value #FAR_MAX_CYCLES}] (0.5 to 50 us,
 * partly beyond the timing wheel's horizon).
 */
final class HoldIncrements {
    static final long PERIOD_PS = 500;
    static final int FAR_MIN_CYCLES = 1_000;
    static final int FAR_MAX_CYCLES = 100_000;
    private static final int SIZE = 1 << 20;
    private static final int MASK = SIZE - 1;

    private final long[] incrementsPs = new long[SIZE];
    private int next;

    HoldIncrements(long seed, double meanCycles, double farFraction) {
        Rng rng = new Rng(seed);
        double p = 1.0 / meanCycles; // geometric on {1, 2, ...} with mean 1/p
        double logQ = Math.log1p(-p);
        for (int i = 0; i < SIZE; i++) {
            long cycles;
            if (rng.nextDouble() < farFraction) {
                cycles = FAR_MIN_CYCLES + rng.nextInt(FAR_MAX_CYCLES - FAR_MIN_CYCLES + 1);
            } else {
                cycles = 1 + (long) Math.floor(Math.log1p(-rng.nextDouble()) / logQ);
            }
            incrementsPs[i] = cycles * PERIOD_PS;
        }
    }

    long next() {
        long v = incrementsPs[next];
        next = (next + 1) & MASK;
        return v;
    }
}
