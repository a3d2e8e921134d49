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
 * {@code prefix.0.et, prefix.1.et, ...} (one per rank; {@code .et.gz} accepted too), and the JSON
 * forms {@link TraceJson} reads (one file, or the set {@code prefix.0.json, prefix.1.json, ...}).
 *
 * <p>Mapping: COMP_NODE to {@link ComputeOp} (kind OTHER, FLOPs from {@code num_ops}, bytes from
 * {@code tensor_size}, host op from {@code is_cpu_op}; a recognised PyTorch operator is re-costed
 * by shape, see {@link TraceStructure} and {@link TorchOps}; our writer's {@code dojosim_*}
 * attributes rebuild a re-costed operation); MEM_LOAD/STORE_NODE to {@link MemoryOp};
 * COMM_SEND/RECV_NODE to {@link PointToPointOp} (peer from {@code comm_dst}/{@code comm_src}, tag
 * {@code comm_tag}, bytes {@code comm_size} or {@code tensor_size}); COMM_COLL_NODE to
 * {@link CollectiveOp} ({@code comm_type}, else the name; {@code comm_size}, {@code pg_name},
 * {@code involved_dim}, {@code comm_priority}), a CPU-side one paired with its kernel becoming a
 * host operation; METADATA_NODE, INVALID_NODE and unknown types to {@link MarkerOp}. Integer
 * attributes are read whatever integer case the producer used. {@code duration_micros} becomes
 * the measured duration ({@link ImportOptions}); 0 means none; replayed durations are scaled by
 * {@link ImportOptions#replayScale()}.
 *
 * <p>Dependencies: data dependencies, then the control dependencies that close no cycle
 * ({@link TraceStructure}); a control dependency on a node that is not in the file is reported (a
 * warning) and ignored; a data dependency on a missing node, a duplicate id and a cycle through
 * data dependencies are errors naming the file and the ids.
 *
 * <p>Caveats: the import figures ({@link io.dojosim.workload.ImportCosting}) and the inferred batch
 * go into the metadata properties ({@code trace.*}).
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

    /** Extension attributes our writer adds so that a re-costed operation reads back as it was written. */
    static final String KIND_ATTR = "dojosim_kind";
    static final String SHAPE_ATTR = "dojosim_shape";
    static final String OUTPUT_BYTES_ATTR = "output_tensor_size";
    static final String WEIGHT_BYTES_ATTR = "weight_tensor_size";
    static final String BATCH_ATTR = "dojosim_batch";
    static final String NOTE_ATTR = "dojosim_note";

    /** Figures summed over the ranks while converting. */
    static final class Stats {
        long recosted, replayed, host, recordedDevicePs, replayedDevicePs, paired, inferred;
        long batch;
        String batchFrom = "";
    }

    private static final Pattern RANK_JSON = Pattern.compile("(.*)\\.(\\d+)\\.json$");

    /** Imports one JSON trace (Chakra JSON, the feeder's JSON or a PyTorch execution trace); rank from a name.N.json. */
    static Workload loadJson(Path p, TraceJson.Form form, ImportOptions opt) {
        Matcher m = RANK_JSON.matcher(p.getFileName().toString());
        String name = m.matches() ? m.group(1) : p.getFileName().toString().replaceAll("\\.json$", "");
        return toWorkload(name, List.of(TraceJson.read(p, form)), List.of(m.matches() ? Integer.parseInt(m.group(2)) : 0), opt);
    }

    /** @return whether {@code spec} is the prefix of a set {@code spec.0.json, spec.1.json, ...} */
    static boolean isJsonSet(String spec) {
        return !Files.isRegularFile(Path.of(spec)) && Files.isRegularFile(Path.of(spec + ".0.json"));
    }

    /** Imports the set {@code prefix.0.json, prefix.1.json, ...} (ranks 0..N-1 without gaps), each file of any JSON trace form. */
    static Workload loadJsonSet(String prefix, ImportOptions opt) {
        List<ChakraTrace> traces = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        for (int r = 0; Files.isRegularFile(Path.of(prefix + "." + r + ".json")); r++) {
            Path f = Path.of(prefix + "." + r + ".json");
            TraceJson.Form form = TraceJson.detect(f);
            if (form != TraceJson.Form.CHAKRA_JSON && form != TraceJson.Form.CHAKRA_FEEDER_JSON && form != TraceJson.Form.PYTORCH_ET) {
                throw new ConfigException(f + ": this JSON file of the set is not a trace: " + TraceJson.describe(f)
                        + "; accepted in a set: Chakra JSON, Chakra feeder JSON, PyTorch execution trace");
            }
            traces.add(TraceJson.read(f, form));
            ranks.add(r);
        }
        return toWorkload(Path.of(prefix).getFileName().toString(), traces, ranks, opt);
    }

    static Workload toWorkload(String name, List<ChakraTrace> traces, List<Integer> ranks, ImportOptions opt) {
        List<RankGraph> graphs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<DataType> types = new TreeSet<>();
        Stats st = new Stats();
        for (int i = 0; i < traces.size(); i++) {
            graphs.add(convert(traces.get(i), ranks.get(i), opt, warnings, types, st));
        }
        ChakraTrace t0 = traces.get(0);
        Map<String, String> props = new TreeMap<>();
        props.put("chakraVersion", t0.version());
        ChakraTrace.Attr schema = t0.metadata().get("schema");
        if (schema != null && !schema.strings().isEmpty()) {
            props.put("chakraSchema", schema.strings().get(0));
        }
        ChakraTrace.Attr mb = t0.metadata().get(BATCH_ATTR);
        if (mb != null && mb.isInteger() && mb.longs().size() == 1 && mb.longs().get(0) > 0) {
            st.batch = mb.longs().get(0);
            st.batchFrom = "the trace's " + BATCH_ATTR + " metadata";
        }
        long batch = opt.batch() > 0 ? opt.batch() : st.batch;
        if (opt.batch() > 0) {
            st.batchFrom = "set by the run";
        }
        if (batch > 0) {
            props.put("trace.batchFrom", st.batchFrom);
        }
        ChakraTrace.Attr pgs = t0.metadata().get("process_groups");
        if (pgs != null) {
            props.put("trace.processGroups", String.join("; ", pgs.strings()));
        }
        if (st.paired + st.inferred > 0) {
            props.put("trace.collectives", st.paired + " paired with their device kernel, " + st.inferred
                    + " typed from the operation name");
        }
        if (st.recosted + st.replayed + st.host > 0) {
            new io.dojosim.workload.ImportCosting(st.recosted, st.replayed, st.host, st.recordedDevicePs,
                    st.replayedDevicePs, opt.replayScale()).putInto(props);
        }
        WorkloadMetadata md = new WorkloadMetadata(name, t0.source(), batch, 0, 0, new ArrayList<>(types), 0,
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
                                     Set<DataType> types, Stats st) {
        warnings.addAll(t.warnings());
        Map<Long, Integer> index = TraceStructure.index(t);
        TraceStructure ts = TraceStructure.of(t, index, warnings);
        if (ts.droppedCtrl > 0 || ts.selfLoops > 0) {
            warnings.add(t.file() + ": " + (ts.droppedCtrl + ts.selfLoops) + " control dependencies closed a cycle and were dropped ("
                    + ts.selfLoops + " self-loops" + (ts.dropExamples.isEmpty() ? "" : "; e.g. " + String.join(", ", ts.dropExamples))
                    + "); the data dependencies alone order those nodes, as in Chakra's feeder");
        }
        int n = t.nodes().size();
        long[] coveredPs = new long[n];
        for (int i = 0; i < n; i++) {
            if (ts.role[i] == TraceStructure.Role.COVERED) {
                coveredPs[ts.coveredBy[i]] += recordedPs(t.nodes().get(i), opt);
            }
        }
        List<Operation> ops = new ArrayList<>();
        long noSize = 0;
        for (int i = 0; i < n; i++) {
            ChakraTrace.Node nd = t.nodes().get(i);
            try {
                Operation op = operation(t, nd, ts.deps.get(i), opt, ts, i);
                if (op instanceof CollectiveOp c && c.bytes() == 0 && !has(nd, "comm_size")) {
                    noSize++;
                }
                if (op instanceof ComputeOp c) {
                    types.add(c.dataType());
                    long rec = recordedPs(nd, opt);
                    if (c.onHost()) {
                        st.host++;
                    } else {
                        st.recordedDevicePs += rec + coveredPs[i];
                        if (c.costing() == io.dojosim.workload.Costing.REPLAYED) {
                            st.replayed++;
                            st.replayedDevicePs += rec;
                        } else if (c.costing() == io.dojosim.workload.Costing.MODELED) {
                            st.recosted++;
                        }
                    }
                    TorchOps.Recognised r = ts.recognised[i];
                    if (r != null && r.batchHint() > 0 && st.batch == 0) {
                        st.batch = r.batchHint();
                        st.batchFrom = "the leading dimension of the input of aten::" + r.op() + " (node " + nd.id()
                                + ", rank " + rank + ")";
                    }
                } else if (op instanceof MarkerOp && ts.role[i] == TraceStructure.Role.COVERED) {
                    // counted with the operation that covers it
                } else if (op instanceof CollectiveOp) {
                    if (ts.launcher[i] >= 0) {
                        st.paired++;
                    } else if (!has(nd, "comm_type")) {
                        st.inferred++;
                    }
                }
                ops.add(op);
            } catch (ConfigException e) {
                if (e.getMessage().startsWith(t.file())) {
                    throw e;
                }
                throw new ConfigException(t.file() + ": byte offset " + nd.offset() + ": node " + nd.id() + " ('"
                        + nd.name() + "'): " + e.getMessage());
            }
        }
        if (noSize > 0) {
            warnings.add(t.file() + ": " + noSize + " collective nodes carry no comm_size; their size is 0 bytes");
        }
        try {
            return new RankGraph(rank, ops);
        } catch (ConfigException e) {
            throw new ConfigException(t.file() + ": " + e.getMessage());
        }
    }

    /** Recorded duration of a node in ps, 0 when none. */
    private static long recordedPs(ChakraTrace.Node n, ImportOptions opt) {
        return n.durationMicros() == 0 ? 0 : io.dojosim.core.config.Check.multiplyExact(n.durationMicros(), opt.chakraDurationUnitPs(),
                "node " + n.id() + " ('" + n.name() + "'): duration_micros in ps");
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

    private static Operation operation(ChakraTrace t, ChakraTrace.Node n, List<Long> deps, ImportOptions opt,
                                       TraceStructure ts, int i) {
        long dur = n.durationMicros() == 0 ? Operation.NO_DURATION
                : io.dojosim.core.config.Check.multiplyExact(n.durationMicros(), opt.chakraDurationUnitPs(),
                t.file() + ": node " + n.id() + " ('" + n.name() + "'): duration_micros in ps");
        long replayDur = dur == Operation.NO_DURATION ? dur : Math.round(dur * opt.replayScale());
        String name = n.name();
        switch (n.type()) {
            case 2, 3 -> {
                return new MemoryOp(n.id(), name, n.type() == 2 ? MemoryOp.Direction.HBM_TO_SRAM
                        : MemoryOp.Direction.SRAM_TO_HBM, integer(n, "tensor_size", 0), "", deps, "", Phase.UNSPECIFIED, dur);
            }
            case 4 -> {
                return compute(n, deps, dur, replayDur, ts, i, t);
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
                if (ts.role[i] == TraceStructure.Role.COLLECTIVE_LAUNCHER) {
                    return ComputeOp.builder(n.id(), name, ComputeKind.OTHER).onHost(true).deps(deps)
                            .measuredDurationPs(replayDur).build();
                }
                ChakraTrace.Node launcher = ts.launcher[i] >= 0 ? t.nodes().get(ts.launcher[i]) : null;
                CollectiveKind kind;
                if (has(n, "comm_type")) {
                    long code = integer(n, "comm_type", -1);
                    kind = CollectiveKind.fromChakraCode(code);
                    if (kind == null) {
                        throw new ConfigException("COMM_COLL_NODE has comm_type " + code + "; allowed: 0..9 (ALL_REDUCE, REDUCE, "
                                + "ALL_GATHER, GATHER, SCATTER, BROADCAST, ALL_TO_ALL, REDUCE_SCATTER, REDUCE_SCATTER_BLOCK, BARRIER)");
                    }
                } else {
                    kind = collectiveFromName(name);
                    if (kind == null && launcher != null) {
                        kind = collectiveFromName(launcher.name());
                    }
                    if (kind == null) {
                        throw new ConfigException("COMM_COLL_NODE has no comm_type, and neither its name"
                                + (launcher != null ? " nor that of its CPU-side collective " + launcher.id() + " ('" + launcher.name() + "')" : "")
                                + " names a collective; allowed: comm_type 0..9, or a name containing allreduce, reduce_scatter, "
                                + "allgather, alltoall, broadcast, barrier, reduce, gather or scatter (case, '_' and '-' ignored)");
                    }
                }
                ChakraTrace.Node sizeFrom = has(n, "comm_size") || launcher == null ? n : launcher;
                ChakraTrace.Node pgFrom = n.attrs().containsKey("pg_name") || launcher == null ? n : launcher;
                List<Boolean> inv = new ArrayList<>();
                ChakraTrace.Attr ia = n.attrs().get("involved_dim");
                if (ia != null) {
                    for (long v : ia.longs()) {
                        inv.add(v != 0);
                    }
                }
                ChakraTrace.Attr pg = pgFrom.attrs().get("pg_name");
                String pgName = pg != null && !pg.strings().isEmpty() ? pg.strings().get(0) : "";
                long prio = integer(n, "comm_priority", 0);
                return new CollectiveOp(n.id(), name, kind, integer(sizeFrom, "comm_size", 0),
                        new CommGroup(ParallelDim.ALL, pgName, List.of(), inv), (int) prio, deps, "", Phase.UNSPECIFIED, dur);
            }
            default -> {
                String note = switch (n.type()) {
                    case 0 -> "chakra INVALID_NODE";
                    case 1 -> "chakra METADATA_NODE";
                    default -> "chakra node type " + n.type() + " (not in this schema version)";
                };
                ChakraTrace.Attr own = n.attrs().get(NOTE_ATTR);
                return new MarkerOp(n.id(), name, own != null && !own.strings().isEmpty() ? own.strings().get(0) : note,
                        deps, "", Phase.UNSPECIFIED);
            }
        }
    }

    /**
     * A compute node: covered (a marker), built from our writer's extension attributes, re-costed
     * from its recognised shapes, or as the node says (num_ops, tensor_size, is_cpu_op, duration).
     */
    private static Operation compute(ChakraTrace.Node n, List<Long> deps, long dur, long replayDur, TraceStructure ts,
                                     int i, ChakraTrace t) {
        String name = n.name();
        TraceStructure.Role role = ts.role[i];
        if (role == TraceStructure.Role.COVERED) {
            return new MarkerOp(n.id(), name, "covered by re-costed operation " + t.nodes().get(ts.coveredBy[i]).id(),
                    deps, "", Phase.UNSPECIFIED);
        }
        if (n.attrs().containsKey(KIND_ATTR)) {
            return extension(n, deps, dur, replayDur);
        }
        if (role == TraceStructure.Role.RECOST) {
            TorchOps.Recognised r = ts.recognised[i];
            // a kernel re-costed for the operator that launched it takes that operator's name
            String opName = r.op().equals(TorchOps.baseName(name)) ? name : "aten::" + r.op();
            return ComputeOp.builder(n.id(), opName, r.kind()).shape(r.shape()).dataType(r.dataType()).flops(r.flops())
                    .inputBytes(r.inputBytes()).outputBytes(r.outputBytes()).weightBytes(r.weightBytes()).deps(deps)
                    .measuredDurationPs(dur).build();
        }
        long numOps = Math.max(0, integer(n, "num_ops", -1));
        long bytes = integer(n, "tensor_size", 0);
        boolean replayed = numOps == 0 && bytes == 0;
        return ComputeOp.builder(n.id(), name, ComputeKind.OTHER).dataType(dataType(n)).inputBytes(bytes)
                .onHost(bool(n, "is_cpu_op")).deps(deps).flops(numOps).measuredDurationPs(replayed ? replayDur : dur).build();
    }

    /** A compute operation as our writer wrote it: kind, shape and byte counts in extension attributes. */
    private static Operation extension(ChakraTrace.Node n, List<Long> deps, long dur, long replayDur) {
        ChakraTrace.Attr k = n.attrs().get(KIND_ATTR);
        ComputeKind kind;
        try {
            kind = ComputeKind.valueOf(k.strings().isEmpty() ? "" : k.strings().get(0));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("attribute '" + KIND_ATTR + "' must name a compute kind; allowed: "
                    + java.util.Arrays.toString(ComputeKind.values()));
        }
        ChakraTrace.Attr sa = n.attrs().get(SHAPE_ATTR);
        io.dojosim.workload.Shape shape = sa == null ? null : shapeFromCode(sa.longs());
        long flops = Math.max(0, integer(n, "num_ops", 0));
        long in = integer(n, "tensor_size", 0), out = integer(n, OUTPUT_BYTES_ATTR, 0), w = integer(n, WEIGHT_BYTES_ATTR, 0);
        boolean replayed = shape == null && flops == 0 && in + out + w == 0;
        return ComputeOp.builder(n.id(), n.name(), kind).shape(shape).dataType(dataType(n)).flops(flops)
                .inputBytes(in).outputBytes(out).weightBytes(w).onHost(bool(n, "is_cpu_op")).deps(deps)
                .measuredDurationPs(replayed ? replayDur : dur).build();
    }

    /** Encodes a shape as our writer stores it: [0, b, m, n, k], [1, n, c, h, w, k, r, s, stride, padding, groups] or [2, b, heads, seq, kvSeq, headDim]. */
    static List<Long> shapeCode(io.dojosim.workload.Shape s) {
        if (s instanceof GemmShape g) {
            return List.of(0L, g.batch(), g.m(), g.n(), g.k());
        }
        if (s instanceof io.dojosim.workload.ConvShape c) {
            return List.of(1L, c.n(), c.c(), c.h(), c.w(), c.k(), c.r(), c.s(), (long) c.stride(), (long) c.padding(), c.groups());
        }
        io.dojosim.workload.AttentionShape a = (io.dojosim.workload.AttentionShape) s;
        return List.of(2L, a.batch(), a.heads(), a.seq(), a.kvSeq(), a.headDim());
    }

    static io.dojosim.workload.Shape shapeFromCode(List<Long> v) {
        String allowed = "; allowed: [0, batch, m, n, k] (GEMM), [1, n, c, h, w, k, r, s, stride, padding, groups] "
                + "(convolution), [2, batch, heads, seq, kvSeq, headDim] (attention)";
        if (v.isEmpty()) {
            throw new ConfigException("attribute '" + SHAPE_ATTR + "' is empty" + allowed);
        }
        int code = v.get(0).intValue();
        if (code == 0 && v.size() == 5) {
            return new GemmShape(v.get(1), v.get(2), v.get(3), v.get(4));
        }
        if (code == 1 && v.size() == 11) {
            return new io.dojosim.workload.ConvShape(v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), v.get(7),
                    Math.toIntExact(v.get(8)), Math.toIntExact(v.get(9)), v.get(10));
        }
        if (code == 2 && v.size() == 6) {
            return new io.dojosim.workload.AttentionShape(v.get(1), v.get(2), v.get(3), v.get(4), v.get(5));
        }
        throw new ConfigException("attribute '" + SHAPE_ATTR + "' is " + v + allowed);
    }

    /**
     * The collective an operation name stands for, as Chakra's converter reads kernel names (case,
     * '_', '-' and ':' ignored): reducescatter, allreduce, allgather, alltoall (or sendrecv),
     * broadcast, barrier, then reduce, gather, scatter; null when none appears.
     */
    static CollectiveKind collectiveFromName(String name) {
        return Keywords.first(name.toLowerCase(Locale.ROOT).replaceAll("[_\\-: ]", ""), COLLECTIVE_WORDS, null);
    }

    private static final List<Keywords<CollectiveKind>> COLLECTIVE_WORDS = List.of(
            new Keywords<>(CollectiveKind.REDUCE_SCATTER, "reducescatter"),
            new Keywords<>(CollectiveKind.ALL_REDUCE, "allreduce"),
            new Keywords<>(CollectiveKind.ALL_GATHER, "allgather"),
            new Keywords<>(CollectiveKind.ALL_TO_ALL, "alltoall", "sendrecv"),
            new Keywords<>(CollectiveKind.BROADCAST, "broadcast"),
            new Keywords<>(CollectiveKind.BARRIER, "barrier"),
            new Keywords<>(CollectiveKind.REDUCE, "reduce"),
            new Keywords<>(CollectiveKind.GATHER, "gather"),
            new Keywords<>(CollectiveKind.SCATTER, "scatter"));

    /** Data type from the IOInfo type strings of PyTorch-derived traces; FP32 when unknown. */
    private static DataType dataType(ChakraTrace.Node n) {
        return TorchOps.dataType(n.inputs().types());
    }
}
