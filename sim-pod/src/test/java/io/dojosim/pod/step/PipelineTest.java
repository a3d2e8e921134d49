package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.Time;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.DataType;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pipeline parallelism: hand-derived schedules, stage balance, overrides and their errors. */
class PipelineTest {

    /** Every forward part takes 10 ns, every backward part 20 ns, a transfer between stages 5 ns, the rest 0. */
    static final class ConstantBackend implements StepBackend {
        final Simulator sim;
        final long transferNs;

        ConstantBackend(Simulator sim, long transferNs) {
            this.sim = sim;
            this.transferNs = transferNs;
        }

        @Override
        public ComputeTiming compute(ComputeOp op) {
            long ns = op.phase() == Phase.FORWARD ? 10 : 20;
            return new ComputeTiming(ns * Time.NS, ns * Time.NS, 0, 0, "matrix");
        }

        private void later(long ns, long token, Completion done) {
            sim.schedule(sim.now() + ns * Time.NS, 0, (t, k, a) -> done.done(t, a), 0, token);
        }

        @Override
        public void collective(CollectiveOp op, long token, Completion done) {
            later(0, token, done);
        }

        @Override
        public void memory(MemoryOp op, long token, Completion done) {
            later(0, token, done);
        }

        @Override
        public void pointToPoint(PointToPointOp op, long token, Completion done) {
            later(transferNs, token, done);
        }
    }

    static ComputeOp op(long id, String layer, Phase phase, long flops, Long... deps) {
        return ComputeOp.builder(id, layer + "." + phase, ComputeKind.ELEMENTWISE).flops(flops).outputBytes(64).inputBytes(64)
                .deps(List.of(deps)).layer(layer).phase(phase).build();
    }

    /** Two layers: a.fwd -> b.fwd -> b.ig -> a.wg (layer a reads the input, so it has no input gradient). */
    static RankGraph twoLayers() {
        return new RankGraph(0, List.of(
                op(1, "a", Phase.FORWARD, 400),
                op(2, "b", Phase.FORWARD, 400, 1L),
                op(3, "b", Phase.BACKWARD_INPUT_GRAD, 800, 2L),
                op(4, "a", Phase.BACKWARD_WEIGHT_GRAD, 800, 3L)));
    }

    static StepResult run(String schedule, long transferNs) {
        PipelineBuilder pb = new PipelineBuilder(twoLayers(), 0, false);
        int[] first = PipelineBuilder.balance(pb.unitFlops(), 2);
        assertArrayEquals(new int[] {0, 1, 2}, first);
        PipelineBuilder.Built b = pb.build(first, 4, schedule, 1, Long.MAX_VALUE / 4, 0);
        Simulator sim = new Simulator(1);
        StepExecutor ex = new StepExecutor(sim, b.graph(), new ConstantBackend(sim, transferNs), 1, 1, 0, StepExecutor.TimelineSink.NONE,
                2, b.stageOf(), b.parts());
        ex.start();
        sim.run();
        return ex.result();
    }

    @Test
    void gpipeTwoStagesFourMicroBatchesIsExact() {
        // F = 10 ns, B = 20 ns per stage and micro-batch, transfer T = 5 ns.
        // stage 0: F0..F3 at 0-40; activations reach stage 1 at 15, 25, 35, 45.
        // stage 1: F0 15-25, F1 25-35, F2 35-45, F3 45-55, B0 55-75, B1 75-95, B2 95-115, B3 115-135;
        //          gradients reach stage 0 at 80, 100, 120, 140.
        // stage 0: B0 80-100, B1 100-120, B2 120-140, B3 140-160.  Step 160 ns = (M + S - 1)(F + B) + 2T.
        StepResult r = run("gpipe", 5);
        assertEquals(160 * Time.NS, r.stepPs());
        // each stage computes 4 x 10 + 4 x 20 = 120 ns; the bubble is the rest: 1 - 240 / (2 x 160) = 25 %
        assertEquals(240 * Time.NS, r.stageComputePs());
        assertEquals(2, r.stages());
        // FLOPs: each micro-batch does a quarter of each operation; all of them are counted once
        assertEquals(2400, r.modeledFlops());
    }

    @Test
    void oneFOneBTwoStagesFourMicroBatchesIsExact() {
        // order on stage 0: F0 F1 B0 F2 B1 F3 B2 B3 (one warm-up forward); on stage 1: F0 B0 F1 B1 F2 B2 F3 B3.
        // stage 0: F0 0-10, F1 10-20               stage 1: F0 15-25, B0 25-45 (gradient at 50)
        //                                         stage 1: F1 45-55, B1 55-75 (gradient at 80)
        // stage 0: B0 50-70, F2 70-80 (act at 85), B1 80-100, F3 100-110 (act at 115)
        //                                         stage 1: F2 85-95, B2 95-115 (gradient at 120), F3 115-125, B3 125-145 (at 150)
        // stage 0: B2 120-140, B3 150-170.  Step 170 ns: the strict order waits for each transfer.
        StepResult r = run("1f1b", 5);
        assertEquals(170 * Time.NS, r.stepPs());
        assertEquals(240 * Time.NS, r.stageComputePs());
    }

    @Test
    void withoutTransferTimeBothSchedulesTakeTheTextbookMakespan() {
        // (M + S - 1)(F + B) = 5 x 30 = 150 ns for GPipe and 1F1B alike
        assertEquals(150 * Time.NS, run("gpipe", 0).stepPs());
        assertEquals(150 * Time.NS, run("1f1b", 0).stepPs());
    }

    /** Four layers, one per model chunk: a -> b -> c -> d forward, then their backward parts in reverse. */
    static RankGraph fourLayers() {
        return new RankGraph(0, List.of(
                op(1, "a", Phase.FORWARD, 400),
                op(2, "b", Phase.FORWARD, 400, 1L),
                op(3, "c", Phase.FORWARD, 400, 2L),
                op(4, "d", Phase.FORWARD, 400, 3L),
                op(5, "d", Phase.BACKWARD_INPUT_GRAD, 800, 4L),
                op(6, "c", Phase.BACKWARD_INPUT_GRAD, 800, 5L),
                op(7, "b", Phase.BACKWARD_INPUT_GRAD, 800, 6L),
                op(8, "a", Phase.BACKWARD_WEIGHT_GRAD, 800, 7L)));
    }

    static StepResult runInterleaved(int m, int v) {
        PipelineBuilder pb = new PipelineBuilder(fourLayers(), 0, false);
        int[] first = PipelineBuilder.balance(pb.unitFlops(), 2 * v);
        PipelineBuilder.Built b = pb.build(first, m, 1, "1f1b", 1, Long.MAX_VALUE / 4, 0, 3, false, v);
        Simulator sim = new Simulator(1);
        StepExecutor ex = new StepExecutor(sim, b.graph(), new ConstantBackend(sim, 0), 1, 1, 0, StepExecutor.TimelineSink.NONE,
                2, b.stageOf(), b.parts());
        ex.start();
        sim.run();
        return ex.result();
    }

    @Test
    void interleavedOneFOneBShrinksTheBubbleToSMinusOneOverVM() {
        // 2 stages x 2 chunks (model chunks 0 and 2 on stage 0, 1 and 3 on stage 1), 2 micro-batches;
        // every chunk's F = 10 ns, B = 20 ns (the constant backend), no transfer time.
        // m = S, so both stages run every forward first (Megatron's rule), chunk by chunk:
        //   F(c0,0) F(c0,1) F(c1,0) F(c1,1) B(c1,0) B(c1,1) B(c0,0) B(c0,1)      (c1 on stage s is model chunk 2 + s)
        // stage 0: chunk 0 F 0-10, 10-20            stage 1: chunk 1 F 10-20, 20-30
        // stage 0: chunk 2 F 20-30, 30-40           stage 1: chunk 3 F 30-40, 40-50, B 50-70, 70-90
        // stage 0: chunk 2 B 70-90, 90-110          stage 1: chunk 1 B 90-110, 110-130
        // stage 0: chunk 0 B 110-130, 130-150.  Step 150 ns = v M (F + B) (1 + (S - 1) / (v M)) = 120 x 1.25
        StepResult r = runInterleaved(2, 2);
        assertEquals(240 * Time.NS, r.stageComputePs());
        assertEquals(150 * Time.NS, r.stepPs());
        // entries c m + mb for F(chunk c, mb), -1 - (c m + mb) for B
        assertArrayEquals(new int[] {0, 1, 2, 3, -3, -4, -1, -2}, PipelineBuilder.interleavedOrder(2, 2, 0, 2));
        assertArrayEquals(new int[] {0, 1, 2, 3, -3, -4, -1, -2}, PipelineBuilder.interleavedOrder(2, 2, 1, 2));
        // 4 micro-batches: stage 0 warms up with 2 (S - 1) + (v - 1) S = 4 forwards, stage 1 with 2
        assertArrayEquals(new int[] {0, 1, 4, 5, 2, -5, 3, -6, 6, -1, 7, -2, -7, -8, -3, -4}, PipelineBuilder.interleavedOrder(2, 2, 0, 4));
        assertArrayEquals(new int[] {0, 1, 4, -5, 5, -6, 2, -1, 3, -2, 6, -7, 7, -8, -3, -4}, PipelineBuilder.interleavedOrder(2, 2, 1, 4));
        // and the textbook makespan at 4 micro-batches: v M (F + B) + (S - 1)(F + B) = 8 x 30 + 30 = 270 ns (1F1B without
        // interleaving on 2-chunk stages would take (M + S - 1) x 2 (F + B) = 300 ns)
        assertEquals(270 * Time.NS, runInterleaved(4, 2).stepPs());
    }

    @Test
    void slotOrdersFollowTheSchedules() {
        // entries m for F(m), -1-m for B(m)
        assertArrayEquals(new int[] {0, 1, 2, -1, -2, -3}, PipelineBuilder.slotOrder("gpipe", 3, 0, 3));
        // 3 stages, 4 micro-batches: stage 0 warms up with 2 forwards, stage 2 with none
        assertArrayEquals(new int[] {0, 1, 2, -1, 3, -2, -3, -4}, PipelineBuilder.slotOrder("1f1b", 3, 0, 4));
        assertArrayEquals(new int[] {0, 1, -1, 2, -2, 3, -3, -4}, PipelineBuilder.slotOrder("1f1b", 3, 1, 4));
        assertArrayEquals(new int[] {0, -1, 1, -2, 2, -3, 3, -4}, PipelineBuilder.slotOrder("1f1b", 3, 2, 4));
        assertEquals(3, PipelineBuilder.inFlight("1f1b", 3, 0, 4));
        assertEquals(4, PipelineBuilder.inFlight("gpipe", 3, 0, 4));
    }

    @Test
    void stageBalanceMinimisesTheLargestStage() {
        // 5 1 1 1 1 1 5 into 3 runs: [5] [1 1 1 1 1] [5] has largest sum 5, the least possible
        assertArrayEquals(new int[] {0, 1, 6, 7}, PipelineBuilder.balance(new long[] {5, 1, 1, 1, 1, 1, 5}, 3));
        // equal items: 8 into 4 runs of 2
        assertArrayEquals(new int[] {0, 2, 4, 6, 8}, PipelineBuilder.balance(new long[] {3, 3, 3, 3, 3, 3, 3, 3}, 4));
        // as many stages as items: one each, even when a greedy bound would pack them tighter
        assertArrayEquals(new int[] {0, 1, 2, 3}, PipelineBuilder.balance(new long[] {1, 1, 1}, 3));
        // a heavy tail: 1 1 1 1 8 into 2 runs: [1 1 1 1] [8]
        assertArrayEquals(new int[] {0, 4, 5}, PipelineBuilder.balance(new long[] {1, 1, 1, 1, 8}, 2));
    }

    @Test
    void recomputationRunsTheForwardAgainButDoesNotCountItsFlops() {
        PipelineBuilder pb = new PipelineBuilder(twoLayers(), 0, true);
        PipelineBuilder.Built b = pb.build(new int[] {0, 1, 2}, 4, "gpipe", 1, Long.MAX_VALUE / 4, 0);
        Simulator sim = new Simulator(1);
        StepExecutor ex = new StepExecutor(sim, b.graph(), new ConstantBackend(sim, 0), 1, 1, 0, StepExecutor.TimelineSink.NONE,
                2, b.stageOf(), b.parts());
        ex.start();
        sim.run();
        StepResult r = ex.result();
        // a backward slot is now F + B = 30 ns: (M + S - 1) x (10 + 30) = 200 ns
        assertEquals(200 * Time.NS, r.stepPs());
        assertEquals(2400, r.modeledFlops());
        assertEquals(Long.valueOf(8 * 10 * Time.NS), r.timeByTypePs().get("recompute"));
    }

    static Workload workload(RankGraph g, long batch) {
        return new Workload(new WorkloadMetadata("two-layers", "test", batch, batch, 0, List.of(DataType.BF16), 100,
                io.dojosim.workload.ParallelismHint.NONE, java.util.Map.of()), List.of(g));
    }

    static Mapper.Options options(int replicaChips, int stages, int micro) {
        return new Mapper.Options(replicaChips, stages, micro, "1f1b", 1024, 0.0, 0.9, 0, false, 1_000_000, false, "identical");
    }

    static final Mapper.SystemShape TILE = new Mapper.SystemShape(25, 25, 354, 1_250_000);

    static StepBackend.ComputeTiming ns(ComputeOp op, int chips) {
        return new StepBackend.ComputeTiming(Time.NS, Time.NS, 0, 0, "matrix");
    }

    @Test
    void overridesFixThePlan() {
        Mapper.Mapping m = Mapper.map(workload(twoLayers(), 4), TILE, options(10, 2, 4), PipelineTest::ns);
        Plan p = m.plan();
        assertEquals(2, p.pipelineStages());
        assertEquals(5, p.stageChips());
        assertEquals(4, p.microBatches());
        assertEquals(2, p.dataParallel()); // 25 chips / 10 per replica
        assertEquals(5, p.idleChips());
        assertTrue(p.reason().contains("fixes the pipeline"), p.reason());
    }

    @Test
    void impossibleOverridesNameTheKeyTheValueAndWhatIsAllowed() {
        Workload w = workload(twoLayers(), 4);
        ConfigException tooMany = assertThrows(ConfigException.class, () -> Mapper.map(w, TILE, options(0, 3, 4), PipelineTest::ns));
        assertTrue(tooMany.getMessage().contains("'run.mapping.pipelineStages': 3") && tooMany.getMessage().contains("2 layers")
                && tooMany.getMessage().contains("allowed"), tooMany.getMessage());
        ConfigException notDividing = assertThrows(ConfigException.class, () -> Mapper.map(w, TILE, options(0, 2, 3), PipelineTest::ns));
        assertTrue(notDividing.getMessage().contains("'run.mapping.microBatches': 3") && notDividing.getMessage().contains("1, 2, 4"),
                notDividing.getMessage());
        ConfigException chips = assertThrows(ConfigException.class, () -> Mapper.map(w, TILE, options(7, 2, 4), PipelineTest::ns));
        assertTrue(chips.getMessage().contains("'run.mapping.replicaChips': 7") && chips.getMessage().contains("multiple of 2"),
                chips.getMessage());
        // a model state that fits neither SRAM nor HBM: 1 byte of HBM, 1 node of 1 byte
        Mapper.SystemShape tiny = new Mapper.SystemShape(2, 2, 1, 1, 1, 1e9, 1e9, 1e9, 1);
        List<Operation> big = List.of(
                ComputeOp.builder(1, "a.fwd", ComputeKind.ELEMENTWISE).flops(4).outputBytes(4000).weightBytes(1000).layer("a").phase(Phase.FORWARD).build(),
                ComputeOp.builder(2, "b.fwd", ComputeKind.ELEMENTWISE).flops(4).outputBytes(4000).weightBytes(1000).deps(List.of(1L)).layer("b")
                        .phase(Phase.FORWARD).build());
        ConfigException fit = assertThrows(ConfigException.class,
                () -> Mapper.map(workload(new RankGraph(0, big), 4), tiny, options(0, 2, 4), PipelineTest::ns));
        assertTrue(fit.getMessage().contains("run.mapping.pipelineStages") && fit.getMessage().contains("SRAM and HBM hold"), fit.getMessage());
    }

    @Test
    void aFittingWorkloadIsNotPipelinedUnlessTheConfigSaysSo() {
        Mapper.Mapping m = Mapper.map(workload(twoLayers(), 4), TILE, options(0, 0, 0), PipelineTest::ns);
        assertEquals(1, m.plan().pipelineStages());
        assertEquals(1, m.plan().replicaChips());
    }
}
