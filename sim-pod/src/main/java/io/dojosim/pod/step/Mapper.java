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
 * one replica spans the system and the weights are streamed from DIP HBM: the mapper inserts, before
 * each compute operation that reads weights, an HBM-to-SRAM transfer of them, which the executor
 * prefetches on its memory streams. On a multi-chip region the replica's weights are sharded over
 * its chips and each operation's weights are all-gathered before it runs (FSDP style); the
 * operation's work is split over the region's chips by batch item, then along M (see
 * {@link D1RegionCompute}); gradients are reduce-scattered over the region before the
 * data-parallel all-reduce (see {@link PodStepBackend}).
 *
 * <p>Caveats: pipeline parallelism across tiles is not chosen (pipelineStages is always 1), so a
 * model whose footprint exceeds the system's SRAM runs as one replica gathering weights across the
 * whole system, which is slow to simulate and pessimistic.
 */
public final class Mapper {
    /** The machine as the mapper sees it. */
    public record SystemShape(int aliveChips, int chipsPerTile, int nodesPerChip, long sramBytesPerNode) {
    }

    /** The plan and the graph the executor runs. */
    public record Mapping(Plan plan, RankGraph graph) {
    }

    private Mapper() {
    }

    /** @return bytes the replica needs resident: weights, gradients, optimizer state, kept activations */
    public static long footprintBytes(Workload w, double optimizerBytesPerParam) {
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
        return weights + gradients + optimizer + activations;
    }

    /**
     * @param replicaChipsOverride 0 to choose, or the chips per replica the config fixes
     */
    public static Mapping map(Workload w, SystemShape s, int replicaChipsOverride, double optimizerBytesPerParam,
                              double sramUsableFraction, long gradientBucketBytes) {
        long footprint = footprintBytes(w, optimizerBytesPerParam);
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
                        + mb((long) replica * chipSram) + "): one replica spans the system and streams weights from DIP HBM";
            }
        }
        long regionSram = (long) replica * chipSram;
        int dp = s.aliveChips() / replica;
        int idle = s.aliveChips() - dp * replica;
        RankGraph graph = w.primary();
        long streamed = 0;
        StreamingResult moved = insertWeightMovement(graph, footprint > regionSram, replica > 1);
        graph = moved.graph;
        streamed = moved.bytes;
        Bucketed b = bucketGradients(graph, gradientBucketBytes);
        Plan plan = new Plan(replica, dp, replica, 1, idle, footprint, regionSram, streamed, b.buckets, reason);
        return new Mapping(plan, b.graph);
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static List<Integer> candidates(SystemShape s) {
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
