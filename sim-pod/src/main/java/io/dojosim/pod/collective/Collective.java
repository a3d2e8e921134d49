package io.dojosim.pod.collective;

import io.dojosim.core.config.ConfigException;
import io.dojosim.pod.FlowNetwork;
import io.dojosim.pod.Topology;
import io.dojosim.pod.TransferListener;
import io.dojosim.pod.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One collective, decomposed into a graph of transfers with dependencies and run as traffic on a
 * {@link Transport} (the flow model, or a chip's flit or packet mesh), so the time comes from the
 * modeled links, not from a formula. A transfer starts when all of these hold:
 * <ul>
 * <li>the data it forwards has <em>arrived</em> (data dependency);</li>
 * <li>its member's previous transfer in the same stage has been <em>injected</em>, its last byte
 * has left the source (a member's transfers go out in FIFO order, one at a time on its link);</li>
 * <li>its member's transfer {@code pipelineDepth} places earlier has arrived (the pipeline window:
 * at most {@code pipelineDepth} chunks not yet arrived).</li>
 * </ul>
 * With depth 1 the window implies the FIFO rule (arrival comes after injection), so the default
 * schedule is that of store-and-forward steps; with depth 2 or more a member's next chunk leaves
 * as soon as the previous one is out, while that one is still crossing the route, so the link
 * stays busy and the next hop can forward chunk 0 while chunk 1 is being sent (ADR 0064).
 *
 * <p>Ring reduce-scatter and all-gather take n - 1 steps of {@code bytes / n} per member, all-reduce
 * is the two in a row (2(n - 1) steps); all-to-all takes n - 1 steps, step s sending to member
 * i + s (one FIFO per member over all its peers); broadcast is a pipelined chain from the first member. A level of the hierarchy splits the
 * members into equal subgroups: reduce-scatter inside each subgroup, the same operation on
 * {@code bytes / m} across the subgroups' members of equal position (recursively, by the next
 * level), then all-gather inside each subgroup (the classic hierarchical all-reduce). Stages are
 * separated by barriers.
 *
 * <p>Beside the simulation the same schedule gives an alpha-beta bound, per barrier-delimited stage
 * the larger of two lower bounds: the <em>bandwidth bound</em> (the busiest link's bytes over its
 * capacity, plus one route latency for the last byte to arrive) and the <em>latency chain</em>, the
 * critical path of the stage's transfer graph when every transfer runs alone: it is injected
 * {@code bytes / (its route's slowest link)} after it starts and arrives one route latency later,
 * and each edge waits for the injection or the arrival it names. No run can beat either, since
 * sharing only slows a transfer down. When many rings share a link, as the Ethernet rings of an
 * ExaPOD, the link stays busy while each ring waits out its latency, so the bandwidth bound holds;
 * a lone ring or chain pays its critical path. See docs/model/collectives.md, ADR 0061 and ADR 0064.
 *
 * <p>Caveats: reduction arithmetic is not modeled (D1 reduces at SIMD rate, far above link rates);
 * all members' buffers are the same size; sizes are rounded up to whole bytes per shard.
 */
public final class Collective implements TransferListener {
    private final Transport net;
    private final Topology topo;
    private final CollectivePrimitive op;
    private final CollectiveAlgorithm algorithm;
    private final CollectiveGroup group;
    private final long bytes;
    private final int chunks;
    private final int depth;
    private final int[][] keys;
    private final boolean build; // false: estimate only, no transfer graph (see #estimateSeconds)
    private double cutoff = Double.POSITIVE_INFINITY; // estimate only: stop once the estimate is sure to exceed it
    private boolean pruned;                            // estimate only: it did

    // the transfer graph
    private int ops;
    private long[] src = new long[1024];
    private long[] dst = new long[1024];
    private long[] size = new long[1024]; // -1 for a barrier
    private int[] opStage = new int[1024]; // stage index of a transfer, -1 for a barrier
    private int[] opRoute = new int[1024]; // route index of a transfer (routeSrc, routeDst), -1 for a barrier
    private int[] deps = new int[1024];
    private int[] firstSucc = new int[1024]; // edges taken when the op arrives (a barrier: completes)
    private int[] firstInjSucc = new int[1024]; // edges taken when the op is injected (a barrier: completes)
    private int edges;
    private int[] succTo = new int[4096];
    private int[] succNext = new int[4096];

    // stages for the alpha-beta estimate
    private final Map<String, Stage> stages = new LinkedHashMap<>();
    private final Map<Long, Map<Long, Integer>> routeIds = new java.util.HashMap<>();
    private final List<long[]> routes = new ArrayList<>(); // {src, dst}
    private double[] estSecondsPerByte = new double[64]; // estimate only: per route, 1 / its slowest link
    private double[] estLatency = new double[64];        // estimate only: per route, its latency in seconds
    private double[] stageChain; // per stage index: critical path in seconds, computed once

    private CollectiveListener listener;
    private long listenerTag;
    private long startPs = -1;
    private int remaining;
    private long transfers;
    private int[] work = new int[64];
    private CollectiveResult result;

    /**
     * One barrier-delimited stage (all instances of one key, for example every subgroup's ring):
     * its steps and the transfers it makes (src, dst, bytes over the stage).
     */
    private static final class Stage {
        final int index;
        int steps;
        final List<long[]> transfers = new ArrayList<>();
        double chain; // estimate only: the stage's latency chain, in seconds

        Stage(int index) {
            this.index = index;
        }
    }

    /**
     * Builds the transfer graph (nothing runs until {@link #start}).
     *
     * @param chunks        each step's transfer is split into this many chunks
     * @param pipelineDepth chunks a member may have sent and not yet arrived (they leave one after
     *                      another, each when the previous one is out)
     */
    public Collective(FlowNetwork net, CollectivePrimitive op, CollectiveAlgorithm algorithm, CollectiveGroup group, long bytes,
                      int chunks, int pipelineDepth) {
        this(net, net.topology(), op, algorithm, group, bytes, chunks, pipelineDepth);
    }

    /**
     * Builds the transfer graph for any transport (the fine mesh of a chip, for example); the
     * alpha-beta estimate uses the routes and link rates of {@code topo} (the flow model).
     * {@link CollectiveAlgorithm#AUTO} is resolved here by {@link AlgorithmSelector#choose}.
     */
    public Collective(Transport net, Topology topo, CollectivePrimitive op, CollectiveAlgorithm algorithm, CollectiveGroup group,
                      long bytes, int chunks, int pipelineDepth) {
        this(net, topo, op, algorithm == CollectiveAlgorithm.AUTO
                ? new AlgorithmSelector(topo, chunks, pipelineDepth).choose(op, group, bytes) : algorithm,
                group, bytes, chunks, pipelineDepth, true);
    }

    /**
     * The alpha-beta estimate of a schedule without building its transfer graph: the same number
     * as {@link #alphaBetaSeconds()} of the collective built with the same arguments (the latency
     * chain of each ring, all-to-all and chain is walked in place, in time proportional to its
     * transfers and memory proportional to its members), so that a 3,000-chip ring can be
     * estimated (an all-reduce: about 0.15 s of CPU) where its graph would hold 18 million transfers.
     *
     * @param algorithm ring, 2d or hierarchical
     */
    public static double estimateSeconds(Topology topo, CollectivePrimitive op, CollectiveAlgorithm algorithm, CollectiveGroup group,
                                         long bytes, int chunks, int pipelineDepth) {
        return estimateSeconds(topo, op, algorithm, group, bytes, chunks, pipelineDepth, Double.POSITIVE_INFINITY);
    }

    /**
     * {@link #estimateSeconds} that gives up, returning positive infinity, as soon as one ring
     * stage's latency chain (a lower bound of the sum) is sure to exceed {@code cutoffSeconds}:
     * before walking a ring when {@code steps x} its fastest hop already does, or during the walk.
     * Any estimate not above the cutoff is returned exactly.
     */
    public static double estimateSeconds(Topology topo, CollectivePrimitive op, CollectiveAlgorithm algorithm, CollectiveGroup group,
                                         long bytes, int chunks, int pipelineDepth, double cutoffSeconds) {
        Collective c = new Collective(null, topo, op, algorithm, group, bytes, chunks, pipelineDepth, false, cutoffSeconds);
        return c.pruned ? Double.POSITIVE_INFINITY : c.alphaBetaSeconds();
    }

    private Collective(Transport net, Topology topo, CollectivePrimitive op, CollectiveAlgorithm algorithm, CollectiveGroup group,
                       long bytes, int chunks, int pipelineDepth, boolean build) {
        this(net, topo, op, algorithm, group, bytes, chunks, pipelineDepth, build, Double.POSITIVE_INFINITY);
    }

    private Collective(Transport net, Topology topo, CollectivePrimitive op, CollectiveAlgorithm algorithm, CollectiveGroup group,
                       long bytes, int chunks, int pipelineDepth, boolean build, double cutoffSeconds) {
        if (bytes < 1) throw new ConfigException("--bytes must be at least 1 byte, got " + bytes);
        if (chunks < 1 || pipelineDepth < 1) throw new ConfigException("chunks and pipelineDepth must be >= 1");
        this.net = net;
        this.topo = topo;
        this.op = op;
        this.algorithm = algorithm;
        this.group = group;
        this.bytes = bytes;
        this.chunks = chunks;
        this.depth = pipelineDepth;
        this.build = build;
        this.cutoff = cutoffSeconds;
        this.keys = group.levelKeys(algorithm);
        int n = group.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        int start = barrier();
        int end;
        switch (op) {
            case ALLREDUCE:
                end = allReduce(all, 0, bytes, start, "");
                break;
            case REDUCESCATTER:
                end = reduceScatter(all, 0, bytes, start, "");
                break;
            case ALLGATHER:
                end = allGather(all, 0, bytes, start, "");
                break;
            case ALLTOALL:
                end = allToAll(all, 0, bytes, start, "");
                break;
            default:
                end = broadcast(all, 0, bytes, start, "");
                break;
        }
        if (end == start) {
            end = barrier();
            edge(start, end);
        }
    }

    // ---- graph building ---------------------------------------------------------------------

    /** A transfer of {@code b} bytes on route {@code r} (see {@link #routeId}) in stage {@code st}. */
    private int newOp(int r, long b, Stage st) {
        long[] sd = routes.get(r);
        int o = newOp(sd[0], sd[1], b);
        opRoute[o] = r;
        opStage[o] = st.index;
        return o;
    }

    private int newOp(long s, long d, long b) {
        if (ops == src.length) {
            int n = ops * 2;
            src = Arrays.copyOf(src, n);
            dst = Arrays.copyOf(dst, n);
            size = Arrays.copyOf(size, n);
            opStage = Arrays.copyOf(opStage, n);
            opRoute = Arrays.copyOf(opRoute, n);
            deps = Arrays.copyOf(deps, n);
            firstSucc = Arrays.copyOf(firstSucc, n);
            firstInjSucc = Arrays.copyOf(firstInjSucc, n);
        }
        src[ops] = s;
        dst[ops] = d;
        size[ops] = b;
        opStage[ops] = -1;
        opRoute[ops] = -1;
        deps[ops] = 0;
        firstSucc[ops] = -1;
        firstInjSucc[ops] = -1;
        return ops++;
    }

    private int barrier() {
        return build ? newOp(0, 0, -1) : -1;
    }

    /** @return the index of the route from member endpoint s to d (one per pair) */
    private int routeId(long s, long d) {
        Map<Long, Integer> m = routeIds.computeIfAbsent(s, k -> new java.util.HashMap<>());
        Integer id = m.get(d);
        if (id == null) {
            id = routes.size();
            routes.add(new long[] {s, d});
            m.put(d, id);
            if (!build) {
                // the same figures stageChains() takes for the graph, computed once per route
                if (id == estLatency.length) {
                    estLatency = Arrays.copyOf(estLatency, id * 2);
                    estSecondsPerByte = Arrays.copyOf(estSecondsPerByte, id * 2);
                }
                int[] route = topo.route(s, d);
                double cap = topo.chipCapBps(route); // what the coarse chips it crosses allow one transfer (ADR 0106)
                for (int l : route) cap = Math.min(cap, topo.capacity(l));
                estSecondsPerByte[id] = cap == Double.POSITIVE_INFINITY ? 0 : 1 / cap;
                estLatency[id] = topo.latencyPs(s, d, route) / 1e12;
            }
        }
        return id;
    }

    /** {@code to} waits for {@code from} to arrive (a barrier: to complete). */
    private void edge(int from, int to) {
        if (!build) return;
        firstSucc[from] = link(firstSucc[from], to);
    }

    /** {@code to} waits for {@code from} to be injected, its last byte out of the source. */
    private void injEdge(int from, int to) {
        if (!build) return;
        firstInjSucc[from] = link(firstInjSucc[from], to);
    }

    private int link(int head, int to) {
        if (edges == succTo.length) {
            succTo = Arrays.copyOf(succTo, edges * 2);
            succNext = Arrays.copyOf(succNext, edges * 2);
        }
        succTo[edges] = to;
        succNext[edges] = head;
        deps[to]++;
        return edges++;
    }

    /**
     * The ordering edges of a member's q-th transfer {@code o} in a stage, after its data edges:
     * FIFO on the previous one's injection, the window on the arrival of the one {@code depth}
     * places earlier (with depth 1 that is the previous one, whose arrival implies its injection).
     *
     * @param sent the member's last {@code depth} transfers, ring-indexed by q mod depth
     */
    private void order(int[] sent, int q, int o) {
        if (q >= 1 && depth > 1) injEdge(sent[(q - 1) % depth], o);
        if (q >= depth) edge(sent[q % depth], o);
        sent[q % depth] = o;
    }

    private Stage stage(String key) {
        return stages.computeIfAbsent(key, k -> new Stage(stages.size()));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** @return equal-size subgroups of m by the level's key, or null when the level does not split m evenly */
    private int[][] partition(int[] m, int level) {
        int[] key = keys[level];
        Map<Integer, List<Integer>> g = new LinkedHashMap<>();
        for (int i : m) g.computeIfAbsent(key[i], k -> new ArrayList<>()).add(i);
        if (g.size() < 2) return null;
        int size = -1;
        for (List<Integer> l : g.values()) {
            if (size < 0) size = l.size();
            if (l.size() != size || size < 2) return null;
        }
        int[][] out = new int[g.size()][];
        int k = 0;
        for (List<Integer> l : g.values()) {
            // members of equal rank across subgroups must line up (columns of a mesh)
            l.sort((x, y) -> Long.compare(group.position(x), group.position(y)));
            out[k++] = l.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    private static int[] column(int[][] groups, int r) {
        int[] c = new int[groups.length];
        for (int j = 0; j < groups.length; j++) c[j] = groups[j][r];
        return c;
    }

    private int allReduce(int[] m, int level, long b, int start, String path) {
        if (m.length < 2) return start;
        if (level >= keys.length) return ring(m, 2 * (m.length - 1), ceilDiv(b, m.length), start, path + "ring-allreduce");
        int[][] g = partition(m, level);
        if (g == null) return allReduce(m, level + 1, b, start, path);
        int a = barrier();
        for (int[] sub : g) edge(ring(sub, sub.length - 1, ceilDiv(b, sub.length), start, path + "L" + level + "-reducescatter"), a);
        int bb = barrier();
        for (int r = 0; r < g[0].length; r++) {
            edge(allReduce(column(g, r), level + 1, ceilDiv(b, g[0].length), a, path + "L" + level + "-across/"), bb);
        }
        int c = barrier();
        for (int[] sub : g) edge(ring(sub, sub.length - 1, ceilDiv(b, sub.length), bb, path + "L" + level + "-allgather"), c);
        return c;
    }

    private int reduceScatter(int[] m, int level, long b, int start, String path) {
        if (m.length < 2) return start;
        if (level >= keys.length) return ring(m, m.length - 1, ceilDiv(b, m.length), start, path + "ring-reducescatter");
        int[][] g = partition(m, level);
        if (g == null) return reduceScatter(m, level + 1, b, start, path);
        int a = barrier();
        for (int[] sub : g) edge(ring(sub, sub.length - 1, ceilDiv(b, sub.length), start, path + "L" + level + "-reducescatter"), a);
        int bb = barrier();
        for (int r = 0; r < g[0].length; r++) {
            edge(reduceScatter(column(g, r), level + 1, ceilDiv(b, g[0].length), a, path + "L" + level + "-across/"), bb);
        }
        return bb;
    }

    private int allGather(int[] m, int level, long b, int start, String path) {
        if (m.length < 2) return start;
        if (level >= keys.length) return ring(m, m.length - 1, ceilDiv(b, m.length), start, path + "ring-allgather");
        int[][] g = partition(m, level);
        if (g == null) return allGather(m, level + 1, b, start, path);
        int a = barrier();
        for (int r = 0; r < g[0].length; r++) {
            edge(allGather(column(g, r), level + 1, ceilDiv(b, g[0].length), start, path + "L" + level + "-across/"), a);
        }
        int c = barrier();
        for (int[] sub : g) edge(ring(sub, sub.length - 1, ceilDiv(b, sub.length), a, path + "L" + level + "-allgather"), c);
        return c;
    }

    private int allToAll(int[] m, int level, long b, int start, String path) {
        if (m.length < 2) return start;
        if (level >= keys.length) return exchange(m, ceilDiv(b, m.length), start, path + "alltoall");
        int[][] g = partition(m, level);
        if (g == null) return allToAll(m, level + 1, b, start, path);
        // inside each subgroup: to peer q go the data for every destination at position q
        int a = barrier();
        for (int[] sub : g) edge(exchange(sub, ceilDiv(b, sub.length), start, path + "L" + level + "-alltoall"), a);
        int bb = barrier();
        for (int r = 0; r < g[0].length; r++) {
            edge(allToAll(column(g, r), level + 1, b, a, path + "L" + level + "-across/"), bb);
        }
        return bb;
    }

    private int broadcast(int[] m, int level, long b, int start, String path) {
        if (m.length < 2) return start;
        if (level >= keys.length) return chain(m, b, start, path + "chain-broadcast");
        int[][] g = partition(m, level);
        if (g == null) return broadcast(m, level + 1, b, start, path);
        // the root is m[0]: first to its position in every subgroup, then inside every subgroup
        int rootGroup = -1;
        int rootPos = -1;
        for (int j = 0; j < g.length && rootGroup < 0; j++) {
            for (int r = 0; r < g[j].length; r++) {
                if (g[j][r] == m[0]) {
                    rootGroup = j;
                    rootPos = r;
                }
            }
        }
        int[] across = column(g, rootPos);
        // rotate so the root comes first
        int[] rot = new int[across.length];
        for (int j = 0; j < across.length; j++) rot[j] = across[(j + rootGroup) % across.length];
        int a = broadcast(rot, level + 1, b, start, path + "L" + level + "-across/");
        int c = barrier();
        for (int[] sub : g) {
            int[] s = new int[sub.length];
            for (int r = 0; r < sub.length; r++) s[r] = sub[(r + rootPos) % sub.length];
            edge(chain(s, b, a, path + "L" + level + "-chain"), c);
        }
        return c;
    }

    /**
     * A ring of {@code steps} steps: in each, member i sends a shard of {@code shard} bytes (in
     * chunks) to member i + 1, once the same chunk of the previous step has arrived from i - 1; a
     * member's chunks of all steps form one FIFO (see {@link #order}).
     */
    private int ring(int[] m, int steps, long shard, int start, String stageKey) {
        int n = m.length;
        int end = barrier();
        Stage st = stage(stageKey);
        st.steps = Math.max(st.steps, steps);
        int[] route = new int[n];
        for (int i = 0; i < n; i++) {
            st.transfers.add(new long[] {group.member(m[i]), group.member(m[(i + 1) % n]), shard * steps});
            route[i] = routeId(group.member(m[i]), group.member(m[(i + 1) % n]));
        }
        long[] chunkBytes = splitChunks(shard);
        if (!build) {
            if (!pruned) st.chain = Math.max(st.chain, ringChain(route, steps, chunkBytes));
            return end;
        }
        int c = chunks;
        int[] prev = new int[n * c];
        int[] cur = new int[n * c];
        int[][] sent = new int[n][depth];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < c; j++) {
                    int o = newOp(route[i], chunkBytes[j], st);
                    edge(s == 0 ? start : prev[((i - 1 + n) % n) * c + j], o);
                    order(sent[i], s * c + j, o);
                    cur[i * c + j] = o;
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        for (int k = 0; k < n * c; k++) edge(prev[k], end);
        return end;
    }

    /**
     * The latency chain of one ring without its graph: the arrival of chunk j of step s at member
     * i + 1, walked step by step with the edges {@link #ring} and {@link #order} would add (data:
     * the same chunk of the previous step from member i - 1; FIFO: the member's previous chunk
     * injected; window: its chunk {@code depth} places earlier arrived), each op injected
     * {@code bytes / slowest link} after it starts and arriving one route latency later.
     *
     * @return the latest arrival, in seconds after the stage starts
     */
    private double ringChain(int[] route, int steps, long[] chunkBytes) {
        int n = route.length;
        int c = chunks;
        double[] prev = new double[n * c];
        double[] cur = new double[n * c];
        double[] arrHist = new double[n * depth]; // member i's arrivals, ring-indexed by q mod depth
        double[] lastInj = new double[n];         // member i's previous injection
        if (cutoff < Double.POSITIVE_INFINITY) {
            // the last chunk of step s cannot arrive before s + 1 hops of the fastest route
            long largest = chunkBytes[0];
            double fastest = Double.POSITIVE_INFINITY;
            for (int r : route) fastest = Math.min(fastest, largest * estSecondsPerByte[r] + estLatency[r]);
            if (steps * fastest > cutoff) {
                pruned = true;
                return 0;
            }
        }
        double chain = 0;
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                int r = route[i];
                for (int j = 0; j < c; j++) {
                    int q = s * c + j;
                    double est = s == 0 ? 0 : prev[((i - 1 + n) % n) * c + j];
                    if (q >= 1 && depth > 1) est = Math.max(est, lastInj[i]);
                    if (q >= depth) est = Math.max(est, arrHist[i * depth + q % depth]);
                    double inj = est + chunkBytes[j] * estSecondsPerByte[r];
                    double arr = inj + estLatency[r];
                    lastInj[i] = inj;
                    arrHist[i * depth + q % depth] = arr;
                    cur[i * c + j] = arr;
                    chain = Math.max(chain, arr);
                }
            }
            double[] t = prev;
            prev = cur;
            cur = t;
            if (chain > cutoff) {
                pruned = true;
                return 0;
            }
        }
        return chain;
    }

    /**
     * All-to-all among m: step s, member i sends {@code perPeer} bytes to member i + s; a member's
     * transfers to all its peers form one FIFO (the next peer's first chunk leaves when the previous
     * chunk is out, see {@link #order}).
     */
    private int exchange(int[] m, long perPeer, int start, String stageKey) {
        int n = m.length;
        int end = barrier();
        Stage st = stage(stageKey);
        st.steps = Math.max(st.steps, n - 1);
        long[] chunkBytes = splitChunks(perPeer);
        double[] arrHist = new double[depth]; // estimate only: the member's arrivals by q mod depth
        for (int i = 0; i < n; i++) {
            int[] sent = new int[depth];
            int q = 0;
            double lastInj = 0;
            for (int s = 1; s < n; s++) {
                int to = (i + s) % n;
                st.transfers.add(new long[] {group.member(m[i]), group.member(m[to]), perPeer});
                int r = routeId(group.member(m[i]), group.member(m[to]));
                if (!build) {
                    // the member's FIFO over its peers, as order() chains it
                    for (int j = 0; j < chunks; j++, q++) {
                        double est = 0;
                        if (q >= 1 && depth > 1) est = Math.max(est, lastInj);
                        if (q >= depth) est = Math.max(est, arrHist[q % depth]);
                        double inj = est + chunkBytes[j] * estSecondsPerByte[r];
                        double arr = inj + estLatency[r];
                        lastInj = inj;
                        arrHist[q % depth] = arr;
                        st.chain = Math.max(st.chain, arr);
                    }
                    continue;
                }
                for (int j = 0; j < chunks; j++, q++) {
                    int o = newOp(r, chunkBytes[j], st);
                    if (q == 0) edge(start, o);
                    order(sent, q, o);
                    edge(o, end);
                }
            }
        }
        return end;
    }

    /**
     * Broadcast from m[0] along the chain m[0] -> m[1] -> ...: chunk j moves on once it has arrived;
     * each hop's chunks form a FIFO (see {@link #order}).
     */
    private int chain(int[] m, long b, int start, String stageKey) {
        int n = m.length;
        int end = barrier();
        Stage st = stage(stageKey);
        st.steps = Math.max(st.steps, n - 1);
        long[] chunkBytes = splitChunks(b);
        int[] prev = new int[chunks];
        double[] prevArr = new double[chunks]; // estimate only: chunk j's arrival at the hop's source
        double[] arrHist = new double[depth];
        for (int i = 0; i + 1 < n; i++) {
            st.transfers.add(new long[] {group.member(m[i]), group.member(m[i + 1]), b});
            int r = routeId(group.member(m[i]), group.member(m[i + 1]));
            if (!build) {
                double lastInj = 0;
                for (int j = 0; j < chunks; j++) {
                    double est = i == 0 ? 0 : prevArr[j];
                    if (j >= 1 && depth > 1) est = Math.max(est, lastInj);
                    if (j >= depth) est = Math.max(est, arrHist[j % depth]);
                    double inj = est + chunkBytes[j] * estSecondsPerByte[r];
                    double arr = inj + estLatency[r];
                    lastInj = inj;
                    arrHist[j % depth] = arr;
                    prevArr[j] = arr;
                    st.chain = Math.max(st.chain, arr);
                }
                continue;
            }
            int[] sent = new int[depth];
            for (int j = 0; j < chunks; j++) {
                int o = newOp(r, chunkBytes[j], st);
                edge(i == 0 ? start : prev[j], o);
                order(sent, j, o);
                prev[j] = o;
                if (i + 2 == n) edge(o, end);
            }
        }
        return end;
    }

    private long[] splitChunks(long total) {
        long[] out = new long[chunks];
        long base = total / chunks;
        long extra = total % chunks;
        for (int j = 0; j < chunks; j++) out[j] = base + (j < extra ? 1 : 0);
        return out;
    }

    // ---- running ----------------------------------------------------------------------------

    /** @return transfers in the graph (barriers excluded) */
    public long transferCount() {
        long n = 0;
        for (int i = 0; i < ops; i++) {
            if (size[i] >= 0) n++;
        }
        return n;
    }

    /** Starts the collective now; the listener is told when the last transfer has arrived. */
    public void start(CollectiveListener l, long tag) {
        if (!build) throw new IllegalStateException("an estimate does not run");
        if (startPs >= 0) throw new IllegalStateException("a collective runs once");
        listener = l;
        listenerTag = tag;
        startPs = net.simulator().now();
        remaining = ops;
        int sp = 0;
        for (int i = 0; i < ops; i++) {
            if (deps[i] == 0) work = push(work, sp++, i);
        }
        drain(sp);
    }

    private static int[] push(int[] a, int i, int v) {
        if (i == a.length) a = Arrays.copyOf(a, i * 2);
        a[i] = v;
        return a;
    }

    /** Starts every ready op on the work stack; barriers complete at once. */
    private void drain(int sp) {
        while (sp > 0) {
            int o = work[--sp];
            if (size[o] < 0) {
                sp = complete(o, sp);
            } else {
                transfers++;
                net.send(src[o], dst[o], size[o], this, o);
            }
        }
        if (remaining == 0 && result == null) {
            long now = net.simulator().now();
            result = new CollectiveResult(op, algorithm, group.size(), bytes, startPs, now, transfers, alphaBetaSeconds());
            if (listener != null) listener.collectiveDone(now, listenerTag, result);
        }
    }

    /** Op o has arrived (a barrier: has completed, which is also its injection). */
    private int complete(int o, int sp) {
        remaining--;
        if (size[o] < 0) sp = release(firstInjSucc[o], sp);
        return release(firstSucc[o], sp);
    }

    private int release(int first, int sp) {
        for (int e = first; e >= 0; e = succNext[e]) {
            int t = succTo[e];
            if (--deps[t] == 0) work = push(work, sp++, t);
        }
        return sp;
    }

    @Override
    public void transferInjected(long nowPs, long tag) {
        int o = (int) tag;
        if (firstInjSucc[o] >= 0) drain(release(firstInjSucc[o], 0));
    }

    @Override
    public void transferDone(long nowPs, long tag) {
        drain(complete((int) tag, 0));
    }

    /** @return the result once the collective has finished, else null */
    public CollectiveResult result() {
        return result;
    }

    // ---- alpha-beta -------------------------------------------------------------------------

    /** @return the alpha-beta estimate of this schedule, in seconds */
    public double alphaBetaSeconds() {
        double total = 0;
        for (double[] ab : stageEstimates().values()) total += ab[0] + ab[1];
        return total;
    }

    /**
     * @return per stage (in schedule order) its alpha-beta terms in seconds: {@code [latency term,
     * busiest link's bytes / capacity]}; their sum is the stage's bound, the larger of the
     * bandwidth bound (busiest + the largest route latency) and the stage's critical path
     */
    public Map<String, double[]> stageEstimates() {
        double[] cp = stageChains();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Stage> se : stages.entrySet()) {
            Stage st = se.getValue();
            Map<Integer, Double> bytesOnLink = new java.util.HashMap<>();
            long alphaPs = 0;
            double slowestAlone = 0; // a transfer alone at what the coarse chips it crosses allow (ADR 0106)
            for (long[] tr : st.transfers) {
                int[] route = topo.route(tr[0], tr[1]);
                alphaPs = Math.max(alphaPs, topo.latencyPs(tr[0], tr[1], route));
                for (int l : route) bytesOnLink.merge(l, (double) tr[2], Double::sum);
                slowestAlone = Math.max(slowestAlone, tr[2] / topo.chipCapBps(route));
            }
            double busiest = slowestAlone;
            for (Map.Entry<Integer, Double> e : bytesOnLink.entrySet()) {
                busiest = Math.max(busiest, e.getValue() / topo.capacity(e.getKey()));
            }
            double alpha = alphaPs / 1e12;
            // bandwidth bound: the busiest link carries its bytes, and the last of them still has to arrive
            double bandwidth = busiest + alpha;
            double chain = cp[st.index];
            if (chain > bandwidth) {
                out.put(se.getKey(), new double[] {chain - busiest, busiest});
            } else {
                out.put(se.getKey(), new double[] {alpha, busiest});
            }
        }
        return out;
    }

    /**
     * The latency chain of every stage: the critical path of its transfers when each runs alone,
     * starting when its stage starts (its start barrier) or when the edges into it allow: op o is
     * injected {@code size / slowest link of its route} after it starts and arrives one route
     * latency after that; an arrival edge waits for the arrival, an injection edge for the
     * injection. Computed once, in topological order of the whole graph (Kahn), in seconds.
     */
    private double[] stageChains() {
        if (stageChain != null) return stageChain;
        if (!build) {
            double[] chain = new double[stages.size()];
            for (Stage st : stages.values()) chain[st.index] = st.chain;
            stageChain = chain;
            return chain;
        }
        int nr = routes.size();
        double[] routeSecondsPerByte = new double[nr];
        double[] routeLatency = new double[nr];
        for (int r = 0; r < nr; r++) {
            long[] sd = routes.get(r);
            int[] route = topo.route(sd[0], sd[1]);
            double cap = topo.chipCapBps(route); // what the coarse chips it crosses allow one transfer (ADR 0106)
            for (int l : route) cap = Math.min(cap, topo.capacity(l));
            routeSecondsPerByte[r] = cap == Double.POSITIVE_INFINITY ? 0 : 1 / cap;
            routeLatency[r] = topo.latencyPs(sd[0], sd[1], route) / 1e12;
        }
        int[] indeg = new int[ops];
        for (int e = 0; e < edges; e++) indeg[succTo[e]]++;
        double[] est = new double[ops]; // earliest start relative to the op's stage start
        double[] chain = new double[stages.size()];
        int[] queue = new int[ops];
        int qh = 0;
        int qt = 0;
        for (int o = 0; o < ops; o++) {
            if (indeg[o] == 0) queue[qt++] = o;
        }
        while (qh < qt) {
            int o = queue[qh++];
            int st = opStage[o];
            double inj = 0;
            double arr = 0;
            if (st >= 0) {
                int r = opRoute[o];
                inj = est[o] + size[o] * routeSecondsPerByte[r];
                arr = inj + routeLatency[r];
                chain[st] = Math.max(chain[st], arr);
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int e = pass == 0 ? firstInjSucc[o] : firstSucc[o]; e >= 0; e = succNext[e]) {
                    int t = succTo[e];
                    // a barrier, or another stage, starts the successor's stage afresh at 0
                    if (st >= 0 && opStage[t] == st) est[t] = Math.max(est[t], pass == 0 ? inj : arr);
                    if (--indeg[t] == 0) queue[qt++] = t;
                }
            }
        }
        if (qt != ops) throw new IllegalStateException("the transfer graph of " + op + " has a cycle");
        stageChain = chain;
        return chain;
    }

    /** @return stage names of the schedule with their steps, for reports */
    public Map<String, Integer> stageSteps() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Map.Entry<String, Stage> e : stages.entrySet()) m.put(e.getKey(), e.getValue().steps);
        return m;
    }
}
