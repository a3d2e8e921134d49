package io.dojosim.workload.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.AttentionShape;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.ConvShape;
import io.dojosim.workload.DataType;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.MarkerOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.ParallelismKind;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Shape;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * dojosim's own workload format, YAML or JSON (docs/workload-format.md): strict reading (an
 * unknown key, a missing key or a value of the wrong type is one error naming file, line, key path,
 * value and what is allowed) and writing. Writing then reading gives an equal {@link Workload}
 * (warnings excepted).
 */
public final class WorkloadFormat {
    /** The schema version this code reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    private static final String[] TOP_KEYS = {"schemaVersion", "name", "source", "batchSize", "samplesPerStep",
        "tokensPerStep", "dataTypes", "parameterCount", "parallelism", "properties", "ranks", "operations"};
    private static final String[] COMMON = {"id", "name", "type", "deps", "layer", "phase", "measuredDurationPs"};

    private WorkloadFormat() {
    }

    /** Reads a .yaml/.yml or .json workload file. */
    public static Workload read(Path file) {
        String name = file.toString();
        boolean yaml = !name.toLowerCase(Locale.ROOT).endsWith(".json");
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(name, r, yaml);
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read the workload file: " + e.getMessage(), e);
        }
    }

    /** Reads a workload document; {@code file} names it in errors. */
    public static Workload read(String file, Reader in, boolean yaml) {
        Tree.Node root = Tree.parse(file, in, yaml);
        Binder b = new Binder(file);
        Binder.Obj top = b.obj(root, "");
        Tree.Node sv = top.req("schemaVersion");
        long version = b.asLong(sv, "schemaVersion", 1);
        if (version != SCHEMA_VERSION) {
            throw b.error(sv, "schemaVersion", "schema version " + version + " is not supported; allowed: "
                    + SCHEMA_VERSION);
        }
        String wname = top.reqString("name");
        String source = top.optString("source", "dojosim");
        long batch = top.reqLong("batchSize", 0);
        long samples = top.optLong("samplesPerStep", 0, batch);
        long tokens = top.optLong("tokensPerStep", 0, 0);
        List<DataType> types = new ArrayList<>();
        List<Tree.Node> tn = b.list(top.req("dataTypes"), "dataTypes");
        for (int i = 0; i < tn.size(); i++) {
            types.add(b.asEnum(tn.get(i), "dataTypes[" + i + "]", DataType.class));
        }
        long params = top.optLong("parameterCount", 0, 0);
        ParallelismHint hint = ParallelismHint.NONE;
        Tree.Node pn = top.opt("parallelism");
        if (pn != null) {
            Binder.Obj p = b.obj(pn, "parallelism");
            ParallelismKind kind = p.reqEnum("kind", ParallelismKind.class);
            int mp = p.optInt("modelParallelGroup", 0, 0);
            int lbl = p.optInt("lastBottomLayer", -1, -1);
            List<Integer> cps = toInts(p.optLongList("checkpoints", 0));
            List<Integer> cpi = toInts(p.optLongList("checkpointInitiates", 0));
            p.finish("kind", "modelParallelGroup", "lastBottomLayer", "checkpoints", "checkpointInitiates");
            hint = new ParallelismHint(kind, mp, lbl, cps, cpi);
        }
        Map<String, String> props = new TreeMap<>();
        Tree.Node prn = top.opt("properties");
        if (prn != null) {
            Binder.Obj p = b.obj(prn, "properties");
            for (String k : p.node.entries().keySet()) {
                props.put(k, p.reqString(k));
            }
        }
        List<RankGraph> ranks = new ArrayList<>();
        Tree.Node rn = top.opt("ranks");
        Tree.Node on = top.opt("operations");
        if ((rn == null) == (on == null)) {
            throw top.error("exactly one of 'ranks' (a list of {rank, operations}) or 'operations' (the graph of "
                    + "rank 0) is required");
        }
        if (on != null) {
            ranks.add(rankGraph(b, 0, b.list(on, "operations"), "operations", on));
        } else {
            List<Tree.Node> rl = b.list(rn, "ranks");
            for (int i = 0; i < rl.size(); i++) {
                String path = "ranks[" + i + "]";
                Binder.Obj r = b.obj(rl.get(i), path);
                int rank = r.reqInt("rank", 0);
                Tree.Node ops = r.req("operations");
                r.finish("rank", "operations");
                ranks.add(rankGraph(b, rank, b.list(ops, path + ".operations"), path + ".operations", ops));
            }
        }
        top.finish(TOP_KEYS);
        try {
            WorkloadMetadata md = new WorkloadMetadata(wname, source, batch, samples, tokens, types, params, hint, props);
            return new Workload(md, ranks);
        } catch (ConfigException e) {
            throw top.error(e.getMessage());
        }
    }

    private static List<Integer> toInts(List<Long> l) {
        List<Integer> out = new ArrayList<>();
        for (long v : l) {
            out.add((int) Math.min(v, Integer.MAX_VALUE));
        }
        return out;
    }

    private static RankGraph rankGraph(Binder b, int rank, List<Tree.Node> items, String path, Tree.Node at) {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ops.add(operation(b, items.get(i), path + "[" + i + "]"));
        }
        try {
            return new RankGraph(rank, ops);
        } catch (ConfigException e) {
            throw b.error(at, path, e.getMessage());
        }
    }

    private static Operation operation(Binder b, Tree.Node n, String path) {
        Binder.Obj o = b.obj(n, path);
        long id = o.reqLong("id", 0);
        String name = o.reqString("name");
        String type = o.reqString("type");
        List<Long> deps = o.optLongList("deps", 0);
        String layer = o.optString("layer", "");
        Phase phase = o.optEnum("phase", Phase.class, Phase.UNSPECIFIED);
        long dur = o.optLong("measuredDurationPs", 0, Operation.NO_DURATION);
        try {
            switch (type) {
                case "compute" -> {
                    ComputeKind kind = o.reqEnum("kind", ComputeKind.class);
                    DataType dt = o.reqEnum("dataType", DataType.class);
                    Shape shape = null;
                    Tree.Node sn = o.opt("shape");
                    if (sn != null) {
                        shape = shape(b, sn, o.at("shape"));
                    }
                    Tree.Node fn = o.opt("flops");
                    ComputeOp.Builder cb = ComputeOp.builder(id, name, kind).shape(shape).dataType(dt)
                            .inputBytes(o.optLong("inputBytes", 0, 0)).outputBytes(o.optLong("outputBytes", 0, 0))
                            .weightBytes(o.optLong("weightBytes", 0, 0)).onHost(o.optBool("onHost", false))
                            .deps(deps).layer(layer).phase(phase).measuredDurationPs(dur);
                    if (fn != null) {
                        long declared = b.asLong(fn, o.at("flops"), 0);
                        if (shape != null && shape.flops(phase) != declared) {
                            throw b.error(fn, o.at("flops"), "flops " + declared + " disagree with the shape, which gives "
                                    + shape.flops(phase) + " (2 FLOPs per multiply-accumulate); allowed: "
                                    + shape.flops(phase) + " or leave 'flops' out");
                        }
                        cb.flops(declared);
                    }
                    o.finish(with(COMMON, "kind", "dataType", "shape", "flops", "inputBytes", "outputBytes",
                            "weightBytes", "onHost"));
                    return cb.build();
                }
                case "memory" -> {
                    MemoryOp.Direction d = o.reqEnum("direction", MemoryOp.Direction.class);
                    long bytes = o.reqLong("bytes", 0);
                    String tensor = o.optString("tensor", "");
                    o.finish(with(COMMON, "direction", "bytes", "tensor"));
                    return new MemoryOp(id, name, d, bytes, tensor, deps, layer, phase, dur);
                }
                case "send", "recv" -> {
                    int peer = o.reqInt("peer", 0);
                    long tag = o.optLong("tag", Long.MIN_VALUE, 0);
                    long bytes = o.reqLong("bytes", 0);
                    o.finish(with(COMMON, "peer", "tag", "bytes"));
                    return new PointToPointOp(id, name, type.equals("send") ? PointToPointOp.Direction.SEND
                            : PointToPointOp.Direction.RECV, peer, tag, bytes, deps, layer, phase, dur);
                }
                case "collective" -> {
                    CollectiveKind k = o.reqEnum("collective", CollectiveKind.class);
                    long bytes = o.reqLong("bytes", 0);
                    int prio = o.optInt("priority", Integer.MIN_VALUE, 0);
                    CommGroup g = CommGroup.of(ParallelDim.ALL);
                    Tree.Node gn = o.opt("group");
                    if (gn != null) {
                        Binder.Obj go = b.obj(gn, o.at("group"));
                        ParallelDim dim = go.reqEnum("dimension", ParallelDim.class);
                        String gname = go.optString("name", "");
                        List<Integer> ranks = toInts(go.optLongList("ranks", 0));
                        List<Boolean> inv = new ArrayList<>();
                        Tree.Node in = go.opt("involvedDims");
                        if (in != null) {
                            List<Tree.Node> il = b.list(in, go.at("involvedDims"));
                            for (int i = 0; i < il.size(); i++) {
                                inv.add(b.asBool(il.get(i), go.at("involvedDims") + "[" + i + "]"));
                            }
                        }
                        go.finish("dimension", "name", "ranks", "involvedDims");
                        try {
                            g = new CommGroup(dim, gname, ranks, inv);
                        } catch (ConfigException e) {
                            throw b.error(gn, o.at("group"), e.getMessage());
                        }
                    }
                    o.finish(with(COMMON, "collective", "bytes", "group", "priority"));
                    return new CollectiveOp(id, name, k, bytes, g, prio, deps, layer, phase, dur);
                }
                case "marker" -> {
                    String note = o.optString("note", "");
                    if (dur != Operation.NO_DURATION) {
                        throw b.error(o.node, o.at("measuredDurationPs"), "a marker takes no time; remove the key");
                    }
                    o.finish(with(COMMON, "note"));
                    return new MarkerOp(id, name, note, deps, layer, phase);
                }
                default -> throw b.error(o.req("type"), o.at("type"), "found the string \"" + type
                        + "\"; allowed: compute, memory, send, recv, collective, marker");
            }
        } catch (ConfigException e) {
            if (e.getMessage().contains(": at '")) {
                throw e;
            }
            throw b.error(n, path, e.getMessage());
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] out = new String[base.length + more.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    private static Shape shape(Binder b, Tree.Node n, String path) {
        Binder.Obj s = b.obj(n, path);
        String type = s.reqString("type");
        try {
            switch (type) {
                case "gemm" -> {
                    long batch = s.optLong("batch", 1, 1);
                    long m = s.reqLong("m", 1), nn = s.reqLong("n", 1), k = s.reqLong("k", 1);
                    s.finish("type", "batch", "m", "n", "k");
                    return new GemmShape(batch, m, nn, k);
                }
                case "conv" -> {
                    long bn = s.reqLong("n", 1), c = s.reqLong("c", 1), h = s.reqLong("h", 1), w = s.reqLong("w", 1);
                    long k = s.reqLong("k", 1), r = s.reqLong("r", 1), ss = s.reqLong("s", 1);
                    int stride = s.optInt("stride", 1, 1);
                    int pad = s.optInt("padding", 0, 0);
                    long groups = s.optLong("groups", 1, 1);
                    s.finish("type", "n", "c", "h", "w", "k", "r", "s", "stride", "padding", "groups");
                    return new ConvShape(bn, c, h, w, k, r, ss, stride, pad, groups);
                }
                case "attention" -> {
                    long batch = s.reqLong("batch", 1), heads = s.reqLong("heads", 1), seq = s.reqLong("seq", 1);
                    long kv = s.optLong("kvSeq", 1, seq);
                    long d = s.reqLong("headDim", 1);
                    s.finish("type", "batch", "heads", "seq", "kvSeq", "headDim");
                    return new AttentionShape(batch, heads, seq, kv, d);
                }
                default -> throw b.error(s.req("type"), s.at("type"), "found the string \"" + type
                        + "\"; allowed: gemm, conv, attention");
            }
        } catch (ConfigException e) {
            if (e.getMessage().contains(": at '")) {
                throw e;
            }
            throw b.error(n, path, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ writing

    /** @return the workload as a JSON tree in the order the format documents */
    public static ObjectNode toTree(Workload w) {
        WorkloadMetadata md = w.metadata();
        ObjectNode m = NODES.objectNode();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("name", md.name());
        m.put("source", md.source());
        m.put("batchSize", md.batchSize());
        m.put("samplesPerStep", md.samplesPerStep());
        m.put("tokensPerStep", md.tokensPerStep());
        m.putPOJO("dataTypes", md.dataTypes().stream().map(Enum::name).toList());
        m.put("parameterCount", md.parameterCount());
        ParallelismHint h = md.parallelism();
        ObjectNode p = NODES.objectNode();
        p.put("kind", h.kind().name());
        if (h.modelParallelGroup() != 0) {
            p.put("modelParallelGroup", h.modelParallelGroup());
        }
        if (h.lastBottomLayer() != -1) {
            p.put("lastBottomLayer", h.lastBottomLayer());
        }
        if (!h.checkpoints().isEmpty()) {
            p.putPOJO("checkpoints", h.checkpoints());
        }
        if (!h.checkpointInitiates().isEmpty()) {
            p.putPOJO("checkpointInitiates", h.checkpointInitiates());
        }
        m.set("parallelism", p);
        if (!md.properties().isEmpty()) {
            m.putPOJO("properties", new LinkedHashMap<>(md.properties()));
        }
        ArrayNode ranks = m.putArray("ranks");
        for (RankGraph g : w.ranks()) {
            ObjectNode r = ranks.addObject();
            r.put("rank", g.rank());
            ArrayNode ops = r.putArray("operations");
            for (Operation op : g.ops()) {
                ops.add(opTree(op));
            }
        }
        return m;
    }

    private static ObjectNode opTree(Operation op) {
        ObjectNode m = NODES.objectNode();
        m.put("id", op.id());
        m.put("name", op.name());
        m.put("type", switch (op.type()) {
            case COMPUTE -> "compute";
            case MEMORY -> "memory";
            case SEND -> "send";
            case RECV -> "recv";
            case COLLECTIVE -> "collective";
            case MARKER -> "marker";
        });
        if (!op.layer().isEmpty()) {
            m.put("layer", op.layer());
        }
        if (op.phase() != Phase.UNSPECIFIED) {
            m.put("phase", op.phase().name());
        }
        if (op instanceof ComputeOp c) {
            m.put("kind", c.kind().name());
            m.put("dataType", c.dataType().name());
            if (c.shape() != null) {
                m.set("shape", shapeTree(c.shape()));
            }
            m.put("flops", c.flops());
            putNonZero(m, "inputBytes", c.inputBytes());
            putNonZero(m, "outputBytes", c.outputBytes());
            putNonZero(m, "weightBytes", c.weightBytes());
            if (c.onHost()) {
                m.put("onHost", true);
            }
        } else if (op instanceof MemoryOp mo) {
            m.put("direction", mo.direction().name());
            m.put("bytes", mo.bytes());
            if (!mo.tensor().isEmpty()) {
                m.put("tensor", mo.tensor());
            }
        } else if (op instanceof PointToPointOp pp) {
            m.put("peer", pp.peer());
            if (pp.tag() != 0) {
                m.put("tag", pp.tag());
            }
            m.put("bytes", pp.bytes());
        } else if (op instanceof CollectiveOp co) {
            m.put("collective", co.collective().name());
            m.put("bytes", co.bytes());
            CommGroup g = co.group();
            ObjectNode gm = NODES.objectNode();
            gm.put("dimension", g.dimension().name());
            if (!g.name().isEmpty()) {
                gm.put("name", g.name());
            }
            if (!g.ranks().isEmpty()) {
                gm.putPOJO("ranks", g.ranks());
            }
            if (!g.involvedDims().isEmpty()) {
                gm.putPOJO("involvedDims", g.involvedDims());
            }
            m.set("group", gm);
            if (co.priority() != 0) {
                m.put("priority", co.priority());
            }
        } else if (op instanceof MarkerOp mk) {
            if (!mk.note().isEmpty()) {
                m.put("note", mk.note());
            }
        }
        if (!op.deps().isEmpty()) {
            m.putPOJO("deps", op.deps());
        }
        if (op.measuredDurationPs() != Operation.NO_DURATION) {
            m.put("measuredDurationPs", op.measuredDurationPs());
        }
        return m;
    }

    private static void putNonZero(ObjectNode m, String k, long v) {
        if (v != 0) {
            m.put(k, v);
        }
    }

    /** The shape's type, then its record components under their own names (the keys {@link #shape} reads). */
    private static ObjectNode shapeTree(Shape s) {
        ObjectNode m = NODES.objectNode();
        m.put("type", s instanceof GemmShape ? "gemm" : s instanceof ConvShape ? "conv" : "attention");
        return JsonRecords.put(m, (Record) s);
    }

    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    static ObjectMapper yamlMapper() {
        YAMLFactory f = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES) // every string quoted: "0x1F", "yes", "1e5" stay strings
                .build();
        return new ObjectMapper(f);
    }

    static ObjectMapper jsonMapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** @return the workload in YAML */
    public static String toYaml(Workload w) {
        try {
            return yamlMapper().writeValueAsString(toTree(w));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the workload in JSON */
    public static String toJson(Workload w) {
        try {
            return jsonMapper().writeValueAsString(toTree(w)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes YAML, or JSON when the file name ends in .json. */
    public static void write(Workload w, Path file) throws IOException {
        String text = file.toString().toLowerCase(Locale.ROOT).endsWith(".json") ? toJson(w) : toYaml(w);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Reads a document held in a string (tests, stdin). */
    public static Workload readString(String file, String text, boolean yaml) {
        return read(file, new StringReader(text), yaml);
    }
}
