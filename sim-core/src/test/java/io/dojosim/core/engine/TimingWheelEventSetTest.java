package io.dojosim.core.engine;

/** The contract on the default timing wheel (100 ps buckets, 65,536 of them). */
class TimingWheelEventSetTest extends PendingEventSetContract {
    @Override
    PendingEventSet create() {
        return new TimingWheelEventSet();
    }
}
