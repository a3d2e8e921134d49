package io.dojosim.core.engine;

import java.util.List;

/** The pending-event sets by the names the {@code sim.eventSet} parameter allows. */
public final class PendingEventSets {
    /** Allowed names: the chunked timing wheel (default), the linked timing wheel, the 4-ary heap. */
    public static final List<String> NAMES = List.of("wheel", "linkedwheel", "heap4");

    private PendingEventSets() {
    }

    /** @return a new, empty set of that name (see {@link #NAMES}) */
    public static PendingEventSet of(String name) {
        switch (name) {
            case "wheel":
                return new ChunkedTimingWheelEventSet();
            case "linkedwheel":
                return new TimingWheelEventSet();
            case "heap4":
                return new QuaternaryHeapEventSet();
            default:
                throw new IllegalArgumentException("no pending-event set named '" + name + "'; allowed: " + NAMES);
        }
    }
}
