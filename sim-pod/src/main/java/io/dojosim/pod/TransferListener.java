package io.dojosim.pod;

/** Told when a transfer's last byte has arrived at its destination. */
@FunctionalInterface
public interface TransferListener {
    /**
     * @param nowPs the arrival time
     * @param tag   the caller's tag given when the transfer was started (index its own arrays with it)
     */
    void transferDone(long nowPs, long tag);
}
