package io.dojosim.core.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Busy time over a window: the window opens at construction or at the last reset and closes at
 * the snapshot time. Busy intervals are added as durations ({@link #addBusy}) or opened and closed
 * ({@link #begin}/{@link #end}); an interval still open at a snapshot counts up to the snapshot.
 */
public final class Utilization extends Stat {
    private long windowStartPs;
    private long busyPs;
    private long openSincePs = -1;

    public Utilization(String name, String description, long nowPs) {
        super(name, Unit.RATIO, description);
        this.windowStartPs = nowPs;
    }

    public void addBusy(long durationPs) {
        busyPs += durationPs;
    }

    public void begin(long nowPs) {
        if (openSincePs < 0) {
            openSincePs = nowPs;
        }
    }

    public void end(long nowPs) {
        if (openSincePs >= 0) {
            busyPs += nowPs - openSincePs;
            openSincePs = -1;
        }
    }

    public long busyPs(long nowPs) {
        return busyPs + (openSincePs >= 0 ? nowPs - Math.max(openSincePs, windowStartPs) : 0);
    }

    public double ratio(long nowPs) {
        long window = nowPs - windowStartPs;
        return window <= 0 ? 0.0 : (double) busyPs(nowPs) / window;
    }

    @Override
    public void reset(long nowPs) {
        windowStartPs = nowPs;
        busyPs = 0;
        if (openSincePs >= 0) {
            openSincePs = nowPs;
        }
    }

    @Override
    public Map<String, Object> values(long nowPs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", ratio(nowPs));
        m.put("busyPs", busyPs(nowPs));
        m.put("windowPs", nowPs - windowStartPs);
        return m;
    }
}
