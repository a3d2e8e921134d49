package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.Time;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact schedules of small graphs on a backend whose times are set by hand. */
class StepExecutorTest {

    /** Compute time = the number in the op's name x 1 ns; communication and memory take {@code commNs}. */
    static final class HandBackend implements StepBackend {
        final Simulator sim;
        final long commNs;

        HandBackend(Simulator sim, long commNs) {
            this.sim = sim;
            this.commNs = commNs;
        }

        @Override
        public ComputeTiming compute(ComputeOp op) {
            long ns = Long.parseLong(op.name().replaceAll("[^0-9]", ""));
            return new ComputeTiming(ns * Time.NS, ns * Time.NS, 0, 0, "matrix");
        }

        private void later(long ns, long token, Completion done) {
            sim.schedule(sim.now() + ns * Time.NS, 0, (t, k, a) -> done.done(t, a), 0, token);
        }

        @Override
        public void collective(CollectiveOp op, long token, Completion done) {
            later(commNs, token, done);
        }

        @Override
        public void memory(MemoryOp op, long token, Completion done) {
            later(commNs, token, done);
        }

        @Override
        public void pointToPoint(PointToPointOp op, long token, Completion done) {
            later(commNs, token, done);
        }
    }

    static ComputeOp compute(long id, String name, ComputeKind kind, long outputBytes, Long... deps) {
        return ComputeOp.builder(id, name, kind).flops(1000).outputBytes(outputBytes).deps(List.of(deps)).phase(Phase.FORWARD).build();
    }

    static CollectiveOp allReduce(long id, long bytes, Long... deps) {
        return new CollectiveOp(id, "ar" + id, CollectiveKind.ALL_REDUCE, bytes, CommGroup.of(ParallelDim.DATA), 0, List.of(deps), "",
                Phase.BACKWARD_WEIGHT_GRAD, Operation.NO_DURATION);
    }

    @Test
    void overlapOfComputeAndCommunicationIsExact() {
        // A(100 ns) -> B(all-reduce, 50 ns) -> D(10 ns);  A -> C(30 ns) -> D
        // t=0 A; t=100 B and C start; C ends 130; B ends 150; D runs 150..160.
        Simulator sim = new Simulator(1);
        RankGraph g = new RankGraph(0, List.of(
                compute(1, "a100", ComputeKind.ELEMENTWISE, 0),
                allReduce(2, 1000, 1L),
                compute(3, "c30", ComputeKind.ELEMENTWISE, 0, 1L),
                compute(4, "d10", ComputeKind.ELEMENTWISE, 0, 2L, 3L)));
        StepExecutor ex = new StepExecutor(sim, g, new HandBackend(sim, 50), 1, 1, 0, StepExecutor.TimelineSink.NONE);
        ex.start();
        sim.run();
        StepResult r = ex.result();
        assertEquals(160 * Time.NS, r.stepPs());
        assertEquals(140 * Time.NS, r.computePs(), "compute busy 0-100, 100-130, 150-160");
        assertEquals(50 * Time.NS, r.communicationPs());
        assertEquals(20 * Time.NS, r.exposedCommunicationPs(), "communication alone from 130 to 150");
        assertEquals(3, r.modeledOps() - 1, "three compute operations and one collective are modeled");
        assertEquals(Map.of("allreduce", 50 * Time.NS, "elementwise", 140 * Time.NS), r.timeByTypePs());
    }

    @Test
    void computeRunsOneAtATimeInTopologicalOrder() {
        // three independent compute ops of 10, 20, 30 ns on one compute stream: 60 ns in all
        Simulator sim = new Simulator(1);
        RankGraph g = new RankGraph(0, List.of(
                compute(1, "x10", ComputeKind.ELEMENTWISE, 0),
                compute(2, "y20", ComputeKind.ELEMENTWISE, 0),
                compute(3, "z30", ComputeKind.ELEMENTWISE, 0)));
        List<String> order = new ArrayList<>();
        StepExecutor ex = new StepExecutor(sim, g, new HandBackend(sim, 0), 1, 1, 0,
                (op, kind, s, e) -> order.add(op.name() + "@" + s / Time.NS));
        ex.start();
        sim.run();
        assertEquals(60 * Time.NS, ex.stepTimePs());
        assertEquals(List.of("x10@0", "y20@10", "z30@30"), order);
    }

    @Test
    void communicationStreamsLimitConcurrentCollectives() {
        // four independent 50 ns all-reduces: one stream takes 200 ns, two streams 100 ns
        for (int streams : new int[] {1, 2}) {
            Simulator sim = new Simulator(1);
            RankGraph g = new RankGraph(0, List.of(allReduce(1, 10), allReduce(2, 10), allReduce(3, 10), allReduce(4, 10)));
            StepExecutor ex = new StepExecutor(sim, g, new HandBackend(sim, 50), streams, 1, 0, StepExecutor.TimelineSink.NONE);
            ex.start();
            sim.run();
            assertEquals(200 * Time.NS / streams, ex.stepTimePs(), streams + " streams");
            assertEquals(ex.stepTimePs(), ex.result().exposedCommunicationPs(), "nothing to hide the communication behind");
        }
    }

    @Test
    void replayedOperationsKeepTheirMeasuredDuration() {
        Simulator sim = new Simulator(1);
        ComputeOp replay = ComputeOp.builder(1, "kernel", ComputeKind.OTHER).measuredDurationPs(7 * Time.US).build();
        RankGraph g = new RankGraph(0, List.of(replay, compute(2, "n5", ComputeKind.ELEMENTWISE, 0, 1L)));
        StepExecutor ex = new StepExecutor(sim, g, new HandBackend(sim, 0), 1, 1, 0, StepExecutor.TimelineSink.NONE);
        ex.start();
        sim.run();
        assertEquals(7 * Time.US + 5 * Time.NS, ex.stepTimePs());
        assertEquals(1, ex.result().replayedOps());
        assertEquals(1, ex.result().modeledOps());
    }

    @Test
    void aSecondStepReusesTheExecutor() {
        Simulator sim = new Simulator(1);
        RankGraph g = new RankGraph(0, List.of(compute(1, "a25", ComputeKind.ELEMENTWISE, 0), allReduce(2, 8, 1L)));
        StepExecutor ex = new StepExecutor(sim, g, new HandBackend(sim, 5), 1, 1, 0, StepExecutor.TimelineSink.NONE);
        for (int s = 0; s < 2; s++) {
            ex.start();
            sim.run();
            assertEquals(30 * Time.NS, ex.stepTimePs(), "step " + s);
        }
        assertEquals(60 * Time.NS, sim.now());
        assertEquals(50 * Time.NS, ex.result().computePs(), "cumulative over both steps");
    }
}
