package io.dojosim.cli.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares current results with a baseline, metric by metric and point by point.
 *
 * <p>A metric is within tolerance when {@code |current - baseline| <= tolerance * |baseline|}; a
 * baseline of exactly 0 needs a current value of exactly 0 (no relative change is defined). A
 * metric in the baseline but not in the results is {@code missing}, one in the results but not in
 * the baseline is {@code extra}: both fail, so the baseline is updated on purpose when the set of
 * metrics changes. A point whose status differs from the baseline's (for example it failed) fails.
 */
public final class Comparison {
    /** The verdict of one row. */
    public enum Verdict { OK, OUTSIDE, MISSING, EXTRA, STATUS }

    /**
     * One compared metric (or a point-level problem when {@code metric} is null).
     *
     * @param relative the relative change (current - baseline) / |baseline|, NaN when undefined
     */
    public record Row(String point, String metric, Number baseline, Number current, double relative, double tolerance, Verdict verdict,
                      String note) {
        /** @return a one-line explanation of a failing row */
        public String explain() {
            switch (verdict) {
                case OUTSIDE:
                    return metric + ": " + baseline + " -> " + current + " (" + pct(relative) + ", tolerance " + Tolerances.format(tolerance) + ")";
                case MISSING:
                    return metric == null ? "point missing from the results" : metric + ": in the baseline (" + baseline + ") but not in the results";
                case EXTRA:
                    return metric == null ? "point not in the baseline" : metric + ": new metric (" + current + "), not in the baseline";
                case STATUS:
                    return note;
                default:
                    return metric + ": " + current + " (" + pct(relative) + ")";
            }
        }
    }

    private final List<Row> rows;
    private final Map<String, Map<String, Object>> params;
    private final Map<String, StepTimeExplanation> why;

    private Comparison(List<Row> rows, Map<String, Map<String, Object>> params, Map<String, StepTimeExplanation> why) {
        this.rows = List.copyOf(rows);
        this.params = params;
        this.why = why;
    }

    public static Comparison compare(Results baseline, Results current, Tolerances tol) {
        List<Row> rows = new ArrayList<>();
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        Map<String, StepTimeExplanation> why = new LinkedHashMap<>();
        Set<String> ids = new LinkedHashSet<>(baseline.points().keySet());
        ids.addAll(current.points().keySet());
        for (String id : ids) {
            Results.Point b = baseline.points().get(id);
            Results.Point c = current.points().get(id);
            params.put(id, c != null ? c.params() : b.params());
            if (b == null) {
                rows.add(new Row(id, null, null, null, Double.NaN, 0, Verdict.EXTRA, "point not in the baseline"));
                continue;
            }
            if (c == null) {
                rows.add(new Row(id, null, null, null, Double.NaN, 0, Verdict.MISSING, "point missing from the results"));
                continue;
            }
            if (!b.status().equals(c.status())) {
                rows.add(new Row(id, null, null, null, Double.NaN, 0, Verdict.STATUS,
                        "status " + c.status() + " (baseline: " + b.status() + ")" + (c.error() == null ? "" : ": " + c.error())));
                continue;
            }
            Set<String> names = new LinkedHashSet<>(b.metrics().keySet());
            names.addAll(c.metrics().keySet());
            for (String m : names) {
                Number bv = b.metrics().get(m);
                Number cv = c.metrics().get(m);
                double t = tol.of(m);
                if (bv == null) {
                    rows.add(new Row(id, m, null, cv, Double.NaN, t, Verdict.EXTRA, null));
                } else if (cv == null) {
                    rows.add(new Row(id, m, bv, null, Double.NaN, t, Verdict.MISSING, null));
                } else {
                    double x = bv.doubleValue();
                    double y = cv.doubleValue();
                    double rel = x == 0 ? (y == 0 ? 0 : Double.POSITIVE_INFINITY * Math.signum(y)) : (y - x) / Math.abs(x);
                    boolean ok = Double.isNaN(x) ? Double.isNaN(y) : x == 0 ? y == 0 : Math.abs(y - x) <= t * Math.abs(x);
                    rows.add(new Row(id, m, bv, cv, rel, t, ok ? Verdict.OK : Verdict.OUTSIDE, null));
                    if (!ok && m.equals(StepTimeExplanation.STEP)) {
                        StepTimeExplanation e = StepTimeExplanation.of(b.metrics(), c.metrics());
                        if (e != null) why.put(id, e);
                    }
                }
            }
        }
        return new Comparison(rows, params, why);
    }

    public List<Row> rows() {
        return rows;
    }

    /** @return for each point whose step time moved outside tolerance, what moved it */
    public Map<String, StepTimeExplanation> explanations() {
        return java.util.Collections.unmodifiableMap(why);
    }

    /** @return the point ids in order, each with its parameters */
    public Map<String, Map<String, Object>> points() {
        return params;
    }

    public boolean passed() {
        return rows.stream().allMatch(r -> r.verdict() == Verdict.OK);
    }

    public long count(Verdict v) {
        return rows.stream().filter(r -> r.verdict() == v).count();
    }

    /** @return the diff table: every failing row, or every row with {@code all} */
    public String table(boolean all) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"point", "metric", "baseline", "current", "change", "tolerance", "status"});
        for (Row r : rows) {
            if (!all && r.verdict() == Verdict.OK) {
                continue;
            }
            cells.add(new String[] {r.point(), r.metric() == null ? "-" : r.metric(), r.baseline() == null ? "-" : r.baseline().toString(),
                    r.current() == null ? "-" : r.current().toString(), r.metric() == null || Double.isNaN(r.relative()) ? "-" : pct(r.relative()),
                    r.metric() == null ? "-" : Tolerances.format(r.tolerance()),
                    r.verdict() == Verdict.STATUS ? r.note() : r.verdict().name().toLowerCase(Locale.ROOT)});
        }
        if (cells.size() == 1) {
            return "";
        }
        int[] w = new int[7];
        for (String[] c : cells) {
            for (int i = 0; i < 6; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] c : cells) {
            for (int i = 0; i < 7; i++) {
                boolean number = i >= 2 && i <= 5;
                String s = c[i];
                if (i < 6) {
                    sb.append(number ? " ".repeat(w[i] - s.length()) + s : s + " ".repeat(w[i] - s.length())).append("  ");
                } else {
                    sb.append(s);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String pct(double rel) {
        if (Double.isInfinite(rel)) {
            return rel > 0 ? "+inf%" : "-inf%";
        }
        return String.format(Locale.ROOT, "%+.3f%%", rel * 100);
    }
}
