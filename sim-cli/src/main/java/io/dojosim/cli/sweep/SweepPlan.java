package io.dojosim.cli.sweep;

import io.dojosim.core.config.ResolvedConfig;
import java.util.List;
import java.util.Map;

/**
 * A checked, expanded sweep: the base config (file and base overrides applied), the points in
 * order, and where each axis key was written. Every point's config has passed the catalog's
 * checks and the cross-parameter checks before anything runs.
 */
public final class SweepPlan {
    private final SweepSpec spec;
    private final ResolvedConfig base;
    private final List<SweepPoint> points;
    private final Map<String, String> axisOrigins;

    SweepPlan(SweepSpec spec, ResolvedConfig base, List<SweepPoint> points, Map<String, String> axisOrigins) {
        this.spec = spec;
        this.base = base;
        this.points = List.copyOf(points);
        this.axisOrigins = Map.copyOf(axisOrigins);
    }

    public SweepSpec spec() {
        return spec;
    }

    public ResolvedConfig base() {
        return base;
    }

    public List<SweepPoint> points() {
        return points;
    }

    /** @return every axis key in axis order (zipped keys one after another) */
    public List<String> axisKeys() {
        return spec.axes().stream().flatMap(a -> a.keys().stream()).toList();
    }

    /** @return the full config of a point: the base with its axis values, each origin naming the spec line */
    public ResolvedConfig configOf(SweepPoint p) {
        ResolvedConfig c = base;
        for (Map.Entry<String, Object> e : p.params().entrySet()) {
            c = c.with(e.getKey(), e.getValue(), axisOrigins.get(e.getKey()) + " (sweep axis, point " + p.id() + ")");
        }
        return c;
    }
}
