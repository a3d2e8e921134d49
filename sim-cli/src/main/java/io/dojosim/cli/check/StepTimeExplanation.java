package io.dojosim.cli.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why a point's step time moved, read from the metrics a baseline keeps: the operation classes'
 * time ({@code timeByOpType.*}, busy time summed over the step's streams), what limited compute
 * ({@code computeLimitedBy.*}), communication and the share of it left exposed, HBM streaming,
 * the pipeline's idle share, the mean utilization of each link level ({@code utilization.*}) and
 * the plan ({@code plan.*}: data-parallel width, stages, micro-batches, ...).
 *
 * <p>Each row is one metric that moved, with its change; within a section the largest change in
 * seconds comes first. A plan that did not change is one row saying so, since a changed plan is
 * the first thing to rule out.
 *
 * <p>Caveats: the baseline holds summary metrics only, so the op-class times are summed over all
 * streams rather than taken along the critical path, and exposed communication is the step's
 * total, not split by link level (the link levels' utilization changes stand in for that split).
 */
public final class StepTimeExplanation {
    /** The metric this explains. */
    public static final String STEP = "stepTimeSeconds";
    /** Smallest relative change of a metric that earns a row. */
    static final double MIN_RELATIVE = 1e-4;

    /**
     * One row of the explanation.
     *
     * @param section  what kind of cause ("op class", "compute limited by", "step split", "link level", "node pipes", "plan")
     * @param item     the metric's short name
     * @param unit     "s", "ratio" or "" (a count)
     */
    public record Row(String section, String item, String unit, double baseline, double current) {
        public double delta() {
            return current - baseline;
        }
    }

    private final double baseStep;
    private final double curStep;
    private final List<Row> rows;

    private StepTimeExplanation(double baseStep, double curStep, List<Row> rows) {
        this.baseStep = baseStep;
        this.curStep = curStep;
        this.rows = List.copyOf(rows);
    }

    /** @return the explanation, or null when either side has no step time */
    public static StepTimeExplanation of(Map<String, Number> baseline, Map<String, Number> current) {
        Number b = baseline.get(STEP);
        Number c = current.get(STEP);
        if (b == null || c == null) {
            return null;
        }
        List<Row> rows = new ArrayList<>();
        section(rows, "op class", "timeByOpType.", "s", baseline, current);
        section(rows, "compute limited by", "computeLimitedBy.", "s", baseline, current);
        for (String[] m : new String[][] {{"computeSeconds", "compute busy", "s"},
                {"communicationSeconds", "communication busy", "s"}, {"exposedCommunicationSeconds", "communication exposed (all levels)", "s"},
                {"memorySeconds", "HBM streaming", "s"}, {"plan.stageIdleFraction", "stage idle (bubbles, stalls)", "ratio"}}) {
            add(rows, "step split", m[1], m[2], baseline.get(m[0]), current.get(m[0]));
        }
        section(rows, "link level", "utilization.", "ratio", baseline, current, false);
        section(rows, "node pipes", "utilization.", "ratio", baseline, current, true);
        List<Row> plan = new ArrayList<>();
        for (Map.Entry<String, Number> e : baseline.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("plan.") && !k.equals("plan.stageIdleFraction") && !k.equals("plan.estimatedStepSeconds")) {
                Number cv = current.get(k);
                if (cv != null && cv.doubleValue() != e.getValue().doubleValue()) {
                    plan.add(new Row("plan", k.substring(5), "", e.getValue().doubleValue(), cv.doubleValue()));
                }
            }
        }
        rows.addAll(plan);
        StepTimeExplanation x = new StepTimeExplanation(b.doubleValue(), c.doubleValue(), rows);
        return x;
    }

    private static void section(List<Row> rows, String section, String prefix, String unit, Map<String, Number> b, Map<String, Number> c) {
        section(rows, section, prefix, unit, b, c, null);
    }

    /** @param nodes null: every key under the prefix; true: only node pipes ({@code utilization.node*}); false: all but those */
    private static void section(List<Row> rows, String section, String prefix, String unit, Map<String, Number> b, Map<String, Number> c,
            Boolean nodes) {
        List<Row> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>();
        java.util.Set<String> all = new java.util.TreeSet<>(b.keySet());
        all.addAll(c.keySet());
        for (String k : all) {
            if (k.startsWith(prefix) && (nodes == null || nodes == k.startsWith("utilization.node"))) keys.add(k);
        }
        for (String k : keys) {
            add(out, section, k.substring(prefix.length()), unit, b.get(k), c.get(k));
        }
        out.sort(Comparator.comparingDouble((Row r) -> -Math.abs(r.delta())).thenComparing(Row::item));
        rows.addAll(out);
    }

    private static void add(List<Row> out, String section, String item, String unit, Number b, Number c) {
        double x = b == null ? 0 : b.doubleValue();
        double y = c == null ? 0 : c.doubleValue();
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return;
        }
        double scale = Math.max(Math.abs(x), Math.abs(y));
        if (scale == 0 || Math.abs(y - x) <= MIN_RELATIVE * scale) {
            return;
        }
        out.add(new Row(section, item, unit, x, y));
    }

    public List<Row> rows() {
        return rows;
    }

    /** @return whether the plan changed (a {@code plan} row exists) */
    public boolean planChanged() {
        return rows.stream().anyMatch(r -> r.section().equals("plan"));
    }

    /** @return the one-line headline: the step time's change */
    public String headline() {
        return String.format(Locale.ROOT, "step time %s -> %s (%s, %s)", time(baseStep), time(curStep), signedTime(curStep - baseStep),
                Comparison.pct(baseStep == 0 ? 0 : (curStep - baseStep) / Math.abs(baseStep)));
    }

    /** @return the cells of the table, header first: section, what, baseline, current, change, relative */
    public List<String[]> cells() {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"cause", "what", "baseline", "current", "change", "relative"});
        for (Row r : rows) {
            double rel = r.baseline() == 0 ? Double.POSITIVE_INFINITY * Math.signum(r.delta()) : r.delta() / Math.abs(r.baseline());
            cells.add(new String[] {r.section(), r.item(), value(r.unit(), r.baseline()), value(r.unit(), r.current()), change(r.unit(), r.delta()),
                    Comparison.pct(rel)});
        }
        if (!planChanged()) {
            cells.add(new String[] {"plan", "unchanged", "-", "-", "-", "-"});
        }
        return cells;
    }

    /** @return the headline and the table as plain text */
    public String text() {
        List<String[]> cells = cells();
        int[] w = new int[6];
        for (String[] c : cells) {
            for (int i = 0; i < 6; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder("why the step time moved: ").append(headline()).append('\n');
        for (String[] c : cells) {
            sb.append("  ");
            for (int i = 0; i < 6; i++) {
                boolean number = i >= 2;
                String pad = " ".repeat(w[i] - c[i].length());
                sb.append(number ? pad + c[i] : c[i] + pad);
                if (i < 5) sb.append("  ");
            }
            int end = sb.length();
            while (end > 0 && sb.charAt(end - 1) == ' ') end--;
            sb.setLength(end);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String value(String unit, double v) {
        switch (unit) {
            case "s": return time(v);
            case "ratio": return String.format(Locale.ROOT, "%.2f %%", v * 100);
            default: return v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) v) : String.valueOf(v);
        }
    }

    private static String change(String unit, double d) {
        switch (unit) {
            case "s": return signedTime(d);
            case "ratio": return String.format(Locale.ROOT, "%+.2f pt", d * 100);
            default: return d == Math.rint(d) ? String.format(Locale.ROOT, "%+d", (long) d) : String.format(Locale.ROOT, "%+g", d);
        }
    }

    static String time(double s) {
        double a = Math.abs(s);
        if (a >= 1) return String.format(Locale.ROOT, "%.3f s", s);
        if (a >= 1e-3) return String.format(Locale.ROOT, "%.3f ms", s * 1e3);
        return String.format(Locale.ROOT, "%.3f us", s * 1e6);
    }

    private static String signedTime(double s) {
        return (s >= 0 ? "+" : "-") + time(Math.abs(s));
    }
}
