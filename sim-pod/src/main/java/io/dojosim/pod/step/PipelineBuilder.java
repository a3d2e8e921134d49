package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.ConvShape;
import io.dojosim.workload.Costing;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pipeline parallelism: cuts a replica's layers into stages, splits its batch into micro-batches and
 * writes the graph of one step of the pipeline in the chosen schedule.
 *
 * <p>Units are the layers (operation {@code layer} names) in the order of their first forward
 * operation. Stage balance: the units are cut into S contiguous runs minimising the largest run's
 * FLOPs (forward + input gradient + weight gradient at the full batch), found exactly by a binary
 * search over that bound with a greedy packing check. A stage runs on {@code stageChips}
 * consecutive chips; every operation of a stage is split over them as in an unpipelined region.
 *
 * <pre>
 *   per stage s and micro-batch m (the replica's batch / M samples):
 *     F(s,m)  forward of the stage's layers, one compute operation whose parts are the layers'
 *             forward operations scaled to the micro-batch (timed one by one)
 *     B(s,m)  input- and weight-gradient operations of the stage, likewise; with recomputation
 *             (run.mapping.activationRecompute = stage) the stage's forward parts run again first
 *             and the stage keeps only its input between F(s,m) and B(s,m)
 *     activations F(s,m) -> F(t,m) and gradients B(t,m) -> B(s,m) between stages: point-to-point
 *             transfers (peer = the other stage) of the bytes the cut edges carry
 *   schedule on each stage (compute runs in exactly this order):
 *     gpipe: F0 .. F(M-1), B0 .. B(M-1)
 *     1f1b:  w = min(S-s-1, M) warm-up forwards F0 .. F(w-1), then F(w+i), B(i) for i = 0 .. M-w-1,
 *            then B(M-w) .. B(M-1)
 *   after the stage's last backward: its gradient all-reduce (one), then its optimizer update
 *   optimizer state lives in HBM; weights and gradients stay in SRAM when they fit, kept on the
 *     stage's chips as its ZeRO stage says (see the build method with a zeroStage)
 *   weights: when the stage's weights and gradients do not fit its SRAM, each compute slot's weights move
 *     from DIP HBM first; on a multi-chip stage at ZeRO stage 3 they are all-gathered before each
 *     slot, or once per step when resident; prefetched two slots ahead (the movement for slot k
 *     waits for slot k-2)
 *   activations beyond the stage's SRAM: offloaded after F(s,m), fetched back before B(s,m)
 * </pre>
 *
 * <p>The bubble is not computed: it is what the executor's schedule of these dependencies leaves
 * idle. Source of the schedules: Huang et al. 2019 (GPipe); Narayanan et al. 2021 (Megatron-LM,
 * PipeDream-Flush 1F1B without interleaving).
 *
 * <p>Caveats: a stage's work for one micro-batch is one compute operation, so overlap inside a slot
 * (a layer's weights arriving while an earlier layer computes) is not modeled, only overlap between
 * slots; tied weights on different stages wait for each other's last backward but their gradient
 * exchange is not a transfer; a workload can be pipelined only when it consists of compute
 * operations with FLOPs and data-parallel all-reduces, every operation has a layer with a forward
 * operation, and the micro-batch count divides the batch dimension of every shape.
 */
public final class PipelineBuilder {
    /** One layer: its operations and sizes at the full batch. */
    static final class Unit {
        final String layer;
        final List<ComputeOp> fwd = new ArrayList<>();
        final List<ComputeOp> bwd = new ArrayList<>();
        final List<ComputeOp> update = new ArrayList<>();
        long flops;
        long gradientBytes;      // data-parallel all-reduce bytes
        long activationBytes;    // forward outputs kept for the backward pass
        long weightBytesFwd;
        long weightBytesBwd;
        final List<Integer> tiedTo = new ArrayList<>(); // units whose weight gradients this unit's all-reduce waits for
        final long[] tpFwd = new long[3];   // tensor-parallel all-reduce, all-gather, reduce-scatter bytes of the forward pass
        final long[] tpBwd = new long[3];   // and of the backward pass
        final int[] tpFwdCount = new int[3];
        final int[] tpBwdCount = new int[3];

        Unit(String layer) {
            this.layer = layer;
        }
    }

    /** A cut edge: bytes one producer sends to a later (forward) or earlier (backward) unit, at the full batch. */
    record Edge(int fromUnit, int toUnit, boolean forward, long bytes, long producerId) {
    }

    private final List<Unit> units = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private final String notPipelinable;
    private final long optimizerBytes;
    private final long totalGradientBytes;
    private final int rank;
    private final boolean recompute;

    /**
     * @param g                     the replica's graph (compute, data-parallel all-reduces)
     * @param optimizerBytesPerStep the whole replica's optimizer state in bytes (shared by the layers in proportion to their gradients)
     * @param recompute             stage-level re-materialisation (GPipe): a stage keeps only its input per micro-batch
     *                              and runs its forward again in the backward slot
     */
    public PipelineBuilder(RankGraph g, long optimizerBytesPerStep, boolean recompute) {
        this.recompute = recompute;
        this.rank = g.rank();
        this.optimizerBytes = optimizerBytesPerStep;
        Map<String, Integer> unitOf = new HashMap<>();
        String problem = null;
        int[] order = g.topologicalOrder();
        for (int idx : order) {
            Operation op = g.op(idx);
            if (op instanceof ComputeOp && op.phase() == Phase.FORWARD) {
                String key = op.layer().isEmpty() ? "#" + op.id() : op.layer();
                if (!unitOf.containsKey(key)) {
                    unitOf.put(key, units.size());
                    units.add(new Unit(key));
                }
            }
        }
        Map<Long, Integer> unitOfOp = new HashMap<>();
        long grads = 0;
        for (int idx : order) {
            Operation op = g.op(idx);
            String key = op.layer().isEmpty() ? "#" + op.id() : op.layer();
            Integer u = unitOf.get(key);
            if (u == null) {
                problem = problem != null ? problem : "operation " + op.id() + " ('" + op.name() + "') belongs to no layer with a forward operation";
                continue;
            }
            unitOfOp.put(op.id(), u);
            Unit unit = units.get(u);
            if (op instanceof ComputeOp) {
                ComputeOp c = (ComputeOp) op;
                if (c.onHost() || c.costing() != Costing.MODELED) {
                    problem = problem != null ? problem : "operation " + op.id() + " ('" + op.name() + "') is a host or replayed operation, which cannot be split into micro-batches";
                    continue;
                }
                switch (c.phase()) {
                    case FORWARD:
                        unit.fwd.add(c);
                        unit.activationBytes += c.outputBytes();
                        unit.weightBytesFwd += c.weightBytes();
                        unit.flops += c.flops();
                        break;
                    case BACKWARD_INPUT_GRAD:
                    case BACKWARD_WEIGHT_GRAD:
                        unit.bwd.add(c);
                        unit.weightBytesBwd += c.weightBytes();
                        unit.flops += c.flops();
                        break;
                    case OPTIMIZER:
                        unit.update.add(c);
                        break;
                    default:
                        problem = problem != null ? problem : "operation " + op.id() + " ('" + op.name() + "') has no training phase";
                }
            } else if (TensorParallel.isTensorParallel(op)) {
                int k = tpIndex(((CollectiveOp) op).collective());
                if (op.phase() == Phase.FORWARD) {
                    unit.tpFwd[k] += op.bytes();
                    unit.tpFwdCount[k]++;
                } else {
                    unit.tpBwd[k] += op.bytes();
                    unit.tpBwdCount[k]++;
                }
            } else if (op instanceof CollectiveOp && ((CollectiveOp) op).collective() == CollectiveKind.ALL_REDUCE
                    && ((CollectiveOp) op).group().dimension() == ParallelDim.DATA) {
                unit.gradientBytes += op.bytes();
                grads += op.bytes();
            } else if (op instanceof io.dojosim.workload.MarkerOp) {
                // markers carry no work
            } else {
                problem = problem != null ? problem : "operation " + op.id() + " ('" + op.name() + "') is a " + op.type()
                        + " operation; a pipeline is built from compute operations and data-parallel all-reduces only";
            }
        }
        this.totalGradientBytes = grads;
        // cut edges between units; all-reduces waiting for other units' weight gradients (tied weights)
        for (int idx = 0; idx < g.size(); idx++) {
            Operation op = g.op(idx);
            Integer to = unitOfOp.get(op.id());
            if (to == null) continue;
            for (int p : g.predecessors(idx)) {
                Operation prod = g.op(p);
                Integer from = unitOfOp.get(prod.id());
                if (from == null || from.intValue() == to.intValue()) continue;
                if (op instanceof CollectiveOp && !TensorParallel.isTensorParallel(op)) {
                    units.get(to).tiedTo.add(from);
                } else if ((prod instanceof ComputeOp || TensorParallel.isTensorParallel(prod)) && op instanceof ComputeOp) {
                    // a tensor-parallel collective stands for the output it reduced or gathered
                    boolean fwd = prod.phase() == Phase.FORWARD;
                    long bytes = prod instanceof ComputeOp ? ((ComputeOp) prod).outputBytes() : prod.bytes();
                    if (fwd && op.phase() != Phase.FORWARD) {
                        continue; // a backward operation reading a forward output of another layer: kept activations, no transfer
                    }
                    edges.add(new Edge(from, to, fwd, bytes, prod.id()));
                }
            }
        }
        if (units.isEmpty()) {
            problem = problem != null ? problem : "the graph has no forward compute operation";
        }
        this.notPipelinable = problem;
    }

    private static int tpIndex(CollectiveKind k) {
        switch (k) {
            case ALL_GATHER:
                return 1;
            case REDUCE_SCATTER:
            case REDUCE_SCATTER_BLOCK:
                return 2;
            default:
                return 0;
        }
    }

    private static final CollectiveKind[] TP_KINDS = {CollectiveKind.ALL_REDUCE, CollectiveKind.ALL_GATHER, CollectiveKind.REDUCE_SCATTER};

    /**
     * @return per stage of a cut, the tensor-parallel collectives of one micro-batch of 1/{@code m} of the
     * batch: [stage][0 forward, 1 backward][0 all-reduce, 1 all-gather, 2 reduce-scatter] bytes, and in
     * [stage][2 + pass][kind] their count; the backward pass repeats the forward's when it recomputes
     */
    public long[][][] tensorParallelBytes(int[] first, int m) {
        int stages = first.length - 1;
        long[][][] out = new long[stages][4][3];
        for (int s = 0; s < stages; s++) {
            for (int u = first[s]; u < first[s + 1]; u++) {
                Unit unit = units.get(u);
                for (int k = 0; k < 3; k++) {
                    out[s][0][k] += unit.tpFwd[k] / m;
                    out[s][1][k] += unit.tpBwd[k] / m + (recompute ? unit.tpFwd[k] / m : 0);
                    out[s][2][k] += unit.tpFwdCount[k];
                    out[s][3][k] += unit.tpBwdCount[k] + (recompute ? unit.tpFwdCount[k] : 0);
                }
            }
        }
        return out;
    }

    /** @return why this graph cannot be pipelined, or null when it can */
    public String notPipelinable() {
        return notPipelinable;
    }

    /** @return the layers in forward order */
    public int units() {
        return units.size();
    }

    /** @return FLOPs of each unit (forward and backward at the full batch) */
    public long[] unitFlops() {
        long[] f = new long[units.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = units.get(i).flops;
        }
        return f;
    }

    // ------------------------------------------------------------------ stage balance

    /**
     * Cuts {@code cost} into exactly {@code stages} contiguous non-empty runs minimising the largest
     * run's sum: binary search for the smallest bound B such that greedy packing needs at most
     * {@code stages} runs, then a packing under B that closes a run early when the remaining items
     * are just enough for the remaining runs.
     *
     * @return the first item of each stage (length stages + 1, last = cost.length)
     */
    public static int[] balance(long[] cost, int stages) {
        int n = cost.length;
        if (stages < 1 || stages > n) {
            throw new IllegalArgumentException("stages " + stages + " for " + n + " layers");
        }
        long lo = 0;
        long hi = 0;
        for (long c : cost) {
            lo = Math.max(lo, c);
            hi += c;
        }
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (runsNeeded(cost, mid) <= stages) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int[] first = new int[stages + 1];
        int stage = 0;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int stagesAfter = stages - stage - 1;
            if (i > first[stage] && stagesAfter > 0 && (sum + cost[i] > lo || n - i == stagesAfter)) {
                stage++;
                first[stage] = i;
                sum = 0;
            }
            sum += cost[i];
        }
        first[stages] = n;
        return first;
    }

    private static int runsNeeded(long[] cost, long bound) {
        int runs = 1;
        long sum = 0;
        for (long c : cost) {
            if (sum + c > bound) {
                runs++;
                sum = 0;
            }
            sum += c;
        }
        return runs;
    }

    // ------------------------------------------------------------------ micro-batch scaling

    /** @return the operation's work for 1/M of the batch, or null when M does not divide its batch dimension */
    public static ComputeOp scaled(ComputeOp c, int m, long id) {
        if (m == 1) {
            return c;
        }
        Shape s = c.shape();
        Shape t = null;
        if (s instanceof GemmShape) {
            GemmShape gs = (GemmShape) s;
            if (gs.batch() % m == 0 && gs.batch() > 1) {
                t = new GemmShape(gs.batch() / m, gs.m(), gs.n(), gs.k());
            } else if (c.phase() == Phase.BACKWARD_WEIGHT_GRAD) {
                if (gs.k() % m != 0) return null;
                t = new GemmShape(gs.batch(), gs.m(), gs.n(), gs.k() / m);
            } else {
                if (gs.m() % m != 0) return null;
                t = new GemmShape(gs.batch(), gs.m() / m, gs.n(), gs.k());
            }
        } else if (s instanceof AttentionShape) {
            AttentionShape a = (AttentionShape) s;
            if (a.batch() % m != 0) return null;
            t = new AttentionShape(a.batch() / m, a.heads(), a.seq(), a.kvSeq(), a.headDim());
        } else if (s instanceof ConvShape) {
            ConvShape cs = (ConvShape) s;
            if (cs.n() % m != 0) return null;
            t = new ConvShape(cs.n() / m, cs.c(), cs.h(), cs.w(), cs.k(), cs.r(), cs.s(), cs.stride(), cs.padding(), cs.groups());
        } else if (s != null) {
            return null;
        } else if (c.flops() % m != 0) {
            return null;
        }
        ComputeOp.Builder b = ComputeOp.builder(id, c.name(), c.kind()).dataType(c.dataType())
                .inputBytes(c.inputBytes() / m).outputBytes(c.outputBytes() / m).weightBytes(c.weightBytes())
                .layer(c.layer()).phase(c.phase());
        if (t != null) {
            b.shape(t);
        } else {
            b.flops(c.flops() / m);
        }
        return b.build();
    }

    /** @return whether M divides the batch dimension of every operation */
    public boolean divisible(int m) {
        for (Unit u : units) {
            for (ComputeOp c : u.fwd) {
                if (scaled(c, m, c.id()) == null) return false;
            }
            for (ComputeOp c : u.bwd) {
                if (scaled(c, m, c.id()) == null) return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ per-stage sizes

    /**
     * Sizes of one stage, at one micro-batch where it says so, and what its chips keep: at ZeRO stage
     * 1 every chip holds the stage's weights and gradients, at 2 its weights and 1/c of the
     * gradients, at 3 1/c of both, plus the whole gathered weights when they stay resident across
     * micro-batches ({@code gatheredResident}). Optimizer state lives in HBM.
     */
    public record StageSizes(long stateBytes, long activationBytesPerMicroBatch, long inputBytesPerMicroBatch, long weightBytesFwd,
                             long weightBytesBwd, long gradientBytes, long flops, boolean recompute, int zeroStage, int chips,
                             boolean gatheredResident) {
        /** Sizes at ZeRO stage 3 on one chip (the accounting before ZeRO stages were a choice). */
        public StageSizes(long stateBytes, long activationBytesPerMicroBatch, long inputBytesPerMicroBatch, long weightBytesFwd,
                          long weightBytesBwd, long gradientBytes, long flops, boolean recompute) {
            this(stateBytes, activationBytesPerMicroBatch, inputBytesPerMicroBatch, weightBytesFwd, weightBytesBwd, gradientBytes, flops,
                    recompute, 3, 1, false);
        }

        /** @return the same stage at another ZeRO stage, chip count and residency */
        public StageSizes at(int stage, int c, boolean resident) {
            return new StageSizes(stateBytes, activationBytesPerMicroBatch, inputBytesPerMicroBatch, weightBytesFwd, weightBytesBwd,
                    gradientBytes, flops, recompute, stage, c, resident);
        }

        /** @return weight and gradient bytes one chip keeps in SRAM (see the record's description) */
        public long stateBytesPerChip() {
            long c = Math.max(1, chips);
            long own;
            if (c == 1 || zeroStage >= 3) {
                own = Mapper.ceilDiv(weightBytesFwd + gradientBytes, c);
            } else if (zeroStage == 2) {
                own = weightBytesFwd + Mapper.ceilDiv(gradientBytes, c);
            } else {
                own = weightBytesFwd + gradientBytes;
            }
            return own + (gatheredResident ? weightBytesFwd : 0);
        }

        /** @return what must stay in the stage's SRAM for it not to stream its weights: weights and gradients as its chips keep them */
        public long residentBytes() {
            if (chips <= 1 || zeroStage >= 3) {
                return weightBytesFwd + gradientBytes + (gatheredResident ? (long) Math.max(1, chips) * weightBytesFwd : 0);
            }
            return (long) chips * stateBytesPerChip();
        }

        /** @return whether the stage's weights move from HBM before each slot: weights and gradients exceed its SRAM */
        public boolean streams(long sramBytes) {
            return residentBytes() > sramBytes;
        }

        /** @return bytes a micro-batch keeps between its forward and its backward slot (its input only, with recomputation) */
        public long keptPerMicroBatch() {
            return recompute ? inputBytesPerMicroBatch : activationBytesPerMicroBatch;
        }

        /** @return activation bytes live at once with {@code inFlight} micro-batches between forward and backward */
        public long liveActivationBytes(int inFlight) {
            return (long) inFlight * keptPerMicroBatch() + (recompute ? activationBytesPerMicroBatch : 0);
        }

        /** @return the share of the live activations that does not fit SRAM beside the resident state */
        public double offloadFraction(long sramBytes, int inFlight) {
            long keep = liveActivationBytes(inFlight);
            long avail = Math.max(0, sramBytes - (streams(sramBytes) ? 0 : residentBytes()));
            return keep > avail && keep > 0 ? (double) (keep - avail) / keep : 0.0;
        }

        /** @return bytes written to HBM after each forward slot (and read back before the backward slot) */
        public long offloadBytesPerSlot(long sramBytes, int inFlight) {
            return Math.round(offloadFraction(sramBytes, inFlight) * (keptPerMicroBatch() + (recompute ? activationBytesPerMicroBatch : 0)));
        }

        /** @return SRAM + HBM bytes the stage needs: its whole model state and its live activations */
        public long needBytes(int inFlight) {
            return stateBytes + liveActivationBytes(inFlight);
        }
    }

    /** @return the sizes of each stage of a cut */
    public StageSizes[] sizes(int[] first, int m, double optimizerBytesPerGradientByte) {
        int stages = first.length - 1;
        StageSizes[] out = new StageSizes[stages];
        int[] stageOfUnit = new int[units.size()];
        for (int s = 0; s < stages; s++) {
            for (int u = first[s]; u < first[s + 1]; u++) stageOfUnit[u] = s;
        }
        // bytes each stage receives from earlier stages per micro-batch (each producer counted once per stage)
        long[] inputs = new long[stages];
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Edge e : edges) {
            int to = stageOfUnit[e.toUnit()];
            if (e.forward() && stageOfUnit[e.fromUnit()] < to && seen.add(e.producerId() * 4096 + to)) {
                inputs[to] += e.bytes() / m;
            }
        }
        for (int s = 0; s < stages; s++) {
            long state = 0;
            long act = 0;
            long wf = 0;
            long wb = 0;
            long gr = 0;
            long fl = 0;
            long input = inputs[s];
            for (int u = first[s]; u < first[s + 1]; u++) {
                Unit unit = units.get(u);
                state += unit.weightBytesFwd + unit.gradientBytes + Math.round(unit.gradientBytes * optimizerBytesPerGradientByte);
                act += unit.activationBytes / m;
                wf += unit.weightBytesFwd;
                wb += unit.weightBytesBwd;
                gr += unit.gradientBytes;
                fl += unit.flops;
            }
            out[s] = new StageSizes(state, act, input, wf, wb, gr, fl, recompute);
        }
        return out;
    }

    /** @return optimizer bytes per byte of data-parallel gradient */
    public double optimizerPerGradientByte() {
        return totalGradientBytes == 0 ? 0 : (double) optimizerBytes / totalGradientBytes;
    }

    /** What the time of a compute operation depends on (not its id, name or layer). */
    private record Signature(ComputeKind kind, Shape shape, io.dojosim.workload.DataType type, long flops, long in, long out, long weight,
                             Phase phase) {
        static Signature of(ComputeOp c) {
            return new Signature(c.kind(), c.shape(), c.dataType(), c.flops(), c.inputBytes(), c.outputBytes(), c.weightBytes(), c.phase());
        }
    }

    private int[][] fwdSig;
    private int[][] bwdSig;
    private List<ComputeOp> distinct;

    private void signatures() {
        if (distinct != null) return;
        Map<Signature, Integer> index = new HashMap<>();
        distinct = new ArrayList<>();
        fwdSig = new int[units.size()][];
        bwdSig = new int[units.size()][];
        for (int u = 0; u < units.size(); u++) {
            fwdSig[u] = sig(units.get(u).fwd, index);
            bwdSig[u] = sig(units.get(u).bwd, index);
        }
    }

    private int[] sig(List<ComputeOp> ops, Map<Signature, Integer> index) {
        int[] out = new int[ops.size()];
        for (int i = 0; i < out.length; i++) {
            ComputeOp c = ops.get(i);
            Integer k = index.get(Signature.of(c));
            if (k == null) {
                k = distinct.size();
                index.put(Signature.of(c), k);
                distinct.add(c);
            }
            out[i] = k;
        }
        return out;
    }

    /**
     * @return per unit the busy time of its forward ([0]) and its backward ([1]) work for one
     * micro-batch on a stage of {@code chips} chips; operations that differ only in name are timed once
     */
    public long[][] unitTimes(int m, int chips, RegionComputeModel timing) {
        signatures();
        long[] t = new long[distinct.size()];
        for (int i = 0; i < t.length; i++) {
            ComputeOp c = distinct.get(i);
            t[i] = timing.time(scaled(c, m, c.id()), chips).busyPs();
        }
        long[][] out = new long[2][units.size()];
        for (int u = 0; u < units.size(); u++) {
            for (int k : fwdSig[u]) out[0][u] += t[k];
            for (int k : bwdSig[u]) out[1][u] += t[k];
            if (recompute) out[1][u] += out[0][u];
        }
        return out;
    }

    // ------------------------------------------------------------------ the graph

    /** The graph of one pipelined step and what the executor needs besides it. */
    public record Built(RankGraph graph, Map<Long, List<ComputeOp>> parts, Map<Long, Integer> stageOf, long streamedBytes,
                        int gradientBuckets, StageSizes[] sizes) {
    }

    /** @return the order of (micro-batch, forward?) slots on stage s: entries m for F(m) and -1-m for B(m) */
    public static int[] slotOrder(String schedule, int stages, int s, int m) {
        int[] order = new int[2 * m];
        int k = 0;
        if (schedule.equals("gpipe")) {
            for (int i = 0; i < m; i++) order[k++] = i;
            for (int i = 0; i < m; i++) order[k++] = -1 - i;
        } else {
            int w = Math.min(stages - s - 1, m);
            for (int i = 0; i < w; i++) order[k++] = i;
            for (int i = 0; i < m - w; i++) {
                order[k++] = w + i;
                order[k++] = -1 - i;
            }
            for (int i = m - w; i < m; i++) order[k++] = -1 - i;
        }
        return order;
    }

    /**
     * The interleaved 1F1B order of stage {@code s} of {@code stages}, each holding {@code v} model
     * chunks, with {@code m} micro-batches (a multiple of the stages), after Megatron-LM's
     * schedule (Narayanan et al. 2021): the k-th forward runs chunk (k mod S v) / S on micro-batch
     * (k / S v) S + k mod S, the k-th backward the same with the chunks in reverse; w = min(2 (S - s - 1)
     * + (v - 1) S, v m) warm-up forwards (all v m when m = S), then one forward and one backward by
     * turns, then the remaining backwards. The bubble is (S - 1) / (v m) of the ideal step.
     *
     * @return entries c m + mb for F(chunk c, mb) and -1 - (c m + mb) for B(chunk c, mb)
     */
    public static int[] interleavedOrder(int stages, int v, int s, int m) {
        int total = v * m;
        int w = m == stages ? total : Math.min(2 * (stages - s - 1) + (v - 1) * stages, total);
        int[] order = new int[2 * total];
        int k = 0;
        for (int i = 0; i < w; i++) order[k++] = interleavedSlot(stages, v, m, i, true);
        for (int i = 0; i < total - w; i++) {
            order[k++] = interleavedSlot(stages, v, m, w + i, true);
            order[k++] = -1 - interleavedSlot(stages, v, m, i, false);
        }
        for (int i = total - w; i < total; i++) order[k++] = -1 - interleavedSlot(stages, v, m, i, false);
        return order;
    }

    private static int interleavedSlot(int stages, int v, int m, int k, boolean forward) {
        int inGroup = k % (stages * v);
        int chunk = inGroup / stages;
        if (!forward) chunk = v - 1 - chunk;
        int mb = (k / (stages * v)) * stages + k % stages;
        return chunk * m + mb;
    }

    /** @return chunk-micro-batches whose activations stage s keeps at once in the interleaved order, in micro-batches of a whole stage */
    static int inFlightInterleaved(int stages, int v, int s, int m) {
        int total = v * m;
        int w = m == stages ? total : Math.min(2 * (stages - s - 1) + (v - 1) * stages, total);
        return Math.max(1, Math.min(m, (int) Math.ceil((w + 1.0) / v)));
    }

    /** @return micro-batches whose activations stage s keeps at once in the schedule */
    public static int inFlight(String schedule, int stages, int s, int m) {
        return schedule.equals("gpipe") ? m : Math.min(stages - s, m);
    }

    /**
     * Writes the step.
     *
     * @param first          first unit of each stage ({@link #balance})
     * @param m              micro-batches
     * @param schedule       "1f1b" or "gpipe"
     * @param stageChips     chips of a stage (weights are gathered over them when more than one)
     * @param stageSramBytes usable SRAM of a stage
     * @param bucketBytes    gradient bucket size (0: one all-reduce per stage)
     */
    public Built build(int[] first, int m, String schedule, int stageChips, long stageSramBytes, long bucketBytes) {
        return build(first, m, 1, schedule, stageChips, stageSramBytes, bucketBytes);
    }

    /**
     * Writes the step of a replica that runs 1 / {@code share} of the workload's batch, as {@code m}
     * micro-batches (each operation scaled to 1 / (share x m)).
     */
    public Built build(int[] first, int m, int share, String schedule, int stageChips, long stageSramBytes, long bucketBytes) {
        return build(first, m, share, schedule, stageChips, stageSramBytes, bucketBytes, 3, false);
    }

    /**
     * Writes the step with a ZeRO stage over each stage's chips (docs/model/step.md#zero-stages):
     * <pre>
     *   stage 1: no weight gathers; one gradient all-reduce after the last backward; the stage's
     *            updated weights all-gathered over its chips after the update
     *   stage 2: as 1, and each backward slot but the last reduce-scatters its gradients over the
     *            stage's chips (the gradients are sharded, so they cannot accumulate whole)
     *   stage 3: weights gathered before every slot, or once before the first slot when
     *            {@code resident} (they stay for every micro-batch); gradients as stage 2; no
     *            gather after the update
     * </pre>
     */
    public Built build(int[] first, int m, int share, String schedule, int stageChips, long stageSramBytes, long bucketBytes,
                       int zeroStage, boolean resident) {
        return build(first, m, share, schedule, stageChips, stageSramBytes, bucketBytes, zeroStage, resident, 1);
    }

    /**
     * Writes the step with {@code virtualStages} v model chunks per pipeline stage (interleaved 1F1B,
     * Narayanan et al. 2021, section 2.2.2): {@code first} then cuts the units into S v chunks, chunk
     * c runs on stage c mod S, and each stage runs its chunks' slots in {@link #interleavedOrder}.
     * With v = 1 this is the plain schedule, operation for operation.
     */
    public Built build(int[] first, int m, int share, String schedule, int stageChips, long stageSramBytes, long bucketBytes,
                       int zeroStage, boolean resident, int virtualStages) {
        final int v = Math.max(1, virtualStages);
        int stages = first.length - 1;          // chunks (model stages); physical stages are stages / v
        final int phys = stages / v;
        if (v > 1 && (stages % v != 0 || m % phys != 0)) {
            throw new ConfigException("key 'run.mapping.virtualStages': " + v + " chunks per stage need the layers cut into a multiple of "
                    + v + " chunks and micro-batches (" + m + ") divisible by the " + phys + " stages; allowed: 1, or a v with both");
        }
        final int scale = m * share;
        if (!divisible(scale)) {
            throw new ConfigException("key 'run.mapping.microBatches': " + m + " micro-batches do not divide the batch dimension of every operation;"
                    + " allowed: a divisor of the replica's batch (run.batchPerReplica)");
        }
        int[] stageOfUnit = new int[units.size()];
        for (int s = 0; s < stages; s++) {
            for (int u = first[s]; u < first[s + 1]; u++) stageOfUnit[u] = s;
        }
        StageSizes[] sizes = sizes(first, scale, optimizerPerGradientByte());
        for (int s = 0; s < stages; s++) {
            sizes[s] = sizes[s].at(zeroStage, stageChips, resident && zeroStage == 3 && stageChips > 1);
        }
        boolean sharded = stageChips > 1 && zeroStage >= 2;
        List<List<Long>> scattered = new ArrayList<>();
        long[] nextId = {1};
        List<Operation> ops = new ArrayList<>();
        Map<Long, List<ComputeOp>> parts = new LinkedHashMap<>();
        Map<Long, Integer> stageOf = new HashMap<>();
        List<List<ComputeOp>> fParts = new ArrayList<>();
        List<List<ComputeOp>> bParts = new ArrayList<>();
        List<List<ComputeOp>> uParts = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            List<ComputeOp> f = new ArrayList<>();
            List<ComputeOp> b = new ArrayList<>();
            List<ComputeOp> up = new ArrayList<>();
            for (int u = first[s]; u < first[s + 1]; u++) {
                for (ComputeOp c : units.get(u).fwd) f.add(scaled(c, scale, c.id()));
                for (ComputeOp c : units.get(u).bwd) b.add(scaled(c, scale, c.id()));
                up.addAll(units.get(u).update);
            }
            fParts.add(List.copyOf(f));
            if (recompute) {
                List<ComputeOp> rb = new ArrayList<>(f);
                rb.addAll(b);
                b = rb;
            }
            bParts.add(List.copyOf(b));
            uParts.add(List.copyOf(up));
        }
        // bytes each stage sends to each other stage per micro-batch, forward and backward
        long[][] fwdBytes = new long[stages][stages];
        long[][] bwdBytes = new long[stages][stages];
        java.util.Set<String> counted = new java.util.HashSet<>();
        for (Edge e : edges) {
            int a = stageOfUnit[e.fromUnit()];
            int b = stageOfUnit[e.toUnit()];
            if (a == b || !counted.add(e.producerId() + ">" + b)) continue;
            if (e.forward()) {
                fwdBytes[a][b] += e.bytes() / scale;
            } else {
                bwdBytes[a][b] += e.bytes() / scale;
            }
        }
        long[][][] tpBytes = tensorParallelBytes(first, scale);
        long streamed = 0;
        long[][] fId = new long[stages][m];
        long[][] bId = new long[stages][m];
        long[][] oId = new long[stages][m];
        long[] lastSlot = new long[stages];      // per chunk, its last backward slot
        // slots are written in a global order that respects every dependency: sweep the schedule's
        // time steps; ids are assigned first so cross-stage dependencies can name them
        // per physical stage p, its slots in order: chunk c (of the stages chunks), micro-batch mb, forward or not;
        // with v = 1 chunk c is stage p and the order is slotOrder's
        int[][] orderChunk = new int[phys][];
        int[][] order = new int[phys][];
        for (int p = 0; p < phys; p++) {
            if (v == 1) {
                order[p] = slotOrder(schedule, stages, p, m);
                orderChunk[p] = new int[order[p].length];
                java.util.Arrays.fill(orderChunk[p], p);
            } else {
                int[] io = interleavedOrder(phys, v, p, m);
                order[p] = new int[io.length];
                orderChunk[p] = new int[io.length];
                for (int k = 0; k < io.length; k++) {
                    int e = io[k] >= 0 ? io[k] : -1 - io[k];
                    int chunk = (e / m) * phys + p;
                    orderChunk[p][k] = chunk;
                    order[p][k] = io[k] >= 0 ? e % m : -1 - e % m;
                }
            }
            for (int k = 0; k < order[p].length; k++) {
                int slot = order[p][k];
                int c = orderChunk[p][k];
                long id = nextId[0]++;
                if (slot >= 0) fId[c][slot] = id; else bId[c][-1 - slot] = id;
            }
        }
        for (int c = 0; c < stages; c++) {
            for (int mb = 0; mb < m; mb++) {
                oId[c][mb] = nextId[0]++;
            }
            scattered.add(new ArrayList<>());
        }
        int[] lastBOf = new int[stages];
        int[] firstKOf = new int[stages];
        java.util.Arrays.fill(firstKOf, -1);
        for (int p = 0; p < phys; p++) {
            for (int k = 0; k < order[p].length; k++) {
                int c = orderChunk[p][k];
                if (order[p][k] < 0) lastBOf[c] = k;
                if (firstKOf[c] < 0) firstKOf[c] = k;
            }
        }
        for (int p = 0; p < phys; p++) {
            long[] slotIds = new long[order[p].length];
            for (int k = 0; k < order[p].length; k++) {
                final int s = orderChunk[p][k];     // the chunk (the stage when v = 1)
                StageSizes z = sizes[s];
                boolean stream = z.streams(stageSramBytes);
                boolean perSlot = zeroStage == 3 && !z.gatheredResident();
                List<Long> rsIds = scattered.get(s);
                int lastB = lastBOf[s];
                long offBytes = z.offloadBytesPerSlot(stageSramBytes, v == 1 ? inFlight(schedule, stages, s, m) : inFlightInterleaved(phys, v, p, m));
                int slot = order[p][k];
                boolean fwd = slot >= 0;
                int mb = fwd ? slot : -1 - slot;
                long id = fwd ? fId[s][mb] : bId[s][mb];
                slotIds[k] = id;
                if (k == lastB) lastSlot[s] = id;
                List<Long> deps = new ArrayList<>();
                if (k > 0) deps.add(slotIds[k - 1]);
                // weights for this slot: from HBM when the state does not fit, gathered over the stage's chips
                long wBytes = fwd ? z.weightBytesFwd() : z.weightBytesBwd();
                if (!perSlot) {
                    // stages 1 and 2 hold the weights on every chip; resident stage 3 gathers them once, before the chunk's first slot
                    wBytes = z.gatheredResident() && k == firstKOf[s] ? z.weightBytesFwd() : 0;
                }
                if (wBytes > 0 && (stream || stageChips > 1)) {
                    List<Long> pre = k >= 2 ? List.of(slotIds[k - 2]) : List.of();
                    long last = -1;
                    if (stream) {
                        long wid = nextId[0]++;
                        ops.add(new MemoryOp(wid, "stage" + s + (fwd ? ".F" : ".B") + mb + ".weights", MemoryOp.Direction.HBM_TO_SRAM, wBytes,
                                "stage" + s + ".weights", pre, "stage" + s, fwd ? Phase.FORWARD : Phase.BACKWARD_INPUT_GRAD, Operation.NO_DURATION));
                        stageOf.put(wid, p);
                        streamed += wBytes;
                        last = wid;
                    }
                    if (stageChips > 1) {
                        long gid = nextId[0]++;
                        ops.add(new CollectiveOp(gid, "stage" + s + (fwd ? ".F" : ".B") + mb + ".gather", CollectiveKind.ALL_GATHER, wBytes,
                                CommGroup.of(ParallelDim.TENSOR), 0, last >= 0 ? List.of(last) : pre, "stage" + s,
                                fwd ? Phase.FORWARD : Phase.BACKWARD_INPUT_GRAD, Operation.NO_DURATION));
                        stageOf.put(gid, p);
                        last = gid;
                    }
                    deps.add(last);
                }
                if (!fwd) deps.add(fId[s][mb]);
                // what the slot receives: activations from the stages before it (forward), gradients from those after it (backward)
                long[][] inBytes = fwd ? fwdBytes : bwdBytes;
                long[][] senderIds = fwd ? fId : bId;
                String sent = fwd ? ".F" + mb + ".act->stage" : ".B" + mb + ".grad->stage";
                for (int a = fwd ? 0 : s + 1; a < (fwd ? s : stages); a++) {
                    if (inBytes[a][s] > 0) {
                        long tid = nextId[0]++;
                        ops.add(new PointToPointOp(tid, "stage" + a + sent + s, PointToPointOp.Direction.SEND, p, mb, inBytes[a][s],
                                List.of(senderIds[a][mb]), "stage" + a, fwd ? Phase.FORWARD : Phase.BACKWARD_INPUT_GRAD, Operation.NO_DURATION));
                        stageOf.put(tid, a % phys);
                        deps.add(tid);
                    }
                }
                if (!fwd && offBytes > 0) {
                    long rid = nextId[0]++;
                    List<Long> rdeps = new ArrayList<>();
                    rdeps.add(oId[s][mb]);
                    if (k >= 2) rdeps.add(slotIds[k - 2]);
                    ops.add(new MemoryOp(rid, "stage" + s + ".B" + mb + ".activations.fetch", MemoryOp.Direction.HBM_TO_SRAM, offBytes,
                            "stage" + s + ".activations", rdeps, "stage" + s, Phase.BACKWARD_INPUT_GRAD, Operation.NO_DURATION));
                    stageOf.put(rid, p);
                    streamed += offBytes;
                    deps.add(rid);
                }
                List<ComputeOp> slotParts = fwd ? fParts.get(s) : bParts.get(s);
                // the slot's tensor-parallel collectives (one per kind, their bytes summed), in series with its compute
                long[] tp = tpBytes[s][fwd ? 0 : 1];
                for (int kk = 0; kk < 3; kk++) {
                    if (tp[kk] <= 0) continue;
                    long cid = nextId[0]++;
                    ops.add(new CollectiveOp(cid, "stage" + s + (fwd ? ".F" : ".B") + mb + ".tp." + TP_KINDS[kk].name().toLowerCase(java.util.Locale.ROOT),
                            TP_KINDS[kk], tp[kk], new CommGroup(ParallelDim.TENSOR, TensorParallel.GROUP, List.of(), List.of()), 0, List.copyOf(deps),
                            "stage" + s, fwd ? Phase.FORWARD : Phase.BACKWARD_INPUT_GRAD, Operation.NO_DURATION));
                    stageOf.put(cid, p);
                    deps = new ArrayList<>(List.of(cid));
                }
                ops.add(fused(id, "stage" + s + (fwd ? ".F" : ".B") + mb, slotParts, deps, "stage" + s, fwd ? Phase.FORWARD : Phase.BACKWARD_INPUT_GRAD));
                parts.put(id, slotParts);
                stageOf.put(id, p);
                if (!fwd && sharded && k != lastB && z.gradientBytes() > 0) {
                    // sharded gradients: this micro-batch's are reduce-scattered over the stage's chips now
                    long rid = nextId[0]++;
                    ops.add(new CollectiveOp(rid, "stage" + s + ".B" + mb + ".gradients.reduce-scatter", CollectiveKind.REDUCE_SCATTER,
                            z.gradientBytes(), CommGroup.of(ParallelDim.TENSOR), 0, List.of(id), "stage" + s, Phase.BACKWARD_WEIGHT_GRAD,
                            Operation.NO_DURATION));
                    stageOf.put(rid, p);
                    rsIds.add(rid);
                }
                if (fwd && offBytes > 0) {
                    long oid = oId[s][mb];
                    ops.add(new MemoryOp(oid, "stage" + s + ".F" + mb + ".offload", MemoryOp.Direction.SRAM_TO_HBM, offBytes,
                            "stage" + s + ".activations", List.of(id), "stage" + s, Phase.FORWARD, Operation.NO_DURATION));
                    stageOf.put(oid, p);
                    streamed += offBytes;
                }
            }

        }
        // gradient all-reduces and the optimizer update of each stage, after its last backward
        int buckets = 0;
        for (int s = 0; s < stages; s++) {
            List<Long> after = new ArrayList<>();
            after.add(lastSlot[s]);
            after.addAll(scattered.get(s));
            for (int u = first[s]; u < first[s + 1]; u++) {
                for (int t : units.get(u).tiedTo) {
                    long other = lastSlot[stageOfUnit[t]];
                    if (!after.contains(other)) after.add(other);
                }
            }
            long g = sizes[s].gradientBytes();
            List<Long> reduced = new ArrayList<>();
            if (g > 0) {
                // every gradient of the stage is ready after its last backward slot, so buckets would
                // only split one transfer: one all-reduce per stage
                int n = 1;
                long each = g / n;
                for (int i = 0; i < n; i++) {
                    long bytes = i == n - 1 ? g - each * (n - 1) : each;
                    long aid = nextId[0]++;
                    ops.add(new CollectiveOp(aid, "stage" + s + ".gradients" + (n > 1 ? "[" + i + "]" : ""), CollectiveKind.ALL_REDUCE, bytes,
                            CommGroup.of(ParallelDim.DATA), 0, after, "stage" + s, Phase.BACKWARD_WEIGHT_GRAD, Operation.NO_DURATION));
                    stageOf.put(aid, s % phys);
                    reduced.add(aid);
                }
                buckets += n;
            }
            long updated = -1;
            if (!uParts.get(s).isEmpty()) {
                long uid = nextId[0]++;
                ops.add(fused(uid, "stage" + s + ".update", uParts.get(s), reduced.isEmpty() ? after : reduced, "stage" + s, Phase.OPTIMIZER));
                parts.put(uid, uParts.get(s));
                stageOf.put(uid, s % phys);
                updated = uid;
            }
            if (zeroStage < 3 && stageChips > 1 && sizes[s].weightBytesFwd() > 0) {
                // stages 1 and 2: each chip updated its shard; every chip needs the whole updated weights
                long gid = nextId[0]++;
                ops.add(new CollectiveOp(gid, "stage" + s + ".updated-weights.gather", CollectiveKind.ALL_GATHER, sizes[s].weightBytesFwd(),
                        CommGroup.of(ParallelDim.TENSOR), 0, updated >= 0 ? List.of(updated) : (reduced.isEmpty() ? after : reduced), "stage" + s,
                        Phase.OPTIMIZER, Operation.NO_DURATION));
                stageOf.put(gid, s % phys);
            }
        }
        return new Built(new RankGraph(rank, ops), parts, stageOf, streamed, buckets, sizes);
    }

    /** @return one compute operation standing for {@code parts}: their FLOPs and bytes, the kind with the most FLOPs */
    static ComputeOp fused(long id, String name, List<ComputeOp> parts, List<Long> deps, String layer, Phase phase) {
        long flops = 0;
        long in = 0;
        long out = 0;
        long w = 0;
        Map<ComputeKind, Long> byKind = new LinkedHashMap<>();
        for (ComputeOp c : parts) {
            flops += c.flops();
            in += c.inputBytes();
            out += c.outputBytes();
            w += c.weightBytes();
            byKind.merge(c.kind(), c.flops(), Long::sum);
        }
        ComputeKind kind = ComputeKind.GEMM;
        long best = -1;
        for (Map.Entry<ComputeKind, Long> e : byKind.entrySet()) {
            if (e.getValue() > best) {
                best = e.getValue();
                kind = e.getKey();
            }
        }
        return ComputeOp.builder(id, name, kind).dataType(parts.isEmpty() ? io.dojosim.workload.DataType.BF16 : parts.get(0).dataType())
                .flops(flops).inputBytes(in).outputBytes(out).weightBytes(w).deps(deps).layer(layer).phase(phase).build();
    }
}
