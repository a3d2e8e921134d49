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
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChakraImporterTest {
    static final Path RES = Path.of("src/test/resources/chakra");

    @TempDir
    Path tmp;

    static Workload load(Path p) {
        return ChakraImporter.load(p.toString(), ImportOptions.DEFAULTS);
    }

    @Test
    void microbenchmarkAllReduceHasOneMebibyteCollective() {
        Workload w = load(RES.resolve("all_reduce_8npus/all_reduce.3.et"));
        assertEquals("0.0.4", w.metadata().properties().get("chakraVersion"));
        RankGraph g = w.ranks().get(0);
        assertEquals(3, g.rank(), "rank number taken from the file name");
        assertEquals(1, g.size());
        CollectiveOp c = (CollectiveOp) g.op(0);
        assertEquals(3, c.id());
        assertEquals("all_reduce_8npus_1MB", c.name());
        assertEquals(CollectiveKind.ALL_REDUCE, c.collective());
        assertEquals(1_048_576, c.bytes());
    }

    @Test
    void reduceScatterCodeSeven() {
        Workload w = load(RES.resolve("reduce_scatter_4npus/reduce_scatter.1.et"));
        assertEquals(CollectiveKind.REDUCE_SCATTER, ((CollectiveOp) w.primary().op(0)).collective());
    }

    @Test
    void commSizeStoredAsUint64AndInvolvedDims() {
        Workload w = load(RES.resolve("astra-sim-2.0/one_comm_coll_node_allreduce.0.et"));
        CollectiveOp c = (CollectiveOp) w.primary().op(0);
        assertEquals(512, c.id());
        assertEquals(65_536, c.bytes());
        assertEquals(List.of(true), c.group().involvedDims());
    }

    @Test
    void prefixLoadsEveryRank() {
        Workload w = load(RES.resolve("all_reduce_4npus/all_reduce"));
        assertEquals(4, w.ranks().size());
        for (int r = 0; r < 4; r++) {
            assertEquals(r, w.ranks().get(r).rank());
            assertEquals(1_048_576, w.ranks().get(r).op(0).bytes());
        }
        WorkloadSummary s = WorkloadSummary.of(w);
        assertEquals(4 * 1_048_576L, s.collectiveBytes().get(CollectiveKind.ALL_REDUCE));
        assertEquals(List.of(), w.warnings(), "the four ranks agree on their collective");
    }

    @Test
    void resnetDataParallelTraceCountsAndDurations() {
        Workload w = load(RES.resolve("astra-sim-2.0/Resnet50_DataParallel.0.et"));
        RankGraph g = w.primary();
        assertEquals(215, g.size());
        long comp = g.ops().stream().filter(o -> o.type() == OpType.COMPUTE).count();
        long coll = g.ops().stream().filter(o -> o.type() == OpType.COLLECTIVE).count();
        assertEquals(161, comp);
        assertEquals(54, coll);
        long sumUnits = g.ops().stream().filter(o -> o.measuredDurationPs() != Operation.NO_DURATION)
                .mapToLong(Operation::measuredDurationPs).sum() / 1_000_000;
        assertEquals(1_082_450, sumUnits);
        assertTrue(w.warnings().stream().anyMatch(m -> m.contains("54 collective nodes carry no comm_size")), w.warnings().toString());
        WorkloadSummary s = WorkloadSummary.of(w);
        // the converted text workload has durations only: every compute node is replayed
        assertEquals(161, s.replayedCompute());
        assertEquals(0, s.modeledCompute());
    }

    @Test
    void gzipAndPlainGiveTheSameGraph() throws Exception {
        Path plain = RES.resolve("astra-sim-2.0/Resnet50_DataParallel.0.et");
        Path gz = tmp.resolve("Resnet50_DataParallel.0.et.gz");
        Files.write(gz, ChakraWriter.gzip(Files.readAllBytes(plain)));
        assertEquals(load(plain).ranks(), load(gz).ranks());
    }

    // ---------------------------------------------------------------- hand-made traces

    static ProtoWriter meta() {
        return new ProtoWriter().stringField(1, "0.0.4");
    }

    static ProtoWriter comp(long id, long... dataDeps) {
        ProtoWriter n = new ProtoWriter().varintField(1, id).stringField(2, "op" + id).varintField(3, 4)
                .varintField(7, 5);
        if (dataDeps.length > 0) {
            java.util.List<Long> d = new java.util.ArrayList<>();
            for (long x : dataDeps) {
                d.add(x);
            }
            n.packedVarints(5, d);
        }
        return n;
    }

    Path file(String name, ProtoWriter... messages) throws Exception {
        ProtoWriter out = new ProtoWriter();
        for (ProtoWriter m : messages) {
            out.delimited(m);
        }
        Path p = tmp.resolve(name);
        Files.write(p, out.toByteArray());
        return p;
    }

    @Test
    void cycleIsRejectedWithItsIds() throws Exception {
        // 1 waits for 3, 2 waits for 1, 3 waits for 2; 4 waits for 1 and is not on the cycle
        Path p = file("cycle.et", meta(), comp(1, 3), comp(2, 1), comp(3, 2), comp(4, 1));
        ConfigException e = assertThrows(ConfigException.class, () -> load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("1 -> 2 -> 3 -> 1"), e.getMessage());
        assertTrue(!e.getMessage().contains("4 ->"), e.getMessage());
    }

    @Test
    void danglingControlDependencyIsReportedAndIgnored() throws Exception {
        ProtoWriter n2 = comp(2, 1).packedVarints(4, List.of(77L, 1L));
        Path p = file("dangling.et", meta(), comp(1), n2);
        Workload w = load(p);
        assertEquals(List.of(1L), w.primary().op(1).deps());
        assertTrue(w.warnings().get(0).contains("1 control dependencies") && w.warnings().get(0).contains("2->77"),
                w.warnings().toString());
    }

    @Test
    void missingDataDependencyIsAnErrorWithOffset() throws Exception {
        Path p = file("missing.et", meta(), comp(1), comp(2, 9));
        ConfigException e = assertThrows(ConfigException.class, () -> load(p));
        // metadata: 1 length byte + 7 bytes; node 1: 1 + 11 bytes (id 2, name 5, type 2, duration 2);
        // node 2 starts at offset 20
        assertTrue(e.getMessage().contains("byte offset 20") && e.getMessage().contains("node 9"), e.getMessage());
    }

    @Test
    void truncatedFileNamesTheOffset() throws Exception {
        Path good = file("good.et", meta(), comp(1), comp(2, 1));
        byte[] all = Files.readAllBytes(good);
        Path bad = tmp.resolve("bad.et");
        Files.write(bad, java.util.Arrays.copyOf(all, all.length - 3));
        ConfigException e = assertThrows(ConfigException.class, () -> load(bad));
        // node 2's length prefix at offset 20 announces 14 bytes, only 11 are left
        assertTrue(e.getMessage().startsWith(bad.toString() + ": byte offset 20: length 14") && e.getMessage().contains("(11 bytes follow"), e.getMessage());
    }

    @Test
    void everyIntegerEncodingOfCommSizeReadsTheSame() throws Exception {
        long v = 1_048_576;
        ProtoWriter[] attrs = {
            new ProtoWriter().stringField(1, "comm_size").varintField(7, v),                       // int32
            new ProtoWriter().stringField(1, "comm_size").varintField(9, v),                       // int64
            new ProtoWriter().stringField(1, "comm_size").varintField(11, v),                      // uint32
            new ProtoWriter().stringField(1, "comm_size").varintField(13, v),                      // uint64
            new ProtoWriter().stringField(1, "comm_size").varintField(15, v << 1),                 // sint32 zigzag
            new ProtoWriter().stringField(1, "comm_size").varintField(17, v << 1),                 // sint64 zigzag
            new ProtoWriter().stringField(1, "comm_size").fixed32Field(19, (int) v),               // fixed32
            new ProtoWriter().stringField(1, "comm_size").fixed64Field(21, v),                     // fixed64
            new ProtoWriter().stringField(1, "comm_size").fixed32Field(23, (int) v),               // sfixed32
            new ProtoWriter().stringField(1, "comm_size").fixed64Field(25, v),                     // sfixed64
        };
        for (int i = 0; i < attrs.length; i++) {
            ProtoWriter n = new ProtoWriter().varintField(1, 1).stringField(2, "ag").varintField(3, 7)
                    .messageField(10, new ProtoWriter().stringField(1, "comm_type").varintField(7, 2))
                    .messageField(10, attrs[i]);
            Workload w = load(file("int" + i + ".et", meta(), n));
            CollectiveOp c = (CollectiveOp) w.primary().op(0);
            assertEquals(v, c.bytes(), "encoding " + i);
            assertEquals(CollectiveKind.ALL_GATHER, c.collective());
        }
        // a negative int32 is sign-extended to ten bytes on the wire and must read back negative
        ProtoWriter neg = new ProtoWriter().varintField(1, 1).stringField(2, "c").varintField(3, 7)
                .messageField(10, new ProtoWriter().stringField(1, "comm_type").varintField(7, -1L));
        ConfigException e = assertThrows(ConfigException.class, () -> load(file("neg.et", meta(), neg)));
        assertTrue(e.getMessage().contains("comm_type -1"), e.getMessage());
    }

    @Test
    void unpackedDepsAndEveryNodeType() throws Exception {
        ProtoWriter md = new ProtoWriter().varintField(1, 1).stringField(2, "pg").varintField(3, 1);
        ProtoWriter load = new ProtoWriter().varintField(1, 2).stringField(2, "ld").varintField(3, 2)
                .varintField(5, 1).messageField(10, new ProtoWriter().stringField(1, "tensor_size").varintField(13, 4096));
        ProtoWriter c = new ProtoWriter().varintField(1, 3).stringField(2, "mm").varintField(3, 4)
                .varintField(5, 2).messageField(10, new ProtoWriter().stringField(1, "num_ops").varintField(9, 1000))
                .messageField(10, new ProtoWriter().stringField(1, "tensor_size").varintField(13, 64));
        ProtoWriter st = new ProtoWriter().varintField(1, 4).stringField(2, "st").varintField(3, 3).varintField(5, 3)
                .messageField(10, new ProtoWriter().stringField(1, "tensor_size").varintField(13, 4096));
        ProtoWriter send = new ProtoWriter().varintField(1, 5).stringField(2, "s").varintField(3, 5).varintField(5, 4)
                .messageField(10, new ProtoWriter().stringField(1, "comm_dst").varintField(7, 1))
                .messageField(10, new ProtoWriter().stringField(1, "comm_tag").varintField(7, 9))
                .messageField(10, new ProtoWriter().stringField(1, "comm_size").varintField(9, 128));
        ProtoWriter recv = new ProtoWriter().varintField(1, 6).stringField(2, "r").varintField(3, 6).varintField(5, 4)
                .messageField(10, new ProtoWriter().stringField(1, "comm_src").varintField(7, 1))
                .messageField(10, new ProtoWriter().stringField(1, "comm_size").varintField(9, 128));
        ProtoWriter inv = new ProtoWriter().varintField(1, 7).stringField(2, "x").varintField(5, 5).varintField(5, 6);
        Workload w = load(file("all.et", meta(), md, load, c, st, send, recv, inv));
        RankGraph g = w.primary();
        assertEquals(List.of(OpType.MARKER, OpType.MEMORY, OpType.COMPUTE, OpType.MEMORY, OpType.SEND, OpType.RECV,
                OpType.MARKER), g.ops().stream().map(Operation::type).toList());
        assertEquals(List.of(5L, 6L), g.op(6).deps());
        ComputeOp mm = (ComputeOp) g.op(2);
        assertEquals(1000, mm.flops());
        assertEquals(Costing.MODELED, mm.costing());
        WorkloadSummary s = WorkloadSummary.of(w);
        assertEquals(8192, s.memoryBytes());
        assertEquals(128, s.sendBytes());
        assertEquals(6, s.criticalPathOps(), "1 -> 2 -> 3 -> 4 -> 5 -> 7");
    }

    static ProtoWriter torchNode(long id, String op, String shapes, String types) {
        return new ProtoWriter().varintField(1, id).stringField(2, op).varintField(3, 4).varintField(7, 3)
                .messageField(8, new ProtoWriter().stringField(2, shapes).stringField(3, types));
    }

    @Test
    void pytorchMatrixMultipliesBecomeShapedGemms() throws Exception {
        String bf = "['c10::BFloat16', 'c10::BFloat16']";
        ProtoWriter wrongOps = torchNode(5, "aten::mm", "[[64, 128], [128, 32]]", bf)
                .messageField(10, new ProtoWriter().stringField(1, "num_ops").varintField(9, 7));
        ProtoWriter cpu = torchNode(6, "aten::mm", "[[64, 128], [128, 32]]", bf)
                .messageField(10, new ProtoWriter().stringField(1, "is_cpu_op").varintField(27, 1));
        Workload w = load(file("torch.et", meta(),
                torchNode(1, "aten::mm", "[[64, 128], [128, 32]]", bf),
                torchNode(2, "aten::addmm", "[[32], [64, 128], [128, 32]]", "['float', 'float', 'float']"),
                torchNode(3, "aten::bmm", "[[4, 8, 16], [4, 16, 2]]", "['c10::Half', 'c10::Half']"),
                torchNode(4, "aten::linear", "[[2, 5, 16], [8, 16], [8]]", bf),
                wrongOps, cpu,
                torchNode(7, "aten::relu", "[[64, 32]]", bf),
                torchNode(8, "aten::mm", "[[64, 128], [127, 32]]", bf)));
        RankGraph g = w.primary();
        ComputeOp mm = (ComputeOp) g.op(0);
        assertEquals(new io.dojosim.workload.GemmShape(1, 64, 32, 128), mm.shape());
        assertEquals(2L * 64 * 32 * 128, mm.flops());
        assertEquals(io.dojosim.workload.DataType.BF16, mm.dataType());
        assertEquals(Costing.MODELED, mm.costing());
        assertEquals(2L * 64 * 32 * 128, g.op(1).flops());
        assertEquals(io.dojosim.workload.DataType.FP32, ((ComputeOp) g.op(1)).dataType());
        assertEquals(2L * 4 * 8 * 2 * 16, g.op(2).flops());
        assertEquals(io.dojosim.workload.DataType.FP16, ((ComputeOp) g.op(2)).dataType());
        assertEquals(new io.dojosim.workload.GemmShape(1, 10, 8, 16), ((ComputeOp) g.op(3)).shape());
        // num_ops that disagrees with the shape wins, without a shape; host ops and others get none
        assertEquals(null, ((ComputeOp) g.op(4)).shape());
        assertEquals(7, g.op(4).flops());
        assertEquals(null, ((ComputeOp) g.op(5)).shape());
        assertEquals(Costing.REPLAYED, g.op(5).costing());
        assertEquals(null, ((ComputeOp) g.op(6)).shape());
        assertEquals(null, ((ComputeOp) g.op(7)).shape(), "inner dimensions 128 and 127 do not match");
    }
}
