package io.dojosim.bench;

import io.dojosim.core.random.Rng;

/**
 * A precomputed table of hold-model increments, so the benchmarks measure the event set and not
 * the random-number generator or {@code Math.log}.
 *
 * <p>Increments are whole cycles of a 500 ps clock (the D1 clock): with probability
 * {@code 1 - farFraction} a geometric number of cycles with the given mean (at least 1), otherwise
 * a uniform number of cycles in [{@value #FAR_MIN_CYCLES}, {@value #FAR_MAX_CYCLES}] (0.5 to 10 us,
 * partly beyond the default timing wheel's 6.55 us horizon).
 *
 * <p>In a hold model the share of far events among the <em>pending</em> ones is their share of
 * schedules times their mean lifetime over the average lifetime: with a mean of 4 cycles and
 * {@code farFraction = 1e-4} (mean far lifetime 10,500 cycles) about 21 % of the pending set is far
 * future. {@link #initialPs} draws the initial population from that stationary mix, so the
 * measurement does not drift while far events accumulate.
 */
final class HoldIncrements {
    static final long PERIOD_PS = 500;
    static final int FAR_MIN_CYCLES = 1_000;
    static final int FAR_MAX_CYCLES = 20_000;
    private static final int SIZE = 1 << 20;
    private static final int MASK = SIZE - 1;

    private final long[] incrementsPs = new long[SIZE];
    private final Rng initRng;
    private final double farShareOfPending;
    private int next;

    HoldIncrements(long seed, double meanCycles, double farFraction) {
        Rng rng = new Rng(seed);
        initRng = new Rng(seed + 1);
        double meanFar = (FAR_MIN_CYCLES + FAR_MAX_CYCLES) / 2.0;
        farShareOfPending = farFraction * meanFar / (farFraction * meanFar + (1 - farFraction) * meanCycles);
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

    /**
     * @return a time offset for the initial population, drawn from the stationary mix: far events
     *     with their residual life (about uniform over the far range), near events geometric
     *     (memoryless, so their residual life has the same law)
     */
    long initialPs() {
        if (initRng.nextDouble() < farShareOfPending) {
            return (1 + initRng.nextInt(FAR_MAX_CYCLES)) * PERIOD_PS;
        }
        return next();
    }

    long next() {
        long v = incrementsPs[next];
        next = (next + 1) & MASK;
        return v;
    }
}
