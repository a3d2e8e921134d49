package io.dojosim.pod.defect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Straggler pacing of a synchronous training step: a slow chip stretches every compute operation
 * of the stage region it belongs to by its slowdown, and since every step of every replica ends in
 * synchronous collectives (the data-parallel all-reduce, the pipeline's hand-offs, the
 * tensor-parallel exchanges), every member waits for the slowest. The step then lasts
 *
 * <pre>
 *   step' = step + (s_max - 1) x computeSeconds        s_max: the largest slowdown of a chip in use
 * </pre>
 * and the system draws its static power for the added time while the dynamic energy of the step
 * (the same operations) is unchanged.
 *
 * <p>Caveats: applied to the simulated step's totals, not inside the simulation: compute that
 * overlapped communication is stretched as if it were on the critical path (an upper bound), and
 * a slow chip that the plan leaves idle still counts.
 */
public final class Straggler {
    private Straggler() {
    }

    /**
     * @return a copy of the summary with step time, rates, MFU and the energy block restated for a
     * slowest member of slowdown {@code s} (the summary itself when {@code s <= 1}), and a
     * {@code straggler} block saying what was added
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> pace(Map<String, Object> summary, double s) {
        if (s <= 1.0) {
            return summary;
        }
        Map<String, Object> out = new LinkedHashMap<>(summary);
        double step = ((Number) summary.get("stepTimeSeconds")).doubleValue();
        double compute = ((Number) summary.get("computeSeconds")).doubleValue();
        double paced = step + (s - 1.0) * compute;
        double r = step / paced;
        out.put("stepTimeSeconds", paced);
        for (String k : new String[] {"samplesPerSecond", "tokensPerSecond", "achievedTflops", "mfu"}) {
            if (summary.get(k) instanceof Number n) out.put(k, n.doubleValue() * r);
        }
        out.put("computeSeconds", compute * s);
        if (summary.get("energy") instanceof Map<?, ?> e0) {
            Map<String, Object> e = new LinkedHashMap<>((Map<String, Object>) e0);
            Map<String, Object> byClass = new LinkedHashMap<>((Map<String, Object>) e.get("byClass"));
            Map<String, Object> byLevel = new LinkedHashMap<>((Map<String, Object>) e.get("byLevel"));
            double joules = ((Number) e.get("joulesPerStep")).doubleValue();
            double delivery = ((Number) byClass.get("delivery")).doubleValue();
            double overhead = joules - delivery > 0 ? joules / (joules - delivery) : 1.0;
            double dt = paced - step;
            // every level draws its static power for the added time; the delivery overhead on top
            double addedStatic = 0;
            for (Map.Entry<String, Object> w : ((Map<String, Object>) e.get("staticWattsByLevel")).entrySet()) {
                double j = ((Number) w.getValue()).doubleValue() * dt;
                byLevel.put(w.getKey(), ((Number) byLevel.get(w.getKey())).doubleValue() + j);
                addedStatic += j;
            }
            double addedDelivery = addedStatic * (overhead - 1.0);
            byClass.put("static", ((Number) byClass.get("static")).doubleValue() + addedStatic);
            byClass.put("delivery", delivery + addedDelivery);
            byLevel.put("delivery", ((Number) byLevel.get("delivery")).doubleValue() + addedDelivery);
            double newJoules = joules + addedStatic + addedDelivery;
            Map<String, Object> watts = new LinkedHashMap<>((Map<String, Object>) e.get("averageWatts"));
            e.put("byClass", byClass);
            e.put("byLevel", byLevel);
            e.put("joulesPerStep", newJoules);
            watts.put("system", newJoules / paced);
            Map<?, ?> idle = (Map<?, ?>) e.get("staticWattsByLevel");
            Map<?, ?> sys = (Map<?, ?>) summary.get("system");
            double tiles = ((Number) sys.get("tiles")).doubleValue();
            double chips = ((Number) sys.get("chips")).doubleValue();
            double dieIdle = ((Number) idle.get("node")).doubleValue() + ((Number) idle.get("chip")).doubleValue();
            double tileIdle = (dieIdle + ((Number) idle.get("tile")).doubleValue()) * overhead / tiles;
            watts.put("perTile", (((Number) watts.get("perTile")).doubleValue() * step + tileIdle * dt) / paced);
            watts.put("perChip", (((Number) watts.get("perChip")).doubleValue() * step + dieIdle / chips * dt) / paced);
            e.put("averageWatts", watts);
            double samplesPerStep = ((Number) ((Map<?, ?>) summary.get("workload")).get("samplesPerStep")).doubleValue();
            double flops = ((Number) summary.get("modeledFlops")).doubleValue();
            e.put("samplesPerJoule", samplesPerStep / newJoules);
            e.put("gflopsPerWatt", flops / newJoules / 1e9);
            out.put("energy", e);
        }
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("maxSlowdown", s);
        st.put("addedSeconds", paced - step);
        out.put("straggler", st);
        return out;
    }

}
