package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.Phase;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Megatron-style tensor parallelism (Shoeybi et al. 2019; sequence parallelism: Korthikanti et
 * al. 2022): rewrites a transformer's step into the work of one of {@code t} tensor-parallel ranks
 * and adds the collectives that join them.
 *
 * <pre>
 *   role (workload property)   forward                      backward
 *   column  (QKV, FFN-1, logits) Y[:, n/t] = X W[:, n/t]     dX partial sums -> all-reduce (SP: reduce-scatter)
 *                                (SP: all-gather X before)
 *   row     (proj, FFN-2)        Y partial = X[:, k/t] W     (SP: all-gather dY before)
 *                                -> all-reduce (SP: reduce-scatter)
 *   split   (softmax, attention core, GELU, loss): heads or columns / t, no collective
 *   vocab   (embedding table)    rows of the table / t, output all-reduced (SP: reduce-scatter)
 *   other   (norms, residual adds): replicated; with SP split along the sequence (/ t)
 *   every all-reduce, all-gather and reduce-scatter above moves b x s x h elements of the
 *   compute type: 2 b s h bytes in BF16
 * </pre>
 *
 * <p>Weights, gradients, their data-parallel all-reduces, the optimizer update and its state of
 * column, row and vocab layers divide by t (a row layer's bias stays whole). The ranks of a group
 * run the same rewritten graph on disjoint chips, so the mapper treats a group of t chips as one
 * chip that runs one rank's work ({@link #virtualShape}); the executor runs the added collectives
 * over the group's chips ({@link #GROUP}).
 *
 * <p>Caveats: the column layers' weight gradients with sequence parallelism read the gathered input
 * without a second all-gather (Megatron re-gathers it, overlapped); the layer-norm gradients' small
 * all-reduce over the group with sequence parallelism is left out; the vocabulary-parallel loss's
 * all-reduce of b x s scalars is left out; vocabularies not divisible by t are padded (rounded up).
 */
public final class TensorParallel {
    /** Name of the communication group of the added collectives: the chips of one tensor-parallel group. */
    public static final String GROUP = "tensor-parallel";

    /** Workload property (of a rewritten workload): its tensor-parallel degree. */
    public static final String DEGREE = "tensorParallel.degree";
    /** Workload property (of a rewritten workload): whether sequence parallelism is on. */
    public static final String SEQUENCE = "tensorParallel.sequence";

    private enum Role { COLUMN, ROW, SPLIT, VOCAB, OTHER }

    private TensorParallel() {
    }

    /** @return whether the collective is one of the group's ({@link #GROUP}) */
    public static boolean isTensorParallel(Operation op) {
        return op instanceof CollectiveOp c && c.group().dimension() == ParallelDim.TENSOR && GROUP.equals(c.group().name());
    }

    /** @return the tensor-parallel degree a (rewritten) workload runs at: 1 unless {@link #shard} made it */
    public static int degree(Workload w) {
        return Integer.parseInt(w.metadata().properties().getOrDefault(DEGREE, "1"));
    }

    /** @return whether the workload declares tensor-parallel layer roles (a generated transformer) */
    public static boolean supported(Workload w) {
        return w.metadata().properties().containsKey("tensorParallel.column");
    }

    /**
     * @return the degrees t the workload allows on a group inside a tile of {@code chipsPerTile} chips:
     * 1, and when it declares layer roles every divisor of its heads up to {@code max} and the tile
     */
    public static List<Integer> degrees(Workload w, int chipsPerTile, int max) {
        List<Integer> out = new ArrayList<>();
        out.add(1);
        if (!supported(w)) return out;
        long heads = dividend(w);
        for (int t = 2; t <= Math.min(max, chipsPerTile); t++) {
            if (heads % t == 0) out.add(t);
        }
        return out;
    }

    private static long dividend(Workload w) {
        String key = w.metadata().properties().getOrDefault("tensorParallel.divides", "heads");
        return Long.parseLong(w.metadata().properties().getOrDefault(key, "1"));
    }

    /**
     * Checks a degree against the workload and the machine.
     *
     * @throws ConfigException naming {@code run.mapping.tensorParallel} when the workload has no
     *                         tensor-parallel layers, t does not divide its heads, or a group does not fit a tile
     */
    public static void check(Workload w, int t, int chipsPerTile) {
        if (t <= 1) return;
        if (!supported(w)) {
            throw new ConfigException("key 'run.mapping.tensorParallel': " + t + ", but workload '" + w.metadata().name()
                    + "' declares no tensor-parallel layers (only the built-in transformers do: gpt3-*, bert-large, decoder models;"
                    + " convolutional networks run at t = 1); allowed: 0 (choose) or 1");
        }
        long heads = dividend(w);
        if (heads % t != 0) {
            throw new ConfigException("key 'run.mapping.tensorParallel': " + t + " does not divide the " + heads + " attention heads of '"
                    + w.metadata().name() + "'; allowed: 0 (choose) or a divisor of " + heads + " up to " + chipsPerTile + " (one tile): "
                    + degrees(w, chipsPerTile, chipsPerTile));
        }
        if (t > chipsPerTile) {
            throw new ConfigException("key 'run.mapping.tensorParallel': " + t + " chips per group, but a tile has " + chipsPerTile
                    + " chips and a group stays inside a tile; allowed: 0 (choose) or " + degrees(w, chipsPerTile, chipsPerTile));
        }
    }

    /**
     * @return the machine as one rank of a group of {@code t} chips sees it: a group is one chip, a
     * tile holds floor(chipsPerTile / t) groups (a group never straddles tiles; the tile's remaining
     * chips stay idle), and each virtual chip keeps one chip's share of the HBM
     */
    static Mapper.SystemShape virtualShape(Mapper.SystemShape s, int t) {
        if (t <= 1) return s;
        int perTile = Math.max(1, s.chipsPerTile() / t);
        int virtual = s.aliveChips() / s.chipsPerTile() * perTile + (s.aliveChips() % s.chipsPerTile()) / t;
        double share = (double) virtual / s.aliveChips();
        return new Mapper.SystemShape(virtual, perTile, s.nodesPerChip(), s.sramBytesPerNode(),
                (long) (s.hbmBytes() * share), s.hbmBytesPerSecond() * share, s.gatherBpsInTile(), s.gatherBpsAcrossTiles(), s.tilesPerTray());
    }

    /**
     * Where the chips of tensor-parallel groups sit. Each tile's alive chips, in snake order, hold
     * q = floor(n / t) groups (n alive chips in the tile) and leave n - q t idle; virtual chip v (group
     * v, numbered tile by tile) has rank k on the tile's snake position {@code v mod q + k q}: a rank's
     * chips are consecutive in the tile (ZeRO's weight gathers, which move the most bytes, stay on
     * neighbouring chips) and a group's chips lie q positions apart, inside one tile (its collectives
     * cross only die-to-die links).
     *
     * @param tileChips per tile, its alive chips in snake order
     * @return placed[v t + k], the chip of rank k of virtual chip v
     */
    static int[] placement(List<int[]> tileChips, int t) {
        int n = 0;
        for (int[] tc : tileChips) n += tc.length / t;
        int[] placed = new int[n * t];
        int v = 0;
        for (int[] tc : tileChips) {
            int q = tc.length / t;
            for (int g = 0; g < q; g++, v++) {
                for (int k = 0; k < t; k++) {
                    placed[v * t + k] = tc[g + k * q];
                }
            }
        }
        return placed;
    }

    /** @return a plan of groups ({@link #virtualShape}) in chips: each region's chips times t */
    static Plan realPlan(Plan p, int t, boolean sp, int aliveChips) {
        if (t <= 1) return p;
        int replica = p.replicaChips() * t;
        String why = p.reason() + "; tensor parallel over groups of " + t + " chips (Megatron column and row splits"
                + (sp ? ", sequence parallel" : "") + "): each region's " + p.stageChips() + " chip(s) per rank x " + t + " ranks";
        return new Plan(replica, p.dataParallel(), aliveChips - p.dataParallel() * replica, p.footprintBytes() * t, p.regionSramBytes() * t,
                p.streamedBytes() * t, p.gradientBuckets(), p.pipelineStages(), p.stageChips() * t, p.microBatches(), p.schedule(),
                p.estimatedStepSeconds(), p.samplesPerReplica(), why, p.zeroStage(), p.fsdpUnits(), t, sp, p.virtualStages());
    }

    private static Role role(String layer, Map<String, Set<String>> roles) {
        String suffix = layer.substring(layer.lastIndexOf('.') + 1);
        if (roles.get("column").contains(suffix)) return Role.COLUMN;
        if (roles.get("row").contains(suffix)) return Role.ROW;
        if (roles.get("split").contains(suffix)) return Role.SPLIT;
        if (roles.get("vocab").contains(suffix)) return Role.VOCAB;
        return Role.OTHER;
    }

    private static Set<String> list(Map<String, String> props, String key) {
        Set<String> s = new HashSet<>();
        for (String v : props.getOrDefault(key, "").split(",")) {
            if (!v.isBlank()) s.add(v.trim());
        }
        return s;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Rewrites the workload into one tensor-parallel rank's step (see the class description).
     *
     * @param t  the degree (1: the workload unchanged)
     * @param sp sequence parallelism
     */
    public static Workload shard(Workload w, int t, boolean sp) {
        if (t <= 1) return w;
        if (!supported(w)) {
            check(w, t, Integer.MAX_VALUE);
        }
        Map<String, String> props = w.metadata().properties();
        Map<String, Set<String>> roles = Map.of("column", list(props, "tensorParallel.column"), "row", list(props, "tensorParallel.row"),
                "split", list(props, "tensorParallel.split"), "vocab", list(props, "tensorParallel.vocab"));
        RankGraph g = w.primary();
        long maxId = 0;
        Map<String, GemmShape> fwdShape = new HashMap<>();
        for (Operation op : g.ops()) {
            maxId = Math.max(maxId, op.id());
            if (op instanceof ComputeOp c && c.phase() == Phase.FORWARD && c.shape() instanceof GemmShape gs) fwdShape.put(c.layer(), gs);
        }
        // parameter share of each layer: column and vocab 1/t, row (weights / t + the whole bias)
        Map<String, Double> share = new HashMap<>();
        for (Operation op : g.ops()) {
            if (op instanceof ComputeOp c && c.phase() == Phase.FORWARD) {
                Role r = role(c.layer(), roles);
                double f = 1.0;
                if (r == Role.COLUMN || r == Role.VOCAB) {
                    f = 1.0 / t;
                } else if (r == Role.ROW && fwdShape.containsKey(c.layer())) {
                    GemmShape s = fwdShape.get(c.layer());
                    double weights = (double) s.k() * s.n();
                    f = (weights / t + s.n()) / (weights + s.n());
                }
                share.put(c.layer(), f);
            }
        }
        List<Operation> out = new ArrayList<>(g.size() + 8 * g.size() / 10);
        Map<Long, Long> redirect = new HashMap<>();      // op id -> the collective that now stands after it
        Map<Long, Long> before = new HashMap<>();        // op id -> the collective that now stands before it
        List<Operation> added = new ArrayList<>();
        long oldBytes = 0;
        long newBytes = 0;
        long dt = 2;
        for (Operation op : g.ops()) {
            if (op instanceof ComputeOp c) {
                dt = c.dataType().bytes();
                Role r = role(c.layer(), roles);
                ComputeOp s = shardCompute(c, r, t, sp, share.getOrDefault(c.layer(), 1.0));
                out.add(s);
                boolean fwd = c.phase() == Phase.FORWARD;
                boolean ig = c.phase() == Phase.BACKWARD_INPUT_GRAD;
                Phase ph = c.phase();
                if (r == Role.COLUMN && fwd && sp) {
                    long id = ++maxId;
                    before.put(c.id(), id);
                    added.add(tpOp(id, c.layer() + ".tp.allgather", CollectiveKind.ALL_GATHER, c.inputBytes(), c.deps(), c.layer(), ph));
                } else if (r == Role.ROW && ig && sp && c.shape() instanceof GemmShape gs) {
                    long id = ++maxId;
                    before.put(c.id(), id);
                    added.add(tpOp(id, c.layer() + ".tp.allgather", CollectiveKind.ALL_GATHER, gs.batch() * gs.m() * gs.k() * c.dataType().bytes(),
                            c.deps(), c.layer(), ph));
                }
                if ((r == Role.ROW || r == Role.VOCAB) && fwd || r == Role.COLUMN && ig) {
                    long id = ++maxId;
                    redirect.put(c.id(), id);
                    CollectiveKind k = sp ? CollectiveKind.REDUCE_SCATTER : CollectiveKind.ALL_REDUCE;
                    added.add(tpOp(id, c.layer() + (sp ? ".tp.reducescatter" : ".tp.allreduce"), k, c.outputBytes(), List.of(c.id()), c.layer(), ph));
                }
            } else if (op instanceof CollectiveOp c && c.group().dimension() == ParallelDim.DATA) {
                double f = share.getOrDefault(c.layer(), 1.0);
                long b = Math.max(1, Math.round(c.bytes() * f));
                oldBytes += c.bytes();
                newBytes += b;
                out.add(new CollectiveOp(c.id(), c.name(), c.collective(), b, c.group(), c.priority(), c.deps(), c.layer(), c.phase(),
                        c.measuredDurationPs()));
            } else {
                out.add(op);
            }
        }
        List<Operation> rewired = new ArrayList<>(out.size() + added.size());
        for (Operation op : out) {
            Long pre = before.get(op.id());
            if (pre != null) {
                rewired.add(Mapper.withDeps(op, List.of(pre)));
                continue;
            }
            rewired.add(Mapper.withDeps(op, redirected(op.deps(), redirect, -1)));
        }
        for (Operation c : added) {
            rewired.add(Mapper.withDeps(c, redirected(c.deps(), redirect, c.id())));
        }
        // the collectives placed after an operation keep depending on it
        List<Operation> fixed = new ArrayList<>(rewired.size());
        for (Operation op : rewired) {
            fixed.add(op);
        }
        Map<String, String> p = new TreeMap<>(props);
        p.put(DEGREE, Integer.toString(t));
        p.put(SEQUENCE, Boolean.toString(sp));
        WorkloadMetadata md = w.metadata();
        long params = oldBytes == 0 ? ceilDiv(md.parameterCount(), t) : Math.round(md.parameterCount() * (double) newBytes / oldBytes);
        WorkloadMetadata nm = new WorkloadMetadata(md.name(), md.source(), md.batchSize(), md.samplesPerStep(), md.tokensPerStep(), md.dataTypes(),
                params, md.parallelism(), p);
        List<RankGraph> ranks = new ArrayList<>();
        ranks.add(new RankGraph(g.rank(), fixed));
        for (int i = 1; i < w.ranks().size(); i++) ranks.add(w.ranks().get(i));
        return new Workload(nm, ranks);
    }

    /** @return deps with each id that has a collective after it replaced by that collective (except in the collective itself) */
    private static List<Long> redirected(List<Long> deps, Map<Long, Long> redirect, long self) {
        List<Long> d = new ArrayList<>(deps.size());
        for (long x : deps) {
            Long r = redirect.get(x);
            long v = r != null && r != self ? r : x;
            if (!d.contains(v)) d.add(v);
        }
        return d;
    }

    private static CollectiveOp tpOp(long id, String name, CollectiveKind kind, long bytes, List<Long> deps, String layer, Phase phase) {
        return new CollectiveOp(id, name, kind, Math.max(1, bytes), new CommGroup(ParallelDim.TENSOR, GROUP, List.of(), List.of()), 0, deps,
                layer, phase, Operation.NO_DURATION);
    }

    private static ComputeOp shardCompute(ComputeOp c, Role r, int t, boolean sp, double paramShare) {
        long in = c.inputBytes();
        long outB = c.outputBytes();
        long w = c.weightBytes();
        io.dojosim.workload.Shape shape = c.shape();
        long flops = c.flops();
        Phase ph = c.phase();
        if (ph == Phase.OPTIMIZER) {
            if (paramShare >= 1.0) return c;
            return build(c, null, Math.max(0, Math.round(flops * paramShare)), Math.round(in * paramShare), Math.round(outB * paramShare), w);
        }
        switch (r) {
            case COLUMN:
                if (shape instanceof GemmShape g) {
                    if (ph == Phase.FORWARD) {
                        return build(c, new GemmShape(g.batch(), g.m(), ceilDiv(g.n(), t), g.k()), 0, in, ceilDiv(outB, t), ceilDiv(w, t));
                    }
                    if (ph == Phase.BACKWARD_INPUT_GRAD) {
                        return build(c, new GemmShape(g.batch(), g.m(), g.n(), ceilDiv(g.k(), t)), 0, ceilDiv(in, t), outB, ceilDiv(w, t));
                    }
                    return build(c, new GemmShape(g.batch(), g.m(), ceilDiv(g.n(), t), g.k()), 0, in, ceilDiv(outB, t), ceilDiv(w, t));
                }
                return divided(c, t);
            case ROW:
                if (shape instanceof GemmShape g) {
                    if (ph == Phase.FORWARD) {
                        return build(c, new GemmShape(g.batch(), g.m(), g.n(), ceilDiv(g.k(), t)), 0, ceilDiv(in, t), outB, ceilDiv(w, t));
                    }
                    if (ph == Phase.BACKWARD_INPUT_GRAD) {
                        return build(c, new GemmShape(g.batch(), g.m(), ceilDiv(g.n(), t), g.k()), 0, in, ceilDiv(outB, t), ceilDiv(w, t));
                    }
                    return build(c, new GemmShape(g.batch(), ceilDiv(g.m(), t), g.n(), g.k()), 0, in, ceilDiv(outB, t), ceilDiv(w, t));
                }
                return divided(c, t);
            case SPLIT:
                return divided(c, t);
            case VOCAB:
                return c;
            default:
                boolean seqSplit = sp && (c.kind() == ComputeKind.ELEMENTWISE || c.kind() == ComputeKind.NORMALIZATION);
                return seqSplit ? divided(c, t) : c;
        }
    }

    /** @return the operation with its work and bytes divided by t (heads / t for an attention core) */
    private static ComputeOp divided(ComputeOp c, int t) {
        if (c.shape() instanceof AttentionShape a) {
            return build(c, new AttentionShape(a.batch(), ceilDiv(a.heads(), t), a.seq(), a.kvSeq(), a.headDim()), 0,
                    ceilDiv(c.inputBytes(), t), ceilDiv(c.outputBytes(), t), ceilDiv(c.weightBytes(), t));
        }
        if (c.shape() != null) {
            return c;
        }
        return build(c, null, ceilDiv(c.flops(), t), ceilDiv(c.inputBytes(), t), ceilDiv(c.outputBytes(), t), ceilDiv(c.weightBytes(), t));
    }

    private static ComputeOp build(ComputeOp c, io.dojosim.workload.Shape shape, long flops, long in, long out, long w) {
        ComputeOp.Builder b = ComputeOp.builder(c.id(), c.name(), c.kind()).dataType(c.dataType()).inputBytes(in).outputBytes(out)
                .weightBytes(w).onHost(c.onHost()).deps(c.deps()).layer(c.layer()).phase(c.phase()).measuredDurationPs(c.measuredDurationPs());
        if (shape != null) {
            b.shape(shape);
        } else {
            b.flops(flops);
        }
        return b.build();
    }
}
