package io.dojosim.workload.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.Costing;
import io.dojosim.workload.OpType;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.ParallelismKind;
import io.dojosim.workload.Phase;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AstraSimTextImporterTest {
    static final Path RES = Path.of("src/test/resources/astra-sim-1.0");

    static Workload load(String f) {
        return AstraSimTextImporter.load(RES.resolve(f), ImportOptions.DEFAULTS);
    }

    static Workload parse(String text) {
        return AstraSimTextImporter.parse("t.txt", "t", text, ImportOptions.DEFAULTS);
    }

    static List<Operation> ops(Workload w, OpType t) {
        return w.primary().ops().stream().filter(o -> o.type() == t).collect(Collectors.toList());
    }

    static Operation byName(Workload w, String name) {
        return w.primary().ops().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void resnetDataParallelMatchesTheFileAndChakrasConversion() throws Exception {
        Workload w = load("Resnet50_DataParallel.txt");
        assertEquals(ParallelismKind.DATA, w.metadata().parallelism().kind());
        // 54 forward, 54 weight-gradient, 53 input-gradient (none for layer 0) compute operations,
        // 54 all-reduces and 54 update delays (every layer has a delay > 0): 269 operations
        List<Operation> layerCompute = w.primary().ops().stream()
                .filter(o -> o.type() == OpType.COMPUTE && o.phase() != Phase.OPTIMIZER).toList();
        assertEquals(161, layerCompute.size());
        assertEquals(269, w.primary().size());
        long cycles = layerCompute.stream().mapToLong(Operation::measuredDurationPs).sum() / 1000;
        // sum FWD 380,038 + IG 377,463 + WG 337,813 less the input gradient of conv1 (12,864)
        assertEquals(380_038 + 377_463 + 337_813 - 12_864, cycles);
        long allReduce = ops(w, OpType.COLLECTIVE).stream().mapToLong(Operation::bytes).sum();
        assertEquals(102_011_648L, allReduce);
        // Chakra's text converter made Resnet50_DataParallel.0.et from this file: same compute durations
        Workload et = ChakraImporter.load("src/test/resources/chakra/astra-sim-2.0/Resnet50_DataParallel.0.et",
                new ImportOptions(1000, 1000));
        List<Long> ours = layerCompute.stream().map(Operation::measuredDurationPs).sorted().toList();
        List<Long> theirs = ops(et, OpType.COMPUTE).stream().map(Operation::measuredDurationPs).sorted().toList();
        assertEquals(theirs, ours);
        // every compute operation carries only a duration: replayed
        assertEquals(161 + 54, WorkloadSummary.of(w).replayedCompute());
        assertEquals(0, WorkloadSummary.of(w).modeledCompute());
        // backward chain: WG(53) -> IG(53) -> WG(52); all-reduce(53) after WG(53)
        Operation wg52 = byName(w, "layer_512_3_conv3.wg");
        Operation ig53 = w.primary().op(w.primary().indexOf(wg52.deps().get(0)));
        assertEquals(Phase.BACKWARD_INPUT_GRAD, ig53.phase());
    }

    @Test
    void modelParallelHasNoWeightGradientCollectiveAndNoInputGradientCollectiveForLayerZero() {
        Workload w = load("MLP_ModelParallel.txt");
        List<Operation> coll = ops(w, OpType.COLLECTIVE);
        long gather = coll.stream().filter(o -> ((CollectiveOp) o).collective() == CollectiveKind.ALL_GATHER)
                .mapToLong(Operation::bytes).sum();
        long reduce = coll.stream().filter(o -> ((CollectiveOp) o).collective() == CollectiveKind.ALL_REDUCE)
                .mapToLong(Operation::bytes).sum();
        assertEquals(447_232, gather, "six forward all-gathers");
        assertEquals(447_232 - 37_632, reduce, "input-gradient all-reduces of layers 1..5");
        assertEquals(ParallelDim.TENSOR, ((CollectiveOp) coll.get(0)).group().dimension());
        // IG(layer 4) waits for WG(layer 5) and the input-gradient collective of layer 5
        Operation ig4 = byName(w, "layer_64_1_mlp4.ig");
        // (the collective's completion includes the layer's update delay of 998 cycles)
        assertEquals(List.of(byName(w, "layer_64_2_mlp5.wg").id(), byName(w, "layer_64_2_mlp5.ig.comm.delay").id()),
                ig4.deps());
        assertEquals(List.of(byName(w, "layer_64_2_mlp5.ig.comm").id()), byName(w, "layer_64_2_mlp5.ig.comm.delay").deps());
    }

    @Test
    void hybridDataModelPutsModelTrafficOnTheFirstDimension() {
        Workload w = load("MLP_HybridParallel_Data_Model.txt");
        CollectiveOp fwd = (CollectiveOp) byName(w, "layer_64_2_mlp0.fwd.comm");
        CollectiveOp wg = (CollectiveOp) byName(w, "layer_64_2_mlp0.wg.comm");
        assertEquals(ParallelDim.TENSOR, fwd.group().dimension());
        assertEquals(true, fwd.group().involvedDims().get(0));
        assertEquals(false, fwd.group().involvedDims().get(1));
        assertEquals(ParallelDim.DATA, wg.group().dimension());
        assertEquals(false, wg.group().involvedDims().get(0));
        Workload md = load("MLP_HybridParallel_Model_Data.txt");
        assertEquals(false, ((CollectiveOp) byName(md, "layer_64_2_mlp0.fwd.comm")).group().involvedDims().get(0));
    }

    @Test
    void customizedTakesEachLayersPolicy() {
        Workload w = load("sample_per_layer_parallel_HybridCustomized.txt");
        assertEquals(List.of(false, true), List.of(
                ((CollectiveOp) byName(w, "layer_64_2_mlp1.fwd.comm")).group().involvedDims().get(0),
                ((CollectiveOp) byName(w, "layer_64_2_mlp1.fwd.comm")).group().involvedDims().get(1)));
        assertEquals(ParallelDim.TENSOR, ((CollectiveOp) byName(w, "layer_64_2_mlp3.fwd.comm")).group().dimension());
        assertEquals(CollectiveKind.REDUCE_SCATTER, ((CollectiveOp) byName(w, "layer_64_2_mlp5.ig.comm")).collective());
    }

    @Test
    void forwardInBackwardRecomputesBetweenCheckpoints() {
        Workload w = load("Transformer_HybridParallel_Fwd_In_Bckwd.txt");
        assertEquals(4, w.metadata().parallelism().modelParallelGroup());
        assertEquals(List.of(2, 11), w.metadata().parallelism().checkpoints());
        assertEquals(List.of(19, 10), w.metadata().parallelism().checkpointInitiates());
        assertEquals("21", w.metadata().properties().get("layers"));
        List<Operation> re = w.primary().ops().stream().filter(o -> o.name().endsWith(".fwd.recompute")).toList();
        // at layer 19: layers 11..18 (8); at layer 10: layers 2..9 (8)
        assertEquals(16, re.size());
        assertEquals(21 + 16, w.primary().ops().stream().filter(o -> o.phase() == Phase.FORWARD
                && o.type() == OpType.COMPUTE && !o.name().endsWith(".delay")).count());
        // IG of layer 19 (layerNorm2) waits for the last recomputed forward: layer 18 (Xw2b2), whose
        // all-reduce and update delay (10 cycles) are recomputed too
        assertEquals(List.of(byName(w, "Xw2b2.fwd.recompute.comm.delay").id()), byName(w, "layerNorm2.ig").deps());
    }

    @Test
    void dlrmEmbeddingAllToAllGatesTheTopMlp() {
        Workload w = load("DLRM_HybridParallel.txt");
        assertEquals(4, w.metadata().parallelism().lastBottomLayer());
        long a2a = ops(w, OpType.COLLECTIVE).stream().filter(o -> ((CollectiveOp) o).collective() == CollectiveKind.ALL_TO_ALL)
                .mapToLong(Operation::bytes).sum();
        assertEquals(196_608, a2a);
        Operation top0 = byName(w, "MLP_Top_0.fwd");
        assertTrue(top0.deps().contains(byName(w, "Embedding.fwd.comm.delay").id()), top0.deps().toString());
        Operation igComm = byName(w, "Embedding.ig.comm");
        assertEquals(List.of(byName(w, "MLP_Top_0.ig").id()), igComm.deps());
        assertEquals(ParallelDim.ALL, ((CollectiveOp) igComm).group().dimension());
    }

    @Test
    void microBenchmarkIsOnlyTheCollective() {
        Workload w = load("microAllToAll.txt");
        assertEquals(List.of(OpType.COLLECTIVE, OpType.COMPUTE), w.primary().ops().stream().map(Operation::type).toList());
        assertEquals(1_048_576, w.primary().op(0).bytes());
        assertEquals(5000, w.primary().op(1).measuredDurationPs(), "5 cycles of update delay at 1 ns");
    }

    @Test
    void everySampleAndEveryKeywordParses() throws Exception {
        try (var s = Files.list(RES)) {
            for (Path p : s.toList()) {
                Workload w = AstraSimTextImporter.load(p, ImportOptions.DEFAULTS);
                assertTrue(w.primary().size() > 0, p.toString());
            }
        }
        String layer = "L0 -1 10 ALLGATHER 64 20 ALLREDUCE 64 30 ALLREDUCE 128 0\nL1 -1 10 NONE 0 20 NONE 0 30 ALLREDUCE 256 0\n";
        for (ParallelismKind k : ParallelismKind.values()) {
            if (k == ParallelismKind.NONE) {
                continue;
            }
            String head = switch (k) {
                case HYBRID_TRANSFORMER -> k + " mp: 2\n";
                case HYBRID_TRANSFORMER_FWD_IN_BCKWD -> k + " mp: 2 cp: 1 0 init: 1 1\n";
                case HYBRID_DLRM, HYBRID_DLRM_ENHANCED -> k + " 0\n";
                default -> k + "\n";
            };
            String body = k == ParallelismKind.HYBRID_CUSTOMIZED ? layer.replace(" 0\n", " 0 DATA\n") : layer;
            Workload w = parse(head + "2\n" + body);
            assertEquals(k, w.metadata().parallelism().kind());
            if (k == ParallelismKind.DISTRIBUTED_INFERENCE) {
                assertEquals(List.of("L0.fwd", "L0.fwd.comm", "L1.fwd"),
                        w.primary().ops().stream().map(Operation::name).toList());
            }
            if (k == ParallelismKind.HYBRID_TRANSFORMER_FWD_IN_BCKWD) {
                assertEquals(1, w.primary().ops().stream().filter(o -> o.name().equals("L0.fwd.recompute")).count());
            }
        }
    }

    @Test
    void malformedInputNamesFileLineAndWhatIsAllowed() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("DATAX\n1\n"));
        assertTrue(e.getMessage().startsWith("t.txt:1: unknown parallelism keyword 'DATAX'")
                && e.getMessage().contains("HYBRID_CUSTOMIZED"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("DATA\n1\nconv1 -1 12x NONE 0 1 NONE 0 1 NONE 0 1\n"));
        assertTrue(e.getMessage().startsWith("t.txt:3: layer 0 ('conv1') forward compute cycles: found '12x'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("DATA\n1\nconv1 -1 1 NONE 0 1 NONE 0 1 ALLREDUSE 4 1\n"));
        assertTrue(e.getMessage().contains("found 'ALLREDUSE'; allowed: NONE, ALLREDUCE"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("DATA\n2\nconv1 -1 1 NONE 0 1 NONE 0 1 NONE 0 1\n"));
        assertTrue(e.getMessage().contains("the file ends where the name of layer 1 was expected"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("DATA\n1\nconv1 -1 1 NONE 0 1 NONE 0 1 NONE 0 1\nextra\n"));
        assertTrue(e.getMessage().startsWith("t.txt:4: unexpected 'extra'"), e.getMessage());
    }

    @Test
    void computeIsReplayedWithTheCycleTime() {
        Workload w = AstraSimTextImporter.parse("t.txt", "t", "MICRO\n1\nc -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 8 7\n",
                new ImportOptions(1_000_000, 500));
        ComputeOp delay = (ComputeOp) w.primary().op(1);
        assertEquals(3500, delay.measuredDurationPs());
        assertEquals(Costing.REPLAYED, delay.costing());
        RankGraph g = w.primary();
        assertEquals(List.of(g.op(0).id()), delay.deps());
    }
}
