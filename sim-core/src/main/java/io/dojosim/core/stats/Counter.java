package io.dojosim.core.stats;

import java.util.Map;

/** A {@code long} counter. */
public final class Counter extends Stat {
    private long value;

    public Counter(String name, Unit unit, String description) {
        super(name, unit, description);
    }

    public void inc() {
        value++;
    }

    public void add(long n) {
        value += n;
    }

    public long get() {
        return value;
    }

    @Override
    public void reset(long nowPs) {
        value = 0;
    }

    @Override
    public Map<String, Object> values(long nowPs) {
        return Map.of("value", value);
    }
}
