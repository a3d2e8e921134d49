package io.dojosim.core.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A distribution of non-negative {@code long} samples in an HdrHistogram (3 significant digits,
 * auto-resizing), with an exact mean and maximum kept beside it.
 */
public final class Distribution extends Stat {
    private final Histogram histogram = new Histogram(3);
    private long count;
    private long sum;
    private long max;
    private long min = Long.MAX_VALUE;

    public Distribution(String name, Unit unit, String description) {
        super(name, unit, description);
        histogram.setAutoResize(true);
    }

    public void record(long sample) {
        if (sample < 0) {
            throw new IllegalArgumentException(name() + ": negative sample " + sample);
        }
        histogram.recordValue(sample);
        count++;
        sum += sample;
        if (sample > max) max = sample;
        if (sample < min) min = sample;
    }

    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? 0.0 : (double) sum / count;
    }

    public long max() {
        return max;
    }

    public long min() {
        return count == 0 ? 0 : min;
    }

    /**
     * @return the value at the given percentile (0 to 100), to HdrHistogram's precision, kept within
     * the exact minimum and maximum (a bucket's upper edge can pass the largest sample: with one
     * sample, p50 and p99 would otherwise exceed the max)
     */
    public long percentile(double p) {
        return count == 0 ? 0 : Math.max(min, Math.min(max, histogram.getValueAtPercentile(p)));
    }

    /** @return the underlying histogram, for reports that draw it */
    public Histogram histogram() {
        return histogram;
    }

    @Override
    public void reset(long nowPs) {
        histogram.reset();
        count = 0;
        sum = 0;
        max = 0;
        min = Long.MAX_VALUE;
    }

    @Override
    public Map<String, Object> values(long nowPs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("mean", mean());
        m.put("min", min());
        m.put("p50", percentile(50));
        m.put("p99", percentile(99));
        m.put("max", max);
        return m;
    }
}
