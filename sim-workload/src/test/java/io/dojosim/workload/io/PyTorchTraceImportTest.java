package io.dojosim.workload.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.ConvShape;
import io.dojosim.workload.Costing;
import io.dojosim.workload.DataType;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.ImportCosting;
import io.dojosim.workload.MarkerOp;
import io.dojosim.workload.OpType;
import io.dojosim.workload.Operation;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch-derived traces: pairing, control-dependency cycles, re-costing by shape, the JSON forms. */
class PyTorchTraceImportTest {
    static final Path REPO = Path.of("src/test/resources/chakra/chakra-repo");

    @TempDir
    Path tmp;

    Workload fixture(ImportOptions opt) throws Exception {
        Path prefix = tmp.resolve("cnn-ddp");
        PyTorchDdpFixture.write(prefix);
        return ChakraImporter.load(prefix.toString(), opt);
    }

    static Operation op(RankGraph g, long id) {
        return g.op(g.indexOf(id));
    }

    @Test
    void convolutionsAndGemmsAreRecostedWithTheirShapesAndHandComputedFlops() throws Exception {
        RankGraph g = fixture(ImportOptions.DEFAULTS).primary();
        // conv1: 2 N K P Q C R S = 2 * 8 * 16 * 32 * 32 * 3 * 3 * 3, stride and padding from the values
        ComputeOp conv1 = (ComputeOp) op(g, 12);
        assertEquals("aten::conv2d", conv1.name(), "the kernel stands for the operator that launched it");
        assertEquals(ConvShape.dense(8, 3, 32, 32, 16, 3, 3, 1, 1), conv1.shape());
        assertEquals(7_077_888, conv1.flops());
        assertEquals(DataType.BF16, conv1.dataType());
        assertEquals(8L * 3 * 32 * 32 * 2, conv1.inputBytes());
        assertEquals(16L * 27 * 2, conv1.weightBytes());
        assertEquals(120_000_000, conv1.measuredDurationPs(), "the recorded kernel time is kept for comparison");
        assertTrue(!conv1.onHost());
        // conv2 has no values: stride 2 and padding 1 are the first that turn 32 x 32 into 16 x 16
        ComputeOp conv2 = (ComputeOp) op(g, 31);
        assertEquals(ConvShape.dense(8, 16, 32, 32, 32, 3, 3, 2, 1), conv2.shape());
        assertEquals(2L * 8 * 32 * 16 * 16 * 16 * 9, conv2.flops());
        // linear (outermost; its aten::addmm is not costed again) and the two backward mm
        assertEquals(new GemmShape(1, 8, 10, 8192), ((ComputeOp) op(g, 42)).shape());
        assertEquals(new GemmShape(1, 8, 8192, 10), ((ComputeOp) op(g, 62)).shape());
        assertEquals(new GemmShape(1, 10, 8192, 8), ((ComputeOp) op(g, 64)).shape());
        // convolution_backward: output_mask [True, True, ..] is two products of conv2's size, [False, True, ..] one of conv1's
        ComputeOp dgrad = (ComputeOp) op(g, 71);
        assertEquals(ComputeKind.CONVOLUTION, dgrad.kind());
        assertNull(dgrad.shape());
        assertEquals(2 * 18_874_368L, dgrad.flops());
        assertEquals(7_077_888L, op(g, 81).flops());
        assertEquals(8L * 16 * 32 * 32, op(g, 21).flops(), "relu: one FLOP per element");
        assertEquals(4L * (16 * 27 + 16 + 32 * 16 * 9 + 32 + 10 * 8192 + 10), op(g, 102).flops(), "fused SGD: 4 FLOPs per parameter");
        long convAndGemm = 0;
        for (Operation o : g.ops()) {
            if (o instanceof ComputeOp c && (c.kind() == ComputeKind.CONVOLUTION || c.kind() == ComputeKind.GEMM)) {
                convAndGemm += c.flops();
            }
        }
        assertEquals(7_077_888L + 18_874_368 + 3 * 1_310_720 + 37_748_736 + 7_077_888, convAndGemm);
        assertEquals(75_190_184L, WorkloadSummary.of(fixture(ImportOptions.DEFAULTS)).perRank().get(0).flops());
        // the other kernel under conv1 is covered, the CPU operators stay on the host, the loss kernel is replayed
        assertEquals("covered by re-costed operation 12", ((MarkerOp) op(g, 13)).note());
        assertTrue(((ComputeOp) op(g, 10)).onHost() && ((ComputeOp) op(g, 11)).onHost());
        assertEquals(Costing.REPLAYED, op(g, 51).costing());
        assertTrue(!((ComputeOp) op(g, 51)).onHost());
    }

    @Test
    void importCountsRecostedReplayedAndTheReplayedShareOfRecordedTime() throws Exception {
        Workload w = fixture(ImportOptions.DEFAULTS);
        ImportCosting c = ImportCosting.of(w.metadata());
        // per rank: 9 kernels re-costed, 1 replayed (7 us of 579 us of kernels), 19 CPU operators; two ranks
        assertEquals(18, c.recosted());
        assertEquals(2, c.replayed());
        assertEquals(38, c.host());
        assertEquals(2 * 579_000_000L, c.recordedDevicePs());
        assertEquals(2 * 7_000_000L, c.replayedDevicePs());
        assertEquals("18 operations re-costed, 2 replayed (1.2 % of recorded time); 38 host operations", c.line());
    }

    @Test
    void batchIsTheLeadingDimensionOfTheFirstConvolutionInputUnlessTheOptionsSetIt() throws Exception {
        Workload w = fixture(ImportOptions.DEFAULTS);
        assertEquals(8, w.metadata().batchSize());
        assertTrue(w.metadata().properties().get("trace.batchFrom").contains("aten::conv2d"));
        assertEquals(32, fixture(new ImportOptions(1_000_000, 1000, 1.0, 32)).metadata().batchSize());
    }

    @Test
    void cpuSideAllReducesArePairedWithTheirKernelsAndCountedOnceWithTheBucketSizes() throws Exception {
        RankGraph g = fixture(ImportOptions.DEFAULTS).primary();
        List<CollectiveOp> colls = new ArrayList<>();
        for (Operation o : g.ops()) {
            if (o instanceof CollectiveOp c) {
                colls.add(c);
            }
        }
        assertEquals(2, colls.size());
        assertEquals(91, colls.get(0).id());
        assertEquals(CollectiveKind.ALL_REDUCE, colls.get(0).collective());
        assertEquals(PyTorchDdpFixture.BUCKET1_BYTES, colls.get(0).bytes());
        assertEquals(173_140, colls.get(0).bytes());
        assertEquals("0", colls.get(0).group().name());
        assertEquals(93, colls.get(1).id());
        assertEquals(CollectiveKind.ALL_REDUCE, colls.get(1).collective(), "typed from the kernel name (no comm_type)");
        assertEquals(896, colls.get(1).bytes());
        ComputeOp launch = (ComputeOp) op(g, 90);
        assertTrue(launch.onHost());
        assertEquals("c10d::allreduce_", launch.name());
        assertEquals(12_000_000, launch.measuredDurationPs());
        assertEquals(List.of(90L, 71L), op(g, 91).deps(), "the kernel waits for its launch and the gradient kernel");
    }

    @Test
    void controlDependencyCyclesAreBrokenDeterministicallyWithANote() throws Exception {
        Workload w = fixture(ImportOptions.DEFAULTS);
        RankGraph g = w.primary();
        assertEquals(List.of(2L), op(g, 3).deps(), "3 -> 100 closes a cycle through 100's data dependencies");
        assertEquals(List.of(50L, 3L), op(g, 60).deps(), "60 -> 61 (a two-node control cycle) is dropped, 60 -> 3 kept");
        assertEquals(List.of(60L), op(g, 61).deps());
        assertEquals(List.of(63L, 3L), op(g, 70).deps(), "the self-loop is dropped");
        assertEquals(List.of(), op(g, 1).deps());
        assertTrue(w.warnings().get(0).contains("4 control dependencies closed a cycle and were dropped (2 self-loops; "
                + "e.g. 3->100, 60->61)"), w.warnings().toString());
        assertEquals(fixture(ImportOptions.DEFAULTS).ranks(), w.ranks(), "deterministic");
    }

    @Test
    void aCycleThroughDataDependenciesStaysAnErrorNamingTheIds() throws Exception {
        List<ChakraWriter.TraceNode> nodes = new ArrayList<>(PyTorchDdpFixture.nodes());
        for (int i = 0; i < nodes.size(); i++) {
            ChakraWriter.TraceNode n = nodes.get(i);
            if (n.id() == 10) {
                nodes.set(i, new ChakraWriter.TraceNode(n.id(), n.name(), n.type(), n.ctrlDeps(), List.of(3L, 41L),
                        n.durationMicros(), n.inputShapes(), n.inputTypes(), n.inputValues(), n.outputShapes(), n.attrs()));
            }
        }
        Path p = tmp.resolve("cyc.0.et");
        Files.write(p, ChakraWriter.encodeNodes("0.0.4", "x", nodes));
        ConfigException e = assertThrows(ConfigException.class, () -> ChakraImporter.load(p.toString(), ImportOptions.DEFAULTS));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("data dependencies form a cycle through operations 10 -> 11 -> 20 -> 30 -> 40 -> 41 -> 10"),
                e.getMessage());
    }

    @Test
    void replayScaleScalesReplayedDurationsOnly() throws Exception {
        RankGraph g = fixture(new ImportOptions(1_000_000, 1000, 2.0, 0)).primary();
        assertEquals(14_000_000, op(g, 51).measuredDurationPs(), "replayed kernel: 7 us x 2");
        assertEquals(40_000_000, op(g, 10).measuredDurationPs(), "host operator: 20 us x 2");
        assertEquals(120_000_000, op(g, 12).measuredDurationPs(), "re-costed: kept as recorded");
        assertTrue(ImportCosting.of(fixture(new ImportOptions(1_000_000, 1000, 2.0, 0)).metadata()).line()
                .contains("scaled by 2.0"));
    }

    @Test
    void aTraceWrittenByOurWriterReadsBackIdentically() throws Exception {
        Workload w1 = fixture(ImportOptions.DEFAULTS);
        Path prefix = tmp.resolve("again");
        ChakraWriter.write(w1, prefix, false);
        Workload w2 = ChakraImporter.load(prefix.toString(), ImportOptions.DEFAULTS);
        assertEquals(w1.ranks(), w2.ranks());
        assertEquals(8, w2.metadata().batchSize());
        WorkloadSummary s1 = WorkloadSummary.of(w1), s2 = WorkloadSummary.of(w2);
        assertEquals(s1.totalFlops(), s2.totalFlops());
        assertEquals(s1.computeByKind(), s2.computeByKind());
        assertEquals(s1.collectiveBytes(), s2.collectiveBytes());
        assertEquals(s1.measuredDurationPs(), s2.measuredDurationPs());
    }

    @Test
    void theCommittedExampleIsWhatOurWriterWrites() throws Exception {
        byte[] expected = PyTorchDdpFixture.encode();
        for (int r = 0; r < 2; r++) {
            assertArrayEquals(expected, Files.readAllBytes(Path.of("../configs/workloads/pytorch-ddp/cnn-ddp." + r + ".et")),
                    "configs/workloads/pytorch-ddp/cnn-ddp." + r + ".et: regenerate with PyTorchDdpFixture.write");
        }
    }

    @Test
    void aRealResNet50DdpTraceFromChakraIsRecostedToTheGeneratorsFlops() {
        // mlcommons/chakra tests/data: rank 0 of a PyTorch ResNet-50 DDP step at batch 32, FP32
        Workload w = ChakraImporter.load(REPO.resolve("resnet50_ddp.0.et.gz").toString(), ImportOptions.DEFAULTS);
        assertEquals(32, w.metadata().batchSize());
        WorkloadSummary s = WorkloadSummary.of(w);
        long conv = s.computeByKind().get(ComputeKind.CONVOLUTION).flops();
        long gemm = s.computeByKind().get(ComputeKind.GEMM).flops();
        // forward convolutions: 53 of them, 32 x the generator's ResNet-50 forward without the FC layer
        long forwardConv = 0;
        int forwardCount = 0;
        for (Operation o : w.primary().ops()) {
            if (o instanceof ComputeOp c && c.shape() instanceof ConvShape) {
                forwardConv += c.flops();
                forwardCount++;
            }
        }
        assertEquals(53, forwardCount);
        assertEquals(32L * (8_178_368_512L - 2L * 2048 * 1000), forwardConv);
        // convolutions and GEMMs of the whole step: 32 x the generator's training matmul per image
        assertEquals(32L * 24_299_077_632L, conv + gemm);
        // the five all-reduce buckets (and two broadcasts), each paired with its kernel and counted once
        assertEquals(102_228_128L, s.collectiveBytes().get(CollectiveKind.ALL_REDUCE));
        assertEquals(7, s.opsByType().get(OpType.COLLECTIVE));
        ImportCosting c = ImportCosting.of(w.metadata());
        assertEquals(292_828_000_000L, c.recordedDevicePs(), "the kernels' recorded time (293 ms)");
        assertEquals(554, c.recosted());
        assertEquals(172, c.replayed());
        assertEquals(1_394_000_000L, c.replayedDevicePs(), "0.5 % of the recorded time: mostly aten::copy_ kernels");
    }

    // ---------------------------------------------------------------- JSON forms

    @Test
    void chakraFeederJsonFromTheChakraRepository() {
        Workload w = WorkloadLoader.load(REPO.resolve("small_chakra.0.json").toString());
        assertEquals("chakra-json", w.metadata().source());
        RankGraph g = w.primary();
        assertEquals(7, g.size());
        CollectiveOp b = (CollectiveOp) op(g, 435);
        assertEquals(CollectiveKind.BROADCAST, b.collective(), "typed from ncclKernel_Broadcast_...");
        assertTrue(((ComputeOp) op(g, 432)).onHost(), "c10d::broadcast_(0) launched the kernel");
        assertTrue(((ComputeOp) op(g, 433)).onHost(), "c10d::broadcast_(1) is the second part of the same launch");
        assertEquals(1, g.ops().stream().filter(o -> o.type() == OpType.COLLECTIVE).count());
        assertEquals(4_000_000, op(g, 430).measuredDurationPs(), "runtime is in microseconds");
        assertEquals(List.of(216L), op(g, 217).deps());
        ImportCosting c = ImportCosting.of(w.metadata());
        assertEquals(1, c.replayed());
        assertEquals(5, c.host());
    }

    @Test
    void pytorchExecutionTraceFromTheChakraRepository() {
        Workload w = WorkloadLoader.load(REPO.resolve("pytorch_et_allgather.json").toString());
        assertEquals("pytorch-et", w.metadata().source());
        RankGraph g = w.primary();
        assertEquals(263, g.size());
        List<CollectiveOp> colls = g.ops().stream().filter(o -> o instanceof CollectiveOp).map(o -> (CollectiveOp) o).toList();
        assertEquals(10, colls.size(), "c10d::allgather_ counted once, not again as its nested nccl:all_gather");
        for (CollectiveOp c : colls) {
            assertEquals(CollectiveKind.ALL_GATHER, c.collective());
            assertEquals("c10d::allgather_", c.name());
            assertEquals(8, c.bytes(), "two one-element float tensors");
        }
        assertEquals("process group '0': 2 ranks (every rank, cuda:nccl)", w.metadata().properties().get("trace.processGroups"));
        assertTrue(w.warnings().stream().anyMatch(m -> m.contains("(1 self-loops")), w.warnings().toString());
        // thread order: every node after the first depends on the one before it
        assertEquals(List.of(2L), op(g, 3).deps());
    }

    @Test
    void chakraJsonizerFormIsReadWithStringIdsAndEnumNames() throws Exception {
        Path p = tmp.resolve("mm.json");
        Files.writeString(p, """
                {"version": "0.0.4", "attr": [{"name": "schema", "stringVal": "1.0.2-chakra.0.0.4"}]}
                {"id": "1", "name": "aten::mm", "type": "COMP_NODE", "durationMicros": "7",
                 "inputs": {"values": "[]", "shapes": "[[64, 128], [128, 32]]", "types": "['c10::BFloat16', 'c10::BFloat16']"},
                 "attr": [{"name": "is_cpu_op", "boolVal": false}]}
                {"id": "2", "name": "ncclKernel_AllReduce", "type": "COMM_COLL_NODE", "dataDeps": ["1"],
                 "attr": [{"name": "is_cpu_op", "boolVal": false}, {"name": "comm_type", "int64Val": "0"},
                          {"name": "comm_size", "int64Val": "1048576"}]}
                {"id": "3", "name": "x", "type": "COMP_NODE", "ctrlDeps": ["3"], "dataDeps": ["2"], "durationMicros": "5"}
                """);
        Workload w = WorkloadLoader.load(p.toString());
        RankGraph g = w.primary();
        assertEquals(new GemmShape(1, 64, 32, 128), ((ComputeOp) g.op(0)).shape());
        assertEquals(2L * 64 * 32 * 128, g.op(0).flops());
        assertEquals(DataType.BF16, ((ComputeOp) g.op(0)).dataType());
        assertEquals(1_048_576, g.op(1).bytes());
        assertEquals(List.of(1L), g.op(1).deps());
        assertEquals(List.of(2L), g.op(2).deps(), "the self-loop is dropped");
        assertEquals(5_000_000, g.op(2).measuredDurationPs());
        assertEquals("1.0.2-chakra.0.0.4", w.metadata().properties().get("chakraSchema"));
    }

    @Test
    void aSetOfJsonFilesIsOneGraphPerRank() throws Exception {
        byte[] b = Files.readAllBytes(REPO.resolve("small_chakra.0.json"));
        Files.write(tmp.resolve("pair.0.json"), b);
        Files.write(tmp.resolve("pair.1.json"), b);
        Workload w = WorkloadLoader.load(tmp.resolve("pair").toString());
        assertEquals(List.of(0, 1), w.ranks().stream().map(RankGraph::rank).toList());
        assertEquals(w.ranks().get(0).ops(), w.ranks().get(1).ops());
        assertEquals("pair", w.metadata().name());
    }

    @Test
    void aBadNodeInJsonNamesTheOffsetTheNodeAndWhatIsAllowed() throws Exception {
        Path p = tmp.resolve("bad.json");
        String first = "{\"version\": \"0.0.4\"}\n";
        Files.writeString(p, first + "{\"id\": \"5\", \"name\": \"x\", \"type\": \"FOO_NODE\"}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> WorkloadLoader.load(p.toString()));
        assertTrue(e.getMessage().contains("byte offset " + first.length() + ": node 5: type 'FOO_NODE'"), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: INVALID_NODE, METADATA_NODE"), e.getMessage());
    }

    @Test
    void aJsonOfNoAcceptedFormSaysWhatItLooksLikeAndWhatIsAccepted() throws Exception {
        Path kineto = tmp.resolve("kineto.json");
        Files.writeString(kineto, "{\"schemaVersionX\": 1, \"traceEvents\": []}");
        ConfigException e = assertThrows(ConfigException.class, () -> WorkloadLoader.load(kineto.toString()));
        assertTrue(e.getMessage().contains("Kineto") && e.getMessage().contains("ExecutionTraceObserver"), e.getMessage());
        assertTrue(e.getMessage().contains("accepted: a dojosim workload (schemaVersion)"), e.getMessage());
        Path other = tmp.resolve("other.json");
        Files.writeString(other, "{\"foo\": 1, \"bar\": [2]}");
        e = assertThrows(ConfigException.class, () -> WorkloadLoader.load(other.toString()));
        assertTrue(e.getMessage().contains("it is an object with keys [foo, bar]"), e.getMessage());
        assertTrue(e.getMessage().contains("PyTorch execution trace (schema, pid, nodes)"), e.getMessage());
    }
}
