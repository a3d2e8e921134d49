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
 * <p>The replica's footprint is weights + gradients + optimizer state (from the workload's
 * optimizer, {@link #optimizerBytesPerParam}) + the activations the forward pass keeps for the
 * backward pass. What one chip of a multi-chip region keeps depends on the ZeRO stage
 * ({@link Footprint#perChipBytes}: 1 shards the optimizer state over the region's chips, 2 also the
 * gradients, 3 also the weights). The mapper takes the smallest candidate region (1 chip, a tile row
 * of 5, a tile of 25, then whole tiles) whose chips hold the replica at some stage, the lowest such
 * stage, and fills the system with data-parallel replicas of that size. When even the whole
 * system's SRAM is too small, one replica spans the system at stage 3 and what does not fit moves
 * through DIP HBM: the weights, when the model state alone is too big (an HBM-to-SRAM transfer
 * per FSDP unit, prefetched on the executor's memory streams), and the share of the kept activations
 * that does not fit (written to HBM after the forward operation, read back before the layer's
 * backward pass). The operation's work is split over the region's chips by batch item, then along
 * M (see {@link D1RegionCompute}), so every chip needs every weight: at stage 3 the weights are
 * all-gathered per FSDP unit ({@link #fsdpUnits}, {@link #insertUnitMovement}) before the forward
 * and the backward pass, at stages 1 and 2 the updated weights are all-gathered after the update;
 * gradients are reduce-scattered over the region before the data-parallel all-reduce (see
 * {@link PodStepBackend}), in DDP buckets or, at stage 3, per unit. Source of the stages:
 * Rajbhandari et al. 2020 (ZeRO); of the units and prefetch: Zhao et al. 2023 (PyTorch FSDP).
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
                          long maxFlows, boolean batchFixed, String traceRanks, int zeroStage, long fsdpUnitBytes, int fsdpPrefetchUnits,
                          int virtualStages) {
        /**
         * @param optimizerBytesPerParam 0: from the workload's optimizer ({@link #optimizerBytesPerParam(Workload, double)})
         * @param zeroStage              0: the mapper chooses; 1, 2 or 3 (docs/model/step.md#zero-stages)
         * @param fsdpUnitBytes          weight bytes that close an FSDP unit (0: one unit per layer with weights)
         * @param fsdpPrefetchUnits      units gathered ahead of the one computing (0: no prefetch)
         * @param virtualStages          model chunks per pipeline stage (interleaved 1F1B; 1: plain schedule)
         */
        public Options {
            if (virtualStages < 1) {
                throw new ConfigException("key 'run.mapping.virtualStages': " + virtualStages + "; allowed: 1 or more (chunks per pipeline stage)");
            }
            if (virtualStages > 1 && "gpipe".equals(schedule)) {
                throw new ConfigException("key 'run.mapping.virtualStages': " + virtualStages + " with run.mapping.pipelineSchedule = gpipe;"
                        + " allowed: 1, or schedule 1f1b (interleaving is a 1F1B schedule)");
            }
            if (zeroStage < 0 || zeroStage > 3) {
                throw new ConfigException("key 'run.mapping.zeroStage': " + zeroStage + "; allowed: 0 (choose), 1, 2 or 3");
            }
            if (fsdpUnitBytes < 0 || fsdpPrefetchUnits < 0) {
                throw new ConfigException("keys 'run.mapping.fsdpUnitBytes' (" + fsdpUnitBytes + ") and 'run.mapping.fsdpPrefetchUnits' ("
                        + fsdpPrefetchUnits + ") must be >= 0");
            }
        }

        /** Options without ZeRO or FSDP settings: the mapper chooses the stage, default units and prefetch. */
        public Options(int replicaChips, int pipelineStages, int microBatches, String schedule, int maxSlots,
                       double optimizerBytesPerParam, double sramUsableFraction, long gradientBucketBytes, boolean recompute,
                       long maxFlows, boolean batchFixed, String traceRanks) {
            this(replicaChips, pipelineStages, microBatches, schedule, maxSlots, optimizerBytesPerParam, sramUsableFraction, gradientBucketBytes,
                    recompute, maxFlows, batchFixed, traceRanks, 0, DEFAULT_FSDP_UNIT_BYTES, 1, 1);
        }

        /** Options without interleaving. */
        public Options(int replicaChips, int pipelineStages, int microBatches, String schedule, int maxSlots,
                       double optimizerBytesPerParam, double sramUsableFraction, long gradientBucketBytes, boolean recompute,
                       long maxFlows, boolean batchFixed, String traceRanks, int zeroStage, long fsdpUnitBytes, int fsdpPrefetchUnits) {
            this(replicaChips, pipelineStages, microBatches, schedule, maxSlots, optimizerBytesPerParam, sramUsableFraction, gradientBucketBytes,
                    recompute, maxFlows, batchFixed, traceRanks, zeroStage, fsdpUnitBytes, fsdpPrefetchUnits, 1);
        }

        /** @return these options with the ZeRO stage fixed to {@code stage} (0: the mapper chooses) */
        public Options withZeroStage(int stage) {
            return new Options(replicaChips, pipelineStages, microBatches, schedule, maxSlots, optimizerBytesPerParam, sramUsableFraction,
                    gradientBucketBytes, recompute, maxFlows, batchFixed, traceRanks, stage, fsdpUnitBytes, fsdpPrefetchUnits, virtualStages);
        }
    }

    /** Default weight bytes of an FSDP unit (run.mapping.fsdpUnitBytes; docs/model/step.md#fsdp-units). */
    public static final long DEFAULT_FSDP_UNIT_BYTES = 16L * 1024 * 1024;

    private Mapper() {
    }

    /**
     * The replica's memory: weights (compute type), gradients (gradient type), optimizer state and
     * the activations the forward pass keeps for the backward pass.
     */
    public record Footprint(long weightBytes, long gradientBytes, long optimizerBytes, long activationBytes) {
        /** @return weights + gradients + optimizer state */
        public long stateBytes() {
            return weightBytes + gradientBytes + optimizerBytes;
        }

        public long total() {
            return stateBytes() + activationBytes;
        }

        /**
         * Bytes one chip of a region of {@code chips} chips holds at ZeRO stage {@code zeroStage}; kept
         * activations are split over the chips with the batch:
         * <pre>
         *   1 chip (any stage): W + G + O + A
         *   stage 1:            W + G + (O + A) / c       optimizer state sharded
         *   stage 2:            W + (G + O + A) / c       + gradients sharded
         *   stage 3:            (W + G + O + A) / c       + weights sharded (the gathered units are not counted)
         * </pre>
         */
        public long perChipBytes(int zeroStage, int chips) {
            if (chips <= 1) {
                return total();
            }
            switch (zeroStage) {
                case 1:
                    return weightBytes + gradientBytes + ceilDiv(optimizerBytes + activationBytes, chips);
                case 2:
                    return weightBytes + ceilDiv(gradientBytes + optimizerBytes + activationBytes, chips);
                default:
                    return ceilDiv(total(), chips);
            }
        }
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
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
            } else if (op instanceof CollectiveOp && op.phase() != Phase.FORWARD && !TensorParallel.isTensorParallel(op)) {
                gradients += op.bytes();
            }
        }
        long params = w.metadata().parameterCount();
        long optimizer = (long) Math.ceil(params * optimizerBytesPerParam);
        return new Footprint(weights, gradients, optimizer, activations);
    }

    /**
     * Optimizer state per parameter: {@code override} when above 0, else from the workload's
     * {@code optimizer} property (docs/model/step.md#optimizer-state). Mixed-precision accounting of
     * Rajbhandari et al. 2020 (ZeRO, section 3.1): Adam keeps an FP32 copy of the weights and FP32
     * momentum and variance, 12 B per parameter beside the 2 B weights and 2 B gradients (16 B in
     * all). SGD with momentum keeps the FP32 copy and FP32 momentum, 8 B; plain SGD the copy, 4 B.
     * With FP32 compute the weights are their own master copy (4 B less). A workload that declares
     * no optimizer (a trace) is taken as Adam.
     *
     * @throws ConfigException for an optimizer name this table lacks
     */
    public static double optimizerBytesPerParam(Workload w, double override) {
        if (override > 0) {
            return override;
        }
        String opt = w.metadata().properties().getOrDefault("optimizer", "adam");
        boolean fp32 = !w.metadata().dataTypes().isEmpty() && w.metadata().dataTypes().get(0) == io.dojosim.workload.DataType.FP32;
        double master = fp32 ? 0 : 4;
        switch (opt) {
            case "sgd":
                return master;
            case "sgd-momentum":
                return 4 + master;
            case "adam":
            case "adamw":
                return 8 + master;
            default:
                throw new ConfigException("workload '" + w.metadata().name() + "' property 'optimizer': '" + opt
                        + "' has no state size here; allowed: sgd, sgd-momentum, adam, adamw, or set run.mapping.optimizerBytesPerParam above 0");
        }
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
        double opt = optimizerBytesPerParam(w, o.optimizerBytesPerParam());
        if (o.traceRanks().equals("each") && TraceRanks.firstDifference(w) != null) {
            return mapRanks(w, s, o, opt);
        }
        boolean forced = o.pipelineStages() > 1 || o.microBatches() > 1;
        if (o.pipelineStages() == 1 && o.microBatches() <= 1) {
            return checkedHbm(mapRegion(w, s, o, opt), s, w, o);
        }
        Footprint fp = footprint(w, opt);
        long chipSram = (long) (s.nodesPerChip() * (double) s.sramBytesPerNode() * o.sramUsableFraction());
        if (!forced) {
            boolean fitsSomewhere = false;
            for (int cand : candidates(s)) {
                fitsSomewhere |= (long) cand * chipSram >= fp.total();
            }
            if (o.replicaChips() > 0 || fitsSomewhere) {
                return checkedHbm(mapRegion(w, s, o, opt), s, w, o);
            }
        }
        long params = w.metadata().parameterCount();
        PipelineBuilder pb = new PipelineBuilder(w.primary(), (long) Math.ceil(params * opt), o.recompute());
        if (pb.notPipelinable() != null) {
            if (forced) {
                throw new ConfigException("key 'run.mapping." + (o.pipelineStages() > 1 ? "pipelineStages': " + o.pipelineStages() : "microBatches': " + o.microBatches())
                        + ": workload '" + w.metadata().name() + "' cannot be pipelined: " + pb.notPipelinable() + "; allowed: 0 (choose) or 1");
            }
            return checkedHbm(mapRegion(w, s, o, opt), s, w, o);
        }
        int layers = pb.units();
        int tpDegree = TensorParallel.degree(w);
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
                        int v = o.virtualStages();
                        if (v > 1 && ((long) st * v > layers || m % st != 0)) continue;
                        int[] first = cuts.computeIfAbsent(st, k -> PipelineBuilder.balance(pb.unitFlops(), k));
                        if (o.microBatches() == 0 && o.pipelineStages() == 0 && simulatedFlows(st, c, m) > o.maxFlows()) {
                            considered++;
                            tooCostly++;
                            continue;
                        }
                        // ZeRO stages: fixed, or each of 1, 2, 3 (one chip per stage shards nothing)
                        int zFrom = o.zeroStage() > 0 ? o.zeroStage() : (c == 1 ? 3 : 1);
                        int zTo = o.zeroStage() > 0 ? o.zeroStage() : 3;
                        for (int zr = 2 * zFrom; zr <= 2 * zTo + 1; zr++) {
                            // stage 3 twice: weights resident (gathered once; activations yield SRAM), then re-gathered per
                            // slot; lower stages and residency win ties
                            int z = zr / 2;
                            boolean resident = zr % 2 == 0;
                            if (resident && (z < 3 || c == 1)) continue;
                            Candidate cand = estimate(pb, s, o, chipSram, first, c, m, share, pf, pbk, replicaBatch, z, resident, tpDegree);
                            considered++;
                            if (cand.feasible()) {
                                if (best == null || cand.secondsPerSample() < best.secondsPerSample() * (1 - 1e-9)) best = cand;
                            } else if (share == 1 && (bestInfeasible == null || cand.overBytes() < bestInfeasible.overBytes())) {
                                bestInfeasible = cand;
                            }
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
            Mapping m = checkedHbm(mapRegion(w, s, o, opt), s, w, o);
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
                    0, 0, best.stages(), best.stageChips(), best.microBatches(), o.schedule(), best.stepSeconds(), batch / best.share(), reason,
                    best.stageChips() == 1 ? 0 : best.zeroStage(), 0, 1, false, o.virtualStages());
            return new Mapping(plan, w.primary());
        }
        int[] cut = o.virtualStages() > 1 ? PipelineBuilder.balance(pb.unitFlops(), best.stages() * o.virtualStages()) : best.first();
        PipelineBuilder.Built built = pb.build(cut, best.microBatches(), best.share(), o.schedule(), best.stageChips(),
                (long) best.stageChips() * chipSram, o.gradientBucketBytes(), best.zeroStage(), best.resident(), o.virtualStages());
        reason += "; " + pipelineStageText(best, built, chipSram);
        Plan plan = new Plan(replica, dp, s.aliveChips() - dp * replica, best.worstStageBytes(), (long) best.stageChips() * chipSram,
                built.streamedBytes(), built.gradientBuckets(), best.stages(), best.stageChips(), best.microBatches(), o.schedule(),
                best.stepSeconds(), batch / best.share(), reason + (o.virtualStages() > 1 ? "; interleaved 1F1B with " + o.virtualStages()
                + " model chunks per stage" : ""), best.stageChips() == 1 ? 0 : best.zeroStage(), 0, 1, false, o.virtualStages());
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
    static Mapping mapRanks(Workload w, SystemShape s, Options o, double opt) {
        int r = w.ranks().size();
        long chipSram = (long) (s.nodesPerChip() * (double) s.sramBytesPerNode() * o.sramUsableFraction());
        long worst = 0;
        for (io.dojosim.workload.RankGraph g : w.ranks()) {
            Workload one = new Workload(w.metadata(), List.of(g));
            worst = Math.max(worst, (long) Math.ceil(footprint(one, 0).total()
                    + w.metadata().parameterCount() * opt / r));
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
                     double secondsPerSample, boolean feasible, long worstStageBytes, long stageCapacity, long overBytes, int zeroStage,
                     boolean resident) {
    }

    /** @return what the chosen pipelined plan shards over a stage's chips and whether weights are gathered per micro-batch */
    private static String pipelineStageText(Candidate best, PipelineBuilder.Built built, long chipSram) {
        int c = best.stageChips();
        if (c == 1) {
            return "one chip per stage: nothing sharded, no weight gathers";
        }
        long worstWeights = 0;
        long worstPerChip = 0;
        long worstResident = 0;
        for (PipelineBuilder.StageSizes z : built.sizes()) {
            worstWeights = Math.max(worstWeights, z.weightBytesFwd());
            worstPerChip = Math.max(worstPerChip, z.stateBytesPerChip());
            worstResident = Math.max(worstResident, z.at(3, c, true).stateBytesPerChip());
        }
        String m = best.microBatches() + " micro-batches";
        switch (best.zeroStage()) {
            case 1:
                return "ZeRO stage 1 over each stage's " + c + " chips: weights and gradients on every chip (" + mb(worstPerChip)
                        + " per chip at most), no weight gathers; one gradient all-reduce and one all-gather of the updated weights per step";
            case 2:
                return "ZeRO stage 2 over each stage's " + c + " chips: weights on every chip (" + mb(worstPerChip) + " per chip at most), no weight gathers;"
                        + " gradients reduce-scattered after each of the " + m + ", updated weights all-gathered once per step";
            default:
                return "ZeRO stage 3 over each stage's " + c + " chips: " + (best.resident()
                        ? "the stage's gathered weights (" + mb(worstWeights) + " at most) stay resident on every chip across the " + m
                        + ": gathered once per step"
                        : "weights re-gathered for each of the " + m + " in both passes: " + (worstResident > chipSram
                        ? "a stage's whole weights (" + mb(worstWeights) + " at most) do not fit one chip's usable SRAM (" + mb(chipSram)
                        + ") beside its shard"
                        : "keeping a stage's whole weights resident (" + mb(worstResident) + " per chip) would move more activations to HBM,"
                        + " which the estimate finds slower"))
                        + "; gradients reduce-scattered after each micro-batch";
        }
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
        return estimate(pb, s, o, chipSram, first, c, m, share, pf, pbk, batch, 3, false, 1);
    }

    /**
     * Seconds of a slot's tensor-parallel collectives over a group of {@code t} chips of a tile, ring
     * alpha-beta: an all-reduce moves 2 (t - 1) / t of its bytes through each chip's link in 2 (t - 1)
     * steps, an all-gather or reduce-scatter (t - 1) / t in t - 1 steps.
     *
     * @param bytes [0 all-reduce, 1 all-gather, 2 reduce-scatter] bytes
     * @param count the same collectives' counts
     */
    static double tensorParallelSeconds(long[] bytes, long[] count, int t, double bytesPerSecond) {
        if (t <= 1) return 0;
        double f = (t - 1.0) / t;
        return (2 * f * bytes[0] + f * (bytes[1] + bytes[2])) / bytesPerSecond
                + (2.0 * (t - 1) * count[0] + (t - 1.0) * (count[1] + count[2])) * PlanSearch.STEP_LATENCY_SECONDS;
    }

    /**
     * The estimate at ZeRO stage {@code zs} over each stage's chips. Weight all-gathers count per slot
     * at stage 3 unless {@code resident} (then once per step; the stage's whole weights stay on every
     * chip and its activations get the SRAM left, the rest offloaded); stages 2 and 3 add a gradient
     * reduce-scatter to each backward slot when M > 1; stages 1 and 2 add one all-gather of the
     * updated weights per step. Infeasible when a chip cannot hold what the stage keeps on it
     * (stages 1 and 2, resident 3).
     */
    static Candidate estimate(PipelineBuilder pb, SystemShape s, Options o, long chipSram, int[] first, int c, int m, int share, long[] pf,
                              long[] pbk, long batch, int zs, boolean resident, int tp) {
        int st = first.length - 1;
        long[][][] tpBytes = tp > 1 ? pb.tensorParallelBytes(first, m * share) : null;
        PipelineBuilder.StageSizes[] z = pb.sizes(first, m * share, pb.optimizerPerGradientByte());
        resident = resident && zs == 3 && c > 1;
        double hbmBw = s.hbmBytesPerSecond() * c / s.aliveChips();
        long hbmCap = (long) Math.min(Long.MAX_VALUE / 4.0, (double) s.hbmBytes() * c / s.aliveChips());
        double gather = c <= s.chipsPerTile() ? s.gatherBpsInTile() : s.gatherBpsAcrossTiles();
        double share1 = c > 1 ? (c - 1.0) / c / gather : 0;
        long sram = (long) c * chipSram;
        double worstSlot = 0;
        double once = 0;
        long worstBytes = 0;
        long over = 0;
        for (int i = 0; i < st; i++) {
            z[i] = z[i].at(zs, c, resident);
            double f = (pf[first[i + 1]] - pf[first[i]]) / 1e12;
            double b = (pbk[first[i + 1]] - pbk[first[i]]) / 1e12;
            if (tpBytes != null) {
                // the slot's tensor-parallel collectives run in series with its compute
                // each group of the stage (chip j of every rank) holds 1/c of the micro-batch
                f += tensorParallelSeconds(divide(tpBytes[i][0], c), tpBytes[i][2], tp, s.gatherBpsInTile());
                b += tensorParallelSeconds(divide(tpBytes[i][1], c), tpBytes[i][3], tp, s.gatherBpsInTile());
            }
            boolean stream = zs == 3 && z[i].streams(sram);
            int inFlight = PipelineBuilder.inFlight(o.schedule(), st, i, m);
            double off = z[i].offloadBytesPerSlot(sram, inFlight) / hbmBw;
            boolean perSlot = zs == 3 && !resident;
            double mvF = (stream ? z[i].weightBytesFwd() / hbmBw : 0) + (perSlot ? z[i].weightBytesFwd() * share1 : 0);
            double mvB = (stream ? z[i].weightBytesBwd() / hbmBw : 0) + (perSlot ? z[i].weightBytesBwd() * share1 : 0)
                    + (zs >= 2 && m > 1 ? z[i].gradientBytes() * share1 : 0);
            double slot = Math.max(f, mvF + off) + Math.max(b, mvB + off);
            worstSlot = Math.max(worstSlot, slot);
            once = Math.max(once, resident || zs < 3 ? z[i].weightBytesFwd() * share1 : 0);
            long need = z[i].needBytes(inFlight);
            worstBytes = Math.max(worstBytes, need);
            over = Math.max(over, need - (sram + hbmCap));
            if ((zs < 3 || resident) && z[i].stateBytesPerChip() > chipSram) {
                over = Math.max(over, (z[i].stateBytesPerChip() - chipSram) * c);
            }
        }
        int dp = s.aliveChips() / (st * c);
        // interleaved 1F1B (v chunks per stage): the fill and drain take (S - 1) / v slots (Narayanan et al. 2021)
        double step = (m + (st - 1.0) / o.virtualStages()) * worstSlot + once;
        return new Candidate(st, c, m, share, dp, first, step, step / ((double) dp * batch), over <= 0, worstBytes, sram + hbmCap, over, zs,
                resident);
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
     * A plan without pipeline stages whose ZeRO stage the mapper chooses, with the default FSDP units.
     *
     * @param replicaChipsOverride   0 to choose, or the chips per replica the config fixes
     * @param optimizerBytesPerParam optimizer state per parameter (as given: 0 means none)
     */
    public static Mapping map(Workload w, SystemShape s, int replicaChipsOverride, double optimizerBytesPerParam,
                              double sramUsableFraction, long gradientBucketBytes) {
        Options o = new Options(replicaChipsOverride, 1, 0, "1f1b", 1024, optimizerBytesPerParam, sramUsableFraction, gradientBucketBytes,
                false, 1, false, "identical");
        return mapRegion(w, s, o, optimizerBytesPerParam);
    }

    private static String chipsText(int chips) {
        return chips == 0 ? "more than the system" : chips + " chips";
    }

    private static String stageText(int stage, int chips, long perChip) {
        switch (stage) {
            case 0:
                return "one chip per replica: nothing sharded";
            case 1:
                return "ZeRO stage 1: optimizer state sharded over the " + chips + " chips, weights and gradients on every chip ("
                        + mb(perChip) + " per chip); gradients all-reduced per bucket, updated weights all-gathered";
            case 2:
                return "ZeRO stage 2: optimizer state and gradients sharded over the " + chips + " chips, weights on every chip ("
                        + mb(perChip) + " per chip); gradients reduce-scattered per bucket, updated weights all-gathered";
            default:
                return "ZeRO stage 3: weights, gradients and optimizer state sharded over the " + chips + " chips (" + mb(perChip)
                        + " per chip)";
        }
    }

    /**
     * A plan without pipeline stages: the region, its ZeRO stage and the graph (weight all-gathers per
     * FSDP unit at stage 3, HBM streaming, gradient buckets, updated-weight all-gathers at stages 1 and 2).
     *
     * <p>Choice ({@code o.zeroStage()} = 0): the smallest region (1 chip, a tile row, a tile, whole
     * tiles) whose chips hold {@link Footprint#perChipBytes} at some stage, and in it the lowest stage
     * that fits (docs/model/step.md#zero-stages). A fixed stage takes its smallest region; a fixed
     * region takes the lowest stage that fits it.
     */
    static Mapping mapRegion(Workload w, SystemShape s, Options o, double optimizerBytesPerParam) {
        Footprint fp = footprint(w, optimizerBytesPerParam);
        long footprint = fp.total();
        long chipSram = (long) (s.nodesPerChip() * (double) s.sramBytesPerNode() * o.sramUsableFraction());
        int replica;
        int stage;
        String reason;
        int fixed = o.zeroStage();
        if (o.replicaChips() > 0) {
            if (o.replicaChips() > s.aliveChips()) {
                throw new ConfigException("key 'run.mapping.replicaChips': " + o.replicaChips()
                        + " chips per replica, but the system has " + s.aliveChips() + " alive chips; allowed: 0 (choose) or 1 to " + s.aliveChips());
            }
            replica = o.replicaChips();
            if (replica == 1) {
                stage = 0;
            } else if (fixed > 0) {
                stage = fixed;
                if (stage < 3 && fp.perChipBytes(stage, replica) > chipSram) {
                    throw new ConfigException("key 'run.mapping.zeroStage': " + stage + " keeps " + mb(fp.perChipBytes(stage, replica))
                            + " on each of the replica's " + replica + " chips (run.mapping.replicaChips) but a chip holds " + mb(chipSram)
                            + "; allowed: 0 (choose), 3, or a stage that fits with more chips");
                }
            } else {
                stage = 3;
                for (int z = 1; z <= 3; z++) {
                    if (fp.perChipBytes(z, replica) <= chipSram) {
                        stage = z;
                        break;
                    }
                }
            }
            reason = "run.mapping.replicaChips fixes " + replica + " chips per replica; " + stageText(stage, replica, fp.perChipBytes(stage, replica));
        } else {
            int[] smallest = new int[4];
            for (int cand : candidates(s)) {
                for (int z = 1; z <= 3; z++) {
                    if (smallest[z] == 0 && fp.perChipBytes(z, cand) <= chipSram) smallest[z] = cand;
                }
            }
            int least = 0;
            for (int z = 1; z <= 3; z++) {
                if (smallest[z] > 0 && (least == 0 || smallest[z] < least)) least = smallest[z];
            }
            if (fixed > 0 && smallest[fixed] == 0 && fixed < 3) {
                throw new ConfigException("key 'run.mapping.zeroStage': " + fixed + " keeps the replica's weights"
                        + (fixed == 1 ? " and gradients" : "") + " (" + mb(fp.weightBytes() + (fixed == 1 ? fp.gradientBytes() : 0))
                        + ") on every chip, and no region's chips hold that beside their share of the rest (a chip holds " + mb(chipSram)
                        + "); allowed: 0 (choose) or 3");
            }
            if (least == 0 || fixed == 3 && smallest[3] == 0) {
                replica = s.aliveChips();
                stage = replica == 1 ? 0 : 3;
                reason = "the replica footprint (" + mb(footprint) + ") exceeds the usable SRAM of the whole system ("
                        + mb((long) replica * chipSram) + "): one replica spans the system and what does not fit moves through DIP HBM; "
                        + stageText(stage, replica, fp.perChipBytes(stage, replica));
            } else {
                if (fixed > 0) {
                    stage = fixed;
                } else {
                    stage = 3;
                    for (int z = 1; z <= 3; z++) {
                        if (smallest[z] == least) {
                            stage = z;
                            break;
                        }
                    }
                }
                replica = smallest[stage];
                if (replica == 1) {
                    stage = 0;
                }
                long perChip = fp.perChipBytes(stage, replica);
                reason = "smallest region whose usable SRAM (" + mb((long) replica * chipSram) + ") holds the replica footprint ("
                        + mb(stage == 1 || stage == 2 ? perChip * replica : footprint) + ")"
                        + (replica == 1 ? "" : (fixed > 0 ? " at run.mapping.zeroStage = " + fixed
                        : stage < 3 ? " at the lowest ZeRO stage that fits it" : ", only at ZeRO stage 3 (stage 1 needs " + chipsText(smallest[1])
                        + ", stage 2 " + chipsText(smallest[2]) + ")")) + "; " + stageText(stage, replica, perChip);
            }
        }
        long regionSram = (long) replica * chipSram;
        int dp = s.aliveChips() / replica;
        int idle = s.aliveChips() - dp * replica;
        RankGraph graph = w.primary();
        // what does not fit is moved through DIP HBM: the weights when the model state alone is too
        // big, and the share of the kept activations that does not fit (offloaded after the forward
        // operation, fetched back before the layer's backward pass). Stages 1 and 2 fit by construction.
        boolean shardedWeights = stage == 3 || stage == 0;
        boolean streamWeights = shardedWeights && fp.stateBytes() > regionSram;
        long excess = shardedWeights ? Math.max(0, footprint - regionSram) : 0;
        double offload = fp.activationBytes() == 0 ? 0 : Math.min(1.0, (double) excess / fp.activationBytes());
        List<List<String>> units = fsdpUnits(graph, o.fsdpUnitBytes());
        boolean gather = stage == 3 && replica > 1;
        StreamingResult moved = insertUnitMovement(graph, streamWeights, gather, units, o.fsdpPrefetchUnits());
        StreamingResult offloaded = insertActivationOffload(moved.graph, offload);
        graph = offloaded.graph;
        long streamed = moved.bytes + offloaded.bytes;
        Bucketed b = gather ? bucketGradientsByUnit(graph, units) : bucketGradients(graph, o.gradientBucketBytes());
        RankGraph out = b.graph;
        if ((stage == 1 || stage == 2) && replica > 1) {
            out = gatherUpdatedWeights(out, b.members);
        }
        if (gather) {
            reason += "; weights all-gathered in " + moved.units + " FSDP units of at least " + mb(o.fsdpUnitBytes()) + " (run.mapping.fsdpUnitBytes)"
                    + " before the forward and again before the backward pass, " + (o.fsdpPrefetchUnits() == 0 ? "without prefetch"
                    : o.fsdpPrefetchUnits() + " unit" + (o.fsdpPrefetchUnits() > 1 ? "s" : "") + " ahead")
                    + "; gradients reduce-scattered per unit";
        }
        long fpBytes = stage == 1 || stage == 2 ? fp.perChipBytes(stage, replica) * replica : footprint;
        Plan plan = new Plan(replica, dp, idle, fpBytes, regionSram, streamed, b.buckets, 1, replica, 1, "none", 0.0, 0, reason, stage,
                gather ? moved.units : 0);
        return new Mapping(plan, out);
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

    /** A rewritten graph, the bytes it moves through HBM and the weight-gather units it uses (0: none). */
    record StreamingResult(RankGraph graph, long bytes, int units) {
        StreamingResult(RankGraph graph, long bytes) {
            this(graph, bytes, 0);
        }
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

    /** A graph after bucketing, its bucket count and the all-reduces each bucket (by id) stands for. */
    record Bucketed(RankGraph graph, int buckets, Map<Long, List<CollectiveOp>> members) {
        Bucketed(RankGraph graph, int buckets) {
            this(graph, buckets, Map.of());
        }
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
            return new Bucketed(g, count, ownBuckets(g));
        }
        Map<Long, Long> remap = new HashMap<>();
        Map<Long, CollectiveOp> merged = new HashMap<>();
        Map<Long, List<CollectiveOp>> members = new java.util.LinkedHashMap<>();
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
                closeBucket(bucket, bytes, remap, merged, members);
                bucket.clear();
                bytes = 0;
            }
        }
        if (!bucket.isEmpty()) {
            buckets++;
            closeBucket(bucket, bytes, remap, merged, members);
        }
        return rewriteBuckets(g, remap, merged, members, buckets, count);
    }

    private static Bucketed rewriteBuckets(RankGraph g, Map<Long, Long> remap, Map<Long, CollectiveOp> merged,
                                           Map<Long, List<CollectiveOp>> members, int buckets, int count) {
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
            return new Bucketed(new RankGraph(g.rank(), out), buckets, members);
        } catch (ConfigException cycle) {
            return new Bucketed(g, count, ownBuckets(g));
        }
    }

    /** @return each gradient all-reduce as its own bucket */
    private static Map<Long, List<CollectiveOp>> ownBuckets(RankGraph g) {
        Map<Long, List<CollectiveOp>> own = new java.util.LinkedHashMap<>();
        for (Operation op : g.ops()) {
            if (isGradientAllReduce(op)) own.put(op.id(), List.of((CollectiveOp) op));
        }
        return own;
    }

    /**
     * Merges the data-parallel gradient all-reduces of each FSDP unit into one (FSDP reduce-scatters a
     * unit's gradients together): a unit's all-reduce waits for every gradient of the unit. An
     * all-reduce whose layer is in no unit stays alone.
     */
    static Bucketed bucketGradientsByUnit(RankGraph g, List<List<String>> units) {
        Map<String, Integer> unitOf = unitIndex(units);
        int[] order = g.topologicalOrder();
        Map<Integer, List<CollectiveOp>> byUnit = new java.util.LinkedHashMap<>();
        int count = 0;
        int loose = 0;
        for (int idx : order) {
            Operation op = g.op(idx);
            if (!isGradientAllReduce(op)) continue;
            count++;
            Integer u = unitOf.get(layerKey(op));
            byUnit.computeIfAbsent(u != null ? u : -1 - loose++, k -> new ArrayList<>()).add((CollectiveOp) op);
        }
        Map<Long, Long> remap = new HashMap<>();
        Map<Long, CollectiveOp> merged = new HashMap<>();
        Map<Long, List<CollectiveOp>> members = new java.util.LinkedHashMap<>();
        for (List<CollectiveOp> bucket : byUnit.values()) {
            long bytes = 0;
            for (CollectiveOp c : bucket) bytes += c.bytes();
            closeBucket(bucket, bytes, remap, merged, members);
        }
        return rewriteBuckets(g, remap, merged, members, byUnit.size(), count);
    }

    /**
     * ZeRO stages 1 and 2: each chip updates its shard of the parameters, so after the update of a
     * bucket's layers their weights are all-gathered over the region (the weight bytes of the bucket's
     * layers; the all-reduce's bytes when its layer has no forward weights).
     */
    static RankGraph gatherUpdatedWeights(RankGraph g, Map<Long, List<CollectiveOp>> buckets) {
        Map<String, Long> layerWeights = new HashMap<>();
        Map<Long, List<Long>> updatesOf = new HashMap<>();
        long maxId = 0;
        for (Operation op : g.ops()) {
            maxId = Math.max(maxId, op.id());
            if (op instanceof ComputeOp && op.phase() == Phase.FORWARD) {
                layerWeights.merge(layerKey(op), ((ComputeOp) op).weightBytes(), Long::sum);
            }
            if (op instanceof ComputeOp && op.phase() == Phase.OPTIMIZER) {
                for (long d : op.deps()) {
                    if (buckets.containsKey(d)) updatesOf.computeIfAbsent(d, k -> new ArrayList<>()).add(op.id());
                }
            }
        }
        List<Operation> out = new ArrayList<>(g.ops());
        for (Map.Entry<Long, List<CollectiveOp>> e : buckets.entrySet()) {
            long bytes = 0;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (CollectiveOp c : e.getValue()) {
                long wb = layerWeights.getOrDefault(layerKey(c), 0L);
                if (wb > 0 && seen.add(layerKey(c))) {
                    bytes += wb;
                } else if (wb == 0) {
                    bytes += c.bytes();
                }
            }
            List<Long> deps = updatesOf.getOrDefault(e.getKey(), List.of(e.getKey()));
            CollectiveOp last = e.getValue().get(e.getValue().size() - 1);
            out.add(new CollectiveOp(++maxId, (e.getValue().size() == 1 ? last.name() : "bucket " + last.name()) + ".updated-weights.gather",
                    CollectiveKind.ALL_GATHER, Math.max(1, bytes), CommGroup.of(ParallelDim.TENSOR), 0, deps, last.layer(), Phase.OPTIMIZER,
                    Operation.NO_DURATION));
        }
        return new RankGraph(g.rank(), out);
    }

    private static String layerKey(Operation op) {
        return op.layer().isEmpty() ? "#" + op.id() : op.layer();
    }

    private static Map<String, Integer> unitIndex(List<List<String>> units) {
        Map<String, Integer> unitOf = new HashMap<>();
        for (int u = 0; u < units.size(); u++) {
            for (String l : units.get(u)) unitOf.put(l, u);
        }
        return unitOf;
    }

    /**
     * FSDP units: the layers in the order of their first forward operation (an operation without a
     * layer name is a layer of its own), cut greedily into runs of consecutive layers whose forward
     * weight bytes reach {@code unitBytes} (a unit closes at the layer that reaches it; the last unit
     * may be smaller; 0: every layer with weights closes a unit). Layers without weights join the
     * unit being filled, as PyTorch's size-based wrap policy does for modules below its threshold.
     */
    static List<List<String>> fsdpUnits(RankGraph g, long unitBytes) {
        Map<String, Long> weights = new java.util.LinkedHashMap<>();
        for (int idx : g.topologicalOrder()) {
            Operation op = g.op(idx);
            if (op instanceof ComputeOp && op.phase() == Phase.FORWARD) {
                weights.merge(layerKey(op), ((ComputeOp) op).weightBytes(), Long::sum);
            }
        }
        List<List<String>> units = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<String, Long> e : weights.entrySet()) {
            cur.add(e.getKey());
            bytes += e.getValue();
            if (bytes > 0 && bytes >= unitBytes) {
                units.add(List.copyOf(cur));
                cur.clear();
                bytes = 0;
            }
        }
        if (!cur.isEmpty()) units.add(List.copyOf(cur));
        return units;
    }

    private static void closeBucket(List<CollectiveOp> bucket, long bytes, Map<Long, Long> remap, Map<Long, CollectiveOp> merged,
                                    Map<Long, List<CollectiveOp>> members) {
        CollectiveOp last = bucket.get(bucket.size() - 1);
        members.put(last.id(), List.copyOf(bucket));
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
     * Inserts the weight movement of each FSDP unit before the operations that read its weights:
     * with {@code stream}, an HBM-to-SRAM transfer (the footprint does not fit in SRAM); with
     * {@code gather}, an all-gather of the unit's weight shards across the region's chips (ZeRO
     * stage 3). A unit moves once for its forward operations and once more for its backward ones
     * (FSDP reshards after the forward). Gathers are numbered in the order their first reader comes
     * (forward units, then backward units in backward order); gather q waits for the readers of
     * gather q - 1 - {@code prefetch} that come before gather q's first reader, so {@code prefetch}
     * units are gathered while one computes and at most prefetch + 1 units are gathered at once.
     * A weight-reading operation whose layer is in no unit is a unit of its own.
     */
    static StreamingResult insertUnitMovement(RankGraph g, boolean stream, boolean gather, List<List<String>> units, int prefetch) {
        if (!stream && !gather) {
            return new StreamingResult(g, 0, 0);
        }
        Map<String, Integer> unitOf = unitIndex(units);
        long maxId = 0;
        for (Operation op : g.ops()) {
            maxId = Math.max(maxId, op.id());
        }
        int[] order = g.topologicalOrder();
        // groups: (pass, unit) in order of their first reader; readers listed in topological order
        Map<String, Integer> groupOf = new HashMap<>();
        List<List<ComputeOp>> readers = new ArrayList<>();
        Map<Long, Integer> groupOfReader = new HashMap<>();
        Map<Long, Integer> position = new HashMap<>();
        for (int k = 0; k < order.length; k++) {
            Operation op = g.op(order[k]);
            position.put(op.id(), k);
            if (!(op instanceof ComputeOp) || ((ComputeOp) op).weightBytes() <= 0) continue;
            Integer u = unitOf.get(layerKey(op));
            String key = (op.phase() == Phase.FORWARD ? "F" : "B") + (u != null ? "u" + u : "#" + op.id());
            Integer q = groupOf.get(key);
            if (q == null) {
                q = readers.size();
                groupOf.put(key, q);
                readers.add(new ArrayList<>());
            }
            readers.get(q).add((ComputeOp) op);
            groupOfReader.put(op.id(), q);
        }
        Map<Integer, List<Operation>> before = new HashMap<>();
        long[] movementId = new long[readers.size()];
        long bytes = 0;
        for (int q = 0; q < readers.size(); q++) {
            List<ComputeOp> rs = readers.get(q);
            ComputeOp first = rs.get(0);
            long w = 0;
            for (ComputeOp c : rs) w += c.weightBytes();
            List<Long> pre = new ArrayList<>();
            int p = q - 1 - prefetch;
            if (p >= 0) {
                int firstPos = position.get(first.id());
                for (ComputeOp c : readers.get(p)) {
                    if (position.get(c.id()) < firstPos) pre.add(c.id());
                }
            }
            String base = rs.size() == 1 ? first.name() : "fsdp unit " + (unitOf.containsKey(layerKey(first)) ? unitOf.get(layerKey(first)) : q)
                    + (first.phase() == Phase.FORWARD ? " forward" : " backward") + " (" + layerKey(first) + " .. " + layerKey(rs.get(rs.size() - 1)) + ")";
            List<Operation> ins = new ArrayList<>();
            long last = -1;
            if (stream) {
                long memId = ++maxId;
                ins.add(new MemoryOp(memId, base + ".weights", MemoryOp.Direction.HBM_TO_SRAM, w, first.layer() + ".weights", pre,
                        first.layer(), first.phase(), Operation.NO_DURATION));
                bytes += w;
                last = memId;
            }
            if (gather) {
                long gatherId = ++maxId;
                ins.add(new CollectiveOp(gatherId, base + ".gather", CollectiveKind.ALL_GATHER, w, CommGroup.of(ParallelDim.TENSOR), 0,
                        last >= 0 ? List.of(last) : pre, first.layer(), first.phase(), Operation.NO_DURATION));
                last = gatherId;
            }
            movementId[q] = last;
            before.put(g.indexOf(first.id()), ins);
        }
        List<Operation> out = new ArrayList<>(g.size() + 2 * readers.size());
        for (int i = 0; i < g.size(); i++) {
            Operation op = g.op(i);
            List<Operation> ins = before.get(i);
            if (ins != null) out.addAll(ins);
            Integer q = groupOfReader.get(op.id());
            if (q != null) {
                List<Long> deps = new ArrayList<>(op.deps());
                deps.add(movementId[q]);
                out.add(withDeps(op, deps));
            } else {
                out.add(op);
            }
        }
        int forwardUnits = 0;
        for (String key : groupOf.keySet()) {
            if (key.startsWith("F")) forwardUnits++;
        }
        return new StreamingResult(new RankGraph(g.rank(), out), bytes, gather ? forwardUnits : 0);
    }

}
