package io.dojosim.core.engine;

/**
 * Receives events. Events carry primitives only ({@code kind} and {@code arg}) so that scheduling
 * allocates nothing; a handler that needs more state keeps it in its own arrays, indexed by
 * {@code arg}.
 */
@FunctionalInterface
public interface EventHandler {
    /**
     * @param nowPs the simulated time of the event
     * @param kind  a small code chosen by the scheduler of the event
     * @param arg   a payload chosen by the scheduler of the event
     */
    void onEvent(long nowPs, int kind, long arg);
}
