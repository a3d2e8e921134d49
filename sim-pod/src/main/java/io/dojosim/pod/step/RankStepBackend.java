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
 * trace set, on chips {@code chip(copy, k, j)}, j < c, of the {@link PodStepBackend} chip order.
 * Compute and HBM traffic are the pod backend's (the rank's c chips, copy 0); messages and
 * collectives are this class's.
 *
 * <pre>
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
final class RankStepBackend implements StepBackend {
    private final PodStepBackend pod;
    private final Transport net;
    private final Topology topo;
    private final Plan plan;
    private final CollectiveAlgorithm algorithm;
    private final int chunks;
    private final int pipelineDepth;

    RankStepBackend(PodStepBackend pod, Transport net, Topology topo, Plan plan, CollectiveAlgorithm algorithm, int chunks, int pipelineDepth) {
        this.pod = pod;
        this.net = net;
        this.topo = topo;
        this.plan = plan;
        this.algorithm = algorithm;
        this.chunks = chunks;
        this.pipelineDepth = pipelineDepth;
    }

    @Override
    public ComputeTiming compute(ComputeOp op) {
        return pod.compute(op);
    }

    @Override
    public ComputeTiming compute(ComputeOp op, int stage) {
        return pod.compute(op, stage);
    }

    @Override
    public void memory(MemoryOp op, long token, Completion done) {
        pod.memory(op, 0, token, done);
    }

    @Override
    public void memory(MemoryOp op, int stage, long token, Completion done) {
        pod.memory(op, stage, token, done);
    }

    @Override
    public void collective(CollectiveOp op, long token, Completion done) {
        collective(op, 0, token, done);
    }

    @Override
    public void pointToPoint(PointToPointOp op, long token, Completion done) {
        pointToPoint(op, 0, token, done);
    }

    @Override
    public void collective(CollectiveOp op, int stage, long token, Completion done) {
        io.dojosim.pod.collective.CollectiveOp kind = PodStepBackend.map(op.collective());
        long bytes = Math.max(1, op.bytes());
        if (kind == null) {
            // a barrier or a rooted operation: a synchronisation costing an all-reduce of one byte per member
            kind = io.dojosim.pod.collective.CollectiveOp.ALLREDUCE;
            bytes = 1;
        }
        List<Integer> lanes = op.group().ranks();
        int c = plan.stageChips();
        int copies = plan.dataParallel();
        boolean spans = copies > 1 && (op.group().dimension() == ParallelDim.DATA || op.group().dimension() == ParallelDim.ALL);
        int perGroup = lanes.size() * (spans ? copies : 1);
        if (perGroup <= 1) {
            done.done(net.simulator().now(), token);
            return;
        }
        long shard = Math.max(1, (bytes + c - 1) / c);
        int groups = spans ? 1 : copies;
        Join join = new Join(c * groups, token, done);
        for (int j = 0; j < c; j++) {
            for (int gi = 0; gi < groups; gi++) {
                long[] members = new long[perGroup];
                int[][] keys = new int[1][perGroup];
                int k = 0;
                for (int copy = spans ? 0 : gi; copy < (spans ? copies : gi + 1); copy++) {
                    for (int lane : lanes) {
                        int chip = pod.chip(copy, lane, j);
                        members[k] = Endpoint.chip(chip);
                        // across copies the levels are trays, as the folded data-parallel all-reduce's; inside a copy, tiles
                        keys[0][k++] = spans ? topo.trayOf(chip) : topo.tileOf(chip);
                    }
                }
                CollectiveGroup g = new CollectiveGroup("shard " + j + " of " + op.name(), members, keys, keys);
                new Collective(net, topo, kind, algorithm, g, shard, chunks, pipelineDepth).start((t, tag, res) -> join.arrived(t), j);
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
        int c = plan.stageChips();
        int copies = plan.dataParallel();
        long share = Math.max(1, (op.bytes() + c - 1) / c);
        boolean send = op.direction() == PointToPointOp.Direction.SEND;
        Join join = new Join(c * copies, token, done);
        TransferListener l = (t, tag) -> join.arrived(t);
        for (int copy = 0; copy < copies; copy++) {
            for (int j = 0; j < c; j++) {
                long self = Endpoint.chip(pod.chip(copy, stage, j));
                long other = Endpoint.chip(pod.chip(copy, peer, j));
                net.send(send ? self : other, send ? other : self, share, l, (long) copy * c + j);
            }
        }
    }

    /** Calls back once all of {@code parts} have arrived, at the time of the last. */
    private static final class Join {
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
