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
 *   collective flow (coarse chips)   ->  the step's largest collective (at most 4 MiB per member),
 *                                        alone, with its stage's first chip on a packet mesh against the flow model
 *                                        (ratio applied to communication; ADR 0107)
 * </pre>
 *
 * The band of a figure is the sum over the checks of |finer - value|: each check moves one model
 * to its finer fidelity, so their differences add up to a conservative band.
 *
 * <p>Caveats: both checks sample (a whole step with chip 0 on a packet mesh took minutes on the
 * ResNet-50 tile step, cycle compute fidelity 39 CPU s against 4): the compute check applies the
 * largest operations' relative difference to the whole compute time, the network check one
 * neighbour transfer's ratio to all communication (turning and column traffic differ more,
 * docs/validation.md); a model already at its finest fidelity is not checked; the collective check
 * times one collective alone (not in the step's contention) with one member chip's traffic on a mesh.
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
     * @param run       the run's system, plan pinned
     * @param meshed    the same with the first tile's chips on packet meshes
     * @param chipMeshed for a chip id, the same with only that chip on a packet mesh ({@code pod.coarse.roiScope = chip}):
     *                   the collective check's finer model
     */
    public record Systems(io.dojosim.pod.spec.SystemSpec run, io.dojosim.pod.spec.SystemSpec meshed,
                          java.util.function.IntFunction<io.dojosim.pod.spec.SystemSpec> chipMeshed) {
    }

    /**
     * One finer re-simulation: what it changed, what it sampled, and the headline figures it gave.
     *
     * @param sample the sampled share timed at both fidelities (null for none)
     */
    public record Check(String model, String from, String to, Sample sample, Map<String, Double> figures, double wallSeconds) {
    }

    /**
     * What a check timed at both fidelities: the sampled share (operations, a transfer, a
     * collective), its time at the run's fidelity and at the finer one, and their ratio, which
     * the check applies to the figures the share stands for.
     *
     * @param what          the sampled share in words (which collective, its members and bytes)
     * @param coarseSeconds its time at the run's fidelity
     * @param fineSeconds   its time at the finer fidelity
     */
    public record Sample(String what, double coarseSeconds, double fineSeconds) {
        /** @return fineSeconds / coarseSeconds, 1 when the coarse time is 0 */
        public double ratio() {
            return coarseSeconds > 0 ? fineSeconds / coarseSeconds : 1;
        }
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
            Check c = collectiveCheck(systems, w, summary);
            if (c != null) {
                checks.add(c);
            } else {
                skipped.add("collective: the step runs no collective that moves bytes between chips");
            }
        } else {
            skipped.add("network: chips already on " + chips + " meshes");
            skipped.add("collective: chips already on " + chips + " meshes");
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
        D1RegionCompute coarse = new D1RegionCompute(new ChipComputeModel(spec.chipSim(), spec.run().simulateCalibrationMisses(),
                io.dojosim.d1.bind.D1Binding.defaultChipSim()), f);
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
        int n = Math.min(SAMPLED_OPERATIONS, ops.size());
        return new Check("compute", compute, String.format(java.util.Locale.ROOT,
                "cycle (the %d largest operations, 1/%d of the batch, on %d chip(s): %+.2f %%)", n, micro, chips, 100 * rel),
                new Sample(String.format(java.util.Locale.ROOT, "the %d largest distinct compute operations, 1/%d of the batch, on %d chip(s)", n, micro, chips),
                        coarsePs / 1e12, finePs / 1e12),
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
        return new Check("network", "flow", String.format(java.util.Locale.ROOT,
                "packet meshes (4 MiB chip 0 -> chip 1: %.4f us flow, %.4f us meshes, x %.4f)", flow * 1e6, mesh * 1e6, ratio),
                new Sample("one 4 MiB transfer chip 0 -> chip 1", flow, mesh), communicationScaled(summary, ratio),
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The headline figures with communication and exposed communication times {@code ratio}; the
     * step time takes the exposed part, the rates scale with the step time.
     */
    static Map<String, Double> communicationScaled(StepSummary summary, double ratio) {
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
        return figs;
    }

    /** Most bytes per member the collective check moves: a larger collective is timed at this size at both fidelities. */
    public static final long COLLECTIVE_MAX_BYTES = 4L << 20;

    /**
     * The step's largest collective (most bytes per member; the first in graph order among equals)
     * that moves bytes between chips, started alone as the step starts it ({@link
     * io.dojosim.pod.step.PodStepBackend#collective}: the same groups, the same algorithm choice,
     * a data-parallel all-reduce as the region's reduce-scatter then the shards' all-reduces across
     * replicas) on the run's flow model and with chip 0 on a packet mesh (the chip-sized span:
     * every transfer that touches the first chip of replica 0's copy of the stage crosses its mesh); the ratio of the two times is applied
     * to communication, as the network check's. Bytes above {@link #COLLECTIVE_MAX_BYTES} per
     * member are timed at that size at both fidelities (the output says both sizes).
     *
     * @return the check, or null when no collective of the step moves bytes between chips
     */
    static Check collectiveCheck(Systems systems, Workload w, StepSummary summary) {
        long t0 = System.nanoTime();
        io.dojosim.pod.step.Mapper.Mapping m = io.dojosim.pod.step.StepRunner.map(systems.run(), w);
        List<io.dojosim.workload.CollectiveOp> ops = new ArrayList<>();
        for (Operation o : m.graph().ops()) {
            if (o instanceof io.dojosim.workload.CollectiveOp c && c.bytes() > 0) ops.add(c);
        }
        ops.sort((a, b) -> Long.compare(b.bytes(), a.bytes())); // stable: graph order among equals
        for (io.dojosim.workload.CollectiveOp op : ops) {
            int stage = m.stageOf().getOrDefault(op.id(), 0);
            long bytes = Math.min(op.bytes(), COLLECTIVE_MAX_BYTES);
            io.dojosim.workload.CollectiveOp sampled = new io.dojosim.workload.CollectiveOp(op.id(), op.name(), op.collective(), bytes,
                    op.group(), op.priority(), op.deps(), op.layer(), op.phase(), op.measuredDurationPs());
            CollectiveTime flow = collectiveAlone(systems.run(), m.plan(), sampled, stage);
            if (flow.seconds() <= 0) continue; // no traffic between chips under this plan (a group of one chip)
            // the mesh goes on the first chip of replica 0's copy of the stage, a member of every group the stage's collectives use
            CollectiveTime mesh = collectiveAlone(systems.chipMeshed().apply(flow.firstChip()), m.plan(), sampled, stage);
            String what = String.format(java.util.Locale.ROOT, "%s '%s' of stage %d over the %s group (%s per member%s), alone",
                    op.collective().name().toLowerCase(java.util.Locale.ROOT), op.name(), stage,
                    op.group().dimension().name().toLowerCase(java.util.Locale.ROOT), bytesText(bytes),
                    bytes < op.bytes() ? " of its " + bytesText(op.bytes()) : "");
            Sample s = new Sample(what, flow.seconds(), mesh.seconds());
            return new Check("collective", "flow", String.format(java.util.Locale.ROOT,
                    "packet mesh on chip %d (%s: %.4f us flow, %.4f us with the mesh, x %.4f; %d transfers crossed the mesh)",
                    mesh.roiChip(), what, s.coarseSeconds() * 1e6, s.fineSeconds() * 1e6, s.ratio(), mesh.meshTransfers()),
                    s, communicationScaled(summary, s.ratio()), (System.nanoTime() - t0) / 1e9);
        }
        return null;
    }

    /** A collective's time alone, how many of its transfers touched the region's mesh, and chip 0 of replica 0's copy of its stage. */
    record CollectiveTime(double seconds, int roiChip, long meshTransfers, int firstChip) {
    }

    /** @return the time of one collective of the step started alone at time 0 on a fresh simulator of {@code spec} */
    static CollectiveTime collectiveAlone(io.dojosim.pod.spec.SystemSpec spec, io.dojosim.pod.step.Plan plan,
                                          io.dojosim.workload.CollectiveOp op, int stage) {
        io.dojosim.core.engine.Simulator sim = spec.sim().newSimulator();
        io.dojosim.pod.Machine machine = io.dojosim.pod.Machine.build(spec);
        io.dojosim.pod.FlowNetwork flow = new io.dojosim.pod.FlowNetwork(sim, machine.topology());
        io.dojosim.pod.RegionTransport t = new io.dojosim.pod.RegionTransport(flow, spec);
        io.dojosim.pod.step.PodStepBackend b = new io.dojosim.pod.step.PodStepBackend(t, machine.topology(), plan,
                new D1RegionCompute(new ChipComputeModel(spec.chipSim())), spec.collective().algorithm(),
                spec.collective().chunks(), spec.collective().pipelineDepth());
        long[] at = {-1};
        b.collective(op, stage, 0, (now, token) -> at[0] = now);
        sim.run();
        if (at[0] < 0) {
            throw new io.dojosim.core.engine.SimulationError("crossCheck.collective", sim.now(), "collective '" + op.name() + "' did not finish");
        }
        return new CollectiveTime(at[0] / 1e12, t.roiChip(), t.meshTransfers() + t.crossingTransfers(), b.chip(0, stage, 0));
    }

    private static String bytesText(long b) {
        if (b >= (1L << 20)) return String.format(java.util.Locale.ROOT, "%.4g MiB", b / (double) (1L << 20));
        if (b >= 1024) return String.format(java.util.Locale.ROOT, "%.4g KiB", b / 1024.0);
        return b + " B";
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
