package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.DataType;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.MarkerOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Imports MLCommons Chakra execution traces: one {@code .et} file (plain or gzip) or the set
 * {@code prefix.0.et, prefix.1.et, ...} (one per rank; {@code .et.gz} accepted too).
 *
 * <p>Mapping: COMP_NODE to {@link ComputeOp} (kind OTHER, FLOPs from {@code num_ops}, bytes from
 * {@code tensor_size}, host op from {@code is_cpu_op}; a device node named aten::mm, aten::addmm,
 * aten::bmm or aten::linear whose {@code inputs.shapes} fit becomes a GEMM with that shape, unless
 * its {@code num_ops} disagrees); MEM_LOAD/STORE_NODE to {@link MemoryOp};
 * COMM_SEND/RECV_NODE to {@link PointToPointOp} (peer from {@code comm_dst}/{@code comm_src}, tag
 * {@code comm_tag}, bytes {@code comm_size} or {@code tensor_size}); COMM_COLL_NODE to
 * {@link CollectiveOp} ({@code comm_type}, {@code comm_size}, {@code pg_name},
 * {@code involved_dim}, {@code comm_priority}); METADATA_NODE, INVALID_NODE and unknown types to
 * {@link MarkerOp}. Integer attributes are read whatever integer case the producer used.
 * {@code duration_micros} becomes the measured duration ({@link ImportOptions}); 0 means none.
 *
 * <p>Dependencies: data and control dependencies are merged; a control dependency on a node that
 * is not in the file is reported (a warning) and ignored; a data dependency on a missing node, a
 * duplicate id and a cycle are errors naming the file and the ids.
 */
public final class ChakraImporter {
    private static final Pattern RANK_FILE = Pattern.compile("(.*)\\.(\\d+)\\.et(\\.gz)?$");

    private ChakraImporter() {
    }

    /** @return whether {@code spec} names a Chakra trace: an .et(.gz) file or the prefix of a set */
    public static boolean isChakra(String spec) {
        String l = spec.toLowerCase(Locale.ROOT);
        if (l.endsWith(".et") || l.endsWith(".et.gz")) {
            return true;
        }
        return Files.exists(Path.of(spec + ".0.et")) || Files.exists(Path.of(spec + ".0.et.gz"));
    }

    /** Imports a file or a prefix. */
    public static Workload load(String spec, ImportOptions opt) {
        Path p = Path.of(spec);
        List<Path> files = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        String name;
        if (Files.isRegularFile(p)) {
            files.add(p);
            Matcher m = RANK_FILE.matcher(p.getFileName().toString());
            ranks.add(m.matches() ? Integer.parseInt(m.group(2)) : 0);
            name = m.matches() ? m.group(1) : p.getFileName().toString().replaceAll("\\.et(\\.gz)?$", "");
        } else {
            Path dir = p.toAbsolutePath().getParent();
            String base = p.getFileName().toString();
            TreeMap<Integer, Path> found = new TreeMap<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(f -> {
                    Matcher m = RANK_FILE.matcher(f.getFileName().toString());
                    if (m.matches() && m.group(1).equals(base)) {
                        found.put(Integer.parseInt(m.group(2)), f);
                    }
                });
            } catch (IOException e) {
                throw new ConfigException(spec + ": no such file, and its folder cannot be listed: " + e.getMessage());
            }
            if (found.isEmpty()) {
                throw new ConfigException(spec + ": no such file, and no rank files " + base + ".0.et, " + base
                        + ".1.et, ... beside it; expected an .et file or the prefix of a per-rank set");
            }
            int expect = 0;
            for (int r : found.keySet()) {
                if (r != expect) {
                    throw new ConfigException(spec + ": rank file " + base + "." + expect + ".et is missing (found "
                            + found.size() + " files, ranks " + found.firstKey() + ".." + found.lastKey() + ")");
                }
                expect++;
            }
            found.forEach((r, f) -> {
                ranks.add(r);
                files.add(f);
            });
            name = base;
        }
        List<ChakraTrace> traces = new ArrayList<>();
        for (Path f : files) {
            traces.add(ChakraTrace.read(f));
        }
        return toWorkload(name, traces, ranks, opt);
    }

    static Workload toWorkload(String name, List<ChakraTrace> traces, List<Integer> ranks, ImportOptions opt) {
        List<RankGraph> graphs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<DataType> types = new TreeSet<>();
        for (int i = 0; i < traces.size(); i++) {
            graphs.add(convert(traces.get(i), ranks.get(i), opt, warnings, types));
        }
        ChakraTrace t0 = traces.get(0);
        Map<String, String> props = new TreeMap<>();
        props.put("chakraVersion", t0.version);
        ChakraTrace.Attr schema = t0.metadata.get("schema");
        if (schema != null && !schema.strings().isEmpty()) {
            props.put("chakraSchema", schema.strings().get(0));
        }
        WorkloadMetadata md = new WorkloadMetadata(name, "chakra", 0, 0, 0, new ArrayList<>(types), 0,
                ParallelismHint.NONE, props);
        Workload w = new Workload(md, graphs, warnings);
        List<String> cross = io.dojosim.workload.WorkloadChecks.crossRank(w);
        if (cross.isEmpty()) {
            return w;
        }
        warnings.addAll(cross);
        return new Workload(md, graphs, warnings);
    }

    private static RankGraph convert(ChakraTrace t, int rank, ImportOptions opt, List<String> warnings,
                                     Set<DataType> types) {
        warnings.addAll(t.warnings);
        Set<Long> ids = new HashSet<>();
        for (ChakraTrace.Node n : t.nodes) {
            if (!ids.add(n.id())) {
                throw new ConfigException(t.file + ": byte offset " + n.offset() + ": node id " + n.id()
                        + " appears twice; ids must be unique within a file");
            }
        }
        List<Operation> ops = new ArrayList<>();
        long dangling = 0;
        List<String> examples = new ArrayList<>();
        long noSize = 0;
        for (ChakraTrace.Node n : t.nodes) {
            LinkedHashSet<Long> deps = new LinkedHashSet<>();
            for (long d : n.dataDeps()) {
                if (!ids.contains(d)) {
                    throw new ConfigException(t.file + ": byte offset " + n.offset() + ": node " + n.id() + " ('"
                            + n.name() + "') has a data dependency on node " + d + ", which is not in the file");
                }
                deps.add(d);
            }
            for (long d : n.ctrlDeps()) {
                if (ids.contains(d)) {
                    deps.add(d);
                } else {
                    dangling++;
                    if (examples.size() < 3) {
                        examples.add(n.id() + "->" + d);
                    }
                }
            }
            try {
                Operation op = operation(t, n, new ArrayList<>(deps), opt);
                if (op instanceof CollectiveOp c && !has(n, "comm_size")) {
                    noSize++;
                }
                if (op instanceof ComputeOp c) {
                    types.add(c.dataType());
                }
                ops.add(op);
            } catch (ConfigException e) {
                if (e.getMessage().startsWith(t.file)) {
                    throw e;
                }
                throw new ConfigException(t.file + ": byte offset " + n.offset() + ": node " + n.id() + " ('"
                        + n.name() + "'): " + e.getMessage());
            }
        }
        if (dangling > 0) {
            warnings.add(t.file + ": " + dangling + " control dependencies name nodes not in the file and were "
                    + "ignored (e.g. " + String.join(", ", examples) + ")");
        }
        if (noSize > 0) {
            warnings.add(t.file + ": " + noSize + " collective nodes carry no comm_size; their size is 0 bytes");
        }
        try {
            return new RankGraph(rank, ops);
        } catch (ConfigException e) {
            throw new ConfigException(t.file + ": " + e.getMessage());
        }
    }

    private static boolean has(ChakraTrace.Node n, String attr) {
        return n.attrs().containsKey(attr);
    }

    /** Reads an integer attribute whatever integer case the producer used. */
    static long integer(ChakraTrace.Node n, String attr, long def) {
        ChakraTrace.Attr a = n.attrs().get(attr);
        if (a == null) {
            return def;
        }
        if (!a.isInteger() || a.longs().size() != 1) {
            throw new ConfigException("attribute '" + attr + "' must be one integer (any integer type), found oneof case "
                    + a.field());
        }
        return a.longs().get(0);
    }

    private static boolean bool(ChakraTrace.Node n, String attr) {
        ChakraTrace.Attr a = n.attrs().get(attr);
        return a != null && !a.longs().isEmpty() && a.longs().get(0) != 0;
    }

    private static Operation operation(ChakraTrace t, ChakraTrace.Node n, List<Long> deps, ImportOptions opt) {
        long dur = n.durationMicros() == 0 ? Operation.NO_DURATION
                : Math.multiplyExact(n.durationMicros(), opt.chakraDurationUnitPs());
        String name = n.name();
        switch (n.type()) {
            case 2, 3 -> {
                return new MemoryOp(n.id(), name, n.type() == 2 ? MemoryOp.Direction.HBM_TO_SRAM
                        : MemoryOp.Direction.SRAM_TO_HBM, integer(n, "tensor_size", 0), "", deps, "", Phase.UNSPECIFIED, dur);
            }
            case 4 -> {
                ComputeOp.Builder b = ComputeOp.builder(n.id(), name, ComputeKind.OTHER).dataType(dataType(n))
                        .inputBytes(integer(n, "tensor_size", 0)).onHost(bool(n, "is_cpu_op")).deps(deps)
                        .measuredDurationPs(dur);
                GemmShape g = bool(n, "is_cpu_op") ? null : gemmShape(name, n.inputs().shapes());
                long numOps = integer(n, "num_ops", -1);
                if (g != null && (numOps < 0 || numOps == g.flops(Phase.UNSPECIFIED))) {
                    return ComputeOp.builder(n.id(), name, ComputeKind.GEMM).shape(g).dataType(dataType(n))
                            .inputBytes(integer(n, "tensor_size", 0)).deps(deps).measuredDurationPs(dur).build();
                }
                return b.flops(Math.max(0, numOps)).build();
            }
            case 5, 6 -> {
                boolean send = n.type() == 5;
                long peer = integer(n, send ? "comm_dst" : "comm_src", -1);
                if (peer < 0 || peer > Integer.MAX_VALUE) {
                    throw new ConfigException((send ? "COMM_SEND_NODE needs comm_dst" : "COMM_RECV_NODE needs comm_src")
                            + " (the peer rank, >= 0), found " + (peer < 0 ? "none" : Long.toString(peer)));
                }
                long bytes = integer(n, "comm_size", integer(n, "tensor_size", 0));
                return new PointToPointOp(n.id(), name, send ? PointToPointOp.Direction.SEND : PointToPointOp.Direction.RECV,
                        (int) peer, integer(n, "comm_tag", 0), bytes, deps, "", Phase.UNSPECIFIED, dur);
            }
            case 7 -> {
                long code = integer(n, "comm_type", -1);
                CollectiveKind kind = CollectiveKind.fromChakraCode(code);
                if (kind == null) {
                    throw new ConfigException("COMM_COLL_NODE has comm_type " + (has(n, "comm_type") ? Long.toString(code) : "missing")
                            + "; allowed: 0..9 (ALL_REDUCE, REDUCE, ALL_GATHER, GATHER, SCATTER, BROADCAST, ALL_TO_ALL, "
                            + "REDUCE_SCATTER, REDUCE_SCATTER_BLOCK, BARRIER)");
                }
                List<Boolean> inv = new ArrayList<>();
                ChakraTrace.Attr ia = n.attrs().get("involved_dim");
                if (ia != null) {
                    for (long v : ia.longs()) {
                        inv.add(v != 0);
                    }
                }
                ChakraTrace.Attr pg = n.attrs().get("pg_name");
                String pgName = pg != null && !pg.strings().isEmpty() ? pg.strings().get(0) : "";
                long prio = integer(n, "comm_priority", 0);
                return new CollectiveOp(n.id(), name, kind, integer(n, "comm_size", 0),
                        new CommGroup(ParallelDim.ALL, pgName, List.of(), inv), (int) prio, deps, "", Phase.UNSPECIFIED, dur);
            }
            default -> {
                String note = switch (n.type()) {
                    case 0 -> "chakra INVALID_NODE";
                    case 1 -> "chakra METADATA_NODE";
                    default -> "chakra node type " + n.type() + " (not in this schema version)";
                };
                return new MarkerOp(n.id(), name, note, deps, "", Phase.UNSPECIFIED);
            }
        }
    }

    /**
     * GEMM shape of a PyTorch matrix-multiply operator from its input shapes ({@code inputs.shapes},
     * a Python-literal list of lists): aten::mm [[M,K],[K,N]], aten::addmm [[..],[M,K],[K,N]],
     * aten::bmm [[B,M,K],[B,K,N]], aten::linear [[...,K],[N,K],...] (leading dimensions folded into M).
     * Returns null for any other operator or shapes that do not fit.
     */
    static GemmShape gemmShape(String op, String shapes) {
        String o = op.trim();
        if (!o.startsWith("aten::")) {
            return null;
        }
        List<List<Long>> s = parseShapes(shapes);
        if (s == null) {
            return null;
        }
        try {
            switch (o) {
                case "aten::mm" -> {
                    return fits(s, 0, 2, 1, 2) && s.get(0).get(1).equals(s.get(1).get(0))
                            ? new GemmShape(1, s.get(0).get(0), s.get(1).get(1), s.get(0).get(1)) : null;
                }
                case "aten::addmm" -> {
                    return fits(s, 1, 2, 2, 2) && s.get(1).get(1).equals(s.get(2).get(0))
                            ? new GemmShape(1, s.get(1).get(0), s.get(2).get(1), s.get(1).get(1)) : null;
                }
                case "aten::bmm" -> {
                    return fits(s, 0, 3, 1, 3) && s.get(0).get(0).equals(s.get(1).get(0)) && s.get(0).get(2).equals(s.get(1).get(1))
                            ? new GemmShape(s.get(0).get(0), s.get(0).get(1), s.get(1).get(2), s.get(0).get(2)) : null;
                }
                case "aten::linear" -> {
                    if (s.size() < 2 || s.get(0).isEmpty() || s.get(1).size() != 2) {
                        return null;
                    }
                    List<Long> x = s.get(0);
                    long k = x.get(x.size() - 1);
                    if (k != s.get(1).get(1)) {
                        return null;
                    }
                    long m = 1;
                    for (int i = 0; i < x.size() - 1; i++) {
                        m = Math.multiplyExact(m, x.get(i));
                    }
                    return new GemmShape(1, m, s.get(1).get(0), k);
                }
                default -> {
                    return null;
                }
            }
        } catch (ConfigException | ArithmeticException e) {
            return null; // a zero or absurd dimension: leave the node to num_ops or its duration
        }
    }

    private static boolean fits(List<List<Long>> s, int a, int rankA, int b, int rankB) {
        return s.size() > Math.max(a, b) && s.get(a).size() == rankA && s.get(b).size() == rankB;
    }

    /** Parses "[[2, 3], [3, 4], []]" into lists; null when it is not such a literal. */
    static List<List<Long>> parseShapes(String text) {
        String t = text.replaceAll("\\s+", "");
        if (!t.startsWith("[") || !t.endsWith("]")) {
            return null;
        }
        List<List<Long>> out = new ArrayList<>();
        int i = 1;
        while (i < t.length() - 1) {
            if (t.charAt(i) == ',') {
                i++;
                continue;
            }
            if (t.charAt(i) != '[') {
                return null;
            }
            int end = t.indexOf(']', i);
            if (end < 0 || t.substring(i + 1, end).contains("[")) {
                return null; // nested deeper (tensor lists): not a plain shape
            }
            List<Long> dims = new ArrayList<>();
            for (String d : t.substring(i + 1, end).split(",")) {
                if (d.isEmpty()) {
                    continue;
                }
                try {
                    dims.add(Long.parseLong(d));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            out.add(dims);
            i = end + 1;
        }
        return out;
    }

    /** Data type from the IOInfo type strings of PyTorch-derived traces; FP32 when unknown. */
    private static DataType dataType(ChakraTrace.Node n) {
        String t = n.inputs().types().toLowerCase(Locale.ROOT);
        if (t.contains("bfloat16")) {
            return DataType.BF16;
        }
        if (t.contains("half") || t.contains("float16")) {
            return DataType.FP16;
        }
        if (t.contains("int8") || t.contains("char")) {
            return DataType.INT8;
        }
        return DataType.FP32;
    }
}
