package io.dojosim.core.engine;

/** The contract on the 4-ary heap. */
class QuaternaryHeapEventSetTest extends PendingEventSetContract {
    @Override
    PendingEventSet create() {
        return new QuaternaryHeapEventSet(16);
    }
}
