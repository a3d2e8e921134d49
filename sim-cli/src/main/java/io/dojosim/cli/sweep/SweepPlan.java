package io.dojosim.cli.sweep;

import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
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
    private final ResolvedConfig afterFile;
    private final Overlays overlays;

    /** Layers a config file on a config (the sweep command passes the config loader's file layer). */
    @FunctionalInterface
    public interface Overlays {
        ResolvedConfig apply(ResolvedConfig config, Path file);

        /** For callers without overlay files: an {@code overlay} axis is then an error. */
        Overlays NONE = (c, f) -> {
            throw new io.dojosim.core.config.ConfigException(f + ": overlay files are not read here");
        };
    }

    SweepPlan(SweepSpec spec, ResolvedConfig base, List<SweepPoint> points, Map<String, String> axisOrigins) {
        this(spec, base, points, axisOrigins, base, Overlays.NONE);
    }

    SweepPlan(SweepSpec spec, ResolvedConfig base, List<SweepPoint> points, Map<String, String> axisOrigins, ResolvedConfig afterFile,
            Overlays overlays) {
        this.spec = spec;
        this.base = base;
        this.points = List.copyOf(points);
        this.axisOrigins = Map.copyOf(axisOrigins);
        this.afterFile = afterFile;
        this.overlays = overlays;
    }

    /** @return the file an overlay axis value names, resolved against the spec's folder; null for {@code none} */
    public Path overlayFile(Object value) {
        String t = String.valueOf(value);
        if (t.equals(SweepSpec.NO_OVERLAY)) {
            return null;
        }
        Path dir = spec.file().toAbsolutePath().getParent();
        Path f = Path.of(t);
        return f.isAbsolute() || dir == null ? f : dir.resolve(f).normalize();
    }

    /** @return the base with the overlay file (if any) layered after the base file and before the spec's {@code set} */
    ResolvedConfig baseWith(Object overlay) {
        Path f = overlayFile(overlay);
        if (f == null) {
            return base;
        }
        ResolvedConfig c = overlays.apply(afterFile, f);
        for (SweepSpec.Assignment a : spec.set()) {
            c = c.with(a.key(), a.raw(), a.origin());
        }
        return c;
    }

    public SweepSpec spec() {
        return spec;
    }

    /** @return the same plan with another spec (the command line's {@code --cross-check} sets the spec's flag) */
    public SweepPlan withSpec(SweepSpec s) {
        return new SweepPlan(s, base, points, axisOrigins, afterFile, overlays);
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

    /**
     * @return the full config of a point: the base (with the point's overlay file, if the spec has
     * an overlay axis) and its axis values, each origin naming the spec line
     */
    public ResolvedConfig configOf(SweepPoint p) {
        ResolvedConfig c = p.params().containsKey(SweepSpec.OVERLAY) ? baseWith(p.params().get(SweepSpec.OVERLAY)) : base;
        for (Map.Entry<String, Object> e : p.params().entrySet()) {
            if (e.getKey().equals(SweepSpec.OVERLAY)) continue;
            c = c.with(e.getKey(), e.getValue(), axisOrigins.get(e.getKey()) + " (sweep axis, point " + p.id() + ")");
        }
        return c;
    }
}
