package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.MarkerOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulates every rank graph of a trace whose ranks differ ({@code run.traceRanks = each}): rank
 * k of the set becomes stage k of the replica, on its own {@code stageChips} chips, with its own
 * compute, communication and memory streams. A send becomes a transfer from the sender's chips to
 * the receiver's (peer = the receiving stage); the matching receive (same source, destination and
 * tag, matched in order) completes when that transfer has. The replica is repeated data parallel
 * over the rest of the system, and its data-parallel collectives run across the replicas' copies
 * of each stage.
 *
 * <pre>
 *   merged id = rank index x 2^32 + trace id        stage of an operation = its rank's index
 *   send(a -> b, tag t) #i   ==  recv(b <- a, tag t) #i     (i-th of each, in graph order)
 * </pre>
 *
 * <p>Caveats: a collective that spans ranks of the set (tensor or pipeline groups) runs within
 * each rank's own stage, not across stages; the mapper does not balance or move work between
 * ranks; ranks are placed in the order of the set.
 */
public final class RankStages {
    private RankStages() {
    }

    /** The merged graph and the stage of each operation. */
    public record Merged(RankGraph graph, Map<Long, Integer> stageOf) {
    }

    /** @throws ConfigException when a send or receive has no partner in the set */
    public static Merged merge(Workload w) {
        List<RankGraph> ranks = w.ranks();
        Map<Integer, Integer> stageOfRank = new HashMap<>();
        for (int i = 0; i < ranks.size(); i++) {
            stageOfRank.put(ranks.get(i).rank(), i);
        }
        // sends by (source, destination, tag), in each rank's topological order
        Map<String, ArrayDeque<Long>> sends = new HashMap<>();
        for (int i = 0; i < ranks.size(); i++) {
            RankGraph g = ranks.get(i);
            for (int idx : g.topologicalOrder()) {
                Operation op = g.op(idx);
                if (op instanceof PointToPointOp && ((PointToPointOp) op).direction() == PointToPointOp.Direction.SEND) {
                    PointToPointOp p = (PointToPointOp) op;
                    sends.computeIfAbsent(g.rank() + ">" + p.peer() + "#" + p.tag(), k -> new ArrayDeque<>()).add(id(i, op.id()));
                }
            }
        }
        List<Operation> out = new ArrayList<>();
        Map<Long, Integer> stageOf = new HashMap<>();
        for (int i = 0; i < ranks.size(); i++) {
            RankGraph g = ranks.get(i);
            for (int idx : g.topologicalOrder()) {
                Operation op = g.op(idx);
                List<Long> deps = new ArrayList<>();
                for (long d : op.deps()) {
                    deps.add(id(i, d));
                }
                long nid = id(i, op.id());
                Operation m;
                if (op instanceof PointToPointOp) {
                    PointToPointOp p = (PointToPointOp) op;
                    Integer peerStage = stageOfRank.get(p.peer());
                    if (peerStage == null) {
                        throw new ConfigException("workload '" + w.metadata().name() + "': rank " + g.rank() + " operation " + op.id() + " ('" + op.name()
                                + "') names peer rank " + p.peer() + ", which is not in the set (ranks " + stageOfRank.keySet() + ")");
                    }
                    if (p.direction() == PointToPointOp.Direction.SEND) {
                        m = new PointToPointOp(nid, p.name(), p.direction(), peerStage, p.tag(), p.bytes(), deps, p.layer(), p.phase(),
                                p.measuredDurationPs());
                    } else {
                        ArrayDeque<Long> q = sends.get(p.peer() + ">" + g.rank() + "#" + p.tag());
                        if (q == null || q.isEmpty()) {
                            throw new ConfigException("workload '" + w.metadata().name() + "': rank " + g.rank() + " operation " + op.id() + " ('"
                                    + op.name() + "') receives from rank " + p.peer() + " with tag " + p.tag() + " but no send matches it");
                        }
                        deps.add(q.poll());
                        m = new MarkerOp(nid, p.name(), "receive of the matching send", deps, p.layer(), p.phase());
                    }
                } else {
                    m = Mapper.withDeps(renumber(op, nid), deps);
                }
                out.add(m);
                stageOf.put(nid, i);
            }
        }
        for (Map.Entry<String, ArrayDeque<Long>> e : sends.entrySet()) {
            if (!e.getValue().isEmpty()) {
                throw new ConfigException("workload '" + w.metadata().name() + "': " + e.getValue().size() + " send(s) " + e.getKey().replace(">", " -> ")
                        + " have no matching receive");
            }
        }
        return new Merged(new RankGraph(0, out), stageOf);
    }

    private static long id(int stage, long id) {
        return ((long) stage << 32) + id;
    }

    private static Operation renumber(Operation op, long id) {
        if (op instanceof io.dojosim.workload.ComputeOp) {
            io.dojosim.workload.ComputeOp c = (io.dojosim.workload.ComputeOp) op;
            return io.dojosim.workload.ComputeOp.builder(id, c.name(), c.kind()).shape(c.shape()).dataType(c.dataType()).flops(c.flops())
                    .inputBytes(c.inputBytes()).outputBytes(c.outputBytes()).weightBytes(c.weightBytes()).onHost(c.onHost())
                    .layer(c.layer()).phase(c.phase()).measuredDurationPs(c.measuredDurationPs()).build();
        }
        if (op instanceof io.dojosim.workload.CollectiveOp) {
            io.dojosim.workload.CollectiveOp c = (io.dojosim.workload.CollectiveOp) op;
            return new io.dojosim.workload.CollectiveOp(id, c.name(), c.collective(), c.bytes(), c.group(), c.priority(), List.of(), c.layer(),
                    c.phase(), c.measuredDurationPs());
        }
        if (op instanceof io.dojosim.workload.MemoryOp) {
            io.dojosim.workload.MemoryOp m = (io.dojosim.workload.MemoryOp) op;
            return new io.dojosim.workload.MemoryOp(id, m.name(), m.direction(), m.bytes(), m.tensor(), List.of(), m.layer(), m.phase(),
                    m.measuredDurationPs());
        }
        MarkerOp m = (MarkerOp) op;
        return new MarkerOp(id, m.name(), m.note(), List.of(), m.layer(), m.phase());
    }
}
