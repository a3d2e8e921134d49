package io.dojosim.workload.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the JSON forms of execution traces into the same node records as the protobuf form, so
 * that one importer ({@link ChakraImporter}) handles them all. The form is detected by content:
 *
 * <ul>
 *   <li><b>Chakra JSON</b> (chakra's jsonizer, protobuf's JSON mapping): a GlobalMetadata object
 *       ({@code version}, {@code attr}) followed by one object per node ({@code id}, {@code name},
 *       {@code type} as a name such as "COMP_NODE" or a number, {@code ctrlDeps}/{@code dataDeps},
 *       {@code durationMicros}, {@code inputs}, {@code outputs}, {@code attr} with typed values
 *       such as {@code int64Val}); concatenated, or in a JSON array; snake_case names accepted.</li>
 *   <li><b>Chakra feeder JSON</b> (chakra src/feeder/json_node.cpp): {@code workload_graph}, a list
 *       of nodes with {@code Id}, {@code Name}, {@code NodeType}, {@code data_deps}, optional
 *       {@code ctrlDeps}, {@code runtime} (microseconds), {@code is_cpu_op}, {@code comm_*},
 *       {@code tensor_size}.</li>
 *   <li><b>PyTorch execution trace</b> ({@code torch.profiler.ExecutionTraceObserver}):
 *       {@code schema}, {@code pid}, {@code nodes} with {@code id}, {@code name}, {@code ctrl_deps}
 *       (the caller), {@code inputs}/{@code outputs} ({@code values}, {@code shapes},
 *       {@code types}) and {@code attrs}. Every node is a CPU operator. The trace records no data
 *       dependencies and no durations: each node depends on the node before it of the same thread
 *       ({@code tid}), in id order (the thread's execution order, as Chakra's converter orders
 *       it), and carries no duration. The outermost operator whose name begins with "c10d::" or
 *       "nccl:" and names a collective becomes a COMM_COLL node of that size (elements of its
 *       first input times the element size); {@code ## process_group:init ##} is read for the
 *       process groups.</li>
 * </ul>
 *
 * <p>Caveats: the byte offset of a node is the character offset of its object in the file.
 */
final class TraceJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    /** What a JSON file is. */
    enum Form { DOJOSIM, CALCULON, CHAKRA_JSON, CHAKRA_FEEDER_JSON, PYTORCH_ET, UNKNOWN }

    private TraceJson() {
    }

    /** @return the form of the JSON file, from the keys of its first top-level object */
    static Form detect(Path p) {
        JsonNode first = firstObject(p);
        if (first == null) {
            return Form.UNKNOWN;
        }
        if (first.has("schemaVersion") || first.has("operations") || first.has("ranks")) {
            return Form.DOJOSIM;
        }
        if (first.has("workload_graph")) {
            return Form.CHAKRA_FEEDER_JSON;
        }
        if (first.has("nodes") && first.has("schema")) {
            return Form.PYTORCH_ET;
        }
        if (first.has("num_blocks") || first.has("hidden")) {
            return Form.CALCULON;
        }
        boolean metadata = first.has("version") || first.has("attr") && !first.has("name");
        boolean node = (first.has("name") || first.has("id")) && (first.has("type") || first.has("ctrlDeps")
                || first.has("dataDeps") || first.has("ctrl_deps") || first.has("data_deps"));
        return metadata || node ? Form.CHAKRA_JSON : Form.UNKNOWN;
    }

    /** @return a sentence saying what a JSON file of no accepted form looks like */
    static String describe(Path p) {
        JsonNode first;
        try {
            first = firstValue(p);
        } catch (ConfigException e) {
            return "it is not valid JSON (" + io.dojosim.core.config.ParserMessages.clean(e.getMessage()) + ")";
        }
        if (first == null) {
            return "it is empty";
        }
        if (first.isObject()) {
            List<String> keys = new ArrayList<>();
            first.fieldNames().forEachRemaining(keys::add);
            if (first.has("traceEvents")) {
                return "it looks like a Kineto / Chrome trace (traceEvents): profiler timing, not an execution trace; "
                        + "record an execution trace with torch.profiler.ExecutionTraceObserver, or link both with "
                        + "chakra_trace_link and convert with chakra_converter";
            }
            return "it is an object with keys " + (keys.size() > 8 ? keys.subList(0, 8) + " ..." : keys.toString());
        }
        if (first.isArray()) {
            return "it is an array of " + first.size() + " elements" + (first.size() > 0 && first.get(0).isObject()
                    ? " whose first has keys " + fieldNames(first.get(0)) : "");
        }
        return "it is a JSON " + first.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** The forms {@link WorkloadLoader} accepts in a .json file, for error messages. */
    static final String ACCEPTED = "a dojosim workload (schemaVersion), a Calculon model (num_blocks, hidden, ...), "
            + "Chakra JSON (chakra's jsonizer: GlobalMetadata then nodes with id, name, type, ctrlDeps/dataDeps, attr), "
            + "Chakra feeder JSON (workload_graph), or a PyTorch execution trace (schema, pid, nodes)";

    private static String fieldNames(JsonNode n) {
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys.size() > 8 ? keys.subList(0, 8) + " ..." : keys.toString();
    }

    private static JsonNode firstValue(Path p) {
        try (InputStream in = Files.newInputStream(p); JsonParser jp = FACTORY.createParser(in)) {
            if (jp.nextToken() == null) {
                return null;
            }
            return MAPPER.readTree(jp);
        } catch (IOException e) {
            throw new ConfigException(p + ": " + io.dojosim.core.config.ParserMessages.clean(e.getMessage()));
        }
    }

    private static JsonNode firstObject(Path p) {
        JsonNode v;
        try {
            v = firstValue(p);
        } catch (ConfigException e) {
            return null;
        }
        if (v != null && v.isArray() && v.size() > 0) {
            v = v.get(0);
        }
        return v != null && v.isObject() ? v : null;
    }

    /** Reads a trace of one of the three trace forms. */
    static ChakraTrace read(Path p, Form form) {
        String file = p.toString();
        List<ChakraTrace.Node> nodes = new ArrayList<>();
        Map<String, ChakraTrace.Attr> md = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        String version = "";
        try (InputStream in = Files.newInputStream(p); JsonParser jp = FACTORY.createParser(in)) {
            switch (form) {
                case PYTORCH_ET -> {
                    JsonNode root = readNext(jp);
                    version = text(root.get("schema"));
                    md.put("schema", new ChakraTrace.Attr("schema", 29, List.of(), List.of(), List.of(version)));
                    readEt(file, root, nodes, md);
                    return new ChakraTrace(file, "", md, nodes, warnings, "pytorch-et");
                }
                case CHAKRA_FEEDER_JSON -> {
                    // stream the list so that every node keeps its offset
                    expect(jp, JsonToken.START_OBJECT, file);
                    while (jp.nextToken() == JsonToken.FIELD_NAME) {
                        String key = jp.currentName();
                        jp.nextToken();
                        if (!key.equals("workload_graph")) {
                            jp.skipChildren();
                            continue;
                        }
                        while (jp.nextToken() == JsonToken.START_OBJECT) {
                            int offset = offset(jp);
                            nodes.add(feederNode(file, MAPPER.readTree(jp), offset));
                        }
                    }
                    return new ChakraTrace(file, "", md, nodes, warnings, "chakra-json");
                }
                default -> {
                    JsonToken t = jp.nextToken();
                    boolean array = t == JsonToken.START_ARRAY;
                    if (array) {
                        t = jp.nextToken();
                    }
                    boolean first = true;
                    while (t == JsonToken.START_OBJECT) {
                        int offset = offset(jp);
                        JsonNode o = MAPPER.readTree(jp);
                        if (first && !o.has("name") && !o.has("id") && (o.has("version") || o.has("attr"))) {
                            version = text(o.get("version"));
                            for (JsonNode a : arr(o, "attr")) {
                                ChakraTrace.Attr attr = jsonAttr(file, a, offset);
                                md.put(attr.name(), attr);
                            }
                        } else {
                            nodes.add(chakraNode(file, o, offset));
                        }
                        first = false;
                        t = jp.nextToken();
                        if (array && t == JsonToken.END_ARRAY) {
                            break;
                        }
                    }
                    return new ChakraTrace(file, version, md, nodes, warnings, "chakra-json");
                }
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid JSON: " + e.getMessage());
        }
    }

    /** Byte offset of the current token (the parser reads bytes), else its character offset. */
    private static int offset(JsonParser jp) {
        long b = jp.currentTokenLocation().getByteOffset();
        return (int) (b >= 0 ? b : jp.currentTokenLocation().getCharOffset());
    }

    /** "name: N ranks (r0, r1, ...)" for each group of a process_group:init node's values. */
    private static void processGroups(JsonNode values, List<String> out) {
        if (values == null || !values.isArray()) {
            return;
        }
        for (JsonNode v : values) {
            JsonNode list;
            try {
                list = v.isTextual() ? MAPPER.readTree(v.asText()) : v;
            } catch (IOException e) {
                continue;
            }
            if (list == null || !list.isArray()) {
                continue;
            }
            for (JsonNode pg : list) {
                JsonNode ranks = pg.get("ranks");
                String r = ranks == null || !ranks.isArray() || ranks.size() == 0 ? "every rank" : ranks.toString();
                out.add("process group '" + text(pg.get("pg_name")) + "': " + pg.path("group_size").asLong() + " ranks ("
                        + r + ", " + text(pg.get("backend_config")) + ")");
            }
        }
    }

    private static JsonNode readNext(JsonParser jp) throws IOException {
        jp.nextToken();
        return MAPPER.readTree(jp);
    }

    private static void expect(JsonParser jp, JsonToken want, String file) throws IOException {
        if (jp.nextToken() != want) {
            throw new ConfigException(file + ": expected a JSON " + want + " at the start");
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "" : n.isTextual() ? n.asText() : n.toString();
    }

    private static Iterable<JsonNode> arr(JsonNode o, String... keys) {
        for (String k : keys) {
            JsonNode v = o.get(k);
            if (v != null && v.isArray()) {
                return v;
            }
        }
        return List.of();
    }

    private static JsonNode field(JsonNode o, String... keys) {
        for (String k : keys) {
            JsonNode v = o.get(k);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    /** An integer that protobuf's JSON mapping may have written as a string ("123"). */
    private static long integer(String file, JsonNode v, String what, int offset) {
        if (v == null) {
            return 0;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? 1 : 0;
        }
        throw new ConfigException(file + ": byte offset " + offset + ": " + what + " must be an integer, found " + v);
    }

    private static List<Long> ids(String file, JsonNode v, String what, int offset) {
        List<Long> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            out.add(integer(file, v, what, offset));
            return out;
        }
        for (JsonNode e : v) {
            out.add(integer(file, e, what, offset));
        }
        return out;
    }

    private static final String[] NODE_TYPES = {"INVALID_NODE", "METADATA_NODE", "MEM_LOAD_NODE", "MEM_STORE_NODE",
        "COMP_NODE", "COMM_SEND_NODE", "COMM_RECV_NODE", "COMM_COLL_NODE"};

    private static int nodeType(String file, JsonNode v, long id, int offset) {
        if (v == null) {
            return 0;
        }
        if (v.isTextual()) {
            for (int i = 0; i < NODE_TYPES.length; i++) {
                if (NODE_TYPES[i].equals(v.asText())) {
                    return i;
                }
            }
            if (v.asText().matches("\\d+")) {
                return Integer.parseInt(v.asText());
            }
            throw new ConfigException(file + ": byte offset " + offset + ": node " + id + ": type '" + v.asText()
                    + "' is not a Chakra node type; allowed: " + String.join(", ", NODE_TYPES) + " or 0..7");
        }
        return (int) integer(file, v, "type", offset);
    }

    private static ChakraTrace.IOInfo io(JsonNode v) {
        if (v == null || !v.isObject()) {
            return ChakraTrace.IOInfo.EMPTY;
        }
        return new ChakraTrace.IOInfo(text(v.get("values")), text(v.get("shapes")), text(v.get("types")));
    }

    /** A node of chakra's jsonizer output (protobuf JSON mapping, camelCase or snake_case). */
    private static ChakraTrace.Node chakraNode(String file, JsonNode o, int offset) {
        long id = integer(file, o.get("id"), "id", offset);
        Map<String, ChakraTrace.Attr> attrs = new LinkedHashMap<>();
        for (JsonNode a : arr(o, "attr", "attrs")) {
            ChakraTrace.Attr attr = jsonAttr(file, a, offset);
            attrs.put(attr.name(), attr);
        }
        return new ChakraTrace.Node(id, text(o.get("name")), nodeType(file, o.get("type"), id, offset),
                ids(file, field(o, "ctrlDeps", "ctrl_deps"), "ctrlDeps", offset),
                ids(file, field(o, "dataDeps", "data_deps"), "dataDeps", offset),
                integer(file, field(o, "startTimeMicros", "start_time_micros"), "startTimeMicros", offset),
                integer(file, field(o, "durationMicros", "duration_micros"), "durationMicros", offset),
                io(o.get("inputs")), io(o.get("outputs")), attrs, offset);
    }

    /** An AttributeProto in protobuf's JSON mapping: name and one typed value (int64Val, boolVal, ...). */
    private static ChakraTrace.Attr jsonAttr(String file, JsonNode a, int offset) {
        String name = text(a.get("name"));
        Iterator<Map.Entry<String, JsonNode>> it = a.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey().replace("_", "").toLowerCase(Locale.ROOT);
            JsonNode v = e.getValue();
            if (k.equals("name") || k.equals("docstring")) {
                continue;
            }
            if (k.endsWith("list")) {
                JsonNode values = v.isObject() ? v.get("values") : v;
                return listAttr(file, name, k, values == null ? MAPPER.createArrayNode() : values, offset);
            }
            if (k.startsWith("bool")) {
                return new ChakraTrace.Attr(name, 27, List.of(v.asBoolean() ? 1L : 0L), List.of(), List.of());
            }
            if (k.startsWith("string") || k.startsWith("bytes")) {
                return new ChakraTrace.Attr(name, 29, List.of(), List.of(), List.of(v.asText()));
            }
            if (k.startsWith("double") || k.startsWith("float")) {
                return new ChakraTrace.Attr(name, 3, List.of(), List.of(v.asDouble()), List.of());
            }
            if (k.endsWith("val")) {
                return new ChakraTrace.Attr(name, 9, List.of(integer(file, v, "attribute " + name, offset)), List.of(), List.of());
            }
        }
        return new ChakraTrace.Attr(name, 0, List.of(), List.of(), List.of());
    }

    private static ChakraTrace.Attr listAttr(String file, String name, String k, JsonNode values, int offset) {
        List<Long> longs = new ArrayList<>();
        List<Double> doubles = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        int field;
        if (k.startsWith("bool")) {
            field = 28;
            values.forEach(v -> longs.add(v.asBoolean() ? 1L : 0L));
        } else if (k.startsWith("string") || k.startsWith("bytes")) {
            field = 30;
            values.forEach(v -> strings.add(v.asText()));
        } else if (k.startsWith("double") || k.startsWith("float")) {
            field = 4;
            values.forEach(v -> doubles.add(v.asDouble()));
        } else {
            field = 10;
            for (JsonNode v : values) {
                longs.add(integer(file, v, "attribute " + name, offset));
            }
        }
        return new ChakraTrace.Attr(name, field, List.copyOf(longs), List.copyOf(doubles), List.copyOf(strings));
    }

    /** A node of the feeder's JSON form: attributes are plain keys of the node. */
    private static ChakraTrace.Node feederNode(String file, JsonNode o, int offset) {
        long id = integer(file, field(o, "Id", "id"), "Id", offset);
        Map<String, ChakraTrace.Attr> attrs = new LinkedHashMap<>();
        JsonNode cpu = o.get("is_cpu_op");
        if (cpu != null) {
            attrs.put("is_cpu_op", new ChakraTrace.Attr("is_cpu_op", 27, List.of(cpu.asBoolean() ? 1L : 0L), List.of(), List.of()));
        }
        for (String k : List.of("tensor_size", "comm_type", "comm_priority", "comm_size", "comm_src", "comm_dst", "comm_tag")) {
            JsonNode v = o.get(k);
            if (v != null && !v.isNull()) {
                attrs.put(k, new ChakraTrace.Attr(k, 9, List.of(integer(file, v, k, offset)), List.of(), List.of()));
            }
        }
        return new ChakraTrace.Node(id, text(field(o, "Name", "name")), nodeType(file, field(o, "NodeType", "type"), id, offset),
                ids(file, field(o, "ctrlDeps", "ctrl_deps"), "ctrlDeps", offset),
                ids(file, field(o, "data_deps", "dataDeps"), "data_deps", offset), 0,
                integer(file, field(o, "runtime", "duration_micros"), "runtime", offset), ChakraTrace.IOInfo.EMPTY,
                ChakraTrace.IOInfo.EMPTY, attrs, offset);
    }

    /** PyTorch execution trace: CPU operators, caller as control dependency, thread order as data dependency. */
    private static void readEt(String file, JsonNode root, List<ChakraTrace.Node> nodes, Map<String, ChakraTrace.Attr> md) {
        JsonNode list = root.get("nodes");
        if (list == null || !list.isArray()) {
            throw new ConfigException(file + ": PyTorch execution trace without a 'nodes' list");
        }
        List<JsonNode> sorted = new ArrayList<>();
        list.forEach(sorted::add);
        sorted.sort((a, b) -> Long.compare(a.path("id").asLong(), b.path("id").asLong()));
        Map<Long, Long> lastOfThread = new LinkedHashMap<>();
        Map<Long, Long> parentOf = new LinkedHashMap<>();
        Map<Long, Boolean> collectiveOrInside = new LinkedHashMap<>();
        List<String> groups = new ArrayList<>();
        for (JsonNode o : sorted) {
            long id = integer(file, o.get("id"), "id", 0);
            String name = text(o.get("name"));
            List<Long> ctrl = ids(file, o.get("ctrl_deps"), "ctrl_deps", 0);
            long parent = ctrl.isEmpty() ? -1 : ctrl.get(0);
            parentOf.put(id, parent);
            long tid = 0;
            Map<String, ChakraTrace.Attr> attrs = new LinkedHashMap<>();
            attrs.put("is_cpu_op", new ChakraTrace.Attr("is_cpu_op", 27, List.of(1L), List.of(), List.of()));
            for (JsonNode a : arr(o, "attrs")) {
                String an = text(a.get("name"));
                JsonNode v = a.get("value");
                if (an.equals("tid") && v != null) {
                    tid = v.asLong();
                }
                if (v != null && v.isIntegralNumber()) {
                    attrs.put(an, new ChakraTrace.Attr(an, 9, List.of(v.asLong()), List.of(), List.of()));
                } else if (v != null && v.isTextual()) {
                    attrs.put(an, new ChakraTrace.Attr(an, 29, List.of(), List.of(), List.of(v.asText())));
                }
            }
            ChakraTrace.IOInfo in = io(o.get("inputs"));
            ChakraTrace.IOInfo out = io(o.get("outputs"));
            if (name.equals("## process_group:init ##")) {
                JsonNode inputs = o.get("inputs");
                processGroups(inputs == null ? null : inputs.get("values"), groups);
            }
            boolean insideCollective = parent >= 0 && parent != id && collectiveOrInside.getOrDefault(parent, false);
            String l = name.toLowerCase(Locale.ROOT);
            boolean collective = !insideCollective && (l.startsWith("c10d::") || l.startsWith("nccl:"))
                    && ChakraImporter.collectiveFromName(name) != null;
            collectiveOrInside.put(id, collective || insideCollective);
            int type = 4;
            if (collective) {
                type = 7;
                List<Object> shapes = PyLiteral.list(in.shapes());
                long elems = shapes == null || shapes.isEmpty() ? 0 : Math.max(0, PyLiteral.numel(shapes.get(0)));
                long bytes = elems * TorchOps.dataType(in.types()).bytes();
                attrs.put("comm_size", new ChakraTrace.Attr("comm_size", 9, List.of(bytes), List.of(), List.of()));
            }
            List<Long> data = new ArrayList<>();
            Long prev = lastOfThread.put(tid, id);
            if (prev != null) {
                data.add(prev);
            }
            nodes.add(new ChakraTrace.Node(id, name, type, ctrl, data, 0, 0, in, out, attrs, 0));
        }
        if (!groups.isEmpty()) {
            md.put("process_groups", new ChakraTrace.Attr("process_groups", 29, List.of(), List.of(), List.copyOf(groups)));
        }
    }
}
