package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.Topology;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.Costing;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The plan search of {@code dojosim run} and {@code dojosim plan}: enumerates the plans of a
 * workload at a fixed global batch, ranks them by an estimate, simulates the best few and picks the
 * fastest simulated one (ties: fewer chips in use, then the earlier candidate).
 *
 * <pre>
 *   global batch G (run.globalBatch, or the workload's reference recipe, scaled by run.batchScaling)
 *   candidate = (replica chips c, pipeline stages S, micro-batches M)
 *     replicas     D = floor(alive chips / (S x c)); rejected when D > G (under one sample per replica)
 *     replica batch b = ceil(G / D), rounded up to a multiple of M
 *     samples per step = G (a replica padded past G / D does the extra work for nothing)
 *   estimate  (S = 1)  max(compute + HBM streaming, weight gathers + gradient all-reduce)
 *             (S > 1)  the mapper's pipeline estimate + the data-parallel all-reduce (+ HBM streaming on a tile)
 *   simulate  the run.plan.simulate best candidates by the estimate, each a full step; after the
 *             first, ranked by estimate x the smallest simulated / estimated ratio of their kind
 *             (pipelined or not); on a tile or tray also those so predicted within 10 % of the best (ADR 0105)
 * </pre>
 *
 * <p>Every candidate the estimate ranks, every rejection (footprint beyond SRAM and HBM, fewer
 * than one sample per replica, a micro-batch count that does not divide the batch) and every
 * simulated step time is kept in the result, with the estimate's error against the simulation.
 *
 * <p>Caveats: the estimate's communication terms are alpha-beta sums over the replica's
 * collectives at one link's bandwidth per chip; they ignore contention between collectives and
 * the executor's stream limits, so the estimate only prunes: the choice is always a simulated
 * step. Tensor parallelism and ZeRO stages are not in the plan space yet.
 */
public final class PlanSearch {
    /** Latency of one step of a ring-style collective schedule, for the estimate (an assumed die-to-die hop plus software). */
    static final double STEP_LATENCY_SECONDS = 1.0e-6;

    /** On a tile or a tray: candidates predicted within this margin of the best simulated step are simulated too (up to {@link #TILE_SWEEP}). */
    static final double TILE_SWEEP_MARGIN = 0.10;

    /** On a tile or a tray: at most this many candidates are simulated beyond run.plan.simulate (each takes about a second or less there). */
    static final int TILE_SWEEP = 8;

    /** Pruning margin: a candidate predicted (estimate x the measured error) this much slower than the best simulated is not simulated. */
    static final double PRUNE_MARGIN = 0.05;

    /**
     * Largest tensor-parallel degree the search enumerates (Megatron's groups stay within an 8-GPU
     * node; on a 25-chip tile t = 12 or more leaves at most 2 groups per tile); a larger t can be set.
     */
    static final int MAX_TENSOR_PARALLEL = 8;

    /** Largest number of model chunks per pipeline stage (interleaved 1F1B) the search enumerates: 2 and 4. */
    static final int MAX_VIRTUAL_STAGES = 4;

    /** One plan of the space. */
    public record Candidate(int replicaChips, int pipelineStages, int microBatches, int dataParallel, long replicaBatch, int tensorParallel,
                            int virtualStages) {
        public Candidate {
            if (tensorParallel < 1) throw new IllegalArgumentException("tensorParallel must be >= 1, got " + tensorParallel);
            if (virtualStages < 1) throw new IllegalArgumentException("virtualStages must be >= 1, got " + virtualStages);
        }

        /** A candidate without tensor parallelism or interleaving. */
        public Candidate(int replicaChips, int pipelineStages, int microBatches, int dataParallel, long replicaBatch) {
            this(replicaChips, pipelineStages, microBatches, dataParallel, replicaBatch, 1, 1);
        }

        /** A candidate without interleaving. */
        public Candidate(int replicaChips, int pipelineStages, int microBatches, int dataParallel, long replicaBatch, int tensorParallel) {
            this(replicaChips, pipelineStages, microBatches, dataParallel, replicaBatch, tensorParallel, 1);
        }

        /** @return chips the plan uses */
        public long chipsUsed() {
            return (long) replicaChips * dataParallel;
        }

        public String label() {
            String base = baseLabel();
            String tp = tensorParallel > 1 ? base + ", tensor parallel " + tensorParallel : base;
            return virtualStages > 1 ? tp + ", " + virtualStages + " virtual stages" : tp;
        }

        private String baseLabel() {
            if (replicaBatch < 1) {
                return String.format(Locale.ROOT, "%d x %d chips%s, under 1 per replica", dataParallel, replicaChips,
                        pipelineStages > 1 ? " (" + pipelineStages + " stages)" : "");
            }
            return pipelineStages > 1
                    ? String.format(Locale.ROOT, "%d x %d chips (%d stages x %d, %d micro-batches), %d per replica", dataParallel, replicaChips,
                    pipelineStages, replicaChips / pipelineStages, microBatches, replicaBatch)
                    : String.format(Locale.ROOT, "%d x %d chips, %d per replica", dataParallel, replicaChips, replicaBatch);
        }
    }

    /**
     * What the search found out about one candidate.
     *
     * @param status            {@code chosen}, {@code simulated}, {@code estimated} (not simulated) or {@code rejected}
     * @param estimateSeconds   the estimated step time (NaN when rejected)
     * @param simulatedSeconds  the simulated step time (NaN when not simulated)
     * @param samplesPerSecond  global batch over the simulated step time, or over the estimate when not simulated
     * @param mfu               model FLOPs utilization of the simulated step (NaN when not simulated)
     * @param memoryPerChipBytes the replica's footprint over its chips (pipelined: the fullest stage's)
     * @param exposedCommSeconds communication not hidden under compute in the simulated step (NaN when not simulated)
     * @param why               why it was chosen, rejected or left out
     */
    public record Outcome(Candidate candidate, String status, double estimateSeconds, double simulatedSeconds, double samplesPerSecond,
                          double mfu, long memoryPerChipBytes, double exposedCommSeconds, String why) {
        Outcome with(String newStatus, String newWhy) {
            return new Outcome(candidate, newStatus, estimateSeconds, simulatedSeconds, samplesPerSecond, mfu, memoryPerChipBytes,
                    exposedCommSeconds, newWhy);
        }
    }

    /**
     * The search.
     *
     * @param globalBatch        samples per step every plan processes
     * @param batchSource        where the global batch comes from (key or recipe)
     * @param outcomes           every candidate: simulated ones first (fastest first), then estimated (by estimate), then rejected
     * @param chosen             the plan {@code run} simulates and reports
     * @param estimateErrorMean  mean of |estimate - simulated| / simulated over the simulated candidates
     * @param estimateErrorMax   the largest such error
     * @param chosenReport       the simulated run of the chosen plan
     * @param chosenSpec         the system with the chosen plan fixed ({@link #fix}, with the global batch)
     * @param chosenWorkload     the workload at the chosen replica batch
     */
    public record Result(long globalBatch, String batchSource, List<Outcome> outcomes, Outcome chosen, int estimated, int simulated,
                         int rejected, double estimateErrorMean, double estimateErrorMax, StepRunner.Report chosenReport,
                         SystemSpec chosenSpec, Workload chosenWorkload) {
    }

    private PlanSearch() {
    }

    /**
     * The search's keys, bound once: {@code run.plan.*}, {@code run.globalBatch},
     * {@code run.batchScaling}, {@code run.mapping.maxPipelineSlots}, and whether the config fixes
     * the plan ({@code run.mapping.replicaChips}, {@code pipelineStages}, {@code microBatches} or
     * {@code run.batchPerReplica}).
     *
     * @param mode           {@code simulate}, {@code estimate} or {@code off}
     * @param simulate       candidates to simulate
     * @param simulateWithin multiple of the best estimate beyond which none is simulated (0: no limit)
     * @param globalBatch    {@code run.globalBatch} (0: the workload's reference)
     * @param weakScaling    {@code run.batchScaling = weak}
     */
    public record Settings(String mode, int simulate, double simulateWithin, long globalBatch, boolean weakScaling, int maxSlots,
                           boolean planFixed, int tensorParallel, long maxSimulatedSize, int virtualStages) {
        public static Settings from(SystemSpec.Run r) {
            return new Settings(r.plan().search().name().toLowerCase(Locale.ROOT), r.plan().simulate(), r.plan().simulateWithin(),
                    r.globalBatch(), r.weakBatchScaling(), r.mapping().maxPipelineSlots(), r.planFixed(), r.mapping().tensorParallel(),
                    r.plan().maxSimulatedSize(), r.mapping().virtualStages());
        }

        /**
         * @return the global batch of one step: {@code run.globalBatch}, or the workload's reference
         * batch, scaled by alive chips / 3,000 (the ExaPOD) when {@code run.batchScaling = weak}
         */
        public long globalBatch(long referenceBatch, int aliveChips) {
            if (globalBatch > 0) return globalBatch;
            if (weakScaling) return Math.max(1, Math.round(referenceBatch * (double) aliveChips / REFERENCE_CHIPS));
            return referenceBatch;
        }
    }

    /**
     * @return whether {@code run} should search: the config fixes none of the plan's choices
     * ({@code run.mapping.replicaChips}, {@code pipelineStages}, {@code microBatches},
     * {@code run.batchPerReplica}) and {@code run.plan.search} is not {@code off}
     */
    public static boolean applies(SystemSpec cfg) {
        Settings s = Settings.from(cfg.run());
        return !s.mode().equals("off") && !s.planFixed();
    }

    /** @return {@link Settings#globalBatch(long, int)} of the config */
    public static long globalBatch(SystemSpec cfg, long referenceBatch, int aliveChips) {
        return Settings.from(cfg.run()).globalBatch(referenceBatch, aliveChips);
    }

    /** Chips of the machine the workloads' reference global batches are stated for: the ExaPOD. */
    public static final int REFERENCE_CHIPS = 3000;

    /**
     * Searches the plans of a workload.
     *
     * @param atBatch         the workload at a replica batch (a generator)
     * @param referenceBatch  the workload's reference global batch (used unless run.globalBatch is set)
     * @param referenceSource where the reference batch comes from
     * @throws ConfigException when no plan is feasible (the message gives the closest candidates and why)
     */
    public static Result search(SystemSpec cfg, LongFunction<Workload> atBatch, long referenceBatch, String referenceSource, Workers workers) {
        PodConfig pc = PodConfig.of(cfg);
        Topology topo = new Topology(pc);
        NodeParams np = cfg.node();
        D1RegionCompute roofline = new D1RegionCompute(new ChipComputeModel(cfg.chipSim()));
        int alive = topo.aliveChips();
        java.util.Map<Long, Workload> generated = new java.util.HashMap<>();
        LongFunction<Workload> generate = atBatch;
        atBatch = b -> generated.computeIfAbsent(b, generate::apply);
        Settings set = Settings.from(cfg.run());
        long globalBatch = set.globalBatch(referenceBatch, alive);
        String batchSource = set.globalBatch() > 0 ? "run.globalBatch"
                : set.weakScaling()
                ? String.format(Locale.ROOT, "reference %d x %d alive chips / %d (run.batchScaling = weak); %s", referenceBatch, alive, REFERENCE_CHIPS, referenceSource)
                : "reference recipe: " + referenceSource;
        List<Candidate> space = space(set.maxSlots(), atBatch, globalBatch, topo, pc, np, roofline, alive, set.tensorParallel());
        if (set.virtualStages() > 0) space.removeIf(c -> c.virtualStages() != set.virtualStages());
        boolean onTile = alive <= topo.chipsPerTile();
        List<Outcome> estimated = new ArrayList<>();
        List<Outcome> rejected = new ArrayList<>();
        java.util.Map<Candidate, Long> simSize = new java.util.HashMap<>();
        long maxSize = set.maxSimulatedSize();
        int tooLarge = 0;
        int maxSlots = set.maxSlots();
        // the mapping error of each plan without interleaving: interleaving keeps its memory, so its
        // v > 1 siblings are rejected with the same message without mapping them
        java.util.Map<List<Long>, String> plainRejected = new java.util.HashMap<>();
        for (Candidate c : space) {
            List<Long> plainKey = List.of((long) c.tensorParallel(), (long) c.replicaChips(), (long) c.pipelineStages(), (long) c.microBatches(),
                    c.replicaBatch());
            String plainWhy = c.virtualStages() > 1 ? plainRejected.get(plainKey) : null;
            if (plainWhy != null) {
                rejected.add(new Outcome(c, "rejected", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN,
                        "as without interleaving (not mapped again): " + plainWhy));
                continue;
            }
            if (c.pipelineStages() > 1 && (long) c.pipelineStages() * c.microBatches() > maxSlots) {
                rejected.add(new Outcome(c, "rejected", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN,
                        "stages x micro-batches (" + (long) c.pipelineStages() * c.microBatches() + ") over run.mapping.maxPipelineSlots ("
                                + maxSlots + "), which bounds simulation time"));
                continue;
            }
            if (c.replicaBatch() < 1) {
                rejected.add(new Outcome(c, "rejected", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN,
                        "the global batch of " + globalBatch + " over " + c.dataParallel() + " replicas is fewer than one sample per replica"));
                continue;
            }
            Workload w;
            Mapper.Mapping m;
            try {
                w = atBatch.apply(c.replicaBatch());
                SystemSpec fixed = fix(cfg, c);
                m = StepRunner.map(fixed, w, topo, pc, np, roofline, false);
            } catch (ConfigException e) {
                rejected.add(new Outcome(c, "rejected", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, e.getMessage()));
                if (c.virtualStages() == 1) plainRejected.put(plainKey, e.getMessage());
                continue;
            }
            long size = simulationSize(m);
            Mapper.Mapping forEstimate = m;
            if (m.plan().pipelined() && m.stageOf().isEmpty() && onTile) {
                // on a tile (or less) the search builds a pipelined plan's graph for its estimate: the graph says what it
                // streams from HBM, which the pipeline estimate does not see (ADR 0105; larger machines' graphs take seconds each)
                try {
                    forEstimate = StepRunner.map(fix(cfg, c), w, topo, pc, np, roofline, true);
                } catch (ConfigException e) {
                    forEstimate = m;
                }
            }
            double est = estimate(forEstimate, topo, pc, roofline);
            simSize.put(c, size);
            long perChip = m.plan().footprintBytes() / Math.max(1, m.plan().stageChips());
            estimated.add(new Outcome(c, "estimated", est, Double.NaN, globalBatch / est, Double.NaN, perChip, Double.NaN,
                    "estimated " + fmt(est) + " per step"));
        }
        if (estimated.isEmpty()) {
            StringBuilder sb = new StringBuilder("no plan of workload '" + atBatch.apply(1).metadata().name() + "' at global batch " + globalBatch + " (" + batchSource + ") fits the system's "
                    + alive + " chips:");
            for (int i = 0; i < Math.min(3, rejected.size()); i++) {
                sb.append(" [").append(rejected.get(i).candidate().label()).append(": ").append(rejected.get(i).why()).append(']');
            }
            throw new ConfigException(sb + "; allowed: a smaller run.globalBatch"
                    + (!set.weakScaling() && set.globalBatch() == 0 ? ", run.batchScaling = weak" : "")
                    + ", or a larger system");
        }
        // rank by the estimate's samples per second; ties: fewer chips, then enumeration order
        estimated.sort(Comparator.comparingDouble((Outcome o) -> o.estimateSeconds())
                .thenComparingLong(o -> o.candidate().chipsUsed()));
        int k = Math.min(set.simulate(), estimated.size());
        if (set.mode().equals("estimate")) k = 1;
        // candidates estimated at more than run.plan.simulateWithin x the best estimate are not
        // simulated: the estimate's error stays well inside 2x (docs/validation.md) and such plans
        // are the slowest to simulate
        double within = set.simulateWithin();
        int near = 0;
        while (near < estimated.size() && (within == 0 || estimated.get(near).estimateSeconds() <= within * estimated.get(0).estimateSeconds())) near++;
        k = Math.min(k, near);
        estimated = diverse(estimated, k);
        List<Outcome> simulated = new ArrayList<>();
        StepRunner.Report bestReport = null;
        Workload bestW = null;
        int bestIdx = -1;
        double errSum = 0;
        double errMax = 0;
        // simulate the first k; a candidate the simulation refuses (a cycle-level program that
        // does not fit a node's SRAM, say) is rejected with its reason and the next one within
        // reach of the estimate takes its place
        java.util.Set<Outcome> tried = new java.util.HashSet<>();
        ConfigException firstRefusal = null;
        int refused = 0;
        // candidates are simulated in batches of the k - (simulated so far) next within reach, each batch
        // on up to workers.threads() threads at once (one candidate per thread); results are taken in
        // the estimate's order, so the outcome is that of simulating them one after another
        // after the first simulation (unless run.plan.simulateWithin = 0, the exhaustive search), a candidate whose estimate times the smallest simulated / estimated
        // ratio so far (the estimate's measured error, taken at its least optimistic) exceeds the best
        // simulated step by more than PRUNE_MARGIN is not simulated: its simulation would not win,
        // and it counts among the run.plan.simulate candidates (nothing further down is taken instead).
        // The first batch is one candidate, the next the rest, whatever the thread count, so the
        // pruning and the result do not depend on it.
        java.util.Map<Outcome, String> pruned = new java.util.HashMap<>();
        double ratioMin = Double.POSITIVE_INFINITY;
        double bestSim = Double.POSITIVE_INFINITY;
        int next = 0;
        // once the ranking is done, the best simulated shape's adjacent micro-batch counts (the nearest
        // below and above, within M / 2 to 2 M) are simulated too, beyond run.plan.simulate: the estimate
        // hardly tells a shape's micro-batch counts apart, while their simulations differ by up to 43 %
        // (resnet50 on a tray, docs/validation.md)
        boolean mainDone = false;
        boolean refined = false;
        boolean reranked = false;
        boolean swept = false;
        // not at cycle fidelity (each share simulated: minutes), nor when one simulation is asked for
        boolean sweepTile = alive <= topo.chipsPerTile() * Math.max(1, topo.tilesPerTray())
                && cfg.run().computeFidelity() != SystemSpec.ComputeFidelity.CYCLE && set.simulate() > 1;
        // the estimate's error by kind of plan (pipelined or not), measured on the simulated ones: its
        // non-pipelined max(compute, communication, HBM) misses how little HBM streaming overlaps compute
        // (bert-large on a tile: 1.37x to 1.82x), while its pipelined estimate is within 7 % (ADR 0105)
        double[] kindRatio = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        while (true) {
            if (!reranked && !simulated.isEmpty() && !mainDone) {
                // after the first simulation: the rest within reach in the order of their estimates
                // corrected by their kind's measured error (an unmeasured kind: the estimate itself, or
                // the smallest ratio when that is below 1), one per shape first (diverse)
                reranked = true;
                int end = Math.max(next, Math.min(near, estimated.size()));
                List<Outcome> rest = new ArrayList<>(estimated.subList(next, end));
                final double rmin = ratioMin;
                rest.sort(Comparator.comparingDouble((Outcome o) -> o.estimateSeconds() * kindRatio(kindRatio, o.candidate(), rmin))
                        .thenComparingLong(o -> o.candidate().chipsUsed()));
                // one per shape counting the shapes already simulated: they lead the list diverse() reorders
                List<Outcome> withDone = new ArrayList<>(simulated.size() + rest.size());
                for (Outcome o : estimated.subList(0, next)) if (tried.contains(o)) withDone.add(o);
                int done = withDone.size();
                withDone.addAll(rest);
                List<Outcome> div = diverse(withDone, Math.max(0, k - pruned.size()));
                rest = new ArrayList<>(div.size() - done);
                for (Outcome o : div) if (!tried.contains(o)) rest.add(o);
                for (int i = 0; i < rest.size(); i++) estimated.set(next + i, rest.get(i));
            }
            List<Outcome> batch = new ArrayList<>();
            if (mainDone || !(simulated.size() + pruned.size() < k && next < estimated.size() && (next < k || next < near))) {
                mainDone = true;
                if (!refined && bestIdx >= 0 && set.simulate() > 1 && !set.mode().equals("estimate") && within != 0) {
                    // the best simulated shape's adjacent micro-batch counts, one below and one above (ADR 0105):
                    // the estimate tells them apart by 0.1 % while their simulations differ by up to 28 %
                    // (resnet50 on the ExaPOD: 4 micro-batches 3.565 ms, 8 micro-batches 4.509 ms)
                    refined = true;
                    for (Outcome sib : neighbours(estimated, simulated.get(bestIdx).candidate(), tried, simSize, maxSize)) {
                        tried.add(sib);
                        pruned.remove(sib);
                        batch.add(sib);
                    }
                }
                if (batch.isEmpty()) {
                    // on a tile or a tray, simulations are cheap and the estimate's error between plans of one kind (up to
                    // 10 %) exceeds their differences: also simulate the candidates predicted within
                    // TILE_SWEEP_MARGIN of the best simulated step (estimate x its kind's smallest ratio), up to
                    // TILE_SWEEP more, best prediction first (ADR 0105)
                    if (swept || bestIdx < 0 || !sweepTile || set.mode().equals("estimate") || within == 0) break;
                    swept = true;
                    refined = true;
                    List<Outcome> sweep = new ArrayList<>();
                    for (Outcome o : estimated) {
                        if (tried.contains(o) || (maxSize > 0 && simSize.getOrDefault(o.candidate(), 0L) > maxSize)) continue;
                        if (o.estimateSeconds() * kindRatio(kindRatio, o.candidate(), ratioMin) <= bestSim * (1 + TILE_SWEEP_MARGIN)) sweep.add(o);
                    }
                    final double rmin = ratioMin;
                    sweep.sort(Comparator.comparingDouble((Outcome o) -> o.estimateSeconds() * kindRatio(kindRatio, o.candidate(), rmin))
                            .thenComparingLong(o -> o.candidate().chipsUsed()));
                    for (Outcome o : sweep.subList(0, Math.min(TILE_SWEEP, sweep.size()))) {
                        tried.add(o);
                        pruned.remove(o);
                        batch.add(o);
                    }
                    if (batch.isEmpty()) break;
                }
            }
            int want = mainDone ? 0 : simulated.isEmpty() ? 1 : k - simulated.size() - pruned.size();
            while (batch.size() < want && next < estimated.size() && (next < k || next < near)) {
                Outcome o = estimated.get(next++);
                double ratio = kindRatio(kindRatio, o.candidate(), ratioMin);
                if (within > 0 && !simulated.isEmpty() && o.estimateSeconds() * ratio > bestSim * (1 + PRUNE_MARGIN)) {
                    pruned.put(o, String.format(Locale.ROOT, "not simulated: its estimate x %.3f (the smallest simulated / estimated ratio so far"
                            + " of %s plans) predicts %s, over %.0f %% above the best simulated %s", ratio,
                            o.candidate().pipelineStages() > 1 ? "pipelined" : "unpipelined", fmt(o.estimateSeconds() * ratio),
                            100 * PRUNE_MARGIN, fmt(bestSim)));
                    // a pruned candidate takes its place among the k: the search does not reach further down the ranking
                    want--;
                    continue;
                }
                tried.add(o);
                long size = simSize.getOrDefault(o.candidate(), 0L);
                if (maxSize > 0 && size > maxSize) {
                    // its simulation's memory grows with operations x chips; the next candidate takes its place
                    tooLarge++;
                    rejected.add(0, new Outcome(o.candidate(), "rejected", o.estimateSeconds(), Double.NaN, Double.NaN, Double.NaN,
                            o.memoryPerChipBytes(), Double.NaN, "not simulated: about " + size + " chip-operations (graph operations x stage chips)"
                            + " over run.plan.maxSimulatedSize (" + maxSize + "), which bounds the search's memory"));
                    continue;
                }
                batch.add(o);
            }
            if (batch.isEmpty()) {
                mainDone = true;
                continue;
            }
            Object[] ran = simulateAll(cfg, atBatch, batch, workers);
            for (int bi = 0; bi < batch.size(); bi++) {
            Outcome o = batch.get(bi);
            Workload w = atBatch.apply(o.candidate().replicaBatch());
            StepRunner.Report r;
            if (ran[bi] instanceof ConfigException e) {
                if (firstRefusal == null) firstRefusal = e;
                refused++;
                rejected.add(0, new Outcome(o.candidate(), "rejected", o.estimateSeconds(), Double.NaN, Double.NaN, Double.NaN,
                        o.memoryPerChipBytes(), Double.NaN, "the simulation refused it: " + e.getMessage()));
                continue;
            }
            r = (StepRunner.Report) ran[bi];
            double sim = r.summary().stepTimeSeconds();
            double usefulShare = globalBatch / ((double) o.candidate().dataParallel() * o.candidate().replicaBatch());
            double mfu = r.summary().mfu() * usefulShare;
            double exposed = r.summary().exposedCommunicationSeconds();
            double err = Math.abs(o.estimateSeconds() - sim) / sim;
            errSum += err;
            errMax = Math.max(errMax, err);
            Outcome s = new Outcome(o.candidate(), "simulated", o.estimateSeconds(), sim, globalBatch / sim, mfu, o.memoryPerChipBytes(), exposed,
                    String.format(Locale.ROOT, "simulated %s per step (estimate %s, %+.1f %%)", fmt(sim), fmt(o.estimateSeconds()),
                            100 * (o.estimateSeconds() - sim) / sim));
            simulated.add(s);
            ratioMin = Math.min(ratioMin, sim / o.estimateSeconds());
            int kind = o.candidate().pipelineStages() > 1 ? 1 : 0;
            kindRatio[kind] = Math.min(kindRatio[kind], sim / o.estimateSeconds());
            bestSim = Math.min(bestSim, sim);
            if (bestIdx < 0 || better(s, simulated.get(bestIdx))) {
                bestIdx = simulated.size() - 1;
                bestReport = r;
                bestW = w;
            }
            }
        }
        if (simulated.isEmpty()) {
            if (firstRefusal == null) {
                throw new ConfigException("every candidate of the plan search within reach of the estimate is over run.plan.maxSimulatedSize ("
                        + maxSize + " chip-operations; " + tooLarge + " skipped); allowed: a larger run.plan.maxSimulatedSize, or 0 for no bound");
            }
            throw firstRefusal;
        }
        k = simulated.size();
        Outcome best = simulated.get(bestIdx);
        String chosenWhy = String.format(Locale.ROOT, "the fastest simulated of %d candidates (%d estimated, %d simulated, %d rejected): %s per step,"
                        + " %.4g samples/s at global batch %d", space.size(), estimated.size() - refused, k, rejected.size(), fmt(best.simulatedSeconds()),
                best.samplesPerSecond(), globalBatch);
        List<Outcome> out = new ArrayList<>();
        List<Outcome> simSorted = new ArrayList<>(simulated);
        simSorted.sort(Comparator.comparingDouble(Outcome::simulatedSeconds).thenComparingLong(o -> o.candidate().chipsUsed()));
        Outcome chosen = best.with("chosen", chosenWhy);
        for (Outcome s : simSorted) {
            if (s == best) {
                out.add(chosen);
            } else {
                out.add(s.with("simulated", s.why() + String.format(Locale.ROOT, "; %.1f %% slower than the chosen plan",
                        100 * (s.simulatedSeconds() / best.simulatedSeconds() - 1))));
            }
        }
        List<Outcome> byEstimate = new ArrayList<>(estimated);
        byEstimate.sort(Comparator.comparingDouble((Outcome o) -> o.estimateSeconds()).thenComparingLong(o -> o.candidate().chipsUsed()));
        for (Outcome e : byEstimate) {
            if (tried.contains(e)) continue;
            if (pruned.containsKey(e)) {
                out.add(e.with("estimated", e.why() + ", " + pruned.get(e)));
                continue;
            }
            double above = e.estimateSeconds() / estimated.get(0).estimateSeconds();
            out.add(e.with("estimated", e.why() + String.format(Locale.ROOT, ", %.1f %% above the best estimate; not simulated (%s)",
                    100 * (above - 1), within > 0 && above > within
                    ? "over run.plan.simulateWithin x the best estimate" : "run.plan.simulate = " + set.simulate())));
        }
        out.addAll(rejected);
        return new Result(globalBatch, batchSource, List.copyOf(out), chosen, estimated.size() - refused, k, rejected.size(), errSum / k, errMax,
                bestReport, fixWithBatch(cfg, best.candidate(), globalBatch), bestW);
    }

    /**
     * @return the smallest simulated / estimated ratio of the candidate's kind (pipelined or not) so
     * far; for a kind not simulated yet the smallest ratio of any kind when below 1, else 1 (its
     * estimate as it is)
     */
    static double kindRatio(double[] kindRatio, Candidate c, double ratioMin) {
        double r = kindRatio[c.pipelineStages() > 1 ? 1 : 0];
        return Double.isFinite(r) ? r : Math.min(1.0, ratioMin);
    }

    /**
     * @return the size of a candidate's simulation, which its memory follows: graph operations x a
     * stage's chips (a pipelined plan whose graph the estimate did not build: its slots' flows,
     * {@link Mapper#simulatedFlows})
     */
    static long simulationSize(Mapper.Mapping m) {
        Plan p = m.plan();
        if (p.pipelined() && m.stageOf().isEmpty()) {
            return Mapper.simulatedFlows(p.pipelineStages(), p.stageChips(), p.microBatches());
        }
        return (long) m.graph().size() * p.stageChips();
    }

    /**
     * Simulates each candidate's fixed plan: one after another on {@code workers} when it has one
     * thread or the batch one candidate, else up to {@code workers.threads()} at once, each on its
     * own thread with a single-lane team (a run's result does not depend on its threads).
     *
     * @return per candidate its {@link StepRunner.Report} or the {@link ConfigException} the simulation refused it with
     */
    static Object[] simulateAll(SystemSpec cfg, LongFunction<Workload> atBatch, List<Outcome> batch, Workers workers) {
        Object[] out = new Object[batch.size()];
        int threads = Math.min(batch.size(), workers.threads());
        if (threads <= 1) {
            for (int i = 0; i < out.length; i++) out[i] = simulateOne(cfg, atBatch, batch.get(i).candidate(), workers);
            return out;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, rn -> {
            Thread th = new Thread(rn, "plan-search");
            th.setDaemon(true);
            return th;
        });
        try {
            List<java.util.concurrent.Future<Object>> fs = new ArrayList<>();
            for (Outcome o : batch) {
                fs.add(pool.submit(() -> simulateOne(cfg, atBatch, o.candidate(), Workers.single())));
            }
            for (int i = 0; i < out.length; i++) {
                try {
                    out[i] = fs.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    if (e.getCause() instanceof Error er) throw er;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("plan search interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static Object simulateOne(SystemSpec cfg, LongFunction<Workload> atBatch, Candidate c, Workers workers) {
        try {
            return StepRunner.run(fix(cfg, c), atBatch.apply(c.replicaBatch()), StepExecutor.TimelineSink.NONE, workers);
        } catch (ConfigException e) {
            return e;
        }
    }

    /**
     * Reorders the estimate's ranking so its first {@code k} hold at most one candidate per (tensor
     * degree, stages, replica chips) while other shapes remain, and the best candidate without tensor
     * parallelism: candidates of one shape that differ only in
     * micro-batches rarely differ much in simulation, while the estimate's error is largest between
     * shapes. The rest keep the estimate's order.
     */
    static List<Outcome> diverse(List<Outcome> ranked, int k) {
        List<Outcome> first = new ArrayList<>();
        java.util.Set<Long> shapes = new java.util.HashSet<>();
        for (Outcome o : ranked) {
            if (first.size() == k) break;
            long shape = ((long) o.candidate().tensorParallel() << 48) | ((long) o.candidate().pipelineStages() << 32) | o.candidate().replicaChips();
            if (shapes.add(shape)) first.add(o);
        }
        for (Outcome o : ranked) {
            if (first.size() == k) break;
            if (!first.contains(o)) first.add(o);
        }
        // the best plan without tensor parallelism is always simulated: the estimate's error is
        // largest between degrees (docs/validation.md), so a tensor-parallel plan wins only by simulation
        if (k >= 2 && first.stream().noneMatch(o -> o.candidate().tensorParallel() == 1)) {
            for (Outcome o : ranked) {
                if (o.candidate().tensorParallel() == 1) {
                    first.set(first.size() - 1, o);
                    break;
                }
            }
        }
        List<Outcome> out = new ArrayList<>(first);
        for (Outcome o : ranked) {
            if (!first.contains(o)) out.add(o);
        }
        return out;
    }

    /**
     * @return the candidates of the ranking with the shape of {@code best} (t, S, replica chips, v) and
     * the adjacent micro-batch counts, the largest below its own and the smallest above it, each within
     * half to twice its own and the simulation bound, without those already tried (pruned ones
     * included: their estimate cannot tell them apart); empty when there is none
     */
    static List<Outcome> neighbours(List<Outcome> ranked, Candidate best, java.util.Set<Outcome> tried,
                                    java.util.Map<Candidate, Long> simSize, long maxSize) {
        Outcome below = null;
        Outcome above = null;
        for (Outcome o : ranked) {
            Candidate c = o.candidate();
            if (c.tensorParallel() != best.tensorParallel() || c.pipelineStages() != best.pipelineStages()
                    || c.replicaChips() != best.replicaChips() || c.virtualStages() != best.virtualStages()
                    || c.microBatches() == best.microBatches()) continue;
            if (2 * c.microBatches() < best.microBatches() || c.microBatches() > 2 * best.microBatches()) continue;
            if (maxSize > 0 && simSize.getOrDefault(c, 0L) > maxSize) continue;
            if (c.microBatches() < best.microBatches()) {
                if (below == null || c.microBatches() > below.candidate().microBatches()) below = o;
            } else if (above == null || c.microBatches() < above.candidate().microBatches()) {
                above = o;
            }
        }
        List<Outcome> out = new ArrayList<>(2);
        for (Outcome o : new Outcome[] {below, above}) if (o != null && !tried.contains(o)) out.add(o);
        return out;
    }

    private static boolean better(Outcome a, Outcome b) {
        if (a.simulatedSeconds() < b.simulatedSeconds() * (1 - 1e-9)) return true;
        return a.simulatedSeconds() <= b.simulatedSeconds() * (1 + 1e-9) && a.candidate().chipsUsed() < b.candidate().chipsUsed();
    }

    /**
     * @return the system with the candidate's choices fixed (replica chips, stages, micro-batches,
     * replica batch), so the fixed plan is what runs; the resolved config written beside the
     * results fixes the same keys ({@code io.dojosim.pod.bind.SpecBinder#fixPlan})
     */
    public static SystemSpec fix(SystemSpec cfg, Candidate c) {
        return cfg.withRun(cfg.run().withPlan(c.replicaChips(), c.pipelineStages(), c.microBatches(), c.replicaBatch(),
                c.tensorParallel(), c.virtualStages()));
    }

    /** @return {@link #fix} and the global batch the search used, so the spec reproduces the run's accounting */
    public static SystemSpec fixWithBatch(SystemSpec cfg, Candidate c, long globalBatch) {
        SystemSpec f = fix(cfg, c);
        return f.withRun(f.run().withGlobalBatch(globalBatch));
    }

    /**
     * The plan space: every region size the mapper knows without pipelining, and when the
     * workload can be pipelined, stages (powers of two up to its layers, and its layer count) of
     * the mapper's stage regions with the micro-batch counts of {@link #microBatchChoices}; S also
     * takes the counts that fill the machine with one stage region each (alive chips / stage chips,
     * up to the layers).
     */
    static List<Candidate> space(int maxSlots, LongFunction<Workload> atBatch, long globalBatch, Topology topo, PodConfig pc,
                                 NodeParams np, RegionComputeModel timing, int alive) {
        return space(maxSlots, atBatch, globalBatch, topo, pc, np, timing, alive, 0);
    }

    /**
     * The plan space at each tensor-parallel degree t ({@code fixedTp} when above 0, else
     * {@link TensorParallel#degrees}: 1 and the divisors of the workload's heads up to a tile's
     * chips): the spaces of {@link #space} on a machine whose chips are groups of t
     * ({@link TensorParallel#virtualShape}), each region's chips times t.
     */
    static List<Candidate> space(int maxSlots, LongFunction<Workload> atBatch, long globalBatch, Topology topo, PodConfig pc,
                                 NodeParams np, RegionComputeModel timing, int alive, int fixedTp) {
        Workload probe = atBatch.apply(1);
        List<Integer> degrees = fixedTp > 0 ? List.of(fixedTp) : TensorParallel.degrees(probe, topo.chipsPerTile(), MAX_TENSOR_PARALLEL);
        List<Candidate> out = new ArrayList<>();
        for (int t : degrees) {
            Mapper.SystemShape vs = TensorParallel.virtualShape(StepRunner.shape(topo, pc, np), t);
            for (Candidate c : space(maxSlots, probe, globalBatch, vs, t == 1 ? alive : vs.aliveChips())) {
                out.add(new Candidate(c.replicaChips() * t, c.pipelineStages(), c.microBatches(), c.dataParallel(), c.replicaBatch(), t,
                        c.virtualStages()));
            }
        }
        return out;
    }

    private static List<Candidate> space(int maxSlots, Workload probe, long globalBatch, Mapper.SystemShape shape, int alive) {
        List<Candidate> out = new ArrayList<>();
        for (int c : Mapper.candidates(shape)) {
            int d = alive / c;
            if (d < 1) continue;
            out.add(new Candidate(c, 1, 1, d, d > globalBatch ? 0 : ceilDiv(globalBatch, d)));
        }
        PipelineBuilder pb = new PipelineBuilder(probe.primary(), 0, false);
        if (pb.notPipelinable() != null) {
            return out;
        }
        int layers = pb.units();
        List<Integer> stages = new ArrayList<>();
        for (int st = 2; st <= layers; st *= 2) stages.add(st);
        if (!stages.contains(layers) && layers >= 2) stages.add(layers);
        // and the stage counts that fill the machine with one replica of each stage region
        for (int sc : Mapper.stageCandidates(shape)) {
            int fill = alive / sc;
            if (fill >= 2 && fill <= layers && !stages.contains(fill)) stages.add(fill);
        }
        java.util.Collections.sort(stages);
        for (int st : stages) {
            for (int sc : Mapper.stageCandidates(shape)) {
                long replica = (long) st * sc;
                if (replica > alive) continue;
                int d = (int) (alive / replica);
                if (d < 1) continue;
                for (int m : microBatchChoices(st, d > globalBatch ? 0 : ceilDiv(globalBatch, d), maxSlots)) {
                    long b = d > globalBatch ? 0 : (long) ceilDiv(ceilDiv(globalBatch, d), m) * m;
                    out.add(new Candidate((int) replica, st, m, d, b));
                    // interleaved 1F1B: v model chunks per stage where the layers divide into S v chunks and M is a multiple of S
                    for (int v = 2; v <= MAX_VIRTUAL_STAGES && (long) st * v <= layers; v *= 2) {
                        if (layers % (st * v) == 0 && m % st == 0) out.add(new Candidate((int) replica, st, m, d, b, 1, v));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Micro-batch counts for S stages and a replica batch of b: S, 2S and 4S, the divisors of b
     * from S to 8S (no padding), and b itself (micro-batches of one sample, the least memory) when
     * S x b stays within the slot bound; ascending, without repeats.
     */
    static List<Integer> microBatchChoices(int stages, long replicaBatch, int maxSlots) {
        java.util.TreeSet<Integer> m = new java.util.TreeSet<>();
        for (int mult : new int[] {1, 2, 4}) m.add(stages * mult);
        for (long v = stages; v <= Math.min(8L * stages, replicaBatch); v++) {
            if (replicaBatch % v == 0) m.add((int) v);
        }
        if (replicaBatch >= stages && replicaBatch * stages <= maxSlots) m.add((int) replicaBatch);
        return new ArrayList<>(m);
    }

    /**
     * The estimate of one mapped plan, in seconds per step. Without pipelining: the replica's
     * compute (each operation timed on its chips by the roofline), against its weight all-gathers
     * and gradient collectives ((c - 1) / c of the bytes at one die-to-die link per chip inside a
     * tile, or the tile edge's share across tiles; the cross-replica all-reduce 2 (D - 1) / D of
     * the shard, plus one step latency per ring step of a hierarchy of rows, tiles, trays), and
     * against HBM streaming over the replica's share of the HBM bandwidth: the largest of the
     * three. With pipelining: the mapper's estimate plus the cross-replica all-reduce.
     */
    static double estimate(Mapper.Mapping m, Topology topo, PodConfig pc, RegionComputeModel timing) {
        Plan p = m.plan();
        int t = p.tensorParallel();
        int c = p.rankChips();   // a tensor-parallel rank's chips: what its operations split over and its gathers span
        int d = p.dataParallel();
        int alive = topo.aliveChips();
        double inTile = pc.dieToDieBps();
        double acrossTiles = Math.min(pc.dieToDieBps(), pc.tileEdgeBps() / pc.chipsY());
        double gatherBw = p.stageChips() <= topo.chipsPerTile() ? inTile : acrossTiles;
        long[] tpBytes = new long[3];
        long[] tpCount = new long[3];
        double crossBw = (long) p.stageChips() * d <= topo.chipsPerTile() ? inTile : acrossTiles;
        double compute = 0;
        double gathers = 0;
        double gradients = 0;
        double hbmBytes = 0;
        long gradientBytes = 0;
        double p2pBytes = 0;
        double forwardOutputBytes = 0;
        double forwardWeightBytes = 0;
        int units = 0;
        java.util.Set<String> layers = new java.util.HashSet<>();
        for (Operation op : m.graph().ops()) {
            if (op instanceof ComputeOp co) {
                if (co.phase() == io.dojosim.workload.Phase.FORWARD) {
                    forwardOutputBytes += co.outputBytes();
                    forwardWeightBytes += co.weightBytes();
                    if (co.layer() != null && layers.add(co.layer())) units++;
                }
                if (p.pipelined()) {
                    continue; // the mapper's pipeline estimate has timed the stages already
                } else if (co.costing() == Costing.MODELED) {
                    compute += timing.time(co, c).busyPs() / 1e12;
                } else {
                    compute += co.measuredDurationPs() / 1e12;
                }
            } else if (op instanceof CollectiveOp co && TensorParallel.isTensorParallel(co)) {
                int k = co.collective() == io.dojosim.workload.CollectiveKind.ALL_REDUCE ? 0
                        : co.collective() == io.dojosim.workload.CollectiveKind.ALL_GATHER ? 1 : 2;
                tpBytes[k] += co.bytes();
                tpCount[k]++;
            } else if (op instanceof CollectiveOp co) {
                boolean dp = co.group().dimension() == ParallelDim.DATA || co.group().dimension() == ParallelDim.ALL;
                if (dp) {
                    gradientBytes += co.bytes();
                    if (c > 1) gradients += co.bytes() * (c - 1.0) / c / gatherBw + 2.0 * (c - 1) * STEP_LATENCY_SECONDS / Math.max(1, c);
                } else if (c > 1) {
                    gathers += co.bytes() * (c - 1.0) / c / gatherBw + ringSteps(c, topo) * STEP_LATENCY_SECONDS;
                }
            } else if (op instanceof MemoryOp mo) {
                hbmBytes += mo.bytes();
            } else if (op instanceof io.dojosim.workload.PointToPointOp pp && pp.direction() == io.dojosim.workload.PointToPointOp.Direction.SEND) {
                p2pBytes += pp.bytes();
            }
        }
        double crossReplica = 0;
        if (d > 1 && gradientBytes > 0) {
            double shard = (double) gradientBytes / c;
            crossReplica = 2.0 * (d - 1) / d * shard / crossBw + 2.0 * ringSteps(d, topo) * STEP_LATENCY_SECONDS * Math.max(1, p.gradientBuckets());
        }
        double hbmBw = Math.max(1.0, StepRunner.usableDips(topo) * Math.min(pc.hbmBps(), pc.dipLinkBps()) * (double) p.replicaChips() / alive);
        double hbm = hbmBytes * t / hbmBw;   // every rank of a group moves its own bytes
        if (p.pipelined()) {
            // transfers between stages: each chip sends its share to its peer of the next stage,
            // over the tile edge inside a tray, over the tray's Ethernet share per chip beyond it
            int chipsPerTray = topo.chipsPerTile() * Math.max(1, topo.tilesPerTray());
            double perChip = (long) p.replicaChips() <= chipsPerTray ? acrossTiles : Math.min(acrossTiles, ethernetPerChip(topo, pc));
            // the graph is not built for the estimate: each of the S - 1 cuts carries about one
            // unit's forward output each way, per replica batch
            double boundary = p2pBytes > 0 ? p2pBytes : 2.0 * (p.pipelineStages() - 1) * forwardOutputBytes / Math.max(1, units);
            double stageTransfers = boundary / p.stageChips() / perChip / Math.max(1, p.pipelineStages());
            // a stage wider than a tray gathers its weights every micro-batch, forward and backward,
            // on a ring whose link between the trays is one DIP's Ethernet; the mapper's estimate
            // counted that link at a tile edge's share
            double trayGathers = 0;
            if (c > chipsPerTray) {
                double stageWeights = forwardWeightBytes / p.pipelineStages();
                trayGathers = 2.0 * p.microBatches() * stageWeights * (c - 1.0) / c
                        * Math.max(0, 1 / Math.max(1.0, pc.ethernetBps()) - 1 / acrossTiles);
            }
            // HBM streaming (known when the graph was built) in series with the stages' compute, as the simulation runs it
            return p.estimatedStepSeconds() + crossReplica + stageTransfers + trayGathers + hbm;
        }
        // Megatron's collectives wait for the operation before them and hold up the one after: in series with compute
        for (int k = 0; k < 3; k++) tpBytes[k] = Mapper.ceilDiv(tpBytes[k], c);   // each group holds 1/c of the rank's batch
        double tensor = Mapper.tensorParallelSeconds(tpBytes, tpCount, t, inTile);
        // HBM streaming in series with compute: the simulated steps overlap little of it (bert-large on a
        // tile: max(compute, HBM) was 27 % to 45 % below the simulated step, the sum 2 % to 22 % above; ADR 0105)
        return Math.max(compute + tensor + hbm, gathers + gradients + crossReplica);
    }

    /** Ring steps of a hierarchical schedule over n chips: rows of a tile, its rows, then tiles, trays. */
    static int ringSteps(int n, Topology topo) {
        int row = Math.max(1, topo.config().chipsX());
        int tile = Math.max(1, topo.chipsPerTile());
        if (n <= row) return n - 1;
        if (n <= tile) return (row - 1) + (ceilDiv(n, row) - 1);
        int tiles = ceilDiv(n, tile);
        int tray = Math.max(1, topo.tilesPerTray());
        if (tiles <= tray) return (row - 1) + (tile / row - 1) + (tiles - 1);
        return (row - 1) + (tile / row - 1) + (tray - 1) + (ceilDiv(tiles, tray) - 1);
    }

    /** @return the Ethernet bandwidth of the system's usable DIPs over its alive chips */
    private static double ethernetPerChip(Topology topo, PodConfig pc) {
        return Math.max(1.0, StepRunner.usableDips(topo) * pc.ethernetBps() / topo.aliveChips());
    }

    private static int ceilDiv(long a, long b) {
        return (int) Math.min(Integer.MAX_VALUE, (a + b - 1) / b);
    }

    static String fmt(double seconds) {
        double a = Math.abs(seconds);
        if (a >= 1) return String.format(Locale.ROOT, "%.3f s", seconds);
        if (a >= 1e-3) return String.format(Locale.ROOT, "%.3f ms", seconds * 1e3);
        return String.format(Locale.ROOT, "%.3f us", seconds * 1e6);
    }

    /**
     * The search as summary.json's {@code plan.search} reports it.
     *
     * @param top the first outcomes of {@link Result#outcomes()} (simulated first, fastest first)
     */
    public record Summary(long globalBatch, int candidates, int estimated, int simulated, int rejected, double estimateErrorMean,
                          double estimateErrorMax, List<Outcome> top) {
        public Summary {
            top = List.copyOf(top);
        }
    }

    /**
     * The run's summary with the search in it: {@code workload.globalBatch}, samples and tokens per
     * step of the global batch (not the padded replicas'), FLOPs and MFU of the useful samples, and
     * {@code plan.search} (docs/results-format.md).
     */
    public static StepSummary annotate(StepSummary summary, Result r, int listed) {
        StepSummary s = globalBatch(summary, r.globalBatch(), r.batchSource());
        Summary search = new Summary(r.globalBatch(), r.outcomes().size(), r.estimated(), r.simulated(), r.rejected(),
                r.estimateErrorMean(), r.estimateErrorMax(), r.outcomes().subList(0, Math.min(listed, r.outcomes().size())));
        return s.withPlan(s.plan().withSearch(r.chosen().why(), search));
    }

    /**
     * The run's summary accounted at a global batch: samples and tokens per step are G's, and FLOPs,
     * achieved TFLOPS and MFU count only the FLOPs of G samples (the replicas ran
     * {@code plan.dataParallel} x {@code workload.batchPerReplica} >= G).
     *
     * @throws ConfigException when the replicas run fewer than G samples
     */
    public static StepSummary globalBatch(StepSummary summary, long globalBatch, String source) {
        StepSummary.Workload wl = summary.workload();
        long padded = wl.samplesPerStep();
        if (padded < globalBatch) {
            throw new ConfigException("key 'run.globalBatch': " + globalBatch + " samples per step, but the plan's replicas run " + padded
                    + " (plan.dataParallel x run.batchPerReplica); allowed: at most " + padded + ", or 0 with run.batchPerReplica 0 to let the plan search split it");
        }
        double useful = globalBatch / (double) padded;
        double step = summary.stepTimeSeconds();
        long tokens = Math.round(wl.tokensPerStep() * useful);
        wl = wl.withGlobalBatch(globalBatch, tokens, new StepSummary.GlobalBatch(globalBatch, source, java.util.OptionalLong.of(padded - globalBatch)));
        return summary.withWorkload(wl).withRates(globalBatch / step, tokens / step).withUsefulShare(useful);
    }

    /**
     * The summary of a recorded trace whose samples per step {@code run.globalBatch} states: samples
     * and tokens per step (tokens scaled with the samples) and their rates; FLOPs and MFU stay the
     * trace's, since the work is what was recorded.
     */
    public static StepSummary traceBatch(StepSummary summary, long globalBatch) {
        StepSummary.Workload wl = summary.workload();
        long inferred = wl.samplesPerStep();
        long tokens = wl.tokensPerStep();
        long scaledTokens = inferred > 0 ? Math.round(tokens * (double) globalBatch / inferred) : tokens;
        double step = summary.stepTimeSeconds();
        wl = wl.withGlobalBatch(globalBatch, scaledTokens, new StepSummary.GlobalBatch(globalBatch,
                "run.globalBatch (the trace's samples per step; " + inferred + " inferred from its shapes)", java.util.OptionalLong.empty()));
        return summary.withWorkload(wl).withRates(globalBatch / step, scaledTokens / step);
    }
}
