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
import java.util.zip.GZIPOutputStream;

/**
 * Writes a workload as Chakra execution traces, one file per rank ({@code prefix.N.et}, gzip when
 * the prefix ends in nothing and {@code gzip} is set). What Chakra cannot carry is refused: shapes,
 * layers, phases and output/weight bytes of compute operations, memory tensor names, non-ALL groups.
 */
public final class ChakraWriter {
    private ChakraWriter() {
    }

    /** @return the bytes of one rank's trace */
    public static byte[] encode(RankGraph g, String version) {
        ProtoWriter out = new ProtoWriter();
        ProtoWriter md = new ProtoWriter().stringField(1, version);
        md.messageField(2, new ProtoWriter().stringField(1, "schema").stringField(29, "dojosim"));
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
        if (op instanceof ComputeOp c) {
            if (c.shape() != null || c.outputBytes() != 0 || c.weightBytes() != 0
                    || c.kind() != io.dojosim.workload.ComputeKind.OTHER) {
                throw new ConfigException("operation " + op.id() + ": Chakra COMP nodes carry only num_ops and tensor_size");
            }
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
        if (op instanceof ComputeOp c) {
            n.messageField(10, new ProtoWriter().stringField(1, "is_cpu_op").varintField(27, c.onHost() ? 1 : 0));
            if (c.flops() != 0) {
                n.messageField(10, intAttr("num_ops", c.flops()));
            }
            if (c.inputBytes() != 0) {
                n.messageField(10, new ProtoWriter().stringField(1, "tensor_size").varintField(13, c.inputBytes()));
            }
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
            byte[] data = encode(g, "0.0.4");
            Path f = Path.of(prefix + "." + g.rank() + ".et" + (gzip ? ".gz" : ""));
            Files.write(f, gzip ? gzip(data) : data);
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        }
        return bo.toByteArray();
    }
}
