package io.dojosim.core.stats;

import java.util.Map;

/** A declared statistic: a hierarchical name, a unit and one line of description. */
public abstract class Stat {
    private final String name;
    private final Unit unit;
    private final String description;

    protected Stat(String name, Unit unit, String description) {
        this.name = name;
        this.unit = unit;
        this.description = description;
    }

    public final String name() {
        return name;
    }

    public final Unit unit() {
        return unit;
    }

    public final String description() {
        return description;
    }

    /** Clears the value at the end of warm-up. */
    public abstract void reset(long nowPs);

    /** @return the values to report, in a fixed order (for example {@code value}, or {@code mean}, {@code p99}) */
    public abstract Map<String, Object> values(long nowPs);
}
