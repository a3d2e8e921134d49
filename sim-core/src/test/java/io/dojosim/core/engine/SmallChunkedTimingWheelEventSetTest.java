package io.dojosim.core.engine;

/** The contract on a small chunked wheel (64 buckets of 250 ps): overflow and wrap-around all the time. */
class SmallChunkedTimingWheelEventSetTest extends PendingEventSetContract {
    @Override
    PendingEventSet create() {
        return new ChunkedTimingWheelEventSet(250, 64);
    }
}
