package io.dojosim.pod.check;

import io.dojosim.core.engine.Workers;
import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.pod.step.D1RegionCompute;
import io.dojosim.pod.step.StepSummary;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dojosim run --cross-check}: re-simulates the step of a run at the next finer fidelity of
 * each coarse model it used, in the same process and with the same plan, and states each headline
 * figure as value plus or minus the measured difference (issue 16, ADR 0100).
 *
 * <pre>
 *   compute  calibrated or roofline  ->  sim-d1's cycle-level chip on the 2 largest distinct
 *                                        compute operations (relative difference applied to compute)
 *   network  flow (coarse chips)     ->  a 4 MiB transfer chip 0 -> chip 1 on packet meshes against
 *                                        the flow model (ratio applied to communication)
 * </pre>
 *
 * The band of a figure is the sum over the checks of |finer - value|: each check moves one model
 * to its finer fidelity, so their differences add up to a conservative band.
 *
 * <p>Caveats: both checks sample (a whole step with chip 0 on a packet mesh took minutes on the
 * ResNet-50 tile step, cycle compute fidelity 39 CPU s against 4): the compute check applies the
 * largest operations' relative difference to the whole compute time, the network check one
 * neighbour transfer's ratio to all communication (turning and column traffic differ more,
 * docs/validation.md); a model already at its finest fidelity is not checked; collectives are
 * checked through the network check only (they run on the same transport).
 */
public final class CrossCheck {
    private CrossCheck() {
    }

    /** Headline figures of summary.json that carry a band: key, label. */
    private static final String[][] FIGURES = {
            {"stepTimeSeconds", "step time"}, {"samplesPerSecond", "samples/s"}, {"computeSeconds", "compute"},
            {"communicationSeconds", "communication"}, {"exposedCommunicationSeconds", "exposed communication"}, {"mfu", "MFU"}};

    /** @return the headline figure {@code key} of {@link #FIGURES} from the summary */
    private static double figure(StepSummary s, String key) {
        return switch (key) {
            case "stepTimeSeconds" -> s.stepTimeSeconds();
            case "samplesPerSecond" -> s.samplesPerSecond();
            case "computeSeconds" -> s.computeSeconds();
            case "communicationSeconds" -> s.communicationSeconds();
            case "exposedCommunicationSeconds" -> s.exposedCommunicationSeconds();
            case "mfu" -> s.mfu();
            default -> throw new IllegalArgumentException(key);
        };
    }

    /**
     * The systems compared, bound at the edge ({@link io.dojosim.pod.bind.CrossCheckBinding}).
     *
     * @param run    the run's system, plan pinned
     * @param meshed the same with the first tile's chips on packet meshes
     */
    public record Systems(io.dojosim.pod.spec.SystemSpec run, io.dojosim.pod.spec.SystemSpec meshed) {
    }

    /** One finer re-simulation: what it changed, and the headline figures it gave. */
    public record Check(String model, String from, String to, Map<String, Double> figures, double wallSeconds) {
    }

    /** A headline figure with its band: value +- band (band = sum over checks of |finer - value|). */
    public record Figure(String key, String label, double value, double band) {
        /** @return band / |value|, 0 for a zero value */
        public double relativeBand() {
            return value == 0 ? 0 : band / Math.abs(value);
        }
    }

    /** The {@code crossCheck} block of summary.json. */
    public record Result(List<Check> checks, List<Figure> figures, List<String> skipped) {
        public Result {
            checks = List.copyOf(checks);
            figures = List.copyOf(figures);
            skipped = List.copyOf(skipped);
        }

        /** How the bands were measured, as summary.json states it. */
        public static final String METHOD = "each check re-simulates the step with one model at its next finer fidelity;"
                + " band = sum of |finer - value| (docs/adr/0100-cross-check.md)";
    }

    /**
     * Runs the checks.
     *
     * @param systems the run's system (plan pinned, as the run was simulated) and its meshed variant
     * @param w       the workload the run simulated
     * @param summary the run's summary (headline figures read from it)
     * @param workers host threads for the finer models (null: the calling thread)
     */
    public static Result run(Systems systems, Workload w, StepSummary summary, Workers workers) {
        if (workers == null) workers = Workers.single();
        List<Check> checks = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String compute = systems.run().run().computeFidelity().name().toLowerCase(java.util.Locale.ROOT);
        if (!"cycle".equals(compute)) {
            checks.add(computeCheck(systems.run(), w, summary, compute));
        } else {
            skipped.add("compute: already at cycle fidelity");
        }
        String chips = systems.run().coarse().chipFidelity().name().toLowerCase(java.util.Locale.ROOT);
        if ("flow".equals(chips)) {
            checks.add(networkCheck(systems, summary));
        } else {
            skipped.add("network: chips already on " + chips + " meshes");
        }
        List<Figure> figures = new ArrayList<>();
        for (String[] f : FIGURES) {
            double v = figure(summary, f[0]);
            double band = 0;
            for (Check c : checks) {
                Double fine = c.figures().get(f[0]);
                if (fine != null) band += Math.abs(fine - v);
            }
            figures.add(new Figure(f[0], f[1], v, band));
        }
        return new Result(checks, figures, skipped);
    }

    /** Compute operations re-timed at cycle fidelity: the largest distinct ones, by FLOPs. */
    public static final int SAMPLED_OPERATIONS = 2;

    /**
     * Times the {@link #SAMPLED_OPERATIONS} largest distinct compute operations of the workload on
     * the plan's stage chips with the run's compute model and with sim-d1's cycle-level chip; the
     * relative difference of their summed busy time is applied to the run's compute time, and the
     * step time and the rates take it in full (as if all compute were on the critical path).
     */
    private static Check computeCheck(io.dojosim.pod.spec.SystemSpec spec, Workload w, StepSummary summary, String compute) {
        long t0 = System.nanoTime();
        ChipComputeModel.Fidelity f = "roofline".equals(compute) ? ChipComputeModel.Fidelity.ROOFLINE : ChipComputeModel.Fidelity.CALIBRATED;
        D1RegionCompute coarse = new D1RegionCompute(new ChipComputeModel(spec.chipSim(), spec.run().simulateCalibrationMisses()), f);
        D1RegionCompute fine = new D1RegionCompute(new ChipComputeModel(spec.chipSim()), ChipComputeModel.Fidelity.CYCLE);
        int chips = Math.max(1, summary.plan().stageChips());
        int micro = Math.max(1, summary.plan().microBatches());
        List<ComputeOp> ops = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Operation o : w.primary().ops()) {
            // as the run timed it: one micro-batch's share (PipelineBuilder.unitTimes)
            ComputeOp c = o instanceof ComputeOp co ? io.dojosim.pod.step.PipelineBuilder.scaled(co, micro, co.id()) : null;
            if (c != null && seen.add(c.kind() + "|" + c.shape() + "|" + c.dataType())) ops.add(c);
        }
        ops.sort((a, b) -> Long.compare(b.flops(), a.flops()));
        double coarsePs = 0;
        double finePs = 0;
        for (int i = 0; i < Math.min(SAMPLED_OPERATIONS, ops.size()); i++) {
            coarsePs += coarse.time(ops.get(i), chips).busyPs();
            finePs += fine.time(ops.get(i), chips).busyPs();
        }
        double rel = coarsePs > 0 ? finePs / coarsePs - 1 : 0;
        Map<String, Double> figs = new LinkedHashMap<>();
        double computeS = figure(summary, "computeSeconds");
        double stepS = figure(summary, "stepTimeSeconds");
        double delta = rel * computeS;
        figs.put("stepTimeSeconds", stepS + delta);
        figs.put("computeSeconds", computeS + delta);
        figs.put("communicationSeconds", figure(summary, "communicationSeconds"));
        figs.put("exposedCommunicationSeconds", figure(summary, "exposedCommunicationSeconds"));
        double scale = stepS > 0 ? stepS / (stepS + delta) : 1;
        figs.put("samplesPerSecond", figure(summary, "samplesPerSecond") * scale);
        figs.put("mfu", figure(summary, "mfu") * scale);
        return new Check("compute", compute, String.format(java.util.Locale.ROOT,
                "cycle (the %d largest operations, 1/%d of the batch, on %d chip(s): %+.2f %%)", Math.min(SAMPLED_OPERATIONS, ops.size()), micro, chips, 100 * rel),
                figs, (System.nanoTime() - t0) / 1e9);
    }

    /** Bytes of the transfer the network check sends from chip 0 to its east neighbour. */
    public static final long SAMPLE_BYTES = 4L << 20;

    /**
     * One transfer of {@link #SAMPLE_BYTES} from chip 0 to its east neighbour (a data-parallel
     * ring step), timed on the flow model alone and with chips 0 and 1 on packet meshes (a tile
     * region when the system has one tile, ADR 0065's crossing legs); the ratio is applied to the
     * communication time and to the exposed communication, which the step time takes in full.
     */
    private static Check networkCheck(Systems systems, StepSummary summary) {
        long t0 = System.nanoTime();
        long src = io.dojosim.pod.Endpoint.chip(0);
        long dst = io.dojosim.pod.Endpoint.chip(1);
        double flow = transfer(systems.run(), src, dst, false);
        double mesh = transfer(systems.meshed(), src, dst, true);
        double ratio = flow > 0 ? mesh / flow : 1;
        Map<String, Double> figs = new LinkedHashMap<>();
        double comm = figure(summary, "communicationSeconds");
        double exposed = figure(summary, "exposedCommunicationSeconds");
        double stepS = figure(summary, "stepTimeSeconds");
        double delta = (ratio - 1) * exposed;
        figs.put("stepTimeSeconds", stepS + delta);
        figs.put("computeSeconds", figure(summary, "computeSeconds"));
        figs.put("communicationSeconds", comm * ratio);
        figs.put("exposedCommunicationSeconds", exposed * ratio);
        double scale = stepS > 0 ? stepS / (stepS + delta) : 1;
        figs.put("samplesPerSecond", figure(summary, "samplesPerSecond") * scale);
        figs.put("mfu", figure(summary, "mfu") * scale);
        return new Check("network", "flow", String.format(java.util.Locale.ROOT,
                "packet meshes (4 MiB chip 0 -> chip 1: %.4f us flow, %.4f us meshes, x %.4f)", flow * 1e6, mesh * 1e6, ratio),
                figs, (System.nanoTime() - t0) / 1e9);
    }

    /** @return arrival time in seconds of one transfer alone on a fresh simulator */
    private static double transfer(io.dojosim.pod.spec.SystemSpec spec, long src, long dst, boolean region) {
        io.dojosim.core.engine.Simulator sim = new io.dojosim.core.engine.Simulator(1);
        io.dojosim.pod.FlowNetwork flow = new io.dojosim.pod.FlowNetwork(sim, io.dojosim.pod.Machine.build(spec).topology());
        long[] at = {0};
        io.dojosim.pod.TransferListener l = (now, tag) -> at[0] = now;
        if (region) {
            new io.dojosim.pod.RegionTransport(flow, spec).send(src, dst, SAMPLE_BYTES, l, 0);
        } else {
            flow.send(src, dst, SAMPLE_BYTES, l, 0);
        }
        sim.run();
        return at[0] / 1e12;
    }
}
