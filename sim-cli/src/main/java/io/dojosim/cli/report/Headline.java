package io.dojosim.cli.report;

import io.dojosim.cli.files.JsonTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first screen of a run report: the headline figures (step time, samples per second, MFU,
 * achieved against peak TFLOPS, energy per step and average power, the plan) and where the
 * step's time goes (compute and communication busy, communication left exposed, HBM streaming,
 * the stages' idle share, compute lost to imbalance between a region's chips, then each
 * operation class), read from summary.json. Missing keys are left out, never invented.
 *
 * <p>Caveats: the classes' busy times overlap (several streams), so they need not add up to the
 * step time; the summary has exposed communication as one figure, not per link level.
 */
final class Headline {
    private Headline() {
    }

    /** @return [label, text] pairs, most important first */
    static List<Object> figures(Map<String, Object> s) {
        List<Object> out = new ArrayList<>();
        if (s.get("stepTimeSeconds") instanceof Number n) out.add(List.of("step time", seconds(n.doubleValue())));
        if (s.get("samplesPerSecond") instanceof Number n && n.doubleValue() > 0) {
            out.add(List.of("samples / s", String.format(Locale.ROOT, "%,.0f", n.doubleValue())));
        }
        if (s.get("tokensPerSecond") instanceof Number n && n.doubleValue() > 0) {
            out.add(List.of("tokens / s", String.format(Locale.ROOT, "%,.0f", n.doubleValue())));
        }
        if (s.get("mfu") instanceof Number n) out.add(List.of("MFU", String.format(Locale.ROOT, "%.2f %%", n.doubleValue() * 100)));
        if (s.get("achievedTflops") instanceof Number a) {
            String peak = s.get("peakTflops") instanceof Number p ? String.format(Locale.ROOT, " of %,.0f", p.doubleValue()) : "";
            out.add(List.of("TFLOPS achieved", String.format(Locale.ROOT, "%,.0f", a.doubleValue()) + peak));
        }
        if (s.get("energy") instanceof Map<?, ?> e && e.get("joulesPerStep") instanceof Number j) {
            String watts = e.get("averageWatts") instanceof Map<?, ?> w && w.get("system") instanceof Number sw
                    ? String.format(Locale.ROOT, ", %.2f kW", sw.doubleValue() / 1e3) : "";
            out.add(List.of("energy / step", String.format(Locale.ROOT, "%.2f J", j.doubleValue()) + watts));
        }
        if (s.get("plan") instanceof Map<?, ?> p && p.get("dataParallel") instanceof Number dp) {
            Map<String, Object> plan = JsonTree.object(p);
            StringBuilder t = new StringBuilder(dp + " replicas");
            if (plan.get("replicaChips") instanceof Number rc) t.append(" x ").append(rc).append(" chips");
            if (plan.get("pipelineStages") instanceof Number st && st.longValue() > 1) {
                t.append(", ").append(st).append(" stages");
                if (plan.get("microBatches") instanceof Number mb) t.append(" x ").append(mb).append(" micro-batches");
                if (plan.get("pipelineSchedule") != null) t.append(" (").append(plan.get("pipelineSchedule")).append(')');
            }
            out.add(List.of("plan", t.toString()));
        }
        return out;
    }

    /** @return [label, seconds] pairs: the step's split, then each operation class by busy time, largest first */
    static List<Object> breakdown(Map<String, Object> s) {
        List<Object> out = new ArrayList<>();
        String[][] split = {{"computeSeconds", "compute busy"}, {"communicationSeconds", "communication busy"},
                {"exposedCommunicationSeconds", "communication exposed"}, {"memorySeconds", "HBM streaming"}};
        for (String[] k : split) {
            if (s.get(k[0]) instanceof Number n && n.doubleValue() > 0) out.add(List.of(k[1], n.doubleValue()));
        }
        if (s.get("plan") instanceof Map<?, ?> p && p.get("stageIdleFraction") instanceof Number f && s.get("stepTimeSeconds") instanceof Number st
                && f.doubleValue() > 0) {
            out.add(List.of("stage idle (bubbles)", f.doubleValue() * st.doubleValue()));
        }
        if (s.get("computeLimitedBy") instanceof Map<?, ?> lim && lim.get("imbalance") instanceof Number im && im.doubleValue() > 0) {
            out.add(List.of("compute lost to imbalance", im.doubleValue()));
        }
        if (s.get("timeByOpType") instanceof Map<?, ?> m) {
            List<Map.Entry<String, Object>> ops = new ArrayList<>((JsonTree.object(m)).entrySet());
            ops.removeIf(e -> !(e.getValue() instanceof Number n) || n.doubleValue() <= 0);
            ops.sort((a, b) -> Double.compare(((Number) b.getValue()).doubleValue(), ((Number) a.getValue()).doubleValue()));
            for (Map.Entry<String, Object> e : ops) out.add(List.of("op " + e.getKey(), ((Number) e.getValue()).doubleValue()));
        }
        return out;
    }

    static String seconds(double s) {
        double a = Math.abs(s);
        if (a >= 1) return String.format(Locale.ROOT, "%.3f s", s);
        if (a >= 1e-3) return String.format(Locale.ROOT, "%.3f ms", s * 1e3);
        return String.format(Locale.ROOT, "%.3f us", s * 1e6);
    }
}
