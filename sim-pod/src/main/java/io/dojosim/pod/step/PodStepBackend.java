package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.pod.Endpoint;
import io.dojosim.pod.FlowNetwork;
import io.dojosim.pod.Transport;
import io.dojosim.pod.Topology;
import io.dojosim.pod.TransferListener;
import io.dojosim.core.stats.StatDef;
import io.dojosim.core.stats.StatGroup;
import io.dojosim.core.stats.Counter;
import io.dojosim.core.stats.Unit;
import io.dojosim.pod.collective.AlgorithmSelector;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.pod.collective.CollectivePrimitive;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.PointToPointOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The training-step backend on the pod model: compute timed by a {@link RegionComputeModel},
 * communication run as collectives and transfers on the {@link FlowNetwork}.
 *
 * <pre>
 *   chip order: tile 0 (its chips in snake order), tile 1, ...
 *   replica r = chips [r * R, (r + 1) * R) of that order        (R = plan.replicaChips)
 *
 *   weights are sharded over the region's R chips and gathered before use (FSDP style): the
 *   mapper's tensor-parallel all-gathers run over the R chips of the representative replica.
 *   data-parallel all-reduce of B bytes (a gradient bucket):
 *     1. reduce-scatter of B over the region's R chips (they processed different samples);
 *     2. shard j is all-reduced across the D replicas: R concurrent collectives, each over
 *        { chip j of replica 0, chip j of replica 1, ... } of B / R bytes.
 *   every group (a stage's region, a shard's chips across replicas) is built by
 *   CollectiveGroup.ofChips, with the machine's hierarchy (tile row, tile, tray) and mesh rows,
 *   and each collective runs the configured algorithm; auto picks per (group, primitive, bytes)
 *   the smallest alpha-beta estimate (AlgorithmSelector). With nothing else in flight a
 *   collective here takes exactly the time dojosim collective gives for the same chips.
 * </pre>
 *
 * <p>In a pipelined plan a stage's weight all-gathers run as one flow per ring link (see
 * {@code foldedRingAllGather}); activations and gradients go from chip j of one stage to chip j of
 * the other.
 *
 * <p>Caveats: replicas are folded: compute, tensor-parallel collectives, the region's
 * reduce-scatter and HBM streaming are simulated for the representative replica (replica 0) only; data-parallel collectives carry
 * every replica's traffic. A point-to-point operation goes between the first chips of the two
 * ranks' regions.
 */
public final class PodStepBackend extends StagedStepBackend {
    private static final StatDef STAT_RAN_WITH = StatDef.counter("run.collectives.{algorithm}", Unit.COUNT,
            "collectives of the step run with the {algorithm} algorithm (pod.collective.algorithm; auto chooses per collective)");

    /** The pod backend's statistics; {@code {algorithm}} is a concrete collective algorithm's command-line name. */
    public static final StatGroup STATS = new StatGroup("PodStepBackend",
            "the step's communication on the pod's links: which algorithm each collective ran with (dojosim run)", java.util.List.of(STAT_RAN_WITH));
    private final Transport net;
    private final Topology topo;
    private final Plan plan;
    private final RegionComputeModel compute;
    private final CollectiveAlgorithm algorithm;
    private final int chunks;
    private final int pipelineDepth;
    private final int[] chipOrder;
    private final int[] placed;                      // tensor-parallel placement (TensorParallel.placement), null at t = 1
    private final int[][] stageDips;
    private final AlgorithmSelector selector;
    private final CollectiveGroup[] regionGroups;   // per stage, built on first use
    private final CollectiveGroup[][] shardGroups;  // per stage and shard, built on first use
    private final CollectiveGroup[][] rankGroups;   // per stage and tensor-parallel rank, built on first use
    private final CollectiveGroup[][] tensorGroups; // per stage and tensor-parallel group, built on first use
    private final Counter[] ranWith;                // collectives run per concrete algorithm

    public PodStepBackend(FlowNetwork net, Plan plan, RegionComputeModel compute, CollectiveAlgorithm algorithm,
                          int chunks, int pipelineDepth) {
        this(net, net.topology(), plan, compute, algorithm, chunks, pipelineDepth);
    }

    /**
     * @param net  moves the step's bytes: the flow model, or a {@link io.dojosim.pod.RegionTransport}
     *             that puts a region of interest on chip meshes
     * @param topo the machine the transport runs on (routes and link rates for the collectives' bounds)
     */
    public PodStepBackend(Transport net, Topology topo, Plan plan, RegionComputeModel compute, CollectiveAlgorithm algorithm,
                          int chunks, int pipelineDepth) {
        this.net = net;
        this.topo = topo;
        this.plan = plan;
        this.compute = compute;
        this.algorithm = algorithm;
        this.chunks = chunks;
        this.pipelineDepth = pipelineDepth;
        this.chipOrder = chipOrder(topo);
        this.placed = plan.tensorParallel() > 1 ? TensorParallel.placement(tileChips(topo), plan.tensorParallel()) : null;
        this.stageDips = new int[plan.pipelineStages()][];
        for (int st = 0; st < stageDips.length; st++) {
            stageDips[st] = dipsOfStage(st);
        }
        this.selector = new AlgorithmSelector(topo, chunks, pipelineDepth);
        this.regionGroups = new CollectiveGroup[plan.pipelineStages()];
        this.shardGroups = new CollectiveGroup[plan.pipelineStages()][];
        this.rankGroups = new CollectiveGroup[plan.pipelineStages()][];
        this.tensorGroups = new CollectiveGroup[plan.pipelineStages()][];
        CollectiveAlgorithm[] c = CollectiveAlgorithm.concrete();
        this.ranWith = new Counter[c.length];
        for (int i = 0; i < c.length; i++) {
            ranWith[i] = net.simulator().stats().counter(STAT_RAN_WITH, STAT_RAN_WITH.name(c[i].cliName()), STAT_RAN_WITH.describe(c[i].cliName()));
        }
    }

    /** @return per tile, its alive chips in snake order */
    static List<int[]> tileChips(Topology t) {
        List<int[]> out = new ArrayList<>();
        for (int tile = 0; tile < t.tiles(); tile++) {
            out.add(CollectiveGroup.snakeChipsOfTile(t, tile));
        }
        return out;
    }

    /** @return alive chips tile by tile, each tile's chips in snake order */
    static int[] chipOrder(Topology t) {
        List<Integer> out = new ArrayList<>();
        for (int tile = 0; tile < t.tiles(); tile++) {
            for (int c : CollectiveGroup.snakeChipsOfTile(t, tile)) out.add(c);
        }
        int[] a = new int[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /**
     * @return the global chip index of chip {@code j} of replica {@code r}; with tensor parallelism
     * chip j = stage s, rank k, slot g (j = s S + k f + g, f = rank chips) sits where
     * {@link TensorParallel#placement} puts rank k of the replica's virtual chip s f + g
     */
    public int chip(int replica, int j) {
        int t = plan.tensorParallel();
        if (t == 1) return chipOrder[replica * plan.replicaChips() + j];
        int sc = plan.stageChips();
        int f = plan.rankChips();
        int stage = j / sc;
        int jj = j % sc;
        int v = replica * (plan.replicaChips() / t) + stage * f + jj % f;
        return placed[v * t + jj / f];
    }

    /** @return the global chip index of chip {@code j} of stage {@code stage} of replica {@code r} */
    public int chip(int replica, int stage, int j) {
        return chip(replica, stage * plan.stageChips() + j);
    }

    /**
     * @param chipSlowdown per global chip index, its compute slowdown (1 for a chip at full speed)
     * @return per pipeline stage, the largest slowdown of a chip of that stage in any of the plan's
     * replicas (chips the plan leaves idle do not count)
     */
    public double[] stageSlowdowns(double[] chipSlowdown) {
        double[] s = new double[plan.pipelineStages()];
        java.util.Arrays.fill(s, 1.0);
        for (int r = 0; r < plan.dataParallel(); r++) {
            for (int st = 0; st < s.length; st++) {
                for (int j = 0; j < plan.stageChips(); j++) {
                    s[st] = Math.max(s[st], chipSlowdown[chip(r, st, j)]);
                }
            }
        }
        return s;
    }

    /** The usable DIPs on the stage's tiles or, when those have none (middle tiles of a tray), on its trays. */
    private int[] dipsOfStage(int stage) {
        boolean[] tileIn = new boolean[topo.tiles()];
        boolean[] trayIn = new boolean[topo.trays()];
        for (int j = 0; j < plan.stageChips(); j++) {
            int c = chip(0, stage, j);
            tileIn[topo.tileOf(c)] = true;
            trayIn[topo.trayOf(c)] = true;
        }
        List<Integer> d = new ArrayList<>();
        for (int dip = 0; dip < topo.dips(); dip++) {
            if (topo.dipUsable(dip) && tileIn[topo.tileOf(topo.dipChip(dip))]) {
                d.add(dip);
            }
        }
        if (d.isEmpty() && plan.pipelined()) {
            for (int dip = 0; dip < topo.dips(); dip++) {
                if (topo.dipUsable(dip) && trayIn[topo.trayOfDip(dip)]) {
                    d.add(dip);
                }
            }
        }
        int[] a = new int[d.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = d.get(i);
        }
        return a;
    }

    @Override
    public ComputeTiming compute(ComputeOp op, int stage) {
        // a tensor-parallel rank's share of the stage (every rank of a group runs the same rewritten operation)
        return compute.time(op, plan.rankChips());
    }

    @Override
    public void collective(CollectiveOp op, int stage, long token, Completion done) {
        CollectivePrimitive kind = primitive(op);
        long bytes = primitiveBytes(op);
        int r = plan.rankChips();
        int t = plan.tensorParallel();
        if (TensorParallel.isTensorParallel(op)) {
            // Megatron's all-reduce, all-gather or reduce-scatter: every tensor-parallel group of the stage at once
            if (t > 1) {
                // the rank's batch is split over its r chips: group g (chip g of every rank) holds 1/r of the tensor
                long each = Math.max(1, ceilDiv(bytes, r));
                runEach(kind, r, g -> tensorGroup(stage, g), each, token, done);
            } else {
                done.done(net.simulator().now(), token);
            }
            return;
        }
        boolean dataParallel = op.group().dimension() == ParallelDim.DATA || op.group().dimension() == ParallelDim.ALL;
        if (!dataParallel) {
            // tensor-parallel (weight gather) or pipeline collective: over the replica's own chips
            if (r > 1 && plan.pipelined() && (kind == CollectivePrimitive.ALLGATHER || kind == CollectivePrimitive.REDUCESCATTER)) {
                // a stage's per-slot weight gather, or (ZeRO 2 and 3) its per-micro-batch gradient
                // reduce-scatter: a ring reduce-scatter moves the same bytes over the same ring
                // links as a ring all-gather, so both are folded to one flow per ring link
                foldedRingAllGather(stage, bytes, token, done);
            } else if (r > 1) {
                // over each tensor-parallel rank's chips (the whole stage without tensor parallelism), all ranks at once
                runEach(kind, t, k -> rankGroup(stage, k), bytes, token, done);
            } else {
                done.done(net.simulator().now(), token);
            }
            return;
        }
        final CollectivePrimitive crossKind = kind;
        final long total = bytes;
        Runnable crossReplicas = () -> {
            if (plan.dataParallel() > 1) {
                crossReplicaShards(crossKind, stage, total, token, done);
            } else {
                done.done(net.simulator().now(), token);
            }
        };
        if (r > 1 && crossKind == CollectivePrimitive.ALLREDUCE) {
            // the region's chips worked on different samples: reduce-scatter their partial
            // gradients first, so each chip holds the region's sum of its shard
            runEach(CollectivePrimitive.REDUCESCATTER, t, k -> rankGroup(stage, k), total, token, (tt, tag) -> crossReplicas.run());
        } else {
            crossReplicas.run();
        }
    }

    /**
     * Shard j of every replica is combined across the D replicas: R concurrent collectives of B / R
     * bytes (with tensor parallelism B is one rank's and R its chips: every chip of the stage holds B / R).
     */
    private void crossReplicaShards(CollectivePrimitive kind, int stage, long bytes, long token, Completion done) {
        int r = plan.stageChips();
        long shard = Math.max(1, ceilDiv(bytes, plan.rankChips()));
        runEach(kind, r, j -> shardGroup(stage, j), shard, token, done);
    }

    /** Starts the collective over groups 0..count-1 at once (group i tagged i); {@code done} when the last has finished. */
    private void runEach(CollectivePrimitive kind, int count, java.util.function.IntFunction<CollectiveGroup> group, long bytes, long token,
                         Completion done) {
        Join join = new Join(count, token, done);
        for (int i = 0; i < count; i++) {
            run(kind, group.apply(i), bytes, (t, tag, res) -> join.arrived(t), i);
        }
    }

    /** Starts a collective now with the configured algorithm, auto resolved for this group and size. */
    private void run(CollectivePrimitive kind, CollectiveGroup g, long bytes, io.dojosim.pod.collective.CollectiveListener l, long tag) {
        CollectiveAlgorithm a = selector.resolve(algorithm, kind, g, bytes);
        ranWith[a.ordinal()].inc();
        new Collective(net, topo, kind, a, g, bytes, chunks, pipelineDepth).start(l, tag);
    }

    /** @return the algorithm a collective of this primitive and size over this group runs with (auto resolved) */
    public CollectiveAlgorithm algorithmFor(CollectivePrimitive kind, CollectiveGroup g, long bytes) {
        return selector.resolve(algorithm, kind, g, bytes);
    }

    /** @return the chips of replica 0's stage {@code stage}: the group of its tensor-parallel collectives and reduce-scatters */
    public CollectiveGroup regionGroup(int stage) {
        CollectiveGroup g = regionGroups[stage];
        if (g == null) {
            int r = plan.stageChips();
            int[] chips = new int[r];
            for (int j = 0; j < r; j++) {
                chips[j] = chip(0, stage, j);
            }
            g = CollectiveGroup.ofChips(topo, "region of stage " + stage, chips);
            regionGroups[stage] = g;
        }
        return g;
    }

    /**
     * @return the chips of tensor-parallel rank {@code k} of replica 0's stage {@code stage}: its consecutive chips k f .. k f + f - 1
     * (f = {@link Plan#rankChips}; the weight gathers and reduce-scatters of ZeRO, which move far more bytes than a group's
     * collectives, stay on neighbouring chips)
     * (the whole stage, {@link #regionGroup}, without tensor parallelism)
     */
    public CollectiveGroup rankGroup(int stage, int k) {
        int t = plan.tensorParallel();
        if (t == 1) return regionGroup(stage);
        if (rankGroups[stage] == null) rankGroups[stage] = new CollectiveGroup[t];
        CollectiveGroup g = rankGroups[stage][k];
        if (g == null) {
            int f = plan.rankChips();
            int[] chips = new int[f];
            for (int j = 0; j < f; j++) chips[j] = chip(0, stage, k * f + j);
            g = CollectiveGroup.ofChips(topo, "tensor-parallel rank " + k + " of stage " + stage, chips);
            rankGroups[stage][k] = g;
        }
        return g;
    }

    /** @return tensor-parallel group {@code g} of replica 0's stage {@code stage}: chip g of each rank (chips g, f + g, 2f + g, ...; consecutive when f = 1) */
    public CollectiveGroup tensorGroup(int stage, int g) {
        int t = plan.tensorParallel();
        if (tensorGroups[stage] == null) tensorGroups[stage] = new CollectiveGroup[plan.rankChips()];
        CollectiveGroup c = tensorGroups[stage][g];
        if (c == null) {
            int[] chips = new int[t];
            int f = plan.rankChips();
            for (int k = 0; k < t; k++) chips[k] = chip(0, stage, k * f + g);
            c = CollectiveGroup.ofChips(topo, "tensor-parallel group " + g + " of stage " + stage, chips);
            tensorGroups[stage][g] = c;
        }
        return c;
    }

    /** @return chip {@code j} of stage {@code stage} of every replica: the group that all-reduces shard j across replicas */
    public CollectiveGroup shardGroup(int stage, int j) {
        if (shardGroups[stage] == null) shardGroups[stage] = new CollectiveGroup[plan.stageChips()];
        CollectiveGroup g = shardGroups[stage][j];
        if (g == null) {
            int d = plan.dataParallel();
            int[] chips = new int[d];
            for (int rep = 0; rep < d; rep++) {
                chips[rep] = chip(rep, stage, j);
            }
            g = CollectiveGroup.ofChips(topo, "shard " + j + " of stage " + stage + " across replicas", chips);
            shardGroups[stage][j] = g;
        }
        return g;
    }

    @Override
    public void memory(MemoryOp op, int stage, long token, Completion done) {
        int[] regionDips = stageDips[stage];
        if (regionDips.length == 0) {
            throw new ConfigException("the workload streams " + op.bytes() + " bytes between HBM and SRAM but the replica's tiles have no"
                    + " usable DIPs; set pod.dip.perTileEdge above 0");
        }
        int r = plan.stageChips();
        // folded replicas: the other stage regions on the same tiles use the same DIPs, so this
        // region gets its chips' share of them: a subset of the DIPs, or when that is less than
        // one DIP, one DIP carrying its bytes scaled by the regions sharing it (ADR 0078)
        int sharing = Math.max(1, topo.chipsPerTile() / Math.max(1, r));
        int usable = Math.max(1, regionDips.length / sharing);
        double scale = regionDips.length >= sharing ? 1.0 : (double) sharing / regionDips.length;
        // with tensor parallelism the bytes are one rank's, spread over its chips; every rank moves its own
        long share = Math.max(1, (long) Math.ceil(ceilDiv(op.bytes(), plan.rankChips()) * scale));
        Join join = new Join(r, token, done);
        TransferListener l = (t, tag) -> join.arrived(t);
        for (int j = 0; j < r; j++) {
            long hbm = Endpoint.hbm(regionDips[(j + stage) % usable]);
            long chip = Endpoint.chip(chip(0, stage, j));
            if (op.direction() == MemoryOp.Direction.HBM_TO_SRAM) {
                net.send(hbm, chip, share, l, j);
            } else {
                net.send(chip, hbm, share, l, j);
            }
        }
    }

    @Override
    public void pointToPoint(PointToPointOp op, int stage, long token, Completion done) {
        if (plan.pipelineStages() > 1) {
            stageTransfer(op, stage, token, done);
            return;
        }
        int peerReplica = Math.floorMod(op.peer(), Math.max(1, plan.dataParallel()));
        long self = Endpoint.chip(chip(0, 0));
        long peer = Endpoint.chip(chip(peerReplica, 0));
        if (self == peer || op.bytes() <= 0) {
            done.done(net.simulator().now(), token);
            return;
        }
        long src = op.direction() == PointToPointOp.Direction.SEND ? self : peer;
        long dst = op.direction() == PointToPointOp.Direction.SEND ? peer : self;
        net.send(src, dst, op.bytes(), (t, tag) -> done.done(t, tag), token);
    }

    /**
     * A pipeline stage's weight all-gather as one flow per ring link: each chip receives from its ring
     * predecessor the (c - 1) / c of the weights it lacks. Each ring link carries what it carries in
     * a ring all-gather of many chunks, so the bandwidth term is the ring's; the latency is one hop
     * instead of c - 1 steps. c flows instead of c (c - 1) keep long pipelines quick to simulate.
     */
    private void foldedRingAllGather(int stage, long bytes, long token, Completion done) {
        int r = plan.rankChips();
        int tp = plan.tensorParallel();
        long each = Math.max(1, bytes / r * (r - 1));
        Join join = new Join(r * tp, token, done);
        TransferListener l = (t, tag) -> join.arrived(t);
        // ring order 0, 2, 4, ..., then the odd positions descending: every hop spans at most two
        // chips of the stage's order, so no flow wraps around the whole stage
        int[] ring = new int[r];
        int k = 0;
        for (int j = 0; j < r; j += 2) ring[k++] = j;
        for (int j = (r % 2 == 0) ? r - 1 : r - 2; j >= 1; j -= 2) ring[k++] = j;
        // each tensor-parallel rank q gathers over its own consecutive chips q r .. q r + r - 1
        for (int q = 0; q < tp; q++) {
            for (int j = 0; j < r; j++) {
                net.send(Endpoint.chip(chip(0, stage, q * r + ring[(j + r - 1) % r])), Endpoint.chip(chip(0, stage, q * r + ring[j])), each, l,
                        (long) q * r + j);
            }
        }
    }

    /** Activations or gradients between stages: chip j of one stage to chip j of the other, bytes / stageChips each. */
    private void stageTransfer(PointToPointOp op, int stage, long token, Completion done) {
        int peer = op.peer();
        if (peer < 0 || peer >= plan.pipelineStages()) {
            throw new io.dojosim.core.engine.SimulationError("step", net.simulator().now(), "transfer '" + op.name() + "' names stage "
                    + peer + " of " + plan.pipelineStages());
        }
        if (peer == stage || op.bytes() <= 0) {
            done.done(net.simulator().now(), token);
            return;
        }
        int r = plan.stageChips();
        long share = Math.max(1, ceilDiv(op.bytes(), r));
        Join join = new Join(r, token, done);
        TransferListener l = (t, tag) -> join.arrived(t);
        boolean send = op.direction() == PointToPointOp.Direction.SEND;
        for (int j = 0; j < r; j++) {
            long self = Endpoint.chip(chip(0, stage, j));
            long other = Endpoint.chip(chip(0, peer, j));
            net.send(send ? self : other, send ? other : self, share, l, j);
        }
    }

    /**
     * @return the primitive a workload collective runs as: its own, or, for a barrier or a rooted
     * operation we do not decompose (a zero-byte synchronisation), an all-reduce of one byte per
     * member, which costs its latency (also RankStepBackend's rule)
     */
    static CollectivePrimitive primitive(CollectiveOp op) {
        CollectivePrimitive k = map(op.collective());
        return k == null ? CollectivePrimitive.ALLREDUCE : k;
    }

    /** @return the bytes {@link #primitive} moves: the operation's (at least one), or one for a synchronisation */
    static long primitiveBytes(CollectiveOp op) {
        return map(op.collective()) == null ? 1 : Math.max(1, op.bytes());
    }

    private static CollectivePrimitive map(CollectiveKind k) {
        switch (k) {
            case ALL_REDUCE:
                return CollectivePrimitive.ALLREDUCE;
            case ALL_GATHER:
                return CollectivePrimitive.ALLGATHER;
            case REDUCE_SCATTER:
            case REDUCE_SCATTER_BLOCK:
                return CollectivePrimitive.REDUCESCATTER;
            case ALL_TO_ALL:
                return CollectivePrimitive.ALLTOALL;
            case BROADCAST:
                return CollectivePrimitive.BROADCAST;
            default:
                return null;
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Calls back once all of {@code parts} have arrived, at the time of the last (also RankStepBackend's). */
    static final class Join {
        private int remaining;
        private final long token;
        private final Completion done;

        Join(int parts, long token, Completion done) {
            this.remaining = parts;
            this.token = token;
            this.done = done;
        }

        void arrived(long nowPs) {
            if (--remaining == 0) {
                done.done(nowPs, token);
            }
        }
    }
}
