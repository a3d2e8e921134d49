package io.dojosim.pod.step;

import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.stats.StatDef;
import io.dojosim.core.stats.StatGroup;
import io.dojosim.core.stats.Distribution;
import io.dojosim.core.stats.StatsRegistry;
import io.dojosim.core.stats.Unit;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the operation graph of one training step of the representative replica on the modeled
 * machine, as discrete events: an operation starts when every dependency has finished and its
 * resource is free. Compute operations run one at a time on the replica's compute stream;
 * communication operations run on {@code commStreams} concurrent streams, memory operations on
 * {@code memoryStreams}; marker and host operations take no Dojo resource. Ready operations wait
 * in topological order, so the schedule is deterministic.
 *
 * <p>A pipelined replica has one such set of streams per stage (lane): compute of different
 * stages overlaps, and the pipeline bubble is the time a stage's compute stream waits for its
 * dependencies. An operation listed as fused stands for its parts, timed one by one and summed.
 *
 * <p>Caveats: replicas are folded: only the representative replica's compute is simulated; its
 * data-parallel collectives run over every replica's region on the network, which is where the
 * replicas interact. "Exposed communication" is communication while no stage computes.
 */
public final class StepExecutor implements EventHandler {
    private static final StatDef STAT_COMM_LATENCY = StatDef.distribution("run.replica[{r}].messageLatencyPs", Unit.PS,
            "time from start to completion of each communication operation of the representative replica");

    /** The executor's statistics; {@code {r}} is the replica it runs (the runner's representative replica is 0). */
    public static final StatGroup STATS = new StatGroup("StepExecutor",
            "the training step's operation scheduler of the representative replica (dojosim run)", java.util.List.of(STAT_COMM_LATENCY));
    private static final int EV_COMPUTE_DONE = 1;
    private static final int EV_REPLAY_DONE = 2;

    /** Classes of busy time. */
    public enum Kind { COMPUTE, COMMUNICATION, MEMORY, HOST, MARKER }

    private final Simulator sim;
    private final RankGraph graph;
    private final StepBackend backend;
    private final int commStreams;
    private final int memoryStreams;
    private final TimelineSink timeline;

    private final int n;
    private final int[] topoRank;
    private final int[] remaining;
    private final long[] startPs;
    private final long[] endPs;
    private final Kind[] kinds;
    private int done;

    private final int lanes;
    private final int[] laneOf;
    private final Map<Long, List<ComputeOp>> parts;
    private final Map<List<ComputeOp>, FusedTiming> fusedCache = new java.util.IdentityHashMap<>();
    private final ReadyQueue[] computeReady;
    private final ReadyQueue[] commReady;
    private final ReadyQueue[] memReady;
    private final boolean[] computeBusy;
    private final int[] commBusy;
    private final int[] memBusy;
    private int computeLanesBusy;
    private int commOpsBusy;
    private int memOpsBusy;

    // busy-interval bookkeeping for exposed communication (busy flags and counters above)
    private long lastChangePs;
    private long computeUnionPs;
    private long commUnionPs;
    private long exposedCommPs;
    private long memUnionPs;
    private long computeLaneBusyPs;

    private long matrixBusyPs;
    private long simdBusyPs;
    private long sramBusyPs;
    private final Map<String, Long> timeByType = new LinkedHashMap<>();
    /** Per compute type: {operations, FLOPs executed (recomputation included), operand bytes} (the roofline's points). */
    private final Map<String, long[]> workByType = new java.util.TreeMap<>();
    private final Map<String, Long> limiterPs = new LinkedHashMap<>();
    private final Distribution commLatency;
    private long modeledOps;
    private long replayedOps;
    private long modeledFlops;
    private long stepStartPs;
    private long stepEndPs = -1;

    /** Receives one entry per operation for timelines; {@link #NONE} ignores them. */
    public interface TimelineSink {
        TimelineSink NONE = (op, kind, s, e) -> { };

        void operation(Operation op, Kind kind, long startPs, long endPs);

        /** The same for an operation of pipeline stage {@code stage} (-1 when the replica is not pipelined). */
        default void operation(Operation op, Kind kind, int stage, long startPs, long endPs) {
            operation(op, kind, startPs, endPs);
        }

        /** Where the replicas' stages run on the machine; the runner calls it once, before the first operation. */
        default void placement(TimelinePlacement placement) {
        }
    }

    public StepExecutor(Simulator sim, RankGraph graph, StepBackend backend, int commStreams, int memoryStreams, int replica, TimelineSink timeline) {
        this(sim, graph, backend, commStreams, memoryStreams, replica, timeline, 1, Map.of(), Map.of());
    }

    /**
     * An executor for a pipelined replica: each stage (lane) has its own compute stream and its own
     * {@code commStreams} and {@code memoryStreams}; an operation listed in {@code parts} stands for
     * those parts and takes the sum of their times (the parts are timed once per distinct list).
     *
     * @param replica the replica it runs, in its statistics' names ({@code run.replica[r]})
     * @param lanes   pipeline stages
     * @param stageOf stage of each operation id (missing: stage 0)
     * @param parts   the operations a fused compute operation stands for
     */
    public StepExecutor(Simulator sim, RankGraph graph, StepBackend backend, int commStreams, int memoryStreams, int replica,
                        TimelineSink timeline, int lanes, Map<Long, Integer> stageOf, Map<Long, List<ComputeOp>> parts) {
        this.sim = sim;
        this.graph = graph;
        this.backend = backend;
        this.commStreams = commStreams;
        this.memoryStreams = memoryStreams;
        this.timeline = timeline;
        this.n = graph.size();
        int[] order = graph.topologicalOrder();
        this.topoRank = new int[n];
        for (int i = 0; i < n; i++) {
            topoRank[order[i]] = i;
        }
        this.remaining = new int[n];
        this.startPs = new long[n];
        this.endPs = new long[n];
        this.kinds = new Kind[n];
        this.lanes = lanes;
        this.laneOf = new int[n];
        for (int i = 0; i < n; i++) {
            Integer l = stageOf.get(graph.op(i).id());
            laneOf[i] = l == null ? 0 : l;
            if (laneOf[i] < 0 || laneOf[i] >= lanes) {
                throw new SimulationError("step", 0, "operation " + graph.op(i).id() + " is on stage " + laneOf[i] + " of " + lanes);
            }
        }
        this.parts = parts;
        this.computeReady = new ReadyQueue[lanes];
        this.commReady = new ReadyQueue[lanes];
        this.memReady = new ReadyQueue[lanes];
        for (int l = 0; l < lanes; l++) {
            computeReady[l] = new ReadyQueue(topoRank);
            commReady[l] = new ReadyQueue(topoRank);
            memReady[l] = new ReadyQueue(topoRank);
        }
        this.computeBusy = new boolean[lanes];
        this.commBusy = new int[lanes];
        this.memBusy = new int[lanes];
        StatsRegistry stats = sim.stats();
        this.commLatency = stats.distribution(STAT_COMM_LATENCY, STAT_COMM_LATENCY.name(Integer.toString(replica)));
        for (int i = 0; i < n; i++) {
            kinds[i] = classify(graph.op(i));
        }
    }

    private static Kind classify(Operation op) {
        if (op instanceof ComputeOp) {
            return ((ComputeOp) op).onHost() ? Kind.HOST : Kind.COMPUTE;
        }
        if (op instanceof CollectiveOp || op instanceof PointToPointOp) {
            return Kind.COMMUNICATION;
        }
        if (op instanceof MemoryOp) {
            return Kind.MEMORY;
        }
        return Kind.MARKER;
    }

    /** Starts the step now; {@link #finished()} turns true when the last operation has completed. */
    public void start() {
        stepStartPs = sim.now();
        lastChangePs = stepStartPs;
        Arrays.fill(startPs, -1);
        Arrays.fill(endPs, -1);
        done = 0;
        for (int i = 0; i < n; i++) {
            remaining[i] = graph.predecessors(i).length;
        }
        for (int i = 0; i < n; i++) {
            if (remaining[i] == 0) {
                makeReady(i);
            }
        }
        dispatch();
        if (n == 0) {
            stepEndPs = sim.now();
        }
    }

    public boolean finished() {
        return stepEndPs >= 0;
    }

    /** @return the simulated duration of the step */
    public long stepTimePs() {
        if (!finished()) {
            throw new SimulationError("step", sim.now(), "step has not finished: " + done + " of " + n
                    + " operations completed (a dependency that never completes, or a deadlock in the backend)");
        }
        return stepEndPs - stepStartPs;
    }

    private void makeReady(int i) {
        switch (kinds[i]) {
            case COMPUTE:
                computeReady[laneOf[i]].add(i);
                break;
            case COMMUNICATION:
                commReady[laneOf[i]].add(i);
                break;
            case MEMORY:
                memReady[laneOf[i]].add(i);
                break;
            default:
                startUnconstrained(i);
        }
    }

    private void startUnconstrained(int i) {
        Operation op = graph.op(i);
        startPs[i] = sim.now();
        long d = op.measuredDurationPs();
        if (kinds[i] == Kind.HOST && d > 0) {
            replayedOps++;
            sim.schedule(sim.now() + d, 0, this, EV_REPLAY_DONE, i);
        } else {
            complete(i);
        }
    }

    private void dispatch() {
        for (int l = 0; l < lanes; l++) {
            while (!computeBusy[l] && !computeReady[l].isEmpty()) {
                startCompute(computeReady[l].poll());
            }
            while (commBusy[l] < commStreams && !commReady[l].isEmpty()) {
                startComm(commReady[l].poll());
            }
            while (memBusy[l] < memoryStreams && !memReady[l].isEmpty()) {
                startMemory(memReady[l].poll());
            }
        }
    }

    private void account(long now) {
        long dt = now - lastChangePs;
        if (dt > 0) {
            if (computeLanesBusy > 0) computeUnionPs += dt;
            if (commOpsBusy > 0) {
                commUnionPs += dt;
                if (computeLanesBusy == 0) exposedCommPs += dt;
            }
            if (memOpsBusy > 0) memUnionPs += dt;
            computeLaneBusyPs += dt * computeLanesBusy;
        }
        lastChangePs = now;
    }

    /** Summed busy time of the parts of a fused operation, timed once. */
    private record FusedTiming(long busyPs, long matrixPs, long simdPs, long sramPs, long flops, int ops,
                               Map<String, Long> byLimiter, Map<String, Long> byType, Map<String, long[]> work) {
    }

    private FusedTiming fusedTiming(ComputeOp fusedOp, List<ComputeOp> p, int lane) {
        FusedTiming f = fusedCache.get(p);
        if (f != null) {
            return f;
        }
        long busy = 0;
        long mx = 0;
        long sd = 0;
        long sr = 0;
        long fl = 0;
        Map<String, Long> lim = new LinkedHashMap<>();
        Map<String, Long> type = new LinkedHashMap<>();
        Map<String, long[]> work = new LinkedHashMap<>();
        for (ComputeOp c : p) {
            StepBackend.ComputeTiming t = backend.compute(c, lane);
            busy += t.busyPs();
            mx += t.matrixBusyPs();
            sd += t.simdBusyPs();
            sr += t.sramBusyPs();
            // a forward part inside a backward operation is recomputation: it takes time but is not model work
            boolean recomputed = c.phase() == io.dojosim.workload.Phase.FORWARD && fusedOp.phase() != io.dojosim.workload.Phase.FORWARD;
            fl += recomputed ? 0 : c.flops();
            lim.merge(t.limiter(), t.busyPs(), Long::sum);
            String typeName = recomputed ? "recompute" : c.kind().name().toLowerCase(java.util.Locale.ROOT);
            type.merge(typeName, t.busyPs(), Long::sum);
            long[] wk = work.computeIfAbsent(typeName, k -> new long[3]);
            wk[0]++;
            wk[1] += c.flops();
            wk[2] += c.bytes();
        }
        f = new FusedTiming(busy, mx, sd, sr, fl, p.size(), lim, type, work);
        fusedCache.put(p, f);
        return f;
    }

    private void startCompute(int i) {
        ComputeOp op = (ComputeOp) graph.op(i);
        account(sim.now());
        computeBusy[laneOf[i]] = true;
        computeLanesBusy++;
        startPs[i] = sim.now();
        long dur;
        String limiter;
        List<ComputeOp> p = parts.get(op.id());
        if (p != null) {
            FusedTiming f = fusedTiming(op, p, laneOf[i]);
            matrixBusyPs += f.matrixPs();
            simdBusyPs += f.simdPs();
            sramBusyPs += f.sramPs();
            modeledOps += f.ops();
            modeledFlops += f.flops();
            f.byLimiter().forEach((k, v) -> limiterPs.merge(k, v, Long::sum));
            f.byType().forEach((k, v) -> timeByType.merge(k, v, Long::sum));
            f.work().forEach((k, v) -> addWork(k, v[0], v[1], v[2]));
            sim.schedule(sim.now() + f.busyPs(), 0, this, EV_COMPUTE_DONE, i);
            return;
        }
        if (op.costing() == io.dojosim.workload.Costing.REPLAYED) {
            dur = op.measuredDurationPs();
            limiter = "replayed";
            replayedOps++;
        } else {
            StepBackend.ComputeTiming t = backend.compute(op, laneOf[i]);
            dur = t.busyPs();
            limiter = t.limiter();
            matrixBusyPs += t.matrixBusyPs();
            simdBusyPs += t.simdBusyPs();
            sramBusyPs += t.sramBusyPs();
            modeledOps++;
            modeledFlops += op.flops();
        }
        limiterPs.merge(limiter, dur, Long::sum);
        timeByType.merge(op.kind().name().toLowerCase(java.util.Locale.ROOT), dur, Long::sum);
        if (op.costing() != io.dojosim.workload.Costing.REPLAYED) addWork(op.kind().name().toLowerCase(java.util.Locale.ROOT), 1, op.flops(), op.bytes());
        sim.schedule(sim.now() + dur, 0, this, EV_COMPUTE_DONE, i);
    }

    private void addWork(String type, long ops, long flops, long bytes) {
        long[] w = workByType.computeIfAbsent(type, k -> new long[3]);
        w[0] += ops;
        w[1] += flops;
        w[2] += bytes;
    }

    /**
     * @return per modeled compute type (the keys of {@code timeByOpType}), summed over the steps run:
     * {operations, FLOPs executed (recomputation included), operand bytes in HBM terms}
     */
    public Map<String, long[]> computeWorkByType() {
        Map<String, long[]> out = new java.util.TreeMap<>();
        workByType.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    private void startComm(int i) {
        Operation op = graph.op(i);
        account(sim.now());
        commBusy[laneOf[i]]++;
        commOpsBusy++;
        startPs[i] = sim.now();
        if (op.costing() == io.dojosim.workload.Costing.REPLAYED) {
            replayedOps++;
        } else {
            modeledOps++;
        }
        if (op instanceof CollectiveOp) {
            backend.collective((CollectiveOp) op, laneOf[i], i, this::commDone);
        } else if (op instanceof PointToPointOp) {
            backend.pointToPoint((PointToPointOp) op, laneOf[i], i, this::commDone);
        } else {
            throw new SimulationError("step", sim.now(), "not a communication operation: " + op.name());
        }
    }

    private void startMemory(int i) {
        account(sim.now());
        memBusy[laneOf[i]]++;
        memOpsBusy++;
        startPs[i] = sim.now();
        modeledOps++;
        backend.memory((MemoryOp) graph.op(i), laneOf[i], i, this::memDone);
    }

    private void commDone(long nowPs, long token) {
        int i = (int) token;
        account(nowPs);
        commBusy[laneOf[i]]--;
        commOpsBusy--;
        commLatency.record(nowPs - startPs[i]);
        String type = typeName(graph.op(i));
        timeByType.merge(type, nowPs - startPs[i], Long::sum);
        complete(i);
        dispatch();
    }

    private void memDone(long nowPs, long token) {
        int i = (int) token;
        account(nowPs);
        memBusy[laneOf[i]]--;
        memOpsBusy--;
        timeByType.merge("memory", nowPs - startPs[i], Long::sum);
        complete(i);
        dispatch();
    }

    private static String typeName(Operation op) {
        if (op instanceof CollectiveOp) {
            return ((CollectiveOp) op).collective().name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        }
        if (op instanceof PointToPointOp) {
            return "sendrecv";
        }
        return op.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void onEvent(long nowPs, int kind, long arg) {
        int i = (int) arg;
        if (kind == EV_COMPUTE_DONE) {
            account(nowPs);
            computeBusy[laneOf[i]] = false;
            computeLanesBusy--;
            complete(i);
            dispatch();
        } else if (kind == EV_REPLAY_DONE) {
            complete(i);
            dispatch();
        }
    }

    private void complete(int i) {
        endPs[i] = sim.now();
        timeline.operation(graph.op(i), kinds[i], lanes > 1 ? laneOf[i] : -1, startPs[i], endPs[i]);
        done++;
        for (int s : graph.successors(i)) {
            if (--remaining[s] == 0) {
                makeReady(s);
            }
        }
        if (done == n) {
            account(sim.now());
            stepEndPs = sim.now();
        }
    }

    /**
     * The busy intervals of the last step's streams, for a picture of the step: per stream
     * ("compute", or "compute s0", "compute s1", ... per pipeline stage; "communication";
     * "memory"), the union of its operations' spans in ps from the step's start, sorted. Gaps
     * shorter than the step over {@code maxPerStream} are closed, and closed wider until at most
     * {@code maxPerStream} intervals remain.
     */
    public Map<String, List<long[]>> streamIntervals(int maxPerStream) {
        Map<String, List<long[]>> raw = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            if (kinds[i] != Kind.COMPUTE && kinds[i] != Kind.COMMUNICATION && kinds[i] != Kind.MEMORY) continue;
            if (endPs[i] < stepStartPs || endPs[i] <= startPs[i]) continue;
            String name = kinds[i].name().toLowerCase(java.util.Locale.ROOT) + (kinds[i] == Kind.COMPUTE && lanes > 1 ? " s" + laneOf[i] : "");
            raw.computeIfAbsent(name, k -> new ArrayList<>()).add(new long[] {startPs[i] - stepStartPs, endPs[i] - stepStartPs});
        }
        Map<String, List<long[]>> out = new java.util.TreeMap<>();
        long step = Math.max(1, stepEndPs - stepStartPs);
        for (Map.Entry<String, List<long[]>> e : raw.entrySet()) {
            List<long[]> iv = e.getValue();
            iv.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            long gap = step / Math.max(1, maxPerStream);
            List<long[]> merged;
            do {
                merged = new ArrayList<>();
                for (long[] x : iv) {
                    if (!merged.isEmpty() && x[0] <= merged.get(merged.size() - 1)[1] + gap) {
                        merged.get(merged.size() - 1)[1] = Math.max(merged.get(merged.size() - 1)[1], x[1]);
                    } else {
                        merged.add(new long[] {x[0], x[1]});
                    }
                }
                gap = gap * 2 + 1;
            } while (merged.size() > maxPerStream);
            out.put(e.getKey(), merged);
        }
        return out;
    }

    /** @return the results of the finished step */
    public StepResult result() {
        long step = stepTimePs();
        Map<String, Long> byType = new LinkedHashMap<>();
        timeByType.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> byType.put(e.getKey(), e.getValue()));
        Map<String, Long> lim = new LinkedHashMap<>();
        limiterPs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> lim.put(e.getKey(), e.getValue()));
        return new StepResult(step, computeUnionPs, commUnionPs, exposedCommPs, memUnionPs, matrixBusyPs, simdBusyPs, sramBusyPs,
                modeledFlops, modeledOps, replayedOps, byType, lim, lanes, computeLaneBusyPs);
    }

    /** @return the message-latency distribution of the representative replica */
    public Distribution communicationLatency() {
        return commLatency;
    }

    /** Operations ready to start, lowest topological rank first: a binary heap of ints, no boxing. */
    private static final class ReadyQueue {
        private final int[] rank;
        private int[] heap = new int[16];
        private int size;

        ReadyQueue(int[] rank) {
            this.rank = rank;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(int op) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (rank[heap[parent]] <= rank[op]) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = op;
        }

        int poll() {
            int top = heap[0];
            int last = heap[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && rank[heap[child + 1]] < rank[heap[child]]) {
                    child++;
                }
                if (rank[last] <= rank[heap[child]]) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
