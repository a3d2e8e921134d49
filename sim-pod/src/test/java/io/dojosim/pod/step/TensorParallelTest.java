package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.Phase;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Megatron tensor parallelism: the collectives one GPT layer adds, computed by hand, what each
 * rank keeps, and the overrides that cannot work.
 */
class TensorParallelTest {
    // b = 2 sequences of s = 8 tokens, h = 64, 4 heads of 16, FFN 256, vocabulary 128, BF16
    private static final long B = 2;
    private static final long S = 8;
    private static final long H = 64;

    private static Workload tiny() {
        return Generators.decoder("tiny", Map.of("layers", 2L, "hidden", H, "heads", 4L, "headDim", 16L, "ffn", 4 * H, "seq", S, "vocab", 128L),
                B, GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32));
    }

    private static List<CollectiveOp> tpOps(Workload w, String layerPrefix) {
        List<CollectiveOp> out = new ArrayList<>();
        for (Operation op : w.primary().ops()) {
            if (TensorParallel.isTensorParallel(op) && op.layer().startsWith(layerPrefix)) out.add((CollectiveOp) op);
        }
        return out;
    }

    @Test
    void aGptLayerAllReducesTwoBshBytesTwiceForwardAndTwiceBackward() {
        long bsh = 2 * B * S * H; // BF16: 2 bytes per element = 2048 bytes
        for (int t : new int[] {2, 4}) {
            List<CollectiveOp> c = tpOps(TensorParallel.shard(tiny(), t, false), "layer0.");
            assertEquals(4, c.size(), "t = " + t + ": " + c);
            for (CollectiveOp op : c) {
                assertEquals(CollectiveKind.ALL_REDUCE, op.collective(), op.name());
                assertEquals(bsh, op.bytes(), op.name());
                assertEquals(ParallelDim.TENSOR, op.group().dimension());
            }
            // after the row layers' forward (proj, fc2) and the column layers' input gradient (qkv, fc1)
            assertEquals(List.of("layer0.proj", "layer0.fc2"), c.stream().filter(o -> o.phase() == Phase.FORWARD).map(Operation::layer).toList());
            assertEquals(List.of("layer0.fc1", "layer0.qkv"), c.stream().filter(o -> o.phase() == Phase.BACKWARD_INPUT_GRAD)
                    .map(Operation::layer).toList());
        }
    }

    @Test
    void sequenceParallelismTurnsEachAllReduceIntoAnAllGatherAndAReduceScatterOfTheSameBytes() {
        long bsh = 2 * B * S * H;
        List<CollectiveOp> c = tpOps(TensorParallel.shard(tiny(), 2, true), "layer0.");
        assertEquals(8, c.size(), c.toString());
        long gathers = c.stream().filter(o -> o.collective() == CollectiveKind.ALL_GATHER).count();
        long scatters = c.stream().filter(o -> o.collective() == CollectiveKind.REDUCE_SCATTER).count();
        assertEquals(4, gathers);
        assertEquals(4, scatters);
        for (CollectiveOp op : c) assertEquals(bsh, op.bytes(), op.name());
        // the norms run on 1/t of the sequence
        ComputeOp ln = (ComputeOp) find(TensorParallel.shard(tiny(), 2, true), "layer0.ln1.fwd");
        ComputeOp ln1 = (ComputeOp) find(tiny(), "layer0.ln1.fwd");
        assertEquals(ln1.flops() / 2, ln.flops());
    }

    private static Operation find(Workload w, String name) {
        return w.primary().ops().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void eachRankKeepsOneTthOfTheLayersWeightsAndDoesOneTthOfTheirFlops() {
        Workload w = tiny();
        for (int t : new int[] {2, 4}) {
            Workload r = TensorParallel.shard(w, t, false);
            for (String l : List.of("qkv", "proj", "fc1", "fc2")) {
                ComputeOp a = (ComputeOp) find(w, "layer0." + l + ".fwd");
                ComputeOp b = (ComputeOp) find(r, "layer0." + l + ".fwd");
                assertEquals(a.weightBytes() / t, b.weightBytes(), l);
                assertEquals(a.flops() / t, b.flops(), l);
                for (String pass : List.of("ig", "wg")) {
                    assertEquals(((ComputeOp) find(w, "layer0." + l + "." + pass)).flops() / t, ((ComputeOp) find(r, "layer0." + l + "." + pass)).flops(),
                            l + "." + pass);
                }
            }
            // h x 3h weights + 3h bias, split by columns: the gradient all-reduce carries 1/t (FP32 gradients)
            assertEquals((H * 3 * H + 3 * H) * 4 / t, find(r, "layer0.qkv.allreduce").bytes());
            // h x h weights split by rows, the bias whole
            assertEquals((H * H / t + H) * 4, find(r, "layer0.proj.allreduce").bytes());
            AttentionShape a = (AttentionShape) ((ComputeOp) find(r, "layer0.attn.fwd")).shape();
            assertEquals(4 / t, a.heads());
            // the replica's weights in a region: per-chip weight bytes divide by t
            long before = Mapper.footprint(w, 12).weightBytes();
            long after = Mapper.footprint(r, 12).weightBytes();
            long layerWeights = 0;
            for (String l : List.of("qkv", "proj", "fc1", "fc2")) layerWeights += ((ComputeOp) find(w, "layer0." + l + ".fwd")).weightBytes();
            assertTrue(after < before && before - after >= 2 * layerWeights * (t - 1) / t, "weights " + before + " -> " + after);
        }
    }

    @Test
    void aDegreeThatDoesNotDivideTheHeadsExitsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> TensorParallel.check(tiny(), 3, 25));
        assertTrue(e.getMessage().contains("run.mapping.tensorParallel") && e.getMessage().contains("3") && e.getMessage().contains("allowed"),
                e.getMessage());
        ConfigException big = assertThrows(ConfigException.class,
                () -> StepRunner.map(bind("pod.system.scope=tile", "run.mapping.tensorParallel=4", "run.mapping.replicaChips=6",
                        "run.mapping.pipelineStages=1"), tiny()));
        assertTrue(big.getMessage().contains("run.mapping.replicaChips") && big.getMessage().contains("multiple of 4"), big.getMessage());
        Workload resnet = Generators.generate("resnet50", GeneratorParams.defaults().withBatchSize(2));
        ConfigException conv = assertThrows(ConfigException.class,
                () -> StepRunner.map(bind("pod.system.scope=tile", "run.mapping.tensorParallel=2"), resnet));
        assertTrue(conv.getMessage().contains("run.mapping.tensorParallel") && conv.getMessage().contains("resnet50"), conv.getMessage());
    }

    @Test
    void aTensorParallelRunPutsTheGroupOnConsecutiveChipsAndReportsIt() {
        Mapper.Mapping m = StepRunner.map(bind("pod.system.scope=tile", "run.mapping.tensorParallel=2", "run.mapping.replicaChips=4",
                "run.mapping.pipelineStages=1"), tiny());
        Plan p = m.plan();
        assertEquals(2, p.tensorParallel());
        assertEquals(4, p.replicaChips());
        assertEquals(2, p.rankChips());
        assertEquals(6, p.dataParallel());   // 25 chips: 6 replicas of 4, 1 idle
        assertEquals(1, p.idleChips());
        StepRunner.Report r = StepRunner.run(bind("pod.system.scope=tile", "run.mapping.tensorParallel=2",
                "run.mapping.replicaChips=4", "run.mapping.pipelineStages=1"), tiny(), StepExecutor.TimelineSink.NONE);
        assertEquals(2, r.summary().plan().tensorParallel());
        // the same step's FLOPs whatever the degree: each of the group's ranks did 1/t of the layers' work
        StepRunner.Report one = StepRunner.run(bind("pod.system.scope=tile", "run.mapping.tensorParallel=1",
                "run.mapping.replicaChips=4", "run.mapping.pipelineStages=1"), tiny(), StepExecutor.TimelineSink.NONE);
        double f2 = r.summary().modeledFlops();
        double f1 = one.summary().modeledFlops();
        assertTrue(Math.abs(f2 - f1) / f1 < 0.05, f1 + " vs " + f2);
    }

    private static io.dojosim.pod.spec.SystemSpec bind(String... sets) {
        return io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config(sets));
    }

}
