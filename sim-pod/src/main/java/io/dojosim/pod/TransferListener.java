package io.dojosim.pod;

/**
 * Told when a transfer's last byte has arrived at its destination and, optionally, earlier, when
 * its last byte has left its source ({@link #transferInjected}).
 */
@FunctionalInterface
public interface TransferListener {
    /**
     * @param nowPs the arrival time
     * @param tag   the caller's tag given when the transfer was started (index its own arrays with it)
     */
    void transferDone(long nowPs, long tag);

    /**
     * The transfer's last byte has left its source (it still has the route's latency to go): the
     * sender's link is free for its next transfer. Called once per transfer, at or after its start
     * and always before {@link #transferDone} of the same transfer; a transfer with nothing to
     * send (zero bytes, or no link) is injected when it starts. The default ignores it.
     *
     * @param nowPs the time the last byte left
     * @param tag   the caller's tag given when the transfer was started
     */
    default void transferInjected(long nowPs, long tag) {
    }
}
