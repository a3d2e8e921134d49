package io.dojosim.cli.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed sweep spec: a base config file (optional), base overrides (the spec's {@code workload}
 * and {@code steps} are the overrides {@code run.workload} and {@code run.steps}) and axes. Keys and values are not checked against the parameter catalog yet: that is the
 * {@link SweepPlanner}'s job, before anything runs.
 *
 * @param file       the spec file
 * @param name       a title for tables and reports (the file's stem when not given)
 * @param baseConfig the config file the points start from, resolved against the spec's folder; null for defaults
 * @param set        base overrides applied to every point, in order
 * @param axes       the axes; the points are their cartesian product, the last axis varying fastest; an
 *                   {@link #OVERLAY} axis layers a config file on the base (after the base file, before
 *                   {@code set} and the other axes)
 * @param crossCheck each point runs as {@code dojosim run --cross-check} (spec key {@code crossCheck: true}, or
 *                   {@code dojosim sweep --cross-check}): its summary and the results carry the bands (ADR 0107)
 */
public record SweepSpec(Path file, String name, Path baseConfig, List<Assignment> set, List<Axis> axes, boolean crossCheck) {
    /**
     * The axis name of config files layered on the base config, one per point ({@code overlay:
     * [none, ../configs/whatif-2.5ghz.yaml]}); it is a column of the results, not a parameter.
     */
    public static final String OVERLAY = "overlay";
    /** The overlay value that means the base config alone. */
    public static final String NO_OVERLAY = "none";

    public SweepSpec {
        set = List.copyOf(set);
        axes = List.copyOf(axes);
    }

    /** A spec without cross-checks. */
    public SweepSpec(Path file, String name, Path baseConfig, List<Assignment> set, List<Axis> axes) {
        this(file, name, baseConfig, set, axes, false);
    }

    /** @return this spec with each point cross-checked ({@code dojosim sweep --cross-check}) */
    public SweepSpec withCrossCheck() {
        return new SweepSpec(file, name, baseConfig, set, axes, true);
    }

    /** @return how many points the axes make (1 with no axes) */
    public long pointCount() {
        long n = 1;
        for (Axis a : axes) {
            n *= a.size();
        }
        return n;
    }

    /**
     * One {@code key = value} with where it was written.
     *
     * @param origin file and line, for error messages and the resolved config's comments
     */
    public record Assignment(String key, Object raw, String origin) {
    }

    /**
     * An axis: one key (a plain axis) or several keys that vary together (a zipped axis).
     *
     * @param keys    the config keys
     * @param rows    the values, one row per position on the axis, one entry per key
     * @param origins where each key was written
     */
    public record Axis(List<String> keys, List<List<Object>> rows, List<String> origins) {
        public Axis {
            keys = List.copyOf(keys);
            rows = List.copyOf(rows);
            origins = List.copyOf(origins);
        }

        public int size() {
            return rows.size();
        }

        /** @return whether this axis layers config files rather than setting keys */
        public boolean isOverlay() {
            return keys.size() == 1 && keys.get(0).equals(OVERLAY);
        }
    }
}
