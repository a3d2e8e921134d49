package io.dojosim.bench;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.DType;
import io.dojosim.d1.chip.ChipResult;
import io.dojosim.d1.chip.ChipSimulation;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.noc.traffic.SyntheticExperiment;
import io.dojosim.noc.traffic.TrafficPattern;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.catalog.ModelCatalog;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.io.ImportOptions;
import io.dojosim.workload.io.WorkloadLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Wall time of the models that use host threads (docs/adr/0070-parallel-flit-engine.md) on 1 and
 * more threads, each result checked equal to the one-thread result, so a speed-up never comes
 * with a different answer. A main-method benchmark: each case runs for seconds, and its median
 * wall time per thread count is what we want.
 *
 * <p>Cases:
 * <ul>
 *   <li>{@code noc}: 16x16 mesh, BookSim2 router, uniform traffic at 0.2 flits/node/cycle, 2,000
 *       warm-up and 20,000 measured cycles (routers split over threads each cycle);</li>
 *   <li>{@code kernel}: the 2048 x 2048 x 1024 BF16 GEMM on one D1 die at flit fidelity;</li>
 *   <li>{@code run}: one ResNet-50 step (batch 32) on a training tile, compute at cycle fidelity
 *       (the distinct chip GEMMs timed on the threads).</li>
 *   <li>{@code region}: a 1,600 KiB ring all-reduce over the 25 chips of a tile whose every chip is a
 *       flit-level mesh (the region of interest, ADR 0065): the meshes ticked on the threads, two
 *       phases per cycle (ADR 0071).</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.ThreadsBenchmark
 * CASE [threads,threads,...] [repeats]}, e.g. {@code noc 1,2 3}; a thread count with the suffix {@code s}
 * ({@code 2s}) uses a team that splits every round it can ({@link Workers#splittingAlways}), to time
 * the split alone.
 */
public final class ThreadsBenchmark {
    private ThreadsBenchmark() {
    }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "noc";
        List<String> threads = new ArrayList<>();
        for (String t : (args.length > 1 ? args[1] : "1,2").split(",")) threads.add(t.trim());
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Function<Workers, Object> job = switch (which) {
            case "noc" -> noc(1);
            case "kernel" -> kernel();
            case "run" -> run();
            case "region" -> region();
            default -> throw new IllegalArgumentException("case must be noc, kernel, run or region, got " + which);
        };
        job.apply(new Workers(1)); // warm-up of the JIT
        Object reference = null;
        double base = 0;
        for (String spec : threads) {
            // "2s": a team that splits every round it can (Workers.splittingAlways), to time the split alone
            boolean always = spec.endsWith("s");
            int t = Integer.parseInt(always ? spec.substring(0, spec.length() - 1) : spec);
            List<Double> walls = new ArrayList<>();
            Workers.Report last = null;
            for (int r = 0; r < repeats; r++) {
                try (Workers w = always ? Workers.splittingAlways(t) : new Workers(t)) {
                    long t0 = System.nanoTime();
                    Object result = job.apply(w);
                    walls.add((System.nanoTime() - t0) / 1e9);
                    if (reference == null) reference = result;
                    else if (!Objects.equals(reference, result)) throw new IllegalStateException("result on " + t + " threads differs");
                    last = w.report();
                }
            }
            Collections.sort(walls);
            double median = walls.get(walls.size() / 2);
            if (base == 0) base = median;
            long[] busy = last.busyNs();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < busy.length; i++) b.append(i == 0 ? "" : "/").append(busy[i] / 1_000_000);
            System.out.printf(Locale.ROOT, "%s threads=%s median %.3f s (runs %s) speed-up %.2f | split windows %d, unsplit %d, "
                            + "items/window by thread %s, busy ms %s, barrier wait %d ms, probes postponed %d, abandoned %d%n",
                    which, spec, median, walls, base / median, last.rounds(), last.declined(), perWindow(last), b, last.waitNs() / 1_000_000,
                    last.postponedProbes(), last.abandonedProbes());
        }
    }

    private static String perWindow(Workers.Report r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.threads(); i++) b.append(i == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.1f", r.itemsPerRound(i)));
        return b.toString();
    }

    /** The noc case with the traffic generator's seed {@code seed} (1 in every figure before 2026-12-08). */
    static Function<Workers, Object> noc(long seed) {
        NocParams b = NocParams.booksim();
        NocParams p = b.withMeasure(b.measure().withWindows(2000, 20000));
        MeshShape shape = MeshShape.full(16, 16);
        return w -> {
            ExperimentResult r = new SyntheticExperiment(shape, p, TrafficPattern.parse("uniform", shape), seed).useWorkers(w).run(0.2);
            return List.of(r.avgPacketLatencyCycles(), r.acceptedFlitsPerNodePerCycle(), r.p99PacketLatencyCycles(), r.simulatedCycles());
        };
    }

    private static ResolvedConfig defaults() {
        return new ParamCatalog(ModelCatalog.params()).defaults();
    }

    static Function<Workers, Object> kernel() {
        ResolvedConfig c = defaults();
        return w -> {
            ChipResult r = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(c), 2048, 2048, 1024, DType.BF16, w);
            return r;
        };
    }

    static Function<Workers, Object> region() {
        ResolvedConfig c = defaults().with("pod.system.scope", "tile", "benchmark").with("pod.coarse.chipFidelity", "flit", "benchmark")
                .with("pod.coarse.roiScope", "tile", "benchmark");
        return w -> {
            io.dojosim.core.engine.Simulator sim = new io.dojosim.core.engine.Simulator(1);
            sim.useWorkers(w);
            io.dojosim.pod.Machine m = io.dojosim.pod.Machine.build(io.dojosim.pod.bind.SpecBinder.bind(c));
            io.dojosim.pod.RegionTransport t = new io.dojosim.pod.RegionTransport(new io.dojosim.pod.FlowNetwork(sim, m.topology()), io.dojosim.pod.bind.SpecBinder.bind(c));
            io.dojosim.pod.collective.Collective col = new io.dojosim.pod.collective.Collective(t, m.topology(),
                    io.dojosim.pod.collective.CollectivePrimitive.ALLREDUCE, io.dojosim.pod.collective.CollectiveAlgorithm.RING,
                    io.dojosim.pod.collective.CollectiveGroup.forScope(m.topology(), "tile"), 1600L << 10, 1, 1);
            col.start(null, 0);
            sim.run();
            return List.of(col.result().timeSeconds(), t.meshMessages(), t.crossingTransfers(), sim.eventsExecuted());
        };
    }

    static Function<Workers, Object> run() {
        ResolvedConfig c = defaults().with("pod.system.scope", "tile", "benchmark").with("run.computeFidelity", "cycle", "benchmark")
                .with("run.batchPerReplica", "32", "benchmark");
        Workload wl = WorkloadLoader.load("resnet50", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(32),
                ImportOptions.DEFAULTS);
        return w -> StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), wl, StepExecutor.TimelineSink.NONE, w).summary();
    }
}
