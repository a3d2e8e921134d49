package io.dojosim.core.engine;

/** The contract on the chunked timing wheel (default size). */
class ChunkedTimingWheelEventSetTest extends PendingEventSetContract {
    @Override
    PendingEventSet create() {
        return new ChunkedTimingWheelEventSet();
    }
}
