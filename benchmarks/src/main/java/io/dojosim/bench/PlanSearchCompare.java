package io.dojosim.bench;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.Topology;
import io.dojosim.pod.bind.SpecBinder;
import io.dojosim.pod.catalog.ModelCatalog;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.pod.step.PlanGridProbe;
import io.dojosim.pod.step.PlanSearch;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The plan search's choice against a bounded simulated search of a documented grid: prints, per
 * workload and scope, the chosen plan and its samples/s, the grid's best simulated plan and its
 * samples/s, their ratio, the candidates simulated and skipped, and wall and CPU seconds
 * (docs/validation.md, "Plan search and global batch").
 *
 * <pre>
 *   pool  = every candidate of the search's own plan space with an estimate (not rejected by
 *           memory, batch or slot rules), ranked by the estimate (ties: fewer chips)
 *   grid  = the chosen plan
 *         + the --top K best of the pool by the estimate                      (default K = 4)
 *         + the chosen shape's other micro-batch counts from M / 2 to 2 M (M the chosen's), best
 *           estimate first
 *         + per coarse shape, its micro-batch count with the best estimate, shapes in estimate
 *           order, estimated within run.plan.simulateWithin (2) x the best estimate (beyond it,
 *           replicas of hundreds of chips simulate for minutes), until the grid holds --grid N candidates                   (default N = 16;
 *           gpt3-175b at pod scope 6: each of its simulations takes about 30 s)
 *   coarse shape = (t, S, replica chips, v) with t in {1, 2, 4}, v in {1, 2}, and a stage rank's
 *           chips (replica chips / S / t) a whole number of tiles or a divisor of a tile's chips
 * </pre>
 *
 * <p>Every grid candidate is simulated (a full step, one thread) unless its simulation is over
 * {@code run.plan.maxSimulatedSize}, the search's own memory bound (skipped, listed with the
 * reason), or the simulation refuses it (listed). Candidates the search already simulated keep its
 * simulated step (the same config, deterministic). The comparison is fair (ADR 0105): while the
 * grid's best (or the chosen plan) timed shares the calibration table lacks (scaled from the
 * nearest measured share, or at the roofline, up to 31 % optimistic for small shares), it is
 * simulated again with those shares at cycle fidelity ({@code run.calibrationMisses = simulate}),
 * up to {@code --verify V} times (default 4 at tile scope, 0 elsewhere: the larger scopes' shares
 * take minutes each at cycle fidelity). Lines starting with {@code #} list each grid candidate; the
 * CSV rows are the summary.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.PlanSearchCompare
 * [scope] [--top K] [--grid N] [--verify V] [workload...]}; scope tile (default), tray or pod; the global batch
 * is the reference recipe's scaled weakly to the scope. {@code --top all --grid all} simulates the
 * whole pool (an exhaustive search of the search's plan space; minutes at tray scope).
 *
 * <p>Caveats: the grid is not the whole plan space (thousands of candidates at pod scope, some of
 * a minute's simulation each); a plan outside it can be faster than the grid's best.
 */
public final class PlanSearchCompare {
    private PlanSearchCompare() {
    }

    /** One grid candidate and what its simulation gave (NaN step when skipped). */
    private record Row(PlanSearch.Candidate candidate, String origin, double estimateSeconds, double stepSeconds, long misses, String note) {
        Row verified(double exactSeconds) {
            return new Row(candidate, origin, estimateSeconds, exactSeconds, 0, note + String.format(Locale.ROOT,
                    "; verified with its missing shares simulated at cycle fidelity (calibrated with %s: %.6f s)",
                    misses < 0 ? "unknown misses" : misses + " shares scaled or at roofline", stepSeconds));
        }
    }

    /** @return distinct whole-die shares of a run answered by neither the table nor the cycle-level chip (scaled from the nearest, or roofline) */
    private static long misses(StepRunner.Report r) {
        var cm = r.summary().computeModel();
        if (cm == null || cm.calibration() == null) return 0;
        return cm.calibration().sharesScaledFromNearest() + cm.calibration().sharesAtRoofline();
    }

    public static void main(String[] args) {
        String scope = "tile";
        int top = 4;
        int grid = 16;
        int verify = -1;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--top" -> top = count(args[++i]);
                case "--grid" -> grid = count(args[++i]);
                case "--verify" -> verify = count(args[++i]);
                default -> {
                    if (i == 0 && !args[i].startsWith("-") && Generators.list().stream().noneMatch(g -> g.name().equals(args[0]))) {
                        scope = args[i];
                    } else {
                        names.add(args[i]);
                    }
                }
            }
        }
        if (names.isEmpty()) names = List.of("resnet50", "bert-large", "vision-bev", "gpt3-175b");
        ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        List<String> csv = new ArrayList<>();
        for (String name : names) {
            int cap = scope.equals("pod") && name.equals("gpt3-175b") ? Math.min(grid, 6) : grid;
            csv.add(compare(scope, name, top, cap, verify >= 0 ? verify : scope.equals("tile") ? 4 : 0, tb));
        }
        System.out.println("scope,workload,globalBatch,chosen,chosenSamplesPerSecond,best,bestSamplesPerSecond,ratio,gridCandidates,"
                + "gridSimulated,gridSkipped,searchSimulated,searchWallSeconds,searchCpuSeconds,gridWallSeconds,gridCpuSeconds,verified,chosenMisses,bestMisses");
        csv.forEach(System.out::println);
    }

    private static String compare(String scope, String name, int top, int cap, int verify, ThreadMXBean tb) {
        ResolvedConfig rc = new ParamCatalog(ModelCatalog.params()).defaults()
                .with("pod.system.scope", scope, "bench").with("run.batchScaling", "weak", "bench");
        SystemSpec spec = SpecBinder.bind(rc);
        // the same machine with every share the calibration table lacks simulated at cycle fidelity
        SystemSpec exact = SpecBinder.bind(rc.with("run.calibrationMisses", "simulate", "bench"));
        Generators.Info info = Generators.list().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
        Map<Long, Workload> generated = new java.util.HashMap<>();
        LongFunction<Workload> gen = b -> generated.computeIfAbsent(b,
                x -> Generators.generate(name, GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(x)));
        long w0 = System.nanoTime();
        long c0 = tb.getCurrentThreadCpuTime();
        PlanSearch.Result chosen;
        try {
            chosen = PlanSearch.search(spec, gen, info.globalBatch(), info.globalBatchSource(), Workers.single());
        } catch (ConfigException e) {
            return String.format(Locale.ROOT, "%s,%s,,\"no plan: %s\",,,,,,,,,,,,", scope, name, e.getMessage().replace('"', '\''));
        }
        long w1 = System.nanoTime();
        long c1 = tb.getCurrentThreadCpuTime();
        long g = chosen.globalBatch();
        int chipsPerTile = new Topology(PodConfig.of(spec)).chipsPerTile();
        long maxSize = spec.run().plan().maxSimulatedSize();
        double within = spec.run().plan().simulateWithin();

        // the pool: every candidate with an estimate, best estimate first (ties: fewer chips)
        List<PlanSearch.Outcome> pool = new ArrayList<>(chosen.outcomes().stream().filter(o -> Double.isFinite(o.estimateSeconds())).toList());
        pool.sort(Comparator.comparingDouble(PlanSearch.Outcome::estimateSeconds).thenComparingLong(o -> o.candidate().chipsUsed()));
        Map<PlanSearch.Candidate, String> origin = new LinkedHashMap<>();
        origin.put(chosen.chosen().candidate(), "chosen");
        for (int i = 0; i < Math.min(top, pool.size()) && origin.size() < cap; i++) {
            origin.putIfAbsent(pool.get(i).candidate(), "top " + (i + 1) + " by estimate");
        }
        // the chosen shape's other micro-batch counts from half to twice the chosen one (more micro-batches of fewer samples
        // simulate for minutes at pod scope): the search simulates one count per shape first
        List<Integer> chosenShape = shape(chosen.chosen().candidate());
        int chosenMicro = chosen.chosen().candidate().microBatches();
        for (PlanSearch.Outcome o : pool) {
            if (origin.size() >= cap) break;
            int m = o.candidate().microBatches();
            if (shape(o.candidate()).equals(chosenShape) && 2 * m >= chosenMicro && m <= 2 * chosenMicro) {
                origin.putIfAbsent(o.candidate(), "chosen shape");
            }
        }
        Set<List<Integer>> shapes = new HashSet<>();
        for (PlanSearch.Candidate c : origin.keySet()) shapes.add(shape(c));
        for (PlanSearch.Outcome o : pool) {
            if (origin.size() >= cap) break;
            PlanSearch.Candidate c = o.candidate();
            if (within > 0 && o.estimateSeconds() > within * pool.get(0).estimateSeconds()) break;
            if (coarse(c, chipsPerTile) && shapes.add(shape(c))) origin.putIfAbsent(c, "coarse shape");
        }
        Map<PlanSearch.Candidate, PlanSearch.Outcome> byCandidate = new java.util.HashMap<>();
        for (PlanSearch.Outcome o : chosen.outcomes()) byCandidate.putIfAbsent(o.candidate(), o);

        List<Row> rows = new ArrayList<>();
        int simulated = 0;
        int skipped = 0;
        for (Map.Entry<PlanSearch.Candidate, String> e : origin.entrySet()) {
            PlanSearch.Candidate c = e.getKey();
            PlanSearch.Outcome known = byCandidate.get(c);
            double est = known.estimateSeconds();
            if (Double.isFinite(known.simulatedSeconds())) {
                rows.add(new Row(c, e.getValue(), est, known.simulatedSeconds(), -1, "simulated by the search"));
                simulated++;
                continue;
            }
            Workload w = gen.apply(c.replicaBatch());
            long size = PlanGridProbe.simulationSize(spec, c, w);
            if (maxSize > 0 && size > maxSize) {
                rows.add(new Row(c, e.getValue(), est, Double.NaN, 0, "skipped: about " + size
                        + " chip-operations, over run.plan.maxSimulatedSize (" + maxSize + ")"));
                skipped++;
                continue;
            }
            System.out.printf(Locale.ROOT, "# %s %s: simulating %s%n", scope, name, c.label());
            System.out.flush();
            try {
                StepRunner.Report r = StepRunner.run(PlanSearch.fix(spec, c), w, StepExecutor.TimelineSink.NONE, Workers.single());
                rows.add(new Row(c, e.getValue(), est, r.summary().stepTimeSeconds(), misses(r), "simulated here"));
                simulated++;
            } catch (ConfigException ex) {
                rows.add(new Row(c, e.getValue(), est, Double.NaN, 0, "skipped: the simulation refused it: " + ex.getMessage()));
                skipped++;
            }
        }
        // a fair comparison: a plan whose calibrated step used shares the table lacks (scaled from the nearest
        // measured one, or at the roofline, up to 31 % optimistic for small shares) is re-simulated with those
        // shares at cycle fidelity (run.calibrationMisses = simulate) while it is the grid's best, up to
        // --verify times; the chosen plan too
        int verified = 0;
        int chosenIdx = -1;
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).candidate().equals(chosen.chosen().candidate())) chosenIdx = i;
        while (verified < verify) {
            int bi = bestRow(rows);
            int vi = rows.get(bi).misses() != 0 ? bi : chosenIdx >= 0 && rows.get(chosenIdx).misses() != 0 ? chosenIdx : -1;
            if (vi < 0) break;
            Row v = rows.get(vi);
            System.out.printf(Locale.ROOT, "# %s %s: verifying %s (misses simulated at cycle fidelity)%n", scope, name, v.candidate().label());
            System.out.flush();
            StepRunner.Report r = StepRunner.run(PlanSearch.fix(exact, v.candidate()), gen.apply(v.candidate().replicaBatch()),
                    StepExecutor.TimelineSink.NONE, Workers.single());
            rows.set(vi, v.verified(r.summary().stepTimeSeconds()));
            verified++;
        }
        long w2 = System.nanoTime();
        long c2 = tb.getCurrentThreadCpuTime();
        Row best = rows.get(bestRow(rows));
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "# %s %s: [%s] %s; estimate %.6f s, simulated %s%s%n", scope, name, r.origin(), r.candidate().label(),
                    r.estimateSeconds(), Double.isFinite(r.stepSeconds()) ? String.format(Locale.ROOT, "%.6f s, %.1f samples/s", r.stepSeconds(),
                            g / r.stepSeconds()) : "-", "; " + r.note() + (r == best ? "; GRID BEST" : ""));
        }
        System.out.printf(Locale.ROOT, "# %s %s: pool %d candidates with an estimate, grid %d%n", scope, name, pool.size(), rows.size());
        Row chosenRow = chosenIdx >= 0 ? rows.get(chosenIdx) : null;
        double chosenSps = chosenRow != null ? g / chosenRow.stepSeconds() : chosen.chosen().samplesPerSecond();
        double bestSps = g / best.stepSeconds();
        return String.format(Locale.ROOT, "%s,%s,%d,\"%s\",%.1f,\"%s\",%.1f,%.4f,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%d,%d,%d", scope, name, g,
                chosen.chosen().candidate().label(), chosenSps, best.candidate().label(), bestSps, chosenSps / bestSps, rows.size(), simulated,
                skipped, chosen.simulated(), (w1 - w0) / 1e9, (c1 - c0) / 1e9, (w2 - w1) / 1e9, (c2 - c1) / 1e9, verified,
                chosenRow != null ? chosenRow.misses() : -1, best.misses());
    }

    /** @return the index of the fastest simulated row (ties: fewer chips, then the earlier row) */
    private static int bestRow(List<Row> rows) {
        int best = -1;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (!Double.isFinite(r.stepSeconds())) continue;
            Row b = best < 0 ? null : rows.get(best);
            if (b == null || r.stepSeconds() < b.stepSeconds() * (1 - 1e-9)
                    || (r.stepSeconds() <= b.stepSeconds() * (1 + 1e-9) && r.candidate().chipsUsed() < b.candidate().chipsUsed())) {
                best = i;
            }
        }
        return best;
    }

    /** @return a count argument: a positive number, or {@code all} for no bound */
    private static int count(String arg) {
        return arg.equals("all") ? Integer.MAX_VALUE : Integer.parseInt(arg);
    }

    /** @return (t, S, replica chips, v): the candidates of one shape differ only in micro-batches */
    private static List<Integer> shape(PlanSearch.Candidate c) {
        return List.of(c.tensorParallel(), c.pipelineStages(), c.replicaChips(), c.virtualStages());
    }

    /** @return whether the candidate is on the coarse grid: t in {1, 2, 4}, v in {1, 2}, a rank's stage chips whole tiles or a divisor of a tile */
    private static boolean coarse(PlanSearch.Candidate c, int chipsPerTile) {
        int t = c.tensorParallel();
        if (t != 1 && t != 2 && t != 4) return false;
        if (c.virtualStages() > 2) return false;
        int rank = c.replicaChips() / c.pipelineStages() / t;
        return rank >= 1 && (rank % chipsPerTile == 0 || chipsPerTile % rank == 0);
    }
}
