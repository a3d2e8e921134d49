package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MarkerOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a workload as Chakra execution traces, one file per rank ({@code prefix.N.et}, gzip when
 * the prefix ends in nothing and {@code gzip} is set). What Chakra cannot carry is refused: layers,
 * phases, memory tensor names, non-ALL groups. A compute operation's kind, shape and output and
 * weight bytes go into extension attributes ({@code dojosim_kind}, {@code dojosim_shape},
 * {@code output_tensor_size}, {@code weight_tensor_size}) and its data type into
 * {@code inputs.types}, so that a re-costed trace reads back as it was; the batch goes into the
 * GlobalMetadata ({@code dojosim_batch}). {@link #encodeNodes} writes raw nodes (CPU operators,
 * kernels, control dependencies, tensor shapes) as PyTorch-derived traces carry them.
 */
public final class ChakraWriter {
    private ChakraWriter() {
    }

    /** @return the bytes of one rank's trace */
    public static byte[] encode(RankGraph g, String version) {
        return encode(g, version, 0);
    }

    /** @return the bytes of one rank's trace; a batch > 0 is stored in the GlobalMetadata ({@code dojosim_batch}) */
    public static byte[] encode(RankGraph g, String version, long batch) {
        ProtoWriter out = new ProtoWriter();
        ProtoWriter md = new ProtoWriter().stringField(1, version);
        md.messageField(2, new ProtoWriter().stringField(1, "schema").stringField(29, "dojosim"));
        if (batch > 0) {
            md.messageField(2, intAttr(ChakraImporter.BATCH_ATTR, batch));
        }
        out.delimited(md);
        for (Operation op : g.ops()) {
            out.delimited(node(op, g.rank()));
        }
        return out.toByteArray();
    }

    private static ProtoWriter intAttr(String name, long v) {
        return new ProtoWriter().stringField(1, name).varintField(9, v);
    }

    private static ProtoWriter node(Operation op, int rank) {
        if (!op.layer().isEmpty() || op.phase() != io.dojosim.workload.Phase.UNSPECIFIED) {
            throw new ConfigException("operation " + op.id() + ": Chakra traces carry no layer or phase");
        }
        ProtoWriter n = new ProtoWriter();
        if (op.id() != 0) {
            n.varintField(1, op.id());
        }
        n.stringField(2, op.name());
        int type;
        if (op instanceof ComputeOp) {
            type = 4;
        } else if (op instanceof MemoryOp m) {
            type = m.direction() == MemoryOp.Direction.HBM_TO_SRAM ? 2 : 3;
        } else if (op instanceof PointToPointOp p) {
            type = p.direction() == PointToPointOp.Direction.SEND ? 5 : 6;
        } else if (op instanceof CollectiveOp) {
            type = 7;
        } else {
            type = ((MarkerOp) op).note().equals("chakra INVALID_NODE") ? 0 : 1;
        }
        if (type != 0) {
            n.varintField(3, type);
        }
        if (!op.deps().isEmpty()) {
            n.packedVarints(5, op.deps());
        }
        if (op.measuredDurationPs() != Operation.NO_DURATION) {
            if (op.measuredDurationPs() % 1_000_000 != 0) {
                throw new ConfigException("operation " + op.id() + ": duration " + op.measuredDurationPs()
                        + " ps is not a whole number of microseconds");
            }
            n.varintField(7, op.measuredDurationPs() / 1_000_000);
        }
        if (op instanceof ComputeOp c && c.dataType() != io.dojosim.workload.DataType.FP32) {
            n.messageField(8, new ProtoWriter().stringField(3, "['" + torchType(c.dataType()) + "']"));
        }
        if (op instanceof ComputeOp c) {
            n.messageField(10, new ProtoWriter().stringField(1, "is_cpu_op").varintField(27, c.onHost() ? 1 : 0));
            if (c.shape() != null || c.outputBytes() != 0 || c.weightBytes() != 0
                    || c.kind() != io.dojosim.workload.ComputeKind.OTHER) {
                n.messageField(10, new ProtoWriter().stringField(1, ChakraImporter.KIND_ATTR).stringField(29, c.kind().name()));
                if (c.shape() != null) {
                    n.messageField(10, new ProtoWriter().stringField(1, ChakraImporter.SHAPE_ATTR)
                            .messageField(10, new ProtoWriter().packedVarints(1, ChakraImporter.shapeCode(c.shape()))));
                }
                if (c.outputBytes() != 0) {
                    n.messageField(10, new ProtoWriter().stringField(1, ChakraImporter.OUTPUT_BYTES_ATTR).varintField(13, c.outputBytes()));
                }
                if (c.weightBytes() != 0) {
                    n.messageField(10, new ProtoWriter().stringField(1, ChakraImporter.WEIGHT_BYTES_ATTR).varintField(13, c.weightBytes()));
                }
            }
            if (c.flops() != 0) {
                n.messageField(10, intAttr("num_ops", c.flops()));
            }
            if (c.inputBytes() != 0) {
                n.messageField(10, new ProtoWriter().stringField(1, "tensor_size").varintField(13, c.inputBytes()));
            }
        } else if (op instanceof MarkerOp m && !m.note().equals("chakra METADATA_NODE") && !m.note().equals("chakra INVALID_NODE")) {
            n.messageField(10, new ProtoWriter().stringField(1, ChakraImporter.NOTE_ATTR).stringField(29, m.note()));
        } else if (op instanceof MemoryOp m) {
            n.messageField(10, new ProtoWriter().stringField(1, "tensor_size").varintField(13, m.bytes()));
        } else if (op instanceof PointToPointOp p) {
            boolean send = p.direction() == PointToPointOp.Direction.SEND;
            n.messageField(10, new ProtoWriter().stringField(1, "comm_src").varintField(7, send ? rank : p.peer()));
            n.messageField(10, new ProtoWriter().stringField(1, "comm_dst").varintField(7, send ? p.peer() : rank));
            if (p.tag() != 0) {
                n.messageField(10, new ProtoWriter().stringField(1, "comm_tag").varintField(7, p.tag()));
            }
            n.messageField(10, intAttr("comm_size", p.bytes()));
        } else if (op instanceof CollectiveOp c) {
            if (c.group().dimension() != io.dojosim.workload.ParallelDim.ALL || !c.group().ranks().isEmpty()) {
                throw new ConfigException("operation " + op.id() + ": Chakra groups are process-group names only");
            }
            n.messageField(10, intAttr("comm_type", c.collective().chakraCode()));
            n.messageField(10, intAttr("comm_size", c.bytes()));
            if (c.priority() != 0) {
                n.messageField(10, new ProtoWriter().stringField(1, "comm_priority").varintField(7, c.priority()));
            }
            if (!c.group().name().isEmpty()) {
                n.messageField(10, new ProtoWriter().stringField(1, "pg_name").stringField(29, c.group().name()));
            }
            if (!c.group().involvedDims().isEmpty()) {
                ProtoWriter list = new ProtoWriter();
                for (boolean b : c.group().involvedDims()) {
                    list.varintField(1, b ? 1 : 0);
                }
                n.messageField(10, new ProtoWriter().stringField(1, "involved_dim").messageField(28, list));
            }
        }
        return n;
    }

    /** Writes {@code prefix.N.et} (or {@code .et.gz} with gzip) for every rank. */
    public static void write(Workload w, Path prefix, boolean gzip) throws IOException {
        for (RankGraph g : w.ranks()) {
            byte[] data = encode(g, "0.0.4", w.metadata().batchSize());
            Path f = Path.of(prefix + "." + g.rank() + ".et" + (gzip ? ".gz" : ""));
            Files.write(f, gzip ? gzip(data) : data);
        }
    }

    /** The type string PyTorch-derived traces use for a data type (read back by the importer). */
    static String torchType(io.dojosim.workload.DataType t) {
        return switch (t) {
            case BF16 -> "c10::BFloat16";
            case FP16 -> "c10::Half";
            case INT8 -> "int8";
            case CFP8 -> "cfp8";
            default -> "float";
        };
    }

    /**
     * One node of a trace written as a PyTorch-derived trace carries it, for tests and tools that
     * need the raw structure (CPU operators, kernels, control dependencies, shapes).
     *
     * @param type Chakra node type 0..7 (4 COMP, 7 COMM_COLL, ...)
     * @param attrs attributes by name, each written as its {@link AttrValue} kind
     */
    public record TraceNode(long id, String name, int type, List<Long> ctrlDeps, List<Long> dataDeps,
                            long durationMicros, String inputShapes, String inputTypes, String inputValues,
                            String outputShapes, Map<String, AttrValue> attrs) {
        public TraceNode {
            ctrlDeps = List.copyOf(ctrlDeps);
            dataDeps = List.copyOf(dataDeps);
            attrs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attrs));
        }
    }

    /** A node attribute's value: int64, bool, string or an int64 list (Chakra's AttributeProto fields 9, 27, 29, 10). */
    public sealed interface AttrValue {
        /** An int64. */
        record Int(long value) implements AttrValue {
        }

        /** A bool. */
        record Bool(boolean value) implements AttrValue {
        }

        /** A string. */
        record Str(String value) implements AttrValue {
        }

        /** A list of int64. */
        record Ints(List<Long> values) implements AttrValue {
            public Ints {
                values = List.copyOf(values);
            }
        }

        /**
         * @return the attribute value of a Long, Boolean, String or long[]
         * @throws IllegalArgumentException for any other value
         */
        static AttrValue of(Object v) {
            if (v instanceof Boolean b) return new Bool(b);
            if (v instanceof Long l) return new Int(l);
            if (v instanceof String str) return new Str(str);
            if (v instanceof long[] arr) {
                List<Long> list = new java.util.ArrayList<>();
                for (long x : arr) list.add(x);
                return new Ints(list);
            }
            throw new IllegalArgumentException("unsupported attribute value " + v);
        }
    }

    /** @return the bytes of a trace of raw nodes, after a GlobalMetadata with {@code version} and {@code schema} */
    public static byte[] encodeNodes(String version, String schema, List<TraceNode> nodes) {
        ProtoWriter out = new ProtoWriter();
        ProtoWriter md = new ProtoWriter().stringField(1, version);
        md.messageField(2, new ProtoWriter().stringField(1, "schema").stringField(29, schema));
        out.delimited(md);
        for (TraceNode t : nodes) {
            ProtoWriter n = new ProtoWriter().varintField(1, t.id()).stringField(2, t.name()).varintField(3, t.type());
            if (!t.ctrlDeps().isEmpty()) {
                n.packedVarints(4, t.ctrlDeps());
            }
            if (!t.dataDeps().isEmpty()) {
                n.packedVarints(5, t.dataDeps());
            }
            if (t.durationMicros() != 0) {
                n.varintField(7, t.durationMicros());
            }
            if (!t.inputShapes().isEmpty() || !t.inputTypes().isEmpty() || !t.inputValues().isEmpty()) {
                n.messageField(8, new ProtoWriter().stringField(1, t.inputValues()).stringField(2, t.inputShapes())
                        .stringField(3, t.inputTypes()));
            }
            if (!t.outputShapes().isEmpty()) {
                n.messageField(9, new ProtoWriter().stringField(2, t.outputShapes()));
            }
            for (Map.Entry<String, AttrValue> e : t.attrs().entrySet()) {
                ProtoWriter a = new ProtoWriter().stringField(1, e.getKey());
                AttrValue v = e.getValue();
                if (v instanceof AttrValue.Bool b) {
                    a.varintField(27, b.value() ? 1 : 0);
                } else if (v instanceof AttrValue.Int l) {
                    a.varintField(9, l.value());
                } else if (v instanceof AttrValue.Str str) {
                    a.stringField(29, str.value());
                } else if (v instanceof AttrValue.Ints arr) {
                    a.messageField(10, new ProtoWriter().packedVarints(1, arr.values()));
                }
                n.messageField(10, a);
            }
            out.delimited(n);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        }
        return bo.toByteArray();
    }
}
