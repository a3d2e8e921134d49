package io.dojosim.cli.check;

import io.dojosim.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Relative tolerances: a default and per-metric overrides by glob pattern ({@code *} any text,
 * {@code ?} one character), the first matching override winning. A tolerance is written
 * {@code 0.5%} or as a fraction {@code 0.005}.
 */
public final class Tolerances {
    /** The default when none is given: 0.5 %. */
    public static final double DEFAULT = 0.005;

    private final double defaultTolerance;
    private final List<Pattern> patterns = new ArrayList<>();
    private final List<String> globs = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();

    public Tolerances(double defaultTolerance) {
        this.defaultTolerance = defaultTolerance;
    }

    /** Adds an override; earlier ones win. */
    public Tolerances with(String glob, double tolerance) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        patterns.add(Pattern.compile(re.toString()));
        globs.add(glob);
        values.add(tolerance);
        return this;
    }

    /** @return the tolerance of a metric name */
    public double of(String metric) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matcher(metric).matches()) {
                return values.get(i);
            }
        }
        return defaultTolerance;
    }

    public double defaultTolerance() {
        return defaultTolerance;
    }

    /**
     * @param text  {@code 0.5%} or {@code 0.005}
     * @param where the option or file line, for the message
     */
    public static double parse(String text, String where) {
        String t = text.trim();
        boolean pct = t.endsWith("%");
        double v;
        try {
            v = Double.parseDouble(pct ? t.substring(0, t.length() - 1).trim() : t);
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ": tolerance '" + text + "' is not allowed; expected a percentage like 0.5% or a fraction like 0.005");
        }
        if (pct) {
            v /= 100;
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ConfigException(where + ": tolerance '" + text + "' is not allowed; it must be 0 or more");
        }
        return v;
    }

    /** @return the tolerance as a percentage text ({@code 0.5%}) */
    public static String format(double tolerance) {
        String s = String.format(Locale.ROOT, "%.6f", tolerance * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /** @return the overrides as glob to text, in order */
    public java.util.Map<String, String> overrides() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < globs.size(); i++) {
            m.put(globs.get(i), format(values.get(i)));
        }
        return m;
    }
}
