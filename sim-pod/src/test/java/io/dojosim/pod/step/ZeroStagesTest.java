package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.Time;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.DataType;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ZeRO stages, FSDP units, prefetch, resident weights and the optimizer state, on hand-counted cases. */
class ZeroStagesTest {
    static final Mapper.SystemShape POD = MapperTest.POD;

    static Mapper.Options options(int replicaChips, int zeroStage, long unitBytes, int prefetch) {
        return new Mapper.Options(replicaChips, 1, 0, "1f1b", 1024, 0.0, 0.9, 25L * 1024 * 1024, false, 1_000_000, false, "identical",
                zeroStage, unitBytes, prefetch);
    }

    static ComputeOp op(long id, String layer, Phase phase, long weightBytes, long outBytes, Long... deps) {
        return ComputeOp.builder(id, layer + "." + phase, ComputeKind.GEMM).flops(1000).weightBytes(weightBytes).outputBytes(outBytes)
                .deps(List.of(deps)).layer(layer).phase(phase).build();
    }

    static CollectiveOp allReduce(long id, String layer, long bytes, long dep) {
        return new CollectiveOp(id, layer + ".allreduce", CollectiveKind.ALL_REDUCE, bytes, io.dojosim.workload.CommGroup.of(ParallelDim.DATA),
                0, List.of(dep), layer, Phase.BACKWARD_WEIGHT_GRAD, Operation.NO_DURATION);
    }

    static Workload workload(long params, List<Operation> ops, Map<String, String> props) {
        WorkloadMetadata m = new WorkloadMetadata("hand", "test", 8, 8, 0, List.of(DataType.BF16), params, ParallelismHint.NONE, props);
        return new Workload(m, List.of(new RankGraph(0, ops)));
    }

    static List<CollectiveOp> collectives(RankGraph g, CollectiveKind kind) {
        List<CollectiveOp> out = new ArrayList<>();
        for (int idx : g.topologicalOrder()) {
            if (g.op(idx) instanceof CollectiveOp c && c.collective() == kind) out.add(c);
        }
        return out;
    }

    static Workload resnet50() {
        return Generators.generate("resnet50", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32));
    }

    // ------------------------------------------------------------------ optimizer state

    @Test
    void optimizerStateComesFromTheWorkloadsOptimizer() {
        // ZeRO accounting (Rajbhandari et al. 2020): Adam = FP32 master + m + v = 12 B; SGD with momentum = master + momentum = 8 B
        Workload resnet = resnet50();
        assertEquals("sgd-momentum", resnet.metadata().properties().get("optimizer"));
        assertEquals(8.0, Mapper.optimizerBytesPerParam(resnet, 0));
        Workload bert = Generators.generate("bert-large", GeneratorParams.defaults().withBatchSize(8));
        assertEquals(12.0, Mapper.optimizerBytesPerParam(bert, 0));
        // FP32 weights are their own master copy: momentum only
        Workload fp32 = Generators.generate("resnet50", GeneratorParams.defaults().withTypes(DataType.FP32, DataType.FP32));
        assertEquals(4.0, Mapper.optimizerBytesPerParam(fp32, 0));
        // the key overrides it
        assertEquals(6.0, Mapper.optimizerBytesPerParam(resnet, 6.0));
        // no optimizer declared (a trace): Adam
        assertEquals(12.0, Mapper.optimizerBytesPerParam(workload(0, List.of(op(1, "a", Phase.FORWARD, 1, 1)), Map.of()), 0));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Mapper.optimizerBytesPerParam(workload(0, List.of(op(1, "a", Phase.FORWARD, 1, 1)), Map.of("optimizer", "lion")), 0));
        assertTrue(e.getMessage().contains("'optimizer': 'lion'") && e.getMessage().contains("allowed"), e.getMessage());
        // resnet50's 25,557,032 parameters: 204,456,256 B of optimizer state (was 306,684,384 B at Adam's 12 B)
        assertEquals(25_557_032L * 8, Mapper.footprint(resnet, 8.0).optimizerBytes());
    }

    // ------------------------------------------------------------------ footprint per stage

    @Test
    void perChipFootprintAtEachZeroStageByHand() {
        // W = 1000, G = 2000, O = 100 params x 12 B = 1200, A = 400; on 4 chips:
        Workload w = workload(100, List.of(op(1, "a", Phase.FORWARD, 1000, 400), allReduce(2, "a", 2000, 1)), Map.of());
        Mapper.Footprint fp = Mapper.footprint(w, 12.0);
        assertEquals(new Mapper.Footprint(1000, 2000, 1200, 400), fp);
        assertEquals(4600, fp.perChipBytes(1, 1), "one chip holds everything");
        assertEquals(1000 + 2000 + (1200 + 400) / 4, fp.perChipBytes(1, 4), "stage 1: optimizer state sharded");
        assertEquals(1000 + (2000 + 1200 + 400) / 4, fp.perChipBytes(2, 4), "stage 2: + gradients sharded");
        assertEquals(4600 / 4, fp.perChipBytes(3, 4), "stage 3: + weights sharded");
        assertEquals(1150, fp.perChipBytes(3, 4));
        // 4601 bytes over 4 chips round up
        assertEquals(1151, new Mapper.Footprint(1001, 2000, 1200, 400).perChipBytes(3, 4));
    }

    @Test
    void theMapperTakesTheSmallestRegionAndInItTheLowestStageThatFits() {
        // a chip holds 398.25 MB; weights 300 MB, gradients 300 MB, no optimizer, activations 2 GB
        // stage 1 needs W + G = 600 MB on each chip: never; stage 2 on 5 chips: 300 + (300 + 2000) / 5 = 760 MB: no;
        // stage 3 on 5 chips: 2600 / 5 = 520 MB: no; on 25 chips stage 2: 300 + 92 = 392 MB fits (stage 3 too, but 2 is lower)
        List<Operation> ops = List.of(op(1, "a", Phase.FORWARD, 300_000_000L, 2_000_000_000L), allReduce(2, "a", 300_000_000L, 1));
        Mapper.Mapping m = Mapper.map(workload(0, ops, Map.of()), POD, options(0, 0, 0, 1), PipelineTest::ns);
        assertEquals(25, m.plan().replicaChips());
        assertEquals(2, m.plan().zeroStage());
        assertTrue(m.plan().reason().contains("ZeRO stage 2"), m.plan().reason());
        // stage 2: no weight gathers before compute; one all-gather of the 300 MB of updated weights after the update
        List<CollectiveOp> gathers = collectives(m.graph(), CollectiveKind.ALL_GATHER);
        assertEquals(1, gathers.size());
        assertEquals(300_000_000L, gathers.get(0).bytes());
        assertEquals(Phase.OPTIMIZER, gathers.get(0).phase());
        // footprint reported for the replica: 25 chips x 392 MB
        assertEquals(25L * (300_000_000L + 92_000_000L), m.plan().footprintBytes());
        // fixing stage 3 takes its own smallest region, 25 chips as well (2.6 GB / 25 = 104 MB), with gathers per unit
        Mapper.Mapping z3 = Mapper.map(workload(0, ops, Map.of()), POD, options(0, 3, 0, 1), PipelineTest::ns);
        assertEquals(25, z3.plan().replicaChips());
        assertEquals(3, z3.plan().zeroStage());
        assertEquals(1, z3.plan().fsdpUnits());
        assertEquals(1, collectives(z3.graph(), CollectiveKind.ALL_GATHER).size(), "one forward gather, no backward weight reader");
        // stage 1 can never fit a chip: the key is named with what is allowed
        ConfigException e = assertThrows(ConfigException.class, () -> Mapper.map(workload(0, ops, Map.of()), POD, options(0, 1, 0, 1), PipelineTest::ns));
        assertTrue(e.getMessage().contains("'run.mapping.zeroStage': 1") && e.getMessage().contains("allowed"), e.getMessage());
        ConfigException fixedChips = assertThrows(ConfigException.class,
                () -> Mapper.map(workload(0, ops, Map.of()), POD, options(25, 1, 0, 1), PipelineTest::ns));
        assertTrue(fixedChips.getMessage().contains("'run.mapping.zeroStage': 1") && fixedChips.getMessage().contains("25 chips"),
                fixedChips.getMessage());
    }

    // ------------------------------------------------------------------ FSDP units

    /** a (100 B) -> b (10 B) -> c (300 B) -> d (5 B); backward d, c, b (a reads the input: no input gradient); one all-reduce per layer. */
    static Workload fourLayers() {
        List<Operation> ops = new ArrayList<>();
        ops.add(op(1, "a", Phase.FORWARD, 100, 8));
        ops.add(op(2, "b", Phase.FORWARD, 10, 8, 1L));
        ops.add(op(3, "c", Phase.FORWARD, 300, 8, 2L));
        ops.add(op(4, "d", Phase.FORWARD, 5, 8, 3L));
        ops.add(op(5, "d", Phase.BACKWARD_INPUT_GRAD, 5, 8, 4L));
        ops.add(op(6, "c", Phase.BACKWARD_INPUT_GRAD, 300, 8, 5L));
        ops.add(op(7, "b", Phase.BACKWARD_INPUT_GRAD, 10, 8, 6L));
        ops.add(op(8, "a", Phase.BACKWARD_WEIGHT_GRAD, 0, 8, 7L));
        ops.add(allReduce(9, "d", 5, 5));
        ops.add(allReduce(10, "c", 300, 6));
        ops.add(allReduce(11, "b", 10, 7));
        ops.add(allReduce(12, "a", 100, 8));
        return workload(0, ops, Map.of());
    }

    static CollectiveOp named(RankGraph g, String name) {
        for (Operation o : g.ops()) {
            if (o.name().equals(name)) return (CollectiveOp) o;
        }
        throw new AssertionError("no operation " + name);
    }

    @Test
    void aUnitFusesExactlyTheLayersThatReachItsSize() {
        // units of 100 B: {a} (100), {b, c} (10 + 300), {d} (5, the rest)
        assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("d")), Mapper.fsdpUnits(fourLayers().primary(), 100));
        // 0: every layer with weights is a unit
        assertEquals(4, Mapper.fsdpUnits(fourLayers().primary(), 0).size());
        Mapper.Mapping m = Mapper.map(fourLayers(), POD, options(2, 3, 100, 1), PipelineTest::ns);
        assertEquals(3, m.plan().fsdpUnits());
        RankGraph g = m.graph();
        List<CollectiveOp> gathers = collectives(g, CollectiveKind.ALL_GATHER);
        // forward: a 100, {b,c} 310, d 5; backward: d 5, {c,b} 310 (a has no backward weight reader)
        assertEquals(5, gathers.size());
        List<Long> bytes = new ArrayList<>();
        for (CollectiveOp c : gathers) bytes.add(c.bytes());
        assertEquals(List.of(100L, 310L, 5L, 5L, 310L), bytes);
        CollectiveOp bc = named(g, "fsdp unit 1 forward (b .. c).gather");
        // prefetch 1: gather q waits for the readers of gather q - 2
        assertEquals(List.of(), bc.deps(), "the second gather runs while the first unit computes");
        assertEquals(List.of(1L), named(g, "d.FORWARD.gather").deps());
        assertEquals(List.of(2L, 3L), named(g, "d.BACKWARD_INPUT_GRAD.gather").deps());
        assertEquals(List.of(4L), named(g, "fsdp unit 1 backward (c .. b).gather").deps());
        assertTrue(g.op(g.indexOf(2)).deps().contains(bc.id()) && g.op(g.indexOf(3)).deps().contains(bc.id()));
        // gradients: one all-reduce per unit, {d}, {c, b}, {a}
        List<CollectiveOp> reduces = collectives(g, CollectiveKind.ALL_REDUCE);
        assertEquals(3, m.plan().gradientBuckets());
        assertEquals(List.of(5L, 310L, 100L), List.of(reduces.get(0).bytes(), reduces.get(1).bytes(), reduces.get(2).bytes()));
        // no prefetch: each gather waits for the unit before it
        Mapper.Mapping none = Mapper.map(fourLayers(), POD, options(2, 3, 100, 0), PipelineTest::ns);
        assertEquals(List.of(1L), named(none.graph(), "fsdp unit 1 forward (b .. c).gather").deps());
        assertEquals(List.of(2L, 3L), named(none.graph(), "d.FORWARD.gather").deps());
    }

    @Test
    void resnet50OnA50ChipReplicaGathersOncePerUnitAndPass() {
        // ResNet-50: 53 convolutions, 53 batch norms, 1 fully connected layer = 107 layers with weights; all but the
        // first convolution (it reads the images) have an input gradient that reads its weights: 106
        Workload w = resnet50();
        Mapper.Mapping perLayer = Mapper.map(w, POD, options(50, 3, 0, 1), PipelineTest::ns);
        assertEquals(107 + 106, collectives(perLayer.graph(), CollectiveKind.ALL_GATHER).size());
        assertEquals(107, perLayer.plan().fsdpUnits());
        // one unit: the whole model gathered once per pass, 2 x 25,557,032 B... in the compute type (BF16 weights)
        Mapper.Mapping whole = Mapper.map(w, POD, options(50, 3, Long.MAX_VALUE / 4, 1), PipelineTest::ns);
        List<CollectiveOp> g = collectives(whole.graph(), CollectiveKind.ALL_GATHER);
        assertEquals(2, g.size());
        assertEquals(Mapper.footprint(w, 8).weightBytes(), g.get(0).bytes());
        assertEquals(1, whole.plan().gradientBuckets());
        // the default unit (16 MiB) on the default choice: 60 replicas x 50 chips, stage 3, 3 units, 6 gathers
        Mapper.Mapping def = Mapper.map(w, POD, options(0, 0, Mapper.DEFAULT_FSDP_UNIT_BYTES, 1), PipelineTest::ns);
        assertEquals(50, def.plan().replicaChips());
        assertEquals(3, def.plan().zeroStage());
        assertEquals(3, def.plan().fsdpUnits());
        assertEquals(6, collectives(def.graph(), CollectiveKind.ALL_GATHER).size());
        // every unit but the last reaches 16 MiB; all weights are gathered once per pass
        long total = 0;
        for (CollectiveOp c : collectives(def.graph(), CollectiveKind.ALL_GATHER)) {
            if (c.phase() == Phase.FORWARD) {
                total += c.bytes();
            }
        }
        assertEquals(Mapper.footprint(w, 8).weightBytes(), total);
    }

    @Test
    void gradientBucketsFollowTheBackwardPassFromTheLastLayer() {
        // DDP buckets fill in the order gradients become ready: the first holds the classifier's, the last the stem's
        Workload w = resnet50();
        Mapper.Bucketed b = Mapper.bucketGradients(w.primary(), 25L * 1024 * 1024);
        List<List<CollectiveOp>> buckets = new ArrayList<>(b.members().values());
        assertTrue(buckets.get(0).stream().anyMatch(c -> c.layer().equals("fc")), "first bucket starts at the classifier");
        assertTrue(buckets.get(buckets.size() - 1).stream().anyMatch(c -> c.layer().equals("conv1")), "last bucket ends at the stem");
        // FP32 gradients of 25,557,032 parameters = 102,228,128 B: three full 25 MiB buckets and one partial
        long total = 0;
        for (List<CollectiveOp> bucket : buckets) {
            long bytes = 0;
            for (CollectiveOp c : bucket) bytes += c.bytes();
            total += bytes;
        }
        assertEquals(102_228_128L, total);
        assertEquals(4, b.buckets());
    }

    // ------------------------------------------------------------------ prefetch, simulated

    /** Compute 10 ns per operation, every collective 8 ns, on one communication stream. */
    static final class Timed implements StepBackend {
        final Simulator sim;

        Timed(Simulator sim) {
            this.sim = sim;
        }

        @Override
        public ComputeTiming compute(ComputeOp op) {
            return new ComputeTiming(10 * Time.NS, 10 * Time.NS, 0, 0, "matrix");
        }

        private void later(long ns, long token, Completion done) {
            sim.schedule(sim.now() + ns * Time.NS, 0, (t, k, a) -> done.done(t, a), 0, token);
        }

        @Override
        public void collective(CollectiveOp op, long token, Completion done) {
            later(8, token, done);
        }

        @Override
        public void memory(MemoryOp op, long token, Completion done) {
            later(0, token, done);
        }

        @Override
        public void pointToPoint(PointToPointOp op, long token, Completion done) {
            later(0, token, done);
        }
    }

    static StepResult simulate(RankGraph g) {
        Simulator sim = new Simulator(1);
        StepExecutor ex = new StepExecutor(sim, g, new Timed(sim), 1, 1, 0, StepExecutor.TimelineSink.NONE);
        ex.start();
        sim.run();
        return ex.result();
    }

    @Test
    void prefetchHidesTheNextUnitsGatherUnderCompute() {
        // four forward layers of 10 B, one unit each, compute 10 ns, gather 8 ns
        List<Operation> ops = List.of(op(1, "a", Phase.FORWARD, 10, 8), op(2, "b", Phase.FORWARD, 10, 8, 1L),
                op(3, "c", Phase.FORWARD, 10, 8, 2L), op(4, "d", Phase.FORWARD, 10, 8, 3L));
        Workload w = workload(0, ops, Map.of());
        // prefetch 1: G0 0-8, G1 8-16 under C0 8-18, G2 18-26 under C1 18-28, G3 28-36 under C2 28-38, C3 38-48
        StepResult ahead = simulate(Mapper.map(w, POD, options(2, 3, 0, 1), PipelineTest::ns).graph());
        assertEquals(48 * Time.NS, ahead.stepPs());
        assertEquals(8 * Time.NS, ahead.exposedCommunicationPs(), "only the first gather is exposed");
        // no prefetch: G C G C G C G C = 4 x 18 ns, every gather exposed
        StepResult none = simulate(Mapper.map(w, POD, options(2, 3, 0, 0), PipelineTest::ns).graph());
        assertEquals(72 * Time.NS, none.stepPs());
        assertEquals(32 * Time.NS, none.exposedCommunicationPs());
        assertTrue(ahead.exposedCommunicationPs() < none.exposedCommunicationPs());
    }

    // ------------------------------------------------------------------ pipelines: resident weights, stages 1 and 2

    /** Two layers with weights a (w B), b (w B): forward, input gradient of b, weight gradients of both, their all-reduces. */
    static RankGraph twoWeightedLayers(long w) {
        return new RankGraph(0, List.of(
                ComputeOp.builder(1, "a.f", ComputeKind.ELEMENTWISE).flops(400).inputBytes(64).outputBytes(64).weightBytes(w).layer("a")
                        .phase(Phase.FORWARD).build(),
                ComputeOp.builder(2, "b.f", ComputeKind.ELEMENTWISE).flops(400).inputBytes(64).outputBytes(64).weightBytes(w).deps(List.of(1L))
                        .layer("b").phase(Phase.FORWARD).build(),
                ComputeOp.builder(3, "b.ig", ComputeKind.ELEMENTWISE).flops(400).inputBytes(64).outputBytes(64).weightBytes(w).deps(List.of(2L))
                        .layer("b").phase(Phase.BACKWARD_INPUT_GRAD).build(),
                ComputeOp.builder(4, "b.wg", ComputeKind.ELEMENTWISE).flops(400).inputBytes(64).outputBytes(64).deps(List.of(2L))
                        .layer("b").phase(Phase.BACKWARD_WEIGHT_GRAD).build(),
                ComputeOp.builder(5, "a.wg", ComputeKind.ELEMENTWISE).flops(400).inputBytes(64).outputBytes(64).deps(List.of(3L))
                        .layer("a").phase(Phase.BACKWARD_WEIGHT_GRAD).build(),
                allReduce(6, "b", w, 4), allReduce(7, "a", w, 5)));
    }

    static int count(RankGraph g, CollectiveKind kind, ParallelDim dim) {
        int n = 0;
        for (Operation o : g.ops()) {
            if (o instanceof CollectiveOp c && c.collective() == kind && c.group().dimension() == dim) n++;
        }
        return n;
    }

    @Test
    void residentWeightsAreGatheredOncePerStepWhateverTheMicroBatches() {
        PipelineBuilder pb = new PipelineBuilder(twoWeightedLayers(1000), 0, false);
        int[] first = {0, 1, 2};
        for (int m : new int[] {2, 4}) {
            // re-gathered: stage 0 (a) gathers before each F (a has no backward weight reader), stage 1 (b) before each F and B
            RankGraph per = pb.build(first, m, 1, "1f1b", 4, Long.MAX_VALUE / 4, 0, 3, false).graph();
            assertEquals(m + 2 * m, count(per, CollectiveKind.ALL_GATHER, ParallelDim.TENSOR));
            // resident: one gather per stage, whatever M
            RankGraph res = pb.build(first, m, 1, "1f1b", 4, Long.MAX_VALUE / 4, 0, 3, true).graph();
            assertEquals(2, count(res, CollectiveKind.ALL_GATHER, ParallelDim.TENSOR));
            // stage 3 shards gradients: M - 1 reduce-scatters per stage before the final all-reduce
            assertEquals(2 * (m - 1), count(res, CollectiveKind.REDUCE_SCATTER, ParallelDim.TENSOR));
            // stage 2: weights on every chip (no gathers before compute), the updated weights gathered once per stage
            RankGraph z2 = pb.build(first, m, 1, "1f1b", 4, Long.MAX_VALUE / 4, 0, 2, false).graph();
            assertEquals(2, count(z2, CollectiveKind.ALL_GATHER, ParallelDim.TENSOR));
            assertEquals(2 * (m - 1), count(z2, CollectiveKind.REDUCE_SCATTER, ParallelDim.TENSOR));
            for (Operation o : z2.ops()) {
                if (o instanceof CollectiveOp c && c.collective() == CollectiveKind.ALL_GATHER) assertEquals(Phase.OPTIMIZER, c.phase());
            }
            // stage 1: gradients accumulate whole: no reduce-scatter per micro-batch
            RankGraph z1 = pb.build(first, m, 1, "1f1b", 4, Long.MAX_VALUE / 4, 0, 1, false).graph();
            assertEquals(0, count(z1, CollectiveKind.REDUCE_SCATTER, ParallelDim.TENSOR));
            assertEquals(2, count(z1, CollectiveKind.ALL_REDUCE, ParallelDim.DATA));
        }
    }

    static Mapper.Options pipelineOptions(int replicaChips, int stages, int micro, int zeroStage) {
        return new Mapper.Options(replicaChips, stages, micro, "1f1b", 1024, 0.0, 0.9, 0, false, 1_000_000, false, "identical",
                zeroStage, Mapper.DEFAULT_FSDP_UNIT_BYTES, 1);
    }

    @Test
    void thePlanSaysWhetherAStagesWeightsStayResident() {
        Mapper.SystemShape tile = PipelineTest.TILE;
        // 1 kB per layer fits any chip: stage 3 keeps the gathered weights for every micro-batch
        Workload small = PipelineTest.workload(twoWeightedLayers(1000), 4);
        Mapper.Mapping m = Mapper.map(small, tile, pipelineOptions(10, 2, 4, 3), PipelineTest::ns);
        assertEquals(3, m.plan().zeroStage());
        assertTrue(m.plan().reason().contains("stay resident"), m.plan().reason());
        assertEquals(2, count(m.graph(), CollectiveKind.ALL_GATHER, ParallelDim.TENSOR));
        // 1 GB per layer: a chip (398.25 MB) cannot hold a stage's weights, so they are gathered for every micro-batch
        Workload big = PipelineTest.workload(twoWeightedLayers(1_000_000_000L), 4);
        Mapper.Mapping b = Mapper.map(big, tile, pipelineOptions(10, 2, 4, 3), PipelineTest::ns);
        assertTrue(b.plan().reason().contains("re-gathered for each of the 4 micro-batches"), b.plan().reason());
        assertEquals(4 + 2 * 4, count(b.graph(), CollectiveKind.ALL_GATHER, ParallelDim.TENSOR));
        // the mapper choosing: stage 1 fits the small model (lowest estimate on ties: no gathers at all)
        Mapper.Mapping chosen = Mapper.map(small, tile, pipelineOptions(10, 2, 4, 0), PipelineTest::ns);
        assertEquals(1, chosen.plan().zeroStage());
        assertFalse(chosen.plan().reason().contains("re-gathered"), chosen.plan().reason());
    }
}
