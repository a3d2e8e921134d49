package io.dojosim.pod.step;

import io.dojosim.pod.Endpoint;
import io.dojosim.pod.Topology;
import io.dojosim.pod.Transport;
import io.dojosim.pod.TransferListener;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.PointToPointOp;
import java.util.List;

/**
 * The backend of a rank-faithful run ({@link RankMapper}): lane k of the executor is rank k of the
 * trace set, on chips {@code chip(copy, k, j)}, j < c, of the {@link PodStepBackend} chip order,
 * or on nodes j < n of its node region ({@code run.rankPlacement = nodes:n}). Compute and HBM
 * traffic of whole-chip ranks are the pod backend's (the rank's c chips, copy 0); a node region's
 * compute is timed on its n nodes and its HBM traffic goes from its chip's tile's DIPs to its
 * nodes; messages and collectives are this class's (chip endpoints, or node endpoints).
 *
 * <pre>
 *   (c = chips per rank, or nodes per rank for node regions; "chip j" is then node j of the region)
 *   send of rank a to rank b, B bytes:   chip j of a -> chip j of b, ceil(B / c) bytes each, in every copy
 *   collective over ranks G, B bytes:    c concurrent collectives of ceil(B / c) bytes, shard j over
 *                                        { chip j of g : g in G }  (x every copy when G is a data-parallel
 *                                        or whole-set group and the set is replicated; else once per copy)
 *   hierarchy levels of those groups: the chip's tray when they span copies (as the folded
 *   data-parallel all-reduce of PodStepBackend), its tile otherwise
 * </pre>
 *
 * <p>Caveats: a message or collective completes when the last copy's has; a collective whose group
 * has one member (and no copies to span) takes no time.
 */
final class RankStepBackend extends StagedStepBackend {
    private final PodStepBackend pod;
    private final Transport net;
    private final Topology topo;
    private final Plan plan;
    private final CollectiveAlgorithm algorithm;
    private final int chunks;
    private final int pipelineDepth;

    private final RegionComputeModel compute;
    private final RankMapper.Options placement;
    private final int[] chipOrder;
    private final java.util.Map<Integer, int[]> dipsOfChip = new java.util.HashMap<>();

    /**
     * @param pod       the pod backend, placed by {@link RankMapper#podPlan}
     * @param plan      the rank plan (lanes = ranks, copies = dataParallel)
     * @param compute   times a rank's operations on a node region
     * @param placement the rank placement
     */
    RankStepBackend(PodStepBackend pod, Transport net, Topology topo, Plan plan, CollectiveAlgorithm algorithm, int chunks, int pipelineDepth,
                    RegionComputeModel compute, RankMapper.Options placement) {
        this.compute = compute;
        this.placement = placement;
        this.chipOrder = PodStepBackend.chipOrder(topo);
        this.pod = pod;
        this.net = net;
        this.topo = topo;
        this.plan = plan;
        this.algorithm = algorithm;
        this.chunks = chunks;
        this.pipelineDepth = pipelineDepth;
    }

    /** @return endpoints of a rank: its c chips, or the n nodes of its region */
    private int width() {
        return placement.nodesPerRank() > 0 ? placement.nodesPerRank() : plan.stageChips();
    }

    /** @return the chip that holds part {@code j} of rank {@code lane} of copy {@code copy} */
    private int chipOf(int copy, int lane, int j) {
        if (placement.nodesPerRank() == 0) {
            return pod.chip(copy, lane, j);
        }
        return chipOrder[(copy * plan.pipelineStages() + lane) / placement.ranksPerChip()];
    }

    /**
     * @param chipSlowdown per global chip index, its compute slowdown (slow chips, dead nodes)
     * @return per lane (rank), the largest slowdown of a chip that holds part of it in any copy: a
     * rank computes in lockstep over its chips, and its copies' collectives wait for the slowest
     * (chips that hold no rank do not count; ranks sharing a chip's nodes all take its slowdown)
     */
    double[] laneSlowdowns(double[] chipSlowdown) {
        double[] s = new double[plan.pipelineStages()];
        java.util.Arrays.fill(s, 1.0);
        int parts = placement.nodesPerRank() > 0 ? 1 : plan.stageChips();
        for (int copy = 0; copy < plan.dataParallel(); copy++) {
            for (int lane = 0; lane < s.length; lane++) {
                for (int j = 0; j < parts; j++) {
                    s[lane] = Math.max(s[lane], chipSlowdown[chipOf(copy, lane, j)]);
                }
            }
        }
        return s;
    }

    /** @return the endpoint of part {@code j} of rank {@code lane} of copy {@code copy}: a chip, or node j of the rank's region */
    private long endpoint(int copy, int lane, int j) {
        if (placement.nodesPerRank() == 0) {
            return Endpoint.chip(pod.chip(copy, lane, j));
        }
        int slot = copy * plan.pipelineStages() + lane;
        return Endpoint.node(chipOrder[slot / placement.ranksPerChip()], (slot % placement.ranksPerChip()) * placement.nodesPerRank() + j);
    }

    @Override
    public ComputeTiming compute(ComputeOp op, int stage) {
        return placement.nodesPerRank() > 0 ? compute.timeOnNodes(op, placement.nodesPerRank(), placement.nodesPerChip()) : pod.compute(op, stage);
    }

    @Override
    public void memory(MemoryOp op, int stage, long token, Completion done) {
        if (placement.nodesPerRank() == 0) {
            pod.memory(op, stage, token, done);
            return;
        }
        // a node region: its nodes' shares to or from the usable DIPs of its chip's tile (else tray)
        int chip = chipOf(0, stage, 0);
        int[] dips = dipsOfChip.computeIfAbsent(chip, this::dipsNear);
        if (dips.length == 0) {
            throw new io.dojosim.core.config.ConfigException("the workload streams " + op.bytes() + " bytes between HBM and SRAM but chip " + chip
                    + " (rank lane " + stage + ") has no usable DIP on its tile or tray; set pod.dip.perTileEdge above 0");
        }
        int n = width();
        long share = Math.max(1, (op.bytes() + n - 1) / n);
        PodStepBackend.Join join = new PodStepBackend.Join(n, token, done);
        TransferListener l = (t, tag) -> join.arrived(t);
        for (int j = 0; j < n; j++) {
            long hbm = Endpoint.hbm(dips[j % dips.length]);
            long node = endpoint(0, stage, j);
            if (op.direction() == MemoryOp.Direction.HBM_TO_SRAM) {
                net.send(hbm, node, share, l, j);
            } else {
                net.send(node, hbm, share, l, j);
            }
        }
    }

    private int[] dipsNear(int chip) {
        java.util.List<Integer> d = new java.util.ArrayList<>();
        for (int pass = 0; pass < 2 && d.isEmpty(); pass++) {
            for (int dip = 0; dip < topo.dips(); dip++) {
                boolean near = pass == 0 ? topo.tileOf(topo.dipChip(dip)) == topo.tileOf(chip) : topo.trayOfDip(dip) == topo.trayOf(chip);
                if (topo.dipUsable(dip) && near) d.add(dip);
            }
        }
        return d.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void collective(CollectiveOp op, int stage, long token, Completion done) {
        io.dojosim.pod.collective.CollectivePrimitive kind = PodStepBackend.primitive(op);
        long bytes = PodStepBackend.primitiveBytes(op);
        List<Integer> lanes = op.group().ranks();
        int c = width();
        int copies = plan.dataParallel();
        boolean spans = copies > 1 && (op.group().dimension() == ParallelDim.DATA || op.group().dimension() == ParallelDim.ALL);
        int perGroup = lanes.size() * (spans ? copies : 1);
        if (perGroup <= 1) {
            done.done(net.simulator().now(), token);
            return;
        }
        long shard = Math.max(1, (bytes + c - 1) / c);
        int groups = spans ? 1 : copies;
        PodStepBackend.Join join = new PodStepBackend.Join(c * groups, token, done);
        for (int j = 0; j < c; j++) {
            for (int gi = 0; gi < groups; gi++) {
                long[] members = new long[perGroup];
                int[] chips = new int[perGroup];
                int[][] keys = new int[1][perGroup];
                int k = 0;
                for (int copy = spans ? 0 : gi; copy < (spans ? copies : gi + 1); copy++) {
                    for (int lane : lanes) {
                        int chip = chipOf(copy, lane, j);
                        members[k] = endpoint(copy, lane, j);
                        chips[k] = chip;
                        keys[0][k++] = topo.tileOf(chip);
                    }
                }
                String name = "shard " + j + " of " + op.name();
                // ranks on chips: the group of dojosim collective for the same chips (ADR 0072), so the
                // replicated set's all-reduce is the folded data-parallel one; ranks on node regions
                // keep one level per tile
                CollectiveGroup g = placement.nodesPerRank() == 0 ? CollectiveGroup.ofChips(topo, name, chips)
                        : new CollectiveGroup(name, members, keys, keys);
                CollectiveAlgorithm a = pod.algorithmFor(kind, g, shard);
                new Collective(net, topo, kind, a, g, shard, chunks, pipelineDepth).start((t, tag, res) -> join.arrived(t), j);
            }
        }
    }

    @Override
    public void pointToPoint(PointToPointOp op, int stage, long token, Completion done) {
        int peer = op.peer();
        if (peer == stage || op.bytes() <= 0) {
            done.done(net.simulator().now(), token);
            return;
        }
        int c = width();
        int copies = plan.dataParallel();
        long share = Math.max(1, (op.bytes() + c - 1) / c);
        boolean send = op.direction() == PointToPointOp.Direction.SEND;
        PodStepBackend.Join join = new PodStepBackend.Join(c * copies, token, done);
        TransferListener l = (t, tag) -> join.arrived(t);
        for (int copy = 0; copy < copies; copy++) {
            for (int j = 0; j < c; j++) {
                long self = endpoint(copy, stage, j);
                long other = endpoint(copy, peer, j);
                net.send(send ? self : other, send ? other : self, share, l, (long) copy * c + j);
            }
        }
    }

}
