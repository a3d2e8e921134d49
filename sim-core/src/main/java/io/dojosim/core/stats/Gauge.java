package io.dojosim.core.stats;

import java.util.Map;
import java.util.function.DoubleSupplier;

/** A value computed when a snapshot is taken (for example a ratio derived from other state). */
public final class Gauge extends Stat {
    private final DoubleSupplier supplier;

    public Gauge(String name, Unit unit, String description, DoubleSupplier supplier) {
        super(name, unit, description);
        this.supplier = supplier;
    }

    @Override
    public void reset(long nowPs) {
        // derived: nothing to clear
    }

    @Override
    public Map<String, Object> values(long nowPs) {
        return Map.of("value", supplier.getAsDouble());
    }
}
