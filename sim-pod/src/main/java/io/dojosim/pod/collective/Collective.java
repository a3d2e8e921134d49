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
 * {@link FlowNetwork}: each transfer starts when the data it forwards has arrived (and, with
 * pipelining, when its sender has fewer than {@code pipelineDepth} chunks in flight), so the time
 * comes from the modeled links, not from a formula.
 *
 * <p>Ring reduce-scatter and all-gather take n - 1 steps of {@code bytes / n} per member, all-reduce
 * is the two in a row (2(n - 1) steps); all-to-all takes n - 1 steps, step s sending to member
 * i + s; broadcast is a pipelined chain from the first member. A level of the hierarchy splits the
 * members into equal subgroups: reduce-scatter inside each subgroup, the same operation on
 * {@code bytes / m} across the subgroups' members of equal position (recursively, by the next
 * level), then all-gather inside each subgroup (the classic hierarchical all-reduce). Stages are
 * separated by barriers.
 *
 * <p>Beside the simulation the same schedule gives an alpha-beta bound, per barrier-delimited stage
 * the larger of two lower bounds: the <em>bandwidth bound</em> (the busiest link's bytes over its
 * capacity, plus one route latency for the last byte to arrive) and the <em>latency chain</em> (a
 * member's steps wait for each other: per step at least one route latency and one chunk alone on
 * its route's slowest link, and the last step all its bytes). When many rings share a link, as
 * the Ethernet rings of an ExaPOD, the link stays busy while each ring waits out its latency, so
 * the bandwidth bound holds; a lone ring pays steps x (latency + shard / rate), the chain.
 * See docs/model/collectives.md and ADR 0061.
 *
 * <p>Caveats: reduction arithmetic is not modeled (D1 reduces at SIMD rate, far above link rates);
 * all members' buffers are the same size; sizes are rounded up to whole bytes per shard.
 */
public final class Collective implements TransferListener {
    private final Transport net;
    private final Topology topo;
    private final CollectiveOp op;
    private final CollectiveAlgorithm algorithm;
    private final CollectiveGroup group;
    private final long bytes;
    private final int chunks;
    private final int depth;
    private final int[][] keys;

    // the transfer graph
    private int ops;
    private long[] src = new long[1024];
    private long[] dst = new long[1024];
    private long[] size = new long[1024]; // -1 for a barrier
    private int[] deps = new int[1024];
    private int[] firstSucc = new int[1024];
    private int edges;
    private int[] succTo = new int[4096];
    private int[] succNext = new int[4096];

    // stages for the alpha-beta estimate
    private final Map<String, Stage> stages = new LinkedHashMap<>();

    private CollectiveListener listener;
    private long listenerTag;
    private long startPs = -1;
    private int remaining;
    private long transfers;
    private int[] work = new int[64];
    private CollectiveResult result;

    /**
     * One barrier-delimited stage: its latency rounds, whether a member's steps form a dependency
     * chain, and the transfers it makes (src, dst, bytes over the stage, bytes of one step).
     */
    private static final class Stage {
        int steps;
        int chainedSteps; // steps that wait for the previous step's data (1 for an exchange)
        int opsPerMember; // transfers one member issues in the stage (depth-limited in sequence)
        final List<long[]> transfers = new ArrayList<>();
    }

    /**
     * Builds the transfer graph (nothing runs until {@link #start}).
     *
     * @param chunks        each step's transfer is split into this many chunks
     * @param pipelineDepth chunks a member may have in flight at once
     */
    public Collective(FlowNetwork net, CollectiveOp op, CollectiveAlgorithm algorithm, CollectiveGroup group, long bytes,
                      int chunks, int pipelineDepth) {
        this(net, net.topology(), op, algorithm, group, bytes, chunks, pipelineDepth);
    }

    /**
     * Builds the transfer graph for any transport (the fine mesh of a chip, for example); the
     * alpha-beta estimate uses the routes and link rates of {@code topo} (the flow model).
     */
    public Collective(Transport net, Topology topo, CollectiveOp op, CollectiveAlgorithm algorithm, CollectiveGroup group,
                      long bytes, int chunks, int pipelineDepth) {
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

    private int newOp(long s, long d, long b) {
        if (ops == src.length) {
            int n = ops * 2;
            src = Arrays.copyOf(src, n);
            dst = Arrays.copyOf(dst, n);
            size = Arrays.copyOf(size, n);
            deps = Arrays.copyOf(deps, n);
            firstSucc = Arrays.copyOf(firstSucc, n);
        }
        src[ops] = s;
        dst[ops] = d;
        size[ops] = b;
        deps[ops] = 0;
        firstSucc[ops] = -1;
        return ops++;
    }

    private int barrier() {
        return newOp(0, 0, -1);
    }

    private void edge(int from, int to) {
        if (edges == succTo.length) {
            succTo = Arrays.copyOf(succTo, edges * 2);
            succNext = Arrays.copyOf(succNext, edges * 2);
        }
        succTo[edges] = to;
        succNext[edges] = firstSucc[from];
        firstSucc[from] = edges++;
        deps[to]++;
    }

    private Stage stage(String key) {
        return stages.computeIfAbsent(key, k -> new Stage());
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
     * chunks) to member i + 1, once the same chunk of the previous step has arrived from i - 1.
     */
    private int ring(int[] m, int steps, long shard, int start, String stageKey) {
        int n = m.length;
        int end = barrier();
        Stage st = stage(stageKey);
        st.steps = Math.max(st.steps, steps);
        st.chainedSteps = Math.max(st.chainedSteps, steps);
        st.opsPerMember = Math.max(st.opsPerMember, steps * chunks);
        for (int i = 0; i < n; i++) {
            st.transfers.add(new long[] {group.member(m[i]), group.member(m[(i + 1) % n]), shard * steps, shard});
        }
        int c = chunks;
        int[] prev = new int[n * c];
        int[] cur = new int[n * c];
        int[][] sent = new int[n][depth];
        long[] chunkBytes = splitChunks(shard);
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < c; j++) {
                    int o = newOp(group.member(m[i]), group.member(m[(i + 1) % n]), chunkBytes[j]);
                    edge(s == 0 ? start : prev[((i - 1 + n) % n) * c + j], o);
                    int q = s * c + j;
                    if (q >= depth) edge(sent[i][q % depth], o);
                    sent[i][q % depth] = o;
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

    /** All-to-all among m: step s, member i sends {@code perPeer} bytes to member i + s; a member's steps run in order. */
    private int exchange(int[] m, long perPeer, int start, String stageKey) {
        int n = m.length;
        int end = barrier();
        Stage st = stage(stageKey);
        st.steps = Math.max(st.steps, n - 1);
        st.chainedSteps = Math.max(st.chainedSteps, 1);
        st.opsPerMember = Math.max(st.opsPerMember, (n - 1) * chunks);
        long[] chunkBytes = splitChunks(perPeer);
        for (int i = 0; i < n; i++) {
            int[] sent = new int[depth];
            int q = 0;
            for (int s = 1; s < n; s++) {
                int to = (i + s) % n;
                st.transfers.add(new long[] {group.member(m[i]), group.member(m[to]), perPeer, perPeer});
                for (int j = 0; j < chunks; j++, q++) {
                    int o = newOp(group.member(m[i]), group.member(m[to]), chunkBytes[j]);
                    edge(q < depth ? start : sent[q % depth], o);
                    sent[q % depth] = o;
                    edge(o, end);
                }
            }
        }
        return end;
    }

    /** Broadcast from m[0] along the chain m[0] -> m[1] -> ...: chunk j moves on once it has arrived. */
    private int chain(int[] m, long b, int start, String stageKey) {
        int n = m.length;
        int end = barrier();
        Stage st = stage(stageKey);
        st.steps = Math.max(st.steps, n - 1);
        st.chainedSteps = Math.max(st.chainedSteps, n - 1);
        st.opsPerMember = Math.max(st.opsPerMember, chunks);
        long[] chunkBytes = splitChunks(b);
        int[] prev = new int[chunks];
        for (int i = 0; i + 1 < n; i++) {
            st.transfers.add(new long[] {group.member(m[i]), group.member(m[i + 1]), b, b});
            int[] sent = new int[depth];
            for (int j = 0; j < chunks; j++) {
                int o = newOp(group.member(m[i]), group.member(m[i + 1]), chunkBytes[j]);
                edge(i == 0 ? start : prev[j], o);
                if (j >= depth) edge(sent[j % depth], o);
                sent[j % depth] = o;
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

    private int complete(int o, int sp) {
        remaining--;
        for (int e = firstSucc[o]; e >= 0; e = succNext[e]) {
            int t = succTo[e];
            if (--deps[t] == 0) work = push(work, sp++, t);
        }
        return sp;
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
     * @return per stage (in schedule order) its alpha-beta terms in seconds: {@code [steps x
     * largest route latency, busiest link's bytes / capacity]}
     */
    public Map<String, double[]> stageEstimates() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Stage> se : stages.entrySet()) {
            Stage st = se.getValue();
            Map<Integer, Double> bytesOnLink = new java.util.HashMap<>();
            long alphaPs = 0;
            double chainPerStep = 0; // slowest single step alone on its route: latency + one chunk
            double lastStep = 0; // the last step: latency + the whole step's bytes
            for (long[] tr : st.transfers) {
                int[] route = topo.route(tr[0], tr[1]);
                long lat = topo.latencyPs(tr[0], tr[1], route);
                alphaPs = Math.max(alphaPs, lat);
                double cap = Double.POSITIVE_INFINITY;
                for (int l : route) {
                    bytesOnLink.merge(l, (double) tr[2], Double::sum);
                    cap = Math.min(cap, topo.capacity(l));
                }
                if (cap == Double.POSITIVE_INFINITY) continue;
                double chunk = (double) ((tr[3] + chunks - 1) / chunks);
                chainPerStep = Math.max(chainPerStep, lat / 1e12 + chunk / cap);
                lastStep = Math.max(lastStep, lat / 1e12 + tr[3] / cap);
            }
            double busiest = 0;
            for (Map.Entry<Integer, Double> e : bytesOnLink.entrySet()) {
                busiest = Math.max(busiest, e.getValue() / topo.capacity(e.getKey()));
            }
            double alpha = alphaPs / 1e12;
            // bandwidth bound: the busiest link carries its bytes, and the last of them still has to arrive
            double bandwidth = busiest + alpha;
            // latency-bound chains: (a) the data dependencies, a step waits for the previous step's
            // chunk (each step at least one chunk's latency and serialisation alone on its route),
            // and the last step moves all its bytes; (b) the pipeline window, a member's op q + depth
            // starts after its op q has arrived: ceil(ops / depth) ops in sequence
            double chain = Math.max((st.chainedSteps - 1) * chainPerStep + lastStep,
                    ceilDiv(st.opsPerMember, depth) * chainPerStep);
            if (chain > bandwidth) {
                out.put(se.getKey(), new double[] {chain - busiest, busiest});
            } else {
                out.put(se.getKey(), new double[] {alpha, busiest});
            }
        }
        return out;
    }

    /** @return stage names of the schedule with their steps, for reports */
    public Map<String, Integer> stageSteps() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Map.Entry<String, Stage> e : stages.entrySet()) m.put(e.getKey(), e.getValue().steps);
        return m;
    }
}
