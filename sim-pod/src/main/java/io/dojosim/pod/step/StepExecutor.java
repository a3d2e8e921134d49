package io.dojosim.pod.step;

import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs the operation graph of one training step of the representative replica on the modeled
 * machine, as discrete events: an operation starts when every dependency has finished and its
 * resource is free. Compute operations run one at a time on the replica's compute stream;
 * communication operations run on {@code commStreams} concurrent streams, memory operations on
 * {@code memoryStreams}; marker and host operations take no Dojo resource. Ready operations wait
 * in topological order, so the schedule is deterministic.
 *
 * <p>Caveats: replicas are folded: only the representative replica's compute is simulated; its
 * data-parallel collectives run over every replica's region on the network, which is where the
 * replicas interact.
 */
public final class StepExecutor implements EventHandler {
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
    private final long[] readyPs;
    private final Kind[] kinds;
    private int done;

    private final PriorityQueue<Integer> computeReady;
    private final PriorityQueue<Integer> commReady;
    private final PriorityQueue<Integer> memReady;
    private boolean computeBusy;
    private int commBusy;
    private int memBusy;

    // busy-interval bookkeeping for exposed communication
    private int computeActive;
    private int commActive;
    private long lastChangePs;
    private long computeUnionPs;
    private long commUnionPs;
    private long exposedCommPs;
    private long memUnionPs;
    private int memActive;

    private long matrixBusyPs;
    private long simdBusyPs;
    private long sramBusyPs;
    private final Map<String, Long> timeByType = new LinkedHashMap<>();
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
    }

    public StepExecutor(Simulator sim, RankGraph graph, StepBackend backend, int commStreams, int memoryStreams, String statsPrefix, TimelineSink timeline) {
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
        this.readyPs = new long[n];
        this.kinds = new Kind[n];
        java.util.Comparator<Integer> byTopo = (a, b) -> Integer.compare(topoRank[a], topoRank[b]);
        this.computeReady = new PriorityQueue<>(byTopo);
        this.commReady = new PriorityQueue<>(byTopo);
        this.memReady = new PriorityQueue<>(byTopo);
        StatsRegistry stats = sim.stats();
        this.commLatency = stats.distribution(statsPrefix + ".messageLatencyPs", Unit.PS,
                "time from start to completion of each communication operation of the representative replica");
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
        readyPs[i] = sim.now();
        switch (kinds[i]) {
            case COMPUTE:
                computeReady.add(i);
                break;
            case COMMUNICATION:
                commReady.add(i);
                break;
            case MEMORY:
                memReady.add(i);
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
        while (!computeBusy && !computeReady.isEmpty()) {
            startCompute(computeReady.poll());
        }
        while (commBusy < commStreams && !commReady.isEmpty()) {
            startComm(commReady.poll());
        }
        while (memBusy < memoryStreams && !memReady.isEmpty()) {
            startMemory(memReady.poll());
        }
    }

    private void account(long now) {
        long dt = now - lastChangePs;
        if (dt > 0) {
            if (computeActive > 0) computeUnionPs += dt;
            if (commActive > 0) {
                commUnionPs += dt;
                if (computeActive == 0) exposedCommPs += dt;
            }
            if (memActive > 0) memUnionPs += dt;
        }
        lastChangePs = now;
    }

    private void startCompute(int i) {
        ComputeOp op = (ComputeOp) graph.op(i);
        account(sim.now());
        computeBusy = true;
        computeActive++;
        startPs[i] = sim.now();
        long dur;
        String limiter;
        if (op.costing() == io.dojosim.workload.Costing.REPLAYED) {
            dur = op.measuredDurationPs();
            limiter = "replayed";
            replayedOps++;
        } else {
            StepBackend.ComputeTiming t = backend.compute(op);
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
        sim.schedule(sim.now() + dur, 0, this, EV_COMPUTE_DONE, i);
    }

    private void startComm(int i) {
        Operation op = graph.op(i);
        account(sim.now());
        commBusy++;
        commActive++;
        startPs[i] = sim.now();
        if (op.costing() == io.dojosim.workload.Costing.REPLAYED) {
            replayedOps++;
        } else {
            modeledOps++;
        }
        if (op instanceof CollectiveOp) {
            backend.collective((CollectiveOp) op, i, this::commDone);
        } else if (op instanceof PointToPointOp) {
            backend.pointToPoint((PointToPointOp) op, i, this::commDone);
        } else {
            throw new SimulationError("step", sim.now(), "not a communication operation: " + op.name());
        }
    }

    private void startMemory(int i) {
        account(sim.now());
        memBusy++;
        memActive++;
        startPs[i] = sim.now();
        modeledOps++;
        backend.memory((MemoryOp) graph.op(i), i, this::memDone);
    }

    private void commDone(long nowPs, long token) {
        int i = (int) token;
        account(nowPs);
        commBusy--;
        commActive--;
        commLatency.record(nowPs - startPs[i]);
        String type = typeName(graph.op(i));
        timeByType.merge(type, nowPs - startPs[i], Long::sum);
        complete(i);
        dispatch();
    }

    private void memDone(long nowPs, long token) {
        int i = (int) token;
        account(nowPs);
        memBusy--;
        memActive--;
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
            computeBusy = false;
            computeActive--;
            complete(i);
            dispatch();
        } else if (kind == EV_REPLAY_DONE) {
            complete(i);
            dispatch();
        }
    }

    private void complete(int i) {
        endPs[i] = sim.now();
        timeline.operation(graph.op(i), kinds[i], startPs[i], endPs[i]);
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

    /** @return the results of the finished step */
    public StepResult result() {
        long step = stepTimePs();
        Map<String, Long> byType = new LinkedHashMap<>();
        timeByType.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> byType.put(e.getKey(), e.getValue()));
        Map<String, Long> lim = new LinkedHashMap<>();
        limiterPs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> lim.put(e.getKey(), e.getValue()));
        return new StepResult(step, computeUnionPs, commUnionPs, exposedCommPs, memUnionPs, matrixBusyPs, simdBusyPs, sramBusyPs,
                modeledFlops, modeledOps, replayedOps, byType, lim);
    }

    /** @return the message-latency distribution of the representative replica */
    public Distribution communicationLatency() {
        return commLatency;
    }
}
