package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MarkerOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.Operation;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses how a workload runs on the machine and rewrites its graph for the executor.
 *
 * <p>The replica's footprint is weights + gradients + optimizer state + the activations the forward
 * pass keeps for the backward pass. The mapper takes the smallest candidate region (1 chip, a tile
 * row of 5, a tile of 25, then whole tiles) whose usable SRAM holds the footprint, and fills the
 * system with data-parallel replicas of that size. When even the whole system's SRAM is too small,
 * one replica spans the system and what does not fit moves through DIP HBM: the weights, when the
 * model state alone is too big (an HBM-to-SRAM transfer before each operation that reads them,
 * prefetched on the executor's memory streams), and the share of the kept activations that does not
 * fit (written to HBM after the forward operation, read back before the layer's backward pass). On a multi-chip region the replica's weights are sharded over
 * its chips and each operation's weights are all-gathered before it runs (FSDP style); the
 * operation's work is split over the region's chips by batch item, then along M (see
 * {@link D1RegionCompute}); gradients are reduce-scattered over the region before the
 * data-parallel all-reduce (see {@link PodStepBackend}).
 *
 * <p>When no region's SRAM holds the replica, the mapper also considers pipelines
 * ({@link PipelineBuilder}): S stages of c chips, M micro-batches, D = chips / (S x c) replicas, and
 * keeps the candidate with the most samples per second by the estimate of {@link #estimate}
 * (docs/model/step.md#choosing-a-plan). {@code run.mapping.*} fixes any of these.
 *
 * <p>Caveats: the estimate ignores the data-parallel all-reduce and transfers between stages (both
 * are simulated once the plan is chosen); pipelines are considered only when the replica does not
 * fit a region's SRAM, since they add a bubble and do not reduce the work per chip.
 */
public final class Mapper {
    /**
     * The machine as the mapper sees it.
     *
     * @param hbmBytes            usable DIP HBM of the whole system
     * @param hbmBytesPerSecond   HBM bandwidth of the whole system (every usable DIP)
     * @param gatherBpsInTile     per-chip bandwidth of an all-gather inside a tile (one die-to-die link)
     * @param gatherBpsAcrossTiles per-chip bandwidth of an all-gather spanning tiles (a tile edge shared by a chip row)
     * @param tilesPerTray        tiles joined by tile-to-tile links; a pipeline stage never straddles two trays
     */
    public record SystemShape(int aliveChips, int chipsPerTile, int nodesPerChip, long sramBytesPerNode,
                              long hbmBytes, double hbmBytesPerSecond, double gatherBpsInTile, double gatherBpsAcrossTiles, int tilesPerTray) {
        /** A machine whose HBM is unbounded (tests of the SRAM rules). */
        public SystemShape(int aliveChips, int chipsPerTile, int nodesPerChip, long sramBytesPerNode) {
            this(aliveChips, chipsPerTile, nodesPerChip, sramBytesPerNode, Long.MAX_VALUE / 4, 1e12 * aliveChips, 1e11, 1e11, 1);
        }
    }

    /**
     * The plan, the graph the executor runs, the pipeline stage of each operation id (empty: all on
     * stage 0) and the parts each fused pipeline operation stands for.
     */
    public record Mapping(Plan plan, RankGraph graph, Map<Long, Integer> stageOf, Map<Long, List<ComputeOp>> parts) {
        public Mapping(Plan plan, RankGraph graph) {
            this(plan, graph, Map.of(), Map.of());
        }
    }

    /**
     * What the configuration fixes ({@code run.mapping.*}); 0 means "the mapper chooses".
     *
     * @param schedule "1f1b" or "gpipe"
     * @param maxSlots bound on stages x micro-batches the mapper chooses
     */
    public record Options(int replicaChips, int pipelineStages, int microBatches, String schedule, int maxSlots,
                          double optimizerBytesPerParam, double sramUsableFraction, long gradientBucketBytes, boolean recompute,
                          long maxFlows, boolean batchFixed, String traceRanks) {
    }

    private Mapper() {
    }

    /** The replica's memory: model state (weights, gradients, optimizer state) and kept activations. */
    public record Footprint(long stateBytes, long activationBytes) {
        public long total() {
            return stateBytes + activationBytes;
        }
    }

    /** @return bytes the replica needs resident: weights, gradients, optimizer state, kept activations */
    public static long footprintBytes(Workload w, double optimizerBytesPerParam) {
        return footprint(w, optimizerBytesPerParam).total();
    }

    /** @return the replica's model state and kept activations */
    public static Footprint footprint(Workload w, double optimizerBytesPerParam) {
        RankGraph g = w.primary();
        long weights = 0;
        long gradients = 0;
        long activations = 0;
        for (Operation op : g.ops()) {
            if (op instanceof ComputeOp) {
                ComputeOp c = (ComputeOp) op;
                if (c.phase() == Phase.FORWARD) {
                    weights += c.weightBytes();
                    activations += c.outputBytes();
                }
            } else if (op instanceof CollectiveOp && op.phase() != Phase.FORWARD) {
                gradients += op.bytes();
            }
        }
        long params = w.metadata().parameterCount();
        long optimizer = (long) Math.ceil(params * optimizerBytesPerParam);
        return new Footprint(weights + gradients + optimizer, activations);
    }

    /**
     * Chooses a plan, with or without pipeline stages, honouring every override of {@code o}.
     *
     * @param timing times compute operations on a region of chips, for the estimate of pipelined plans
     * @throws ConfigException when an override is impossible (names the key, the value and what is allowed)
     */
    public static Mapping map(Workload w, SystemShape s, Options o, RegionComputeModel timing) {
        return map(w, s, o, timing, true);
    }

    /**
     * As {@link #map(Workload, SystemShape, Options, RegionComputeModel)}; with {@code buildGraph}
     * false a pipelined plan is estimated but its graph is not built (the mapping then carries the
     * workload's own graph, no stage map, and 0 streamed bytes and buckets): the plan search's
     * estimate of many candidates.
     */
    static Mapping map(Workload w, SystemShape s, Options o, RegionComputeModel timing, boolean buildGraph) {
        if (o.traceRanks().equals("each") && TraceRanks.firstDifference(w) != null) {
            return mapRanks(w, s, o);
        }
        boolean forced = o.pipelineStages() > 1 || o.microBatches() > 1;
        if (o.pipelineStages() == 1 && o.microBatches() <= 1) {
            return checkedHbm(map(w, s, o.replicaChips(), o.optimizerBytesPerParam(), o.sramUsableFraction(), o.gradientBucketBytes()), s, w, o);
        }
        Footprint fp = footprint(w, o.optimizerBytesPerParam());
        long chipSram = (long) (s.nodesPerChip() * (double) s.sramBytesPerNode() * o.sramUsableFraction());
        if (!forced) {
            boolean fitsSomewhere = false;
            for (int cand : candidates(s)) {
                fitsSomewhere |= (long) cand * chipSram >= fp.total();
            }
            if (o.replicaChips() > 0 || fitsSomewhere) {
                return checkedHbm(map(w, s, o.replicaChips(), o.optimizerBytesPerParam(), o.sramUsableFraction(), o.gradientBucketBytes()), s, w, o);
            }
        }
        long params = w.metadata().parameterCount();
        PipelineBuilder pb = new PipelineBuilder(w.primary(), (long) Math.ceil(params * o.optimizerBytesPerParam()), o.recompute());
        if (pb.notPipelinable() != null) {
            if (forced) {
                throw new ConfigException("key 'run.mapping." + (o.pipelineStages() > 1 ? "pipelineStages': " + o.pipelineStages() : "microBatches': " + o.microBatches())
                        + ": workload '" + w.metadata().name() + "' cannot be pipelined: " + pb.notPipelinable() + "; allowed: 0 (choose) or 1");
            }
            return checkedHbm(map(w, s, o.replicaChips(), o.optimizerBytesPerParam(), o.sramUsableFraction(), o.gradientBucketBytes()), s, w, o);
        }
        int layers = pb.units();
        if (o.pipelineStages() > layers) {
            throw new ConfigException("key 'run.mapping.pipelineStages': " + o.pipelineStages() + " stages, but workload '" + w.metadata().name()
                    + "' has " + layers + " layers; allowed: 0 (choose), 1 (no pipeline) or 2 to " + layers);
        }
        long batch = w.metadata().batchSize();
        if (o.microBatches() > 0 && !pb.divisible(o.microBatches())) {
            throw new ConfigException("key 'run.mapping.microBatches': " + o.microBatches() + " does not divide the batch dimension of every operation of '"
                    + w.metadata().name() + "' (batch " + batch + " per replica); allowed: 0 (choose) or a divisor of the batch: " + divisorsText(batch));
        }
        List<Integer> stageChoices = new ArrayList<>();
        if (o.pipelineStages() > 0) {
            stageChoices.add(o.pipelineStages());
        } else {
            for (int st = 2; st <= Math.min(layers, Math.min(512, s.aliveChips())); st++) stageChoices.add(st);
        }
        List<Integer> chipChoices = new ArrayList<>();
        if (o.replicaChips() > 0) {
            int st = stageChoices.size() == 1 ? stageChoices.get(0) : 0;
            if (st > 0 && o.replicaChips() % st != 0) {
                throw new ConfigException("key 'run.mapping.replicaChips': " + o.replicaChips() + " chips do not divide into run.mapping.pipelineStages = "
                        + st + " equal stages; allowed: 0 (choose) or a multiple of " + st + " up to " + s.aliveChips());
            }
            if (o.replicaChips() > s.aliveChips()) {
                throw new ConfigException("key 'run.mapping.replicaChips': " + o.replicaChips() + " chips per replica, but the system has "
                        + s.aliveChips() + " alive chips; allowed: 0 (choose) or 1 to " + s.aliveChips());
            }
            if (st == 0) {
                throw new ConfigException("key 'run.mapping.replicaChips': " + o.replicaChips() + " fixes the replica's chips, so set run.mapping.pipelineStages too"
                        + " when run.mapping.microBatches is set; allowed: run.mapping.pipelineStages 1 (no pipeline) or a divisor of " + o.replicaChips());
            }
            chipChoices.add(o.replicaChips() / st);
        } else {
            chipChoices.addAll(stageCandidates(s));
        }
        if (o.pipelineStages() > 0 && o.replicaChips() == 0 && (long) o.pipelineStages() * chipChoices.get(0) > s.aliveChips()) {
            throw new ConfigException("key 'run.mapping.pipelineStages': " + o.pipelineStages() + " stages need at least " + o.pipelineStages()
                    + " chips but the system has " + s.aliveChips() + " alive chips; allowed: 0 (choose), 1 or 2 to " + Math.min(layers, s.aliveChips()));
        }
        Candidate best = null;
        Candidate bestInfeasible = null;
        int considered = 0;
        int tooCostly = 0;
        Map<Integer, int[]> cuts = new HashMap<>();
        // share k: the replica runs batch / k of the workload's samples. k = 1 unless the workload's own
        // batch (run.batchPerReplica = 0) fits no plan within the bounds; then the smallest k that fits
        List<Integer> shares = new ArrayList<>();
        for (long k = 1; k <= batch; k++) {
            if (batch % k == 0 && (k == 1 || !o.batchFixed() && !forced)) shares.add((int) k);
        }
        for (int share : shares) {
            if (best != null) break;
            long replicaBatch = batch / share;
            List<Integer> mbChoices = new ArrayList<>();
            if (o.microBatches() > 0) {
                mbChoices.add(o.microBatches());
            } else {
                for (long d = 1; d <= replicaBatch; d++) {
                    // candidates: at least 8 micro-batches (fewer leave much of a pipeline idle) of at most 32
                    // samples (larger ones gain little and are slow to time); anything when fixed
                    if (replicaBatch % d == 0 && (d >= 8 || d == replicaBatch) && replicaBatch / d <= 32 && d <= o.maxSlots()
                            && pb.divisible((int) d * share)) mbChoices.add((int) d);
                }
            }
            for (int c : chipChoices) {
                for (int m : mbChoices) {
                    boolean any = false;
                    for (int st : stageChoices) {
                        any |= (long) st * c <= s.aliveChips() && (o.microBatches() > 0 || ((long) st * m <= o.maxSlots() && st <= m));
                    }
                    if (!any) continue;
                    long[][] t = pb.unitTimes(m * share, c, timing);
                    long[] pf = prefix(t[0]);
                    long[] pbk = prefix(t[1]);
                    for (int st : stageChoices) {
                        if ((long) st * c > s.aliveChips()) continue;
                        // chosen micro-batches: at least one per stage (M >= S), within the slot budget
                        if (o.microBatches() == 0 && ((long) st * m > o.maxSlots() || st > m)) continue;
                        int[] first = cuts.computeIfAbsent(st, k -> PipelineBuilder.balance(pb.unitFlops(), k));
                        Candidate cand = estimate(pb, s, o, chipSram, first, c, m, share, pf, pbk, replicaBatch);
                        considered++;
                        if (o.microBatches() == 0 && o.pipelineStages() == 0 && simulatedFlows(st, c, m) > o.maxFlows()) {
                            tooCostly++;
                            continue;
                        }
                        if (cand.feasible()) {
                            if (best == null || cand.secondsPerSample() < best.secondsPerSample() * (1 - 1e-9)) best = cand;
                        } else if (share == 1 && (bestInfeasible == null || cand.overBytes() < bestInfeasible.overBytes())) {
                            bestInfeasible = cand;
                        }
                    }
                }
            }
        }
        String reason;
        if (best == null) {
            if (bestInfeasible == null) {
                throw new ConfigException("key 'run.mapping.pipelineStages': no pipeline of " + stageChoices.get(0) + (stageChoices.size() > 1 ? " or more" : "")
                        + " stages fits the system's " + s.aliveChips() + " chips; allowed: 0 (choose) or 1");
            }
            Candidate b = bestInfeasible;
            throw new ConfigException((forced ? "keys 'run.mapping.pipelineStages' = " + o.pipelineStages() + ", 'run.mapping.microBatches' = " + o.microBatches()
                    + ", 'run.mapping.replicaChips' = " + o.replicaChips() + ": the plan" : "workload '" + w.metadata().name() + "': no plan fits; the closest")
                    + " (" + b.stages() + " stages x " + b.stageChips() + " chips, " + b.microBatches() + " micro-batches, " + o.schedule() + ") needs "
                    + mb(b.worstStageBytes()) + " on its fullest stage but a stage's SRAM and HBM hold " + mb(b.stageCapacity())
                    + (forced ? "; allowed: more stages, more chips per stage, more micro-batches (smaller ones) or schedule 1f1b"
                    : "; allowed: a smaller run.batchPerReplica (now " + batch + "), or larger run.mapping.maxPipelineSlots ("
                    + o.maxSlots() + ") and run.mapping.maxPipelineFlows (" + o.maxFlows() + ") for smaller micro-batches, at the cost of simulation time"));
        }
        double systemWide = forced ? Double.NaN : systemWideSeconds(w, s, o, chipSram, fp, timing);
        if (!forced && !Double.isNaN(systemWide) && systemWide / batch <= best.secondsPerSample()) {
            Mapping m = checkedHbm(map(w, s, o.replicaChips(), o.optimizerBytesPerParam(), o.sramUsableFraction(), o.gradientBucketBytes()), s, w, o);
            Plan p = m.plan();
            return new Mapping(new Plan(p.replicaChips(), p.dataParallel(), p.idleChips(), p.footprintBytes(), p.regionSramBytes(), p.streamedBytes(),
                    p.gradientBuckets(), 1, p.replicaChips(), 1, "none", systemWide, 0, p.reason() + "; by the estimate it beats the best of "
                    + considered + " pipelined plans (" + String.format(java.util.Locale.ROOT, "%.3g", best.stepSeconds()) + " s per step of "
                    + best.dataParallel() + " x " + batch + " samples)"), m.graph());
        }
        if (forced) {
            reason = "run.mapping fixes the pipeline (" + best.stages() + " stages x " + best.stageChips() + " chips, " + best.microBatches()
                    + " micro-batches, " + o.schedule() + ")";
        } else {
            reason = "the replica footprint (" + mb(fp.total()) + ") exceeds every region's SRAM; of " + considered
                    + " pipelined plans (stages x chips per stage x micro-batches) the estimate (M + S - 1) x the slowest stage's forward + backward slot"
                    + " gives the most samples per second to " + best.stages() + " stages x " + best.stageChips() + " chips x " + best.microBatches()
                    + " micro-batches (" + o.schedule() + ")"
                    + (tooCostly > 0 ? " (" + tooCostly + " more were over run.mapping.maxPipelineFlows)" : "")
                    + (best.share() > 1 ? "; the workload's batch of " + batch + " fits no plan within run.mapping.maxPipelineSlots and"
                    + " maxPipelineFlows, so each replica runs " + batch / best.share() + " of its samples per step (set run.batchPerReplica to fix it)" : "")
                    + (Double.isNaN(systemWide) ? "; one system-wide replica does not fit SRAM + HBM"
                    : String.format(java.util.Locale.ROOT, "; one system-wide replica gathering every weight would take %.3g s per sample vs %.3g s",
                    systemWide / batch, best.secondsPerSample()));
        }
        int replica = best.stages() * best.stageChips();
        int dp = s.aliveChips() / replica;
        if (!buildGraph) {
            Plan plan = new Plan(replica, dp, s.aliveChips() - dp * replica, best.worstStageBytes(), (long) best.stageChips() * chipSram,
                    0, 0, best.stages(), best.stageChips(), best.microBatches(), o.schedule(), best.stepSeconds(), batch / best.share(), reason);
            return new Mapping(plan, w.primary());
        }
        PipelineBuilder.Built built = pb.build(best.first(), best.microBatches(), best.share(), o.schedule(), best.stageChips(),
                (long) best.stageChips() * chipSram, o.gradientBucketBytes());
        Plan plan = new Plan(replica, dp, s.aliveChips() - dp * replica, best.worstStageBytes(), (long) best.stageChips() * chipSram,
                built.streamedBytes(), built.gradientBuckets(), best.stages(), best.stageChips(), best.microBatches(), o.schedule(),
                best.stepSeconds(), batch / best.share(), reason);
        return new Mapping(plan, built.graph(), built.stageOf(), built.parts());
    }

    /**
     * The flows a pipelined step starts on the network, at most: per slot one per chip for the weight
     * all-gather, the HBM transfer, the activation offload or fetch and the transfer between stages.
     */
    static long simulatedFlows(int stages, int chips, int micro) {
        return 2L * stages * micro * 4L * chips;
    }

    /**
     * One stage per rank of a trace whose ranks differ ({@link RankStages}): each rank gets the
     * smallest region (1 chip, a tile row, a tile, whole tiles) whose SRAM holds the largest rank's
     * footprint, or the largest region that lets every rank have one; the rest is data parallel.
     */
    static Mapping mapRanks(Workload w, SystemShape s, Options o) {
        int r = w.ranks().size();
        long chipSram = (long) (s.nodesPerChip() * (double) s.sramBytesPerNode() * o.sramUsableFraction());
        long worst = 0;
        for (io.dojosim.workload.RankGraph g : w.ranks()) {
            Workload one = new Workload(w.metadata(), List.of(g));
            worst = Math.max(worst, (long) Math.ceil(footprint(one, 0).total()
                    + w.metadata().parameterCount() * o.optimizerBytesPerParam() / r));
        }
        if ((long) r > s.aliveChips()) {
            throw new ConfigException("workload '" + w.metadata().name() + "' has " + r + " different rank graphs but the system has "
                    + s.aliveChips() + " alive chips; key 'run.traceRanks' = each; allowed: identical or rank0");
        }
        int c;
        String why;
        if (o.replicaChips() > 0) {
            if (o.replicaChips() % r != 0 || o.replicaChips() > s.aliveChips()) {
                throw new ConfigException("key 'run.mapping.replicaChips': " + o.replicaChips() + " chips do not divide into the " + r
                        + " rank graphs of '" + w.metadata().name() + "' within " + s.aliveChips() + " chips; allowed: 0 (choose) or a multiple of "
                        + r + " up to " + s.aliveChips());
            }
            c = o.replicaChips() / r;
            why = "run.mapping.replicaChips fixes " + c + " chips per rank";
        } else {
            c = -1;
            int largest = 1;
            for (int cand : candidates(s)) {
                if ((long) cand * r > s.aliveChips()) continue;
                largest = cand;
                if (c < 0 && (long) cand * chipSram >= worst) c = cand;
            }
            why = c > 0 ? "the smallest region whose SRAM holds the largest rank's footprint (" + mb(worst) + ")"
                    : "no region holds the largest rank's footprint (" + mb(worst) + "); the largest that gives every rank one";
            if (c < 0) c = largest;
        }
        RankStages.Merged merged = RankStages.merge(w);
        int replica = r * c;
        int dp = s.aliveChips() / replica;
        int buckets = 0;
        for (io.dojosim.workload.Operation op : merged.graph().ops()) {
            if (isGradientAllReduce(op)) buckets++;
        }
        Plan plan = new Plan(replica, dp, s.aliveChips() - dp * replica, worst, (long) c * chipSram, 0, buckets, r, c, 1, "ranks", 0.0, 0,
                "the trace's " + r + " rank graphs differ, so each runs as its own stage (run.traceRanks = each) on " + c + " chips: " + why);
        return new Mapping(plan, merged.graph(), merged.stageOf(), Map.of());
    }

    /** A pipelined plan and its estimate. */
    record Candidate(int stages, int stageChips, int microBatches, int share, int dataParallel, int[] first, double stepSeconds,
                     double secondsPerSample, boolean feasible, long worstStageBytes, long stageCapacity, long overBytes) {
    }

    private static long[] divide(long[] a, int m) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] / m;
        return d;
    }

    private static long[] prefix(long[] a) {
        long[] p = new long[a.length + 1];
        for (int i = 0; i < a.length; i++) p[i + 1] = p[i] + a[i];
        return p;
    }

    /**
     * The estimate of a pipelined plan (docs/model/step.md#choosing-a-plan): per stage, a forward
     * slot takes max(compute, weight movement + activation offload) and a backward slot likewise,
     * where compute is the sum of the stage's operations timed on its chips at the micro-batch,
     * weight movement is the stage's weights over its share of the system's HBM bandwidth (when
     * its model state exceeds its SRAM) plus an all-gather over its chips ((c - 1) / c of the
     * weights at one link's bandwidth), and offload is the share of kept activations beyond SRAM
     * over the HBM bandwidth; the step is (M + S - 1) slowest slots (the 1F1B and GPipe makespan
     * with equal slots). Feasible when every stage's model state plus its in-flight activations
     * fit its SRAM plus its share of the system's HBM.
     */
    static Candidate estimate(PipelineBuilder pb, SystemShape s, Options o, long chipSram, int[] first, int c, int m, int share, long[] pf,
                              long[] pbk, long batch) {
        int st = first.length - 1;
        PipelineBuilder.StageSizes[] z = pb.sizes(first, m * share, pb.optimizerPerGradientByte());
        double hbmBw = s.hbmBytesPerSecond() * c / s.aliveChips();
        long hbmCap = (long) Math.min(Long.MAX_VALUE / 4.0, (double) s.hbmBytes() * c / s.aliveChips());
        double gather = c <= s.chipsPerTile() ? s.gatherBpsInTile() : s.gatherBpsAcrossTiles();
        long sram = (long) c * chipSram;
        double worstSlot = 0;
        long worstBytes = 0;
        long over = 0;
        for (int i = 0; i < st; i++) {
            double f = (pf[first[i + 1]] - pf[first[i]]) / 1e12;
            double b = (pbk[first[i + 1]] - pbk[first[i]]) / 1e12;
            boolean stream = z[i].streams(sram);
            int inFlight = PipelineBuilder.inFlight(o.schedule(), st, i, m);
            double off = z[i].offloadBytesPerSlot(sram, inFlight) / hbmBw;
            double mvF = (stream ? z[i].weightBytesFwd() / hbmBw : 0) + (c > 1 ? z[i].weightBytesFwd() * (c - 1.0) / c / gather : 0);
            double mvB = (stream ? z[i].weightBytesBwd() / hbmBw : 0) + (c > 1 ? z[i].weightBytesBwd() * (c - 1.0) / c / gather : 0);
            double slot = Math.max(f, mvF + off) + Math.max(b, mvB + off);
            worstSlot = Math.max(worstSlot, slot);
            long need = z[i].needBytes(inFlight);
            worstBytes = Math.max(worstBytes, need);
            over = Math.max(over, need - (sram + hbmCap));
        }
        int dp = s.aliveChips() / (st * c);
        double step = (m + st - 1) * worstSlot;
        return new Candidate(st, c, m, share, dp, first, step, step / ((double) dp * batch), over <= 0, worstBytes, sram + hbmCap, over);
    }

    /** The estimate of one replica spanning the system (S = 1): per compute operation max(compute, weight movement), summed. */
    static double systemWideSeconds(Workload w, SystemShape s, Options o, long chipSram, Footprint fp, RegionComputeModel timing) {
        int c = s.aliveChips();
        long sram = (long) c * chipSram;
        if (fp.total() > sram + s.hbmBytes()) {
            return Double.NaN;
        }
        boolean stream = fp.stateBytes() > sram;
        double gather = c <= s.chipsPerTile() ? s.gatherBpsInTile() : s.gatherBpsAcrossTiles();
        double total = 0;
        for (Operation op : w.primary().ops()) {
            if (op instanceof ComputeOp && ((ComputeOp) op).costing() == io.dojosim.workload.Costing.MODELED) {
                ComputeOp co = (ComputeOp) op;
                double t = timing.time(co, c).busyPs() / 1e12;
                double mv = (stream ? co.weightBytes() / s.hbmBytesPerSecond() : 0) + (c > 1 ? co.weightBytes() * (c - 1.0) / c / gather : 0);
                total += Math.max(t, mv);
            }
        }
        return total;
    }

    private static String divisorsText(long n) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (long d = 1; d <= n && k < 24; d++) {
            if (n % d == 0) {
                sb.append(k++ == 0 ? "" : ", ").append(d);
            }
        }
        return sb.toString();
    }

    /** Refuses a plan without pipeline stages whose footprint exceeds its region's SRAM plus HBM. */
    private static Mapping checkedHbm(Mapping m, SystemShape s, Workload w, Options o) {
        Plan p = m.plan();
        double hbm = (double) s.hbmBytes() * p.replicaChips() / s.aliveChips();
        if (p.footprintBytes() > p.regionSramBytes() + hbm) {
            throw new ConfigException("workload '" + w.metadata().name() + "' needs " + mb(p.footprintBytes()) + " per replica but a region of "
                    + p.replicaChips() + " chips holds " + mb((long) (p.regionSramBytes() + hbm)) + " in SRAM and HBM"
                    + (o.pipelineStages() == 1 ? "; key 'run.mapping.pipelineStages' = 1 forbids pipelining; allowed: 0 (choose) or 2 or more stages"
                    : "; allowed: a larger run.mapping.replicaChips, or run.mapping.pipelineStages"));
        }
        return m;
    }

    /**
     * @param replicaChipsOverride 0 to choose, or the chips per replica the config fixes
     */
    public static Mapping map(Workload w, SystemShape s, int replicaChipsOverride, double optimizerBytesPerParam,
                              double sramUsableFraction, long gradientBucketBytes) {
        Footprint fp = footprint(w, optimizerBytesPerParam);
        long footprint = fp.total();
        long chipSram = (long) (s.nodesPerChip() * (double) s.sramBytesPerNode() * sramUsableFraction);
        int replica;
        String reason;
        if (replicaChipsOverride > 0) {
            if (replicaChipsOverride > s.aliveChips()) {
                throw new ConfigException("key 'run.mapping.replicaChips': " + replicaChipsOverride
                        + " chips per replica, but the system has " + s.aliveChips() + " alive chips; allowed: 0 (choose) or 1 to " + s.aliveChips());
            }
            replica = replicaChipsOverride;
            reason = "run.mapping.replicaChips fixes " + replica + " chips per replica";
        } else {
            replica = -1;
            reason = null;
            for (int cand : candidates(s)) {
                if ((long) cand * chipSram >= footprint) {
                    replica = cand;
                    reason = "smallest region whose usable SRAM (" + mb((long) cand * chipSram) + ") holds the replica footprint ("
                            + mb(footprint) + ")";
                    break;
                }
            }
            if (replica < 0) {
                replica = s.aliveChips();
                reason = "the replica footprint (" + mb(footprint) + ") exceeds the usable SRAM of the whole system ("
                        + mb((long) replica * chipSram) + "): one replica spans the system and what does not fit moves through DIP HBM";
            }
        }
        long regionSram = (long) replica * chipSram;
        int dp = s.aliveChips() / replica;
        int idle = s.aliveChips() - dp * replica;
        RankGraph graph = w.primary();
        long streamed = 0;
        // what does not fit is moved through DIP HBM: the weights when the model state alone is too
        // big, and the share of the kept activations that does not fit (offloaded after the forward
        // operation, fetched back before the layer's backward pass)
        boolean streamWeights = fp.stateBytes() > regionSram;
        long excess = Math.max(0, footprint - regionSram);
        double offload = fp.activationBytes() == 0 ? 0 : Math.min(1.0, (double) excess / fp.activationBytes());
        StreamingResult moved = insertWeightMovement(graph, streamWeights, replica > 1);
        StreamingResult offloaded = insertActivationOffload(moved.graph, offload);
        graph = offloaded.graph;
        streamed = moved.bytes + offloaded.bytes;
        Bucketed b = bucketGradients(graph, gradientBucketBytes);
        Plan plan = new Plan(replica, dp, idle, footprint, regionSram, streamed, b.buckets, reason);
        return new Mapping(plan, b.graph);
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Chips per pipeline stage the mapper tries: 1, a tile row and a tile on a one-tile system; otherwise whole tiles that divide a tray (1, 2, 3, 6 on the ExaPOD), then 2 to 4 trays. */
    static List<Integer> stageCandidates(SystemShape s) {
        List<Integer> c = new ArrayList<>();
        int tile = s.chipsPerTile();
        if (s.aliveChips() < 2 * tile) {
            for (int v : candidates(s)) {
                if (v < s.aliveChips()) c.add(v);
            }
            return c;
        }
        // whole tiles that divide a tray (a stage spanning trays would gather over Ethernet), then whole trays
        int tray = Math.max(1, s.tilesPerTray());
        for (int t = 1; t <= tray; t++) {
            if (tray % t == 0 && (long) 2 * t * tile <= s.aliveChips()) c.add(t * tile);
        }
        for (int t = 2 * tray; t <= 4 * tray; t += tray) {
            if ((long) 2 * t * tile <= s.aliveChips()) c.add(t * tile);
        }
        return c;
    }

    static List<Integer> candidates(SystemShape s) {
        List<Integer> c = new ArrayList<>();
        int tile = s.chipsPerTile();
        int[] small = {1, Math.max(1, (int) Math.round(Math.sqrt(tile))), tile};
        for (int v : small) {
            if (v <= s.aliveChips() && (c.isEmpty() || c.get(c.size() - 1) < v)) {
                c.add(v);
            }
        }
        for (int t = 2; (long) t * tile <= s.aliveChips(); t++) {
            if ((s.aliveChips() / tile) % t == 0) {
                c.add(t * tile);
            }
        }
        return c;
    }

    private record StreamingResult(RankGraph graph, long bytes) {
    }

    /**
     * Offloads {@code fraction} of each forward operation's output to HBM after it runs, and fetches
     * a layer's offloaded activations back before the first backward operation of that layer.
     * Operations without a layer name keep their activations.
     *
     * @return the graph and the bytes moved (out and back)
     */
    static StreamingResult insertActivationOffload(RankGraph g, double fraction) {
        if (fraction <= 0) {
            return new StreamingResult(g, 0);
        }
        long maxId = 0;
        for (Operation op : g.ops()) {
            maxId = Math.max(maxId, op.id());
        }
        Map<String, List<Long>> offloadsByLayer = new HashMap<>();
        Map<String, Long> offloadBytesByLayer = new HashMap<>();
        List<Operation> out = new ArrayList<>(g.size() * 2);
        long bytes = 0;
        for (int idx : g.topologicalOrder()) {
            Operation op = g.op(idx);
            String layer = op.layer();
            if (op instanceof ComputeOp && !layer.isEmpty() && op.phase() != Phase.FORWARD && offloadsByLayer.containsKey(layer)) {
                long fetchId = ++maxId;
                long b = offloadBytesByLayer.get(layer);
                out.add(new MemoryOp(fetchId, layer + ".activations.fetch", MemoryOp.Direction.HBM_TO_SRAM, b, layer + ".activations",
                        offloadsByLayer.remove(layer), layer, op.phase(), Operation.NO_DURATION));
                bytes += b;
                List<Long> deps = new ArrayList<>(op.deps());
                deps.add(fetchId);
                out.add(withDeps(op, deps));
                continue;
            }
            out.add(op);
            if (op instanceof ComputeOp && op.phase() == Phase.FORWARD && !layer.isEmpty() && ((ComputeOp) op).outputBytes() > 0) {
                long b = Math.max(1, Math.round(((ComputeOp) op).outputBytes() * fraction));
                long offId = ++maxId;
                out.add(new MemoryOp(offId, op.name() + ".offload", MemoryOp.Direction.SRAM_TO_HBM, b, layer + ".activations",
                        List.of(op.id()), layer, Phase.FORWARD, Operation.NO_DURATION));
                offloadsByLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(offId);
                offloadBytesByLayer.merge(layer, b, Long::sum);
                bytes += b;
            }
        }
        return new StreamingResult(new RankGraph(g.rank(), out), bytes);
    }

    private record Bucketed(RankGraph graph, int buckets) {
    }

    private static boolean isGradientAllReduce(Operation op) {
        return op instanceof CollectiveOp && ((CollectiveOp) op).collective() == CollectiveKind.ALL_REDUCE
                && ((CollectiveOp) op).group().dimension() == ParallelDim.DATA;
    }

    /**
     * Merges data-parallel gradient all-reduces, in topological order, into buckets of at least
     * {@code bucketBytes} (the last bucket may be smaller), as PyTorch DDP does. A bucket keeps the id
     * of its last member, waits for every member's dependencies, and everything that waited for a
     * member waits for the bucket. When merging would create a cycle (a trace whose later gradients
     * depend on earlier all-reduces), the graph is left as it is.
     */
    static Bucketed bucketGradients(RankGraph g, long bucketBytes) {
        int[] order = g.topologicalOrder();
        int count = 0;
        for (int idx : order) {
            if (isGradientAllReduce(g.op(idx))) count++;
        }
        if (bucketBytes <= 0 || count <= 1) {
            return new Bucketed(g, count);
        }
        Map<Long, Long> remap = new HashMap<>();
        Map<Long, CollectiveOp> merged = new HashMap<>();
        List<CollectiveOp> bucket = new ArrayList<>();
        long bytes = 0;
        int buckets = 0;
        for (int k = 0; k < order.length; k++) {
            Operation op = g.op(order[k]);
            if (!isGradientAllReduce(op)) continue;
            bucket.add((CollectiveOp) op);
            bytes += op.bytes();
            if (bytes >= bucketBytes) {
                buckets++;
                closeBucket(bucket, bytes, remap, merged);
                bucket.clear();
                bytes = 0;
            }
        }
        if (!bucket.isEmpty()) {
            buckets++;
            closeBucket(bucket, bytes, remap, merged);
        }
        List<Operation> out = new ArrayList<>(g.size());
        for (Operation op : g.ops()) {
            Long target = remap.get(op.id());
            if (target != null && target != op.id()) {
                continue; // folded into its bucket
            }
            Operation base = merged.containsKey(op.id()) ? merged.get(op.id()) : op;
            List<Long> deps = new ArrayList<>();
            for (long dep : base.deps()) {
                long m = remap.getOrDefault(dep, dep);
                if (m != base.id() && !deps.contains(m)) deps.add(m);
            }
            out.add(withDeps(base, deps));
        }
        try {
            return new Bucketed(new RankGraph(g.rank(), out), buckets);
        } catch (ConfigException cycle) {
            return new Bucketed(g, count);
        }
    }

    private static void closeBucket(List<CollectiveOp> bucket, long bytes, Map<Long, Long> remap, Map<Long, CollectiveOp> merged) {
        CollectiveOp last = bucket.get(bucket.size() - 1);
        List<Long> deps = new ArrayList<>();
        for (CollectiveOp c : bucket) {
            remap.put(c.id(), last.id());
            for (long d : c.deps()) {
                if (!deps.contains(d)) deps.add(d);
            }
        }
        String name = bucket.size() == 1 ? last.name() : "gradient bucket of " + bucket.size() + " (" + bucket.get(0).name() + " .. " + last.name() + ")";
        merged.put(last.id(), new CollectiveOp(last.id(), name, last.collective(), bytes, last.group(), last.priority(), deps,
                last.layer(), last.phase(), last.measuredDurationPs()));
    }

    /** @return the operation with other dependencies */
    static Operation withDeps(Operation op, List<Long> deps) {
        if (op instanceof ComputeOp) {
            ComputeOp c = (ComputeOp) op;
            return ComputeOp.builder(c.id(), c.name(), c.kind()).shape(c.shape()).dataType(c.dataType()).flops(c.flops())
                    .inputBytes(c.inputBytes()).outputBytes(c.outputBytes()).weightBytes(c.weightBytes()).onHost(c.onHost())
                    .deps(deps).layer(c.layer()).phase(c.phase()).measuredDurationPs(c.measuredDurationPs()).build();
        }
        if (op instanceof CollectiveOp) {
            CollectiveOp c = (CollectiveOp) op;
            return new CollectiveOp(c.id(), c.name(), c.collective(), c.bytes(), c.group(), c.priority(), deps, c.layer(), c.phase(),
                    c.measuredDurationPs());
        }
        if (op instanceof MemoryOp) {
            MemoryOp m = (MemoryOp) op;
            return new MemoryOp(m.id(), m.name(), m.direction(), m.bytes(), m.tensor(), deps, m.layer(), m.phase(), m.measuredDurationPs());
        }
        if (op instanceof PointToPointOp) {
            PointToPointOp p = (PointToPointOp) op;
            return new PointToPointOp(p.id(), p.name(), p.direction(), p.peer(), p.tag(), p.bytes(), deps, p.layer(), p.phase(),
                    p.measuredDurationPs());
        }
        MarkerOp m = (MarkerOp) op;
        return new MarkerOp(m.id(), m.name(), m.note(), deps, m.layer(), m.phase());
    }

    /**
     * Inserts the movement of each weight-reading compute operation's weights before it: with
     * {@code stream}, an HBM-to-SRAM transfer (the footprint does not fit in SRAM); with
     * {@code gather}, an all-gather of the weight shards across the region's chips (weights are
     * sharded over a multi-chip region, FSDP style). The movement for the k-th weight-reading
     * operation waits for the (k-2)-th to finish: double buffering, so at most two operations'
     * weights are gathered or resident at a time, and the next one's are prefetched.
     */
    static StreamingResult insertWeightMovement(RankGraph g, boolean stream, boolean gather) {
        if (!stream && !gather) {
            return new StreamingResult(g, 0);
        }
        long maxId = 0;
        for (Operation op : g.ops()) {
            maxId = Math.max(maxId, op.id());
        }
        List<Operation> out = new ArrayList<>(g.size() * 3);
        List<Long> weightReaders = new ArrayList<>();
        long bytes = 0;
        int[] order = g.topologicalOrder();
        for (int idx : order) {
            Operation op = g.op(idx);
            if (op instanceof ComputeOp && ((ComputeOp) op).weightBytes() > 0) {
                ComputeOp c = (ComputeOp) op;
                List<Long> prefetchDeps = new ArrayList<>();
                if (weightReaders.size() >= 2) {
                    prefetchDeps.add(weightReaders.get(weightReaders.size() - 2));
                }
                List<Long> deps = new ArrayList<>(c.deps());
                long last = -1;
                if (stream) {
                    long memId = ++maxId;
                    out.add(new MemoryOp(memId, c.name() + ".weights", MemoryOp.Direction.HBM_TO_SRAM, c.weightBytes(),
                            c.layer() + ".weights", prefetchDeps, c.layer(), c.phase(), Operation.NO_DURATION));
                    bytes += c.weightBytes();
                    last = memId;
                }
                if (gather) {
                    long gatherId = ++maxId;
                    out.add(new CollectiveOp(gatherId, c.name() + ".gather", CollectiveKind.ALL_GATHER, c.weightBytes(),
                            CommGroup.of(ParallelDim.TENSOR), 0, last >= 0 ? List.of(last) : prefetchDeps, c.layer(), c.phase(),
                            Operation.NO_DURATION));
                    last = gatherId;
                }
                deps.add(last);
                out.add(withDeps(c, deps));
                weightReaders.add(c.id());
            } else {
                out.add(op);
            }
        }
        return new StreamingResult(new RankGraph(g.rank(), out), bytes);
    }

}
