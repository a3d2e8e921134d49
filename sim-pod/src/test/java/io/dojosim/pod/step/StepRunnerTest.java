package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.catalog.ModelCatalog;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole training steps on small systems: plausibility bounds, determinism and conservation of FLOPs. */
class StepRunnerTest {
    static ResolvedConfig config(String... sets) {
        ResolvedConfig c = new ParamCatalog(ModelCatalog.params()).defaults();
        for (String s : sets) {
            int eq = s.indexOf('=');
            c = c.with(s.substring(0, eq), s.substring(eq + 1), "test");
        }
        return c;
    }

    static Workload resnet(long batch) {
        return Generators.generate("resnet50", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(batch));
    }

    @Test
    void resnetOnOneTileIsPlausibleAndConservesFlops() {
        ResolvedConfig c = config("pod.system.scope=tile");
        Workload w = resnet(8);
        StepRunner.Report r = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), w, StepExecutor.TimelineSink.NONE);
        var s = r.summary();
        double step = s.stepTimeSeconds();
        double mfu = s.mfu();
        assertTrue(step > 0 && mfu > 0 && mfu < 1, "step " + step + " s, MFU " + mfu);
        // modeled FLOPs = the workload's FLOPs per replica x replicas
        long replicaFlops = 0;
        for (io.dojosim.workload.Operation op : w.primary().ops()) {
            replicaFlops += op.flops();
        }
        int dp = r.plan().dataParallel();
        assertEquals((double) replicaFlops * dp, s.modeledFlops(), 1.0);
        assertEquals(25, dp * r.plan().replicaChips() + r.plan().idleChips());
        // the step cannot be shorter than its FLOPs at the tile's peak: 25 x 354 x 1.024 TFLOPS
        double peak = 25 * 354 * 1.024e12;
        assertEquals(peak / 1e12, s.peakTflops(), 1e-6);
        assertTrue(step >= s.modeledFlops() / peak);
        // exposed communication is part of the step; compute is too
        assertTrue(s.exposedCommunicationSeconds() <= step + 1e-15);
        assertTrue(s.computeSeconds() <= step + 1e-15);
    }

    @Test
    void heatmapsCoverTheTileAndOneChip() {
        StepRunner.Report r = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(config("pod.system.scope=tile", "run.mapping.replicaChips=5")), resnet(2),
                StepExecutor.TimelineSink.NONE);
        assertEquals(2, r.heatmaps().size());
        Heatmap tile = r.heatmaps().get(0);
        assertEquals(5, tile.width());
        assertEquals(5, tile.height());
        // a 5 x 5 grid has 2 x 5 x 4 = 40 neighbour pairs, each a link in both directions
        assertEquals(80, tile.links().size());
        for (Double v : tile.values()) {
            assertTrue(v != null && v > 0 && v <= 1, "every chip of the tile works: " + v);
        }
        Heatmap chip = r.heatmaps().get(1);
        List<Double> sites = chip.values();
        assertEquals(18 * 20, sites.size());
        assertEquals(6, sites.stream().filter(v -> v == null).count(), "the six harvested sites are empty");
    }

    @Test
    void sameConfigAndSeedGiveIdenticalResults() {
        ResolvedConfig c = config("pod.system.scope=tile", "run.mapping.replicaChips=5");
        StepRunner.Report a = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), resnet(4), StepExecutor.TimelineSink.NONE);
        StepRunner.Report b = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), resnet(4), StepExecutor.TimelineSink.NONE);
        assertEquals(a.summary(), b.summary());
        assertEquals(a.stats().toString(), b.stats().toString());
        assertEquals(5, a.plan().dataParallel());
    }

    @Test
    void everyPendingEventSetGivesTheSameStep() {
        StepSummary first = null;
        for (String set : io.dojosim.core.engine.PendingEventSets.NAMES) {
            StepSummary s = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(config("pod.system.scope=tile", "run.mapping.replicaChips=5", "sim.eventSet=" + set)),
                    resnet(2), StepExecutor.TimelineSink.NONE).summary();
            if (first == null) {
                first = s;
            } else {
                assertEquals(first, s, set);
            }
        }
    }

    @Test
    void fasterClockShortensAComputeBoundStep() {
        // one replica per chip: no tensor exchange; 2.5 GHz instead of 2 GHz cuts compute time by up to 20 %
        // at the roofline: the calibration table holds the 2 GHz machine's shares (since ADR 0105 also these), not the 2.5 GHz one's
        ResolvedConfig base = config("pod.system.scope=tile", "run.mapping.replicaChips=1", "run.computeFidelity=roofline");
        ResolvedConfig fast = config("pod.system.scope=tile", "run.mapping.replicaChips=1", "d1.node.clockHz=2500000000", "run.computeFidelity=roofline");
        double c2 = (Double) StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(base), resnet(2), StepExecutor.TimelineSink.NONE).summary().computeSeconds();
        double c25 = (Double) StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(fast), resnet(2), StepExecutor.TimelineSink.NONE).summary().computeSeconds();
        assertEquals(0.8, c25 / c2, 0.01, "compute time scales with the clock period (500 ps -> 400 ps)");
    }

    @Test
    void aPipelinedStepIsDeterministicConservesFlopsAndHasABubble() {
        // GPT-3 125M, batch 8, on one tile: 5 stages of 5 chips (a tile row each), 8 micro-batches, 1F1B
        Workload w = Generators.generate("gpt3-125m", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(8));
        ResolvedConfig c = config("pod.system.scope=tile", "run.mapping.pipelineStages=5", "run.mapping.replicaChips=25",
                "run.mapping.microBatches=8");
        StepRunner.Report a = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), w, StepExecutor.TimelineSink.NONE);
        StepRunner.Report b = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), w, StepExecutor.TimelineSink.NONE);
        assertEquals(a.summary(), b.summary());
        assertEquals(a.stats(), b.stats());
        var plan = a.summary().plan();
        assertEquals(5, plan.pipelineStages());
        assertEquals(5, plan.stageChips());
        assertEquals(8, plan.microBatches());
        // every micro-batch's share of every operation is modeled once: the workload's FLOPs (recomputation is not counted)
        long flops = 0;
        for (io.dojosim.workload.Operation op : w.primary().ops()) {
            flops += op.flops();
        }
        assertEquals((double) flops, a.summary().modeledFlops(), 1.0);
        // with 5 stages and 8 micro-batches at least (S - 1) / (M + S - 1) = 4 / 12 of the stages' time is idle
        double idle = plan.stageIdleFraction();
        assertTrue(idle >= 4.0 / 12 - 1e-9 && idle < 1, "stage idle fraction " + idle);
        assertTrue(a.summary().mfu() > 0 && a.summary().mfu() < 1);
    }

    @Test
    void gpipeKeepsEveryMicroBatchInFlightSoItIsNeverFasterThanOneFOneBHere() {
        Workload w = Generators.generate("gpt3-125m", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(8));
        ResolvedConfig c = config("pod.system.scope=tile", "run.mapping.pipelineStages=5", "run.mapping.replicaChips=25",
                "run.mapping.microBatches=8");
        double oneF = (Double) StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), w, StepExecutor.TimelineSink.NONE).summary().stepTimeSeconds();
        double gpipe = (Double) StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c.with("run.mapping.pipelineSchedule", "gpipe", "test")), w, StepExecutor.TimelineSink.NONE)
                .summary().stepTimeSeconds();
        assertTrue(oneF > 0 && gpipe > 0);
        // both are bounded below by (M + S - 1) slots of the slowest stage; they differ only in order and memory
        assertTrue(Math.abs(oneF - gpipe) / oneF < 0.5, oneF + " vs " + gpipe);
    }

    @Test
    void gpt3_175bOnThePodIsPipelinedWithinSramPlusHbm() {
        // 3.1 TB of model state fits no region's 1.2 TB of SRAM: the mapper must pipeline, with every
        // stage's state and live activations within its SRAM plus its share of HBM, and say why
        Workload w = Generators.generate("gpt3-175b", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(64));
        ResolvedConfig c = config("run.batchPerReplica=64");
        Mapper.Mapping m = StepRunner.map(io.dojosim.pod.bind.SpecBinder.bind(c), w);
        Plan p = m.plan();
        assertTrue(p.pipelineStages() > 1, p.toString());
        assertEquals(3000, p.dataParallel() * p.replicaChips() + p.idleChips());
        assertEquals(0, p.stageChips() % 25, "stages are whole tiles: " + p);
        assertEquals(0, 150 % p.stageChips(), "a stage stays inside a tray: " + p);
        assertEquals(64, p.samplesPerReplica(64));
        assertTrue(p.microBatches() >= p.pipelineStages() && 64 % p.microBatches() == 0, p.toString());
        assertTrue(p.reason().contains("exceeds every region's SRAM") && p.estimatedStepSeconds() > 0, p.reason());
        // every slot of every stage is in the graph: 2 x S x M compute operations plus the stages' updates
        long compute = m.graph().ops().stream().filter(o -> o instanceof io.dojosim.workload.ComputeOp).count();
        assertEquals(2L * p.pipelineStages() * p.microBatches() + p.pipelineStages(), compute);
    }

    @Test
    void aTraceWhoseRanksDifferRunsEachRankAsAStageWhenAskedAndIsRefusedOtherwise() {
        // two pipeline-stage ranks like configs/workloads/tiny-mlp.yaml: rank 0 = fc1, rank 1 = fc2,
        // activations sent 0 -> 1 (tag 1), gradients 1 -> 0 (tag 2), a data-parallel all-reduce each
        io.dojosim.workload.GemmShape fwd = new io.dojosim.workload.GemmShape(1, 32, 4096, 1024);
        io.dojosim.workload.GemmShape wg = new io.dojosim.workload.GemmShape(1, 1024, 4096, 32);
        java.util.function.BiFunction<Long, String, io.dojosim.workload.CollectiveOp> ar = (id, layer) -> new io.dojosim.workload.CollectiveOp(id,
                layer + ".allreduce", io.dojosim.workload.CollectiveKind.ALL_REDUCE, 8_388_608, io.dojosim.workload.CommGroup.of(
                io.dojosim.workload.ParallelDim.DATA), 0, List.of(id - 1), layer, io.dojosim.workload.Phase.BACKWARD_WEIGHT_GRAD, -1);
        io.dojosim.workload.RankGraph r0 = new io.dojosim.workload.RankGraph(0, List.of(
                io.dojosim.workload.ComputeOp.builder(1, "fc1.fwd", io.dojosim.workload.ComputeKind.GEMM).shape(fwd).outputBytes(262_144)
                        .layer("fc1").phase(io.dojosim.workload.Phase.FORWARD).build(),
                new io.dojosim.workload.PointToPointOp(2, "act.send", io.dojosim.workload.PointToPointOp.Direction.SEND, 1, 1, 262_144, List.of(1L),
                        "", io.dojosim.workload.Phase.FORWARD, -1),
                new io.dojosim.workload.PointToPointOp(3, "grad.recv", io.dojosim.workload.PointToPointOp.Direction.RECV, 1, 2, 262_144, List.of(),
                        "", io.dojosim.workload.Phase.BACKWARD_INPUT_GRAD, -1),
                io.dojosim.workload.ComputeOp.builder(4, "fc1.wg", io.dojosim.workload.ComputeKind.GEMM).shape(wg).deps(List.of(3L))
                        .layer("fc1").phase(io.dojosim.workload.Phase.BACKWARD_WEIGHT_GRAD).build(),
                ar.apply(5L, "fc1")));
        io.dojosim.workload.RankGraph r1 = new io.dojosim.workload.RankGraph(1, List.of(
                new io.dojosim.workload.PointToPointOp(1, "act.recv", io.dojosim.workload.PointToPointOp.Direction.RECV, 0, 1, 262_144, List.of(),
                        "", io.dojosim.workload.Phase.FORWARD, -1),
                io.dojosim.workload.ComputeOp.builder(2, "fc2.fwd", io.dojosim.workload.ComputeKind.GEMM).shape(fwd).deps(List.of(1L))
                        .layer("fc2").phase(io.dojosim.workload.Phase.FORWARD).build(),
                io.dojosim.workload.ComputeOp.builder(3, "fc2.ig", io.dojosim.workload.ComputeKind.GEMM).shape(fwd).deps(List.of(2L))
                        .layer("fc2").phase(io.dojosim.workload.Phase.BACKWARD_INPUT_GRAD).build(),
                new io.dojosim.workload.PointToPointOp(4, "grad.send", io.dojosim.workload.PointToPointOp.Direction.SEND, 0, 2, 262_144,
                        List.of(3L), "", io.dojosim.workload.Phase.BACKWARD_INPUT_GRAD, -1),
                io.dojosim.workload.ComputeOp.builder(5, "fc2.wg", io.dojosim.workload.ComputeKind.GEMM).shape(wg).deps(List.of(2L))
                        .layer("fc2").phase(io.dojosim.workload.Phase.BACKWARD_WEIGHT_GRAD).build(),
                ar.apply(6L, "fc2")));
        Workload w = new Workload(new io.dojosim.workload.WorkloadMetadata("two-ranks", "test", 32, 32, 0, List.of(DataType.BF16), 8_388_608,
                io.dojosim.workload.ParallelismHint.NONE, Map.of()), List.of(r0, r1));
        // the folded mapping (run.rankPlacement = replica) with run.traceRanks = each: each rank a stage, the pair replicated
        ResolvedConfig c = config("pod.system.scope=tile", "run.rankPlacement=replica", "run.traceRanks=each");
        StepRunner.Report r = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), w, StepExecutor.TimelineSink.NONE);
        var plan = r.summary().plan();
        assertEquals(2, plan.pipelineStages());
        int dp = r.plan().dataParallel();
        assertEquals(25, dp * r.plan().replicaChips() + r.plan().idleChips());
        // every rank's FLOPs are modeled, once per replica
        long flops = 0;
        for (io.dojosim.workload.RankGraph g : w.ranks()) {
            for (io.dojosim.workload.Operation op : g.ops()) {
                flops += op.flops();
            }
        }
        assertEquals((double) flops * dp, r.summary().modeledFlops(), 1.0);
        var wl = r.summary().workload();
        assertTrue((wl.rankNote()).contains("each ran as its own stage"), wl.toString());
        // the activations and gradients crossed between the stages' chips
        assertTrue((r.summary().timeByOpType()).containsKey("sendrecv"));
        io.dojosim.core.config.ConfigException refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.dojosim.core.config.ConfigException.class, () -> StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(config("pod.system.scope=tile", "run.rankPlacement=replica")), w,
                        StepExecutor.TimelineSink.NONE));
        assertTrue(refused.getMessage().contains("run.traceRanks"), refused.getMessage());
        // by default (run.rankPlacement = chip) the two ranks run rank by rank on two chips, the rest idle
        StepRunner.Report ranks = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(config("pod.system.scope=tile")), w, StepExecutor.TimelineSink.NONE);
        assertEquals(2, ranks.plan().replicaChips());
        assertEquals(1, ranks.plan().dataParallel());
        assertEquals(23, ranks.plan().idleChips());
        assertEquals((double) flops, ranks.summary().modeledFlops(), 1.0);
    }

    @Test
    void gpt3_175bPipelinedOnThePodIsPlausibleAndTheEstimateRanksIt() {
        // docs/validation.md sanity table, batch 64 per replica: 16.8 % MFU, stages idle 65 %, estimate 1.70 s vs 2.32 s
        Workload w = Generators.generate("gpt3-175b", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(64));
        StepRunner.Report r = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(config("run.batchPerReplica=64")), w, StepExecutor.TimelineSink.NONE);
        var s = r.summary();
        var plan = s.plan();
        double mfu = s.mfu();
        assertTrue(mfu > 0.10 && mfu < 0.40, "MFU " + mfu);
        // the bubble falls out of the simulation: at least (S - 1) / (M + S - 1) of the stages' time is idle
        int st = plan.pipelineStages();
        int m = plan.microBatches();
        assertTrue(plan.stageIdleFraction() >= (st - 1.0) / (m + st - 1) - 1e-9, plan.toString());
        // the mapper's estimate is within a factor of two of the simulated step
        double ratio = plan.estimatedStepSeconds() / s.stepTimeSeconds();
        assertTrue(ratio > 0.5 && ratio < 2, "estimate / simulated " + ratio);
        // every sample's FLOPs are modeled once per replica: 64 sequences x replicas
        long flops = 0;
        for (io.dojosim.workload.Operation op : w.primary().ops()) {
            flops += op.flops();
        }
        assertEquals((double) flops * r.plan().dataParallel(), s.modeledFlops(), flops * 1e-9);
    }
}
