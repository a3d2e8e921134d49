package io.dojosim.core.config;

/** Invariant checks for parameter records: a failed check is a user's mistake, never our bug. */
public final class Check {
    private Check() {
    }

    /** @throws ConfigException with the message when the condition is false */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new ConfigException(message);
        }
    }

    /**
     * @return {@code a * b}
     * @throws ConfigException naming {@code what} when the product leaves the range of a long
     */
    public static long multiplyExact(long a, long b, String what) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        throw new ConfigException(what + ": " + a + " x " + b + " overflows 64-bit arithmetic; allowed: a product of at most "
                + Long.MAX_VALUE);
    }

    /**
     * @return {@code a + b}
     * @throws ConfigException naming {@code what} when the sum leaves the range of a long
     */
    public static long addExact(long a, long b, String what) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new ConfigException(what + ": " + a + " + " + b + " overflows 64-bit arithmetic; allowed: a sum of at most "
                    + Long.MAX_VALUE);
        }
        return r;
    }
}
