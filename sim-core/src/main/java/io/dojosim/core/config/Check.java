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
}
