package io.dojosim.workload.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.OpType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadSummary;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadFormatTest {
    static final Path CONFIGS = Path.of("../configs/workloads");

    @TempDir
    Path tmp;

    static ConfigException bad(String yaml) {
        return assertThrows(ConfigException.class, () -> WorkloadFormat.readString("w.yaml", yaml, true));
    }

    static final String HEAD = "schemaVersion: 1\nname: x\nbatchSize: 1\ndataTypes: [BF16]\noperations:\n";

    @Test
    void tinyMlpExampleHasTheFiguresDerivedByHand() {
        Workload w = WorkloadFormat.read(CONFIGS.resolve("tiny-mlp.yaml"));
        WorkloadSummary s = WorkloadSummary.of(w);
        assertEquals(2, s.rankCount());
        assertEquals(20, s.operations());
        // five GEMMs of 2*32*4096*1024 = 268,435,456 FLOPs each
        assertEquals(5 * 268_435_456L, s.computeByKind().get(ComputeKind.GEMM).flops());
        // + GELU fwd and ig 2 x 1,048,576, loss 163,840, two updates of 50,331,648
        assertEquals(5 * 268_435_456L + 2 * 1_048_576 + 163_840 + 2 * 50_331_648, s.totalFlops());
        assertEquals(3 * 8_388_608L, s.memoryBytes());
        assertEquals(2 * 16_777_216L, s.collectiveBytes().get(CollectiveKind.ALL_REDUCE));
        assertEquals(2 * 262_144L, s.sendBytes());
        assertEquals(s.sendBytes(), s.recvBytes());
        // rank 1: act.recv -> fc2.fwd -> loss -> fc2.wg -> allreduce -> update -> store -> step.end = 8
        assertEquals(8, s.perRank().get(1).criticalPathOps());
        // rank 0: grad.recv -> gelu.ig -> fc1.wg -> allreduce -> update = 5
        assertEquals(5, s.perRank().get(0).criticalPathOps());
        assertEquals(8, s.criticalPathOps());
        // heaviest chain of rank 1: fc2.fwd + loss + fc2.wg + update
        assertEquals(2 * 268_435_456L + 163_840 + 50_331_648, s.perRank().get(1).criticalPathFlops());
        assertEquals(10, s.modeledCompute());
        assertEquals(OpType.MARKER, w.ranks().get(1).op(10).type());
    }

    @Test
    void writingThenReadingGivesAnEqualWorkload() throws Exception {
        // shapes of every kind: convolutions (resnet50), GEMMs and attention (bert-large, one layer)
        for (String name : new String[] {"resnet50", "bert-large"}) {
            GeneratorParams p = GeneratorParams.defaults().withBatchSize(2);
            if (!name.equals("resnet50")) {
                p = p.withDim("layers", 1);
            }
            Workload w = Generators.generate(name, p);
            Path y = tmp.resolve(name + ".yaml");
            Path j = tmp.resolve(name + ".json");
            WorkloadFormat.write(w, y);
            WorkloadFormat.write(w, j);
            assertEquals(w.metadata(), WorkloadFormat.read(y).metadata());
            assertEquals(w.ranks(), WorkloadFormat.read(y).ranks());
            assertEquals(w.ranks(), WorkloadFormat.read(j).ranks());
            assertEquals(Files.readString(y), WorkloadFormat.toYaml(WorkloadFormat.read(y)), "byte-identical rewrite");
        }
        Workload t = WorkloadFormat.read(CONFIGS.resolve("tiny-mlp.yaml"));
        assertEquals(t, WorkloadFormat.readString("t.yaml", WorkloadFormat.toYaml(t), true));
    }

    @Test
    void ourFormatAndTheChakraTraceOfTheSameWorkloadCompareEqual() {
        Workload ours = WorkloadFormat.read(CONFIGS.resolve("allreduce-4npus.yaml"));
        Workload chakra = ChakraImporter.load("src/test/resources/chakra/all_reduce_4npus/all_reduce", ImportOptions.DEFAULTS);
        assertEquals(chakra.ranks(), ours.ranks());
        assertEquals(chakra.metadata(), ours.metadata());
        assertEquals(SummaryJson.toJson(WorkloadSummary.of(chakra)), SummaryJson.toJson(WorkloadSummary.of(ours)));
    }

    @Test
    void chakraWriterRoundTripsEverythingChakraCarries() throws Exception {
        String yaml = HEAD
                + "  - {id: 0, name: ld, type: memory, direction: HBM_TO_SRAM, bytes: 4096}\n"
                + "  - {id: 7, name: k, type: compute, kind: OTHER, dataType: FP32, flops: 1000, inputBytes: 64,"
                + " onHost: true, deps: [0], measuredDurationPs: 3000000}\n"
                + "  - {id: 8, name: s, type: send, peer: 3, tag: 9, bytes: 128, deps: [7]}\n"
                + "  - {id: 9, name: r, type: recv, peer: 2, bytes: 128, deps: [7]}\n"
                + "  - {id: 10, name: ar, type: collective, collective: REDUCE_SCATTER, bytes: 512, priority: 2,"
                + " group: {dimension: ALL, name: pg1, involvedDims: [true, false]}, deps: [8, 9]}\n"
                + "  - {id: 11, name: st, type: memory, direction: SRAM_TO_HBM, bytes: 4096, deps: [10]}\n"
                + "  - {id: 12, name: end, type: marker, note: chakra METADATA_NODE, deps: [11]}\n";
        Workload w = WorkloadFormat.readString("w.yaml", yaml, true);
        for (boolean gz : new boolean[] {false, true}) {
            Path prefix = tmp.resolve(gz ? "gz" : "plain");
            ChakraWriter.write(w, prefix, gz);
            Workload back = ChakraImporter.load(prefix.toString(), ImportOptions.DEFAULTS);
            assertEquals(w.ranks(), back.ranks());
        }
    }

    @Test
    void namesThatLookLikeOtherYamlTypesStayStrings() {
        String[] names = {"true", "123", "1.5", "null", "yes", "No", "~", "- x", "a: b", "#c", "0x1F", "1e5", "",
            " lead", "on", "0o17", "2024-01-01", "[x]", "{y}", "'q'", "\"d\"", "multi\nline", "tab\tx", "\u00fc"};
        java.util.List<io.dojosim.workload.Operation> ops = new java.util.ArrayList<>();
        long id = 1;
        for (String n : names) {
            ops.add(new io.dojosim.workload.MarkerOp(id++, n, n, java.util.List.of(), n, io.dojosim.workload.Phase.UNSPECIFIED));
        }
        Workload w = new Workload(new io.dojosim.workload.WorkloadMetadata("x", "s", 0, 0, 0, java.util.List.of(), 0,
                io.dojosim.workload.ParallelismHint.NONE, java.util.Map.of("k", "true", "v", "1.0")),
                java.util.List.of(new io.dojosim.workload.RankGraph(0, ops)));
        assertEquals(w, WorkloadFormat.readString("y.yaml", WorkloadFormat.toYaml(w), true));
        assertEquals(w, WorkloadFormat.readString("j.json", WorkloadFormat.toJson(w), false));
    }

    // ---------------------------------------------------------------- strictness

    @Test
    void unknownKeyNamesFileLinePathAndAllowedKeys() {
        ConfigException e = bad(HEAD + "  - id: 1\n    name: a\n    type: memory\n    direction: HBM_TO_SRAM\n"
                + "    bytes: 4\n    byts: 5\n");
        assertTrue(e.getMessage().startsWith("w.yaml:11:5: at 'operations[0].byts': unknown key 'byts'; allowed here: id,"),
                e.getMessage());
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void missingKeyWrongTypeBadEnumAndRange() {
        ConfigException e = bad(HEAD + "  - {id: 1, name: a, type: memory, direction: HBM_TO_SRAM}\n");
        assertTrue(e.getMessage().startsWith("w.yaml:6:5: at 'operations[0].bytes': required key 'bytes' is missing"),
                e.getMessage());
        e = bad(HEAD + "  - {id: 1, name: a, type: memory, direction: HBM_TO_SRAM, bytes: \"12\"}\n");
        assertTrue(e.getMessage().contains("at 'operations[0].bytes': found the string \"12\"; expected an integer >= 0"),
                e.getMessage());
        e = bad(HEAD + "  - {id: 1, name: a, type: memory, direction: UP, bytes: 1}\n");
        assertTrue(e.getMessage().contains("found the string \"UP\"; allowed: HBM_TO_SRAM, SRAM_TO_HBM"), e.getMessage());
        e = bad(HEAD + "  - {id: 1, name: a, type: memory, direction: HBM_TO_SRAM, bytes: -1}\n");
        assertTrue(e.getMessage().contains("value -1 is out of range"), e.getMessage());
        e = bad(HEAD.replace("dataTypes: [BF16]", "dataTypes: [BF17]") + "  - {id: 1, name: a, type: marker}\n");
        assertTrue(e.getMessage().startsWith("w.yaml:4:") && e.getMessage().contains("allowed: BF16, CFP8, FP32, FP16, INT8"),
                e.getMessage());
        e = bad("schemaVersion: 2\nname: x\n");
        assertTrue(e.getMessage().contains("schema version 2 is not supported; allowed: 1"), e.getMessage());
        e = bad(HEAD + "  - {id: 1, name: a, type: dma}\n");
        assertTrue(e.getMessage().contains("allowed: compute, memory, send, recv, collective, marker"), e.getMessage());
        e = bad("schemaVersion: 1\nname: x\nbatchSize: 1\ndataTypes: []\n");
        assertTrue(e.getMessage().contains("exactly one of 'ranks'"), e.getMessage());
    }

    @Test
    void flopsAreCheckedAgainstTheShape() {
        ConfigException e = bad(HEAD + "  - {id: 1, name: g, type: compute, kind: GEMM, dataType: BF16,\n"
                + "     shape: {type: gemm, m: 2, n: 3, k: 4}, flops: 24}\n");
        // 2 * 2 * 3 * 4 = 48
        assertTrue(e.getMessage().startsWith("w.yaml:7:") && e.getMessage().contains("flops 24 disagree with the shape, which gives 48"),
                e.getMessage());
        Workload ok = WorkloadFormat.readString("w.yaml", HEAD + "  - {id: 1, name: c, type: compute, kind: CONVOLUTION,"
                + " dataType: BF16, shape: {type: conv, n: 1, c: 3, h: 5, w: 5, k: 2, r: 3, s: 3, stride: 2, padding: 1}}\n", true);
        // output 3x3: 2 * 1 * 2 * 3 * 3 * 3 * 3 * 3 = 972
        assertEquals(972, ok.primary().op(0).flops());
        e = bad(HEAD + "  - {id: 1, name: c, type: compute, kind: GEMM, dataType: BF16, shape: {type: gemm, m: 0, n: 1, k: 1}}\n");
        assertTrue(e.getMessage().contains("at 'operations[0].shape.m'"), e.getMessage());
        e = bad(HEAD + "  - {id: 1, name: c, type: compute, kind: ATTENTION, dataType: BF16,"
                + " shape: {type: gemm, m: 1, n: 1, k: 1}}\n");
        assertTrue(e.getMessage().contains("a GEMM shape does not fit compute kind ATTENTION"), e.getMessage());
    }

    @Test
    void graphErrorsNameTheRankAndIds() {
        ConfigException e = bad(HEAD + "  - {id: 1, name: a, type: marker, deps: [2]}\n  - {id: 2, name: b, type: marker, deps: [1]}\n");
        assertTrue(e.getMessage().startsWith("w.yaml:6:3: at 'operations'") && e.getMessage().contains("cycle through operations 1 -> 2 -> 1"),
                e.getMessage());
        e = bad(HEAD + "  - {id: 1, name: a, type: marker}\n  - {id: 1, name: b, type: marker}\n");
        assertTrue(e.getMessage().contains("operation id 1 is used twice"), e.getMessage());
        e = bad(HEAD + "  - {id: 1, name: a, type: marker, deps: [5]}\n");
        assertTrue(e.getMessage().contains("depends on 5, which is not an operation of this rank"), e.getMessage());
        e = bad("schemaVersion: 1\nschemaVersion: 1\n");
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
        e = bad("schemaVersion: [1\n");
        assertTrue(e.getMessage().startsWith("w.yaml:") && e.getMessage().contains("not valid YAML"), e.getMessage());
    }
}
