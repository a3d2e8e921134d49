package io.dojosim.core.engine;

/**
 * The contract on a deliberately small wheel (64 buckets of 250 ps, a 16 ns horizon), so that
 * overflow, wrap-around and buckets holding several distinct times are exercised all the time.
 */
class SmallTimingWheelEventSetTest extends PendingEventSetContract {
    @Override
    PendingEventSet create() {
        return new TimingWheelEventSet(250, 64);
    }
}
