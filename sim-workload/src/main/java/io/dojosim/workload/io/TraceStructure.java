package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.MarkerOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.Phase;
import io.dojosim.workload.RankGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The structure of one rank's trace as PyTorch-derived Chakra traces encode it, worked out before
 * any operation is built: which node is re-costed, which kernels it covers, which CPU-side
 * collective launched which device kernel, and the dependency list of every node.
 *
 * <p><b>Callers.</b> Chakra's PyTorch converter writes a CPU node's caller (the enclosing CPU
 * operator) as its control dependency, and a GPU kernel's launching CPU operator as its first data
 * dependency (older converter versions write an unrelated node as the kernel's control
 * dependency, and some CPU operators a kernel). A kernel's caller is therefore its first data
 * dependency on a CPU node, else its first control dependency naming another node of the file; a
 * CPU node's caller is its first control dependency naming another CPU node.
 *
 * <p><b>Re-costing.</b> A compute node recognised by {@link TorchOps} is claimed unless a caller
 * further up is claimed (the outermost recognised operator wins, so aten::linear is costed once,
 * not again as its aten::addmm). A claimed device node is re-costed itself. A claimed CPU node
 * launches the re-costing: the first device compute node below it (in file order) becomes the
 * re-costed operation, the other device compute nodes below it are covered. When the trace has no
 * device node at all (PyTorch execution-trace JSON), a claimed CPU node is re-costed itself, unless
 * its values name only CPU tensors. Compute nodes below a node re-costed itself are covered.
 * A claimed CPU node that launched no kernel stays a host operation.
 *
 * <p><b>Pairing collectives.</b> A device-side collective kernel (COMM_COLL, is_cpu_op false) is
 * paired with the nearest CPU-side collective (COMM_COLL, is_cpu_op true) among its callers or,
 * failing that, among its data dependencies in the order listed. The kernel is the collective;
 * the CPU-side node becomes a host operation (its CPU time), and so do the later parts "op(1)",
 * "op(2)" of the same CPU operator that older converters write as separate nodes. A CPU-side
 * collective no kernel is paired with is the collective itself.
 *
 * <p><b>Control dependencies</b> (Chakra's reference feeder, src/feeder/et_feeder.cpp, issues a
 * node once its data dependencies have completed and does not consult control dependencies).
 * Data dependencies are kept as they are: a cycle through them is an error naming the node ids.
 * Control dependencies are kept as ordering as long as they close no cycle: nodes are taken in a
 * topological order that prefers the lowest file position among the nodes whose data and kept
 * control dependencies are done; when none is, the lowest-positioned node whose data dependencies
 * are done is taken and its control dependencies on nodes not yet taken are dropped. A self-loop
 * is always dropped. The result is deterministic and acyclic; the importer reports what it dropped.
 */
final class TraceStructure {
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("\\((\\d+)\\)$");
    enum Role {
        /** Built as the node type says (host op for a CPU compute node). */
        NORMAL,
        /** Timed by the Dojo model with {@link #recognised}. */
        RECOST,
        /** A claimed CPU operator whose first kernel is re-costed; itself a host operation. */
        LAUNCHER,
        /** A device compute node whose work a re-costed operation stands for: a marker. */
        COVERED,
        /** A CPU-side collective paired with its device kernel: a host operation. */
        COLLECTIVE_LAUNCHER
    }

    final Role[] role;
    final TorchOps.Recognised[] recognised;
    /** For a COVERED node: the index of the re-costed node that stands for it. */
    final int[] coveredBy;
    /** For a device collective kernel: the index of its CPU-side collective, else -1. */
    final int[] launcher;
    final List<List<Long>> deps;
    final int droppedCtrl;
    final int selfLoops;
    final List<String> dropExamples;
    final boolean hasDevice;

    private TraceStructure(Role[] role, TorchOps.Recognised[] rec, int[] coveredBy, int[] launcher,
                           List<List<Long>> deps, int dropped, int selfLoops, List<String> examples, boolean hasDevice) {
        this.role = role;
        this.recognised = rec;
        this.coveredBy = coveredBy;
        this.launcher = launcher;
        this.deps = deps;
        this.droppedCtrl = dropped;
        this.selfLoops = selfLoops;
        this.dropExamples = examples;
        this.hasDevice = hasDevice;
    }

    static boolean isCpu(ChakraTrace.Node n) {
        ChakraTrace.Attr a = n.attrs().get("is_cpu_op");
        return a != null && !a.longs().isEmpty() && a.longs().get(0) != 0;
    }

    /**
     * @param index node id to position in {@code t.nodes}
     * @param warnings receives the dangling control dependencies
     */
    static TraceStructure of(ChakraTrace t, Map<Long, Integer> index, List<String> warnings) {
        List<ChakraTrace.Node> nodes = t.nodes();
        int n = nodes.size();
        boolean[] cpu = new boolean[n];
        boolean hasDevice = false;
        int[] caller = new int[n];
        for (int i = 0; i < n; i++) {
            ChakraTrace.Node nd = nodes.get(i);
            cpu[i] = isCpu(nd);
            if (!cpu[i] && nd.type() >= 4 && nd.type() <= 7) {
                hasDevice = true;
            }
            caller[i] = -1;
        }
        // older converters split one CPU operator into parts "op(0)", "op(1)", ..., each depending on
        // the part before; head[] maps every part to the first one
        int[] prevPart = new int[n];
        for (int i = 0; i < n; i++) {
            prevPart[i] = -1;
            ChakraTrace.Node nd = nodes.get(i);
            if (cpu[i] && PART.matcher(nd.name()).find() && !nd.name().endsWith("(0)")) {
                String base = PART.matcher(nd.name()).replaceFirst("");
                for (long d : nd.dataDeps()) {
                    Integer p = index.get(d);
                    if (p != null && p != i && cpu[p] && PART.matcher(nodes.get(p).name()).replaceFirst("").equals(base)
                            && nodes.get(p).inputs().shapes().equals(nd.inputs().shapes())) {
                        prevPart[i] = p;
                        break;
                    }
                }
            }
        }
        int[] head = new int[n];
        for (int i = 0; i < n; i++) {
            int h = i;
            for (int steps = 0; prevPart[h] >= 0 && steps < n; steps++) { // bounded: a malformed chain cannot loop
                h = prevPart[h];
            }
            head[i] = h;
        }
        for (int i = 0; i < n; i++) {
            ChakraTrace.Node nd = nodes.get(i);
            if (!cpu[i]) { // a kernel: its launcher is its first data dependency on a CPU node
                for (long d : nd.dataDeps()) {
                    Integer p = index.get(d);
                    if (p != null && p != i && cpu[p]) {
                        caller[i] = head[p];
                        break;
                    }
                }
                if (caller[i] >= 0) {
                    continue;
                }
            }
            for (long d : nd.ctrlDeps()) {
                Integer p = index.get(d);
                if (p != null && p != i && (cpu[p] || !cpu[i])) { // a CPU operator is called by a CPU operator
                    caller[i] = p;
                    break;
                }
            }
        }
        // recognition
        TorchOps.Recognised[] rec = new TorchOps.Recognised[n];
        for (int i = 0; i < n; i++) {
            ChakraTrace.Node nd = nodes.get(i);
            if (nd.type() != 4 || nd.attrs().containsKey(ChakraImporter.KIND_ATTR) || head[i] != i) {
                continue;
            }
            if (cpu[i] && !hasDevice && onlyCpuTensors(nd.inputs().values())) {
                continue;
            }
            TorchOps.Recognised r = TorchOps.recognise(nd.name(), nd.inputs().shapes(), nd.inputs().types(),
                    nd.inputs().values(), nd.outputs().shapes());
            if (r != null) {
                long numOps = numOps(nd);
                if (numOps >= 0 && numOps != r.flops()) {
                    continue; // the trace's own count disagrees: trust neither, keep num_ops
                }
                rec[i] = r;
            }
        }
        // claims: outermost recognised operator along the caller chain
        int[] owner = new int[n];
        byte[] state = new byte[n];
        boolean[] claimed = new boolean[n];
        for (int i = 0; i < n; i++) {
            ownerOf(i, caller, rec, owner, state, claimed, 0);
        }
        Role[] role = new Role[n];
        Arrays.fill(role, Role.NORMAL);
        TorchOps.Recognised[] use = new TorchOps.Recognised[n];
        int[] coveredBy = new int[n];
        Arrays.fill(coveredBy, -1);
        int[] kernelOf = new int[n];
        Arrays.fill(kernelOf, -1);
        for (int i = 0; i < n; i++) {
            if (claimed[i]) {
                if (!cpu[i] || !hasDevice) {
                    role[i] = Role.RECOST;
                    use[i] = rec[i];
                } else {
                    role[i] = Role.LAUNCHER;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            ChakraTrace.Node nd = nodes.get(i);
            int o = owner[i];
            if (claimed[i] || o < 0 || nd.type() != 4) {
                continue;
            }
            if (role[o] == Role.LAUNCHER && !cpu[i]) {
                if (kernelOf[o] < 0) {
                    kernelOf[o] = i;
                    role[i] = Role.RECOST;
                    use[i] = rec[o];
                } else {
                    role[i] = Role.COVERED;
                    coveredBy[i] = kernelOf[o];
                }
            } else if (role[o] == Role.RECOST) {
                role[i] = Role.COVERED;
                coveredBy[i] = o;
            }
        }
        for (int i = 0; i < n; i++) {
            if (role[i] == Role.LAUNCHER && kernelOf[i] < 0) {
                role[i] = Role.NORMAL; // launched nothing: stays a host operation
            }
        }
        // collectives: pair device kernels with their CPU-side collective
        int[] launcher = new int[n];
        Arrays.fill(launcher, -1);
        for (int i = 0; i < n; i++) {
            ChakraTrace.Node nd = nodes.get(i);
            if (nd.type() != 7 || cpu[i]) {
                continue;
            }
            int l = -1;
            int p = caller[i];
            for (int steps = 0; p >= 0 && steps < n && l < 0; steps++) {
                if (nodes.get(p).type() == 7 && cpu[p]) {
                    l = p;
                }
                p = caller[p];
            }
            for (int k = 0; l < 0 && k < nd.dataDeps().size(); k++) {
                Integer d = index.get(nd.dataDeps().get(k));
                if (d != null && nodes.get(d).type() == 7 && cpu[d]) {
                    l = d;
                }
            }
            if (l >= 0) {
                launcher[i] = l;
                role[l] = Role.COLLECTIVE_LAUNCHER;
            }
        }
        for (int i = 0; i < n; i++) { // the later parts of a paired CPU-side collective launch it too
            if (head[i] != i && role[head[i]] == Role.COLLECTIVE_LAUNCHER) {
                role[i] = Role.COLLECTIVE_LAUNCHER;
            }
        }
        // dependencies
        Order order = order(t, nodes, index, warnings);
        return new TraceStructure(role, use, coveredBy, launcher, order.deps, order.dropped, order.selfLoops,
                order.examples, hasDevice);
    }

    /** Nearest claimed proper caller of {@code i}, or -1; fills claimed[] on the way (cycle-safe, memoised). */
    private static int ownerOf(int i, int[] caller, TorchOps.Recognised[] rec, int[] owner, byte[] state,
                               boolean[] claimed, int depth) {
        if (state[i] == 2) {
            return owner[i];
        }
        if (state[i] == 1 || depth > 2000) {
            return -1; // a caller cycle (or an absurd depth): no owner above this point
        }
        state[i] = 1;
        int p = caller[i];
        int o = -1;
        if (p >= 0) {
            int po = ownerOf(p, caller, rec, owner, state, claimed, depth + 1);
            o = claimed[p] ? p : po;
        }
        owner[i] = o;
        claimed[i] = rec[i] != null && o < 0;
        state[i] = 2;
        return o;
    }

    private static boolean onlyCpuTensors(String values) {
        String v = values.toLowerCase(Locale.ROOT);
        return v.contains("cpu") && !v.contains("cuda");
    }

    private static long numOps(ChakraTrace.Node nd) {
        ChakraTrace.Attr a = nd.attrs().get("num_ops");
        return a != null && a.isInteger() && a.longs().size() == 1 ? a.longs().get(0) : -1;
    }

    private record Order(List<List<Long>> deps, int dropped, int selfLoops, List<String> examples) {
    }

    private static Order order(ChakraTrace t, List<ChakraTrace.Node> nodes, Map<Long, Integer> index, List<String> warnings) {
        int n = nodes.size();
        int[][] dataPreds = new int[n][];
        int[][] ctrlPreds = new int[n][];
        int selfLoops = 0;
        long dangling = 0;
        List<String> danglingExamples = new ArrayList<>();
        int[] dataSuccCount = new int[n];
        int[] ctrlSuccCount = new int[n];
        for (int i = 0; i < n; i++) {
            ChakraTrace.Node nd = nodes.get(i);
            LinkedHashSet<Integer> data = new LinkedHashSet<>();
            for (long d : nd.dataDeps()) {
                Integer p = index.get(d);
                if (p == null) {
                    throw new ConfigException(t.file() + ": byte offset " + nd.offset() + ": node " + nd.id() + " ('"
                            + nd.name() + "') has a data dependency on node " + d + ", which is not in the file");
                }
                data.add(p);
            }
            LinkedHashSet<Integer> ctrl = new LinkedHashSet<>();
            for (long d : nd.ctrlDeps()) {
                Integer p = index.get(d);
                if (p == null) {
                    dangling++;
                    if (danglingExamples.size() < 3) {
                        danglingExamples.add(nd.id() + "->" + d);
                    }
                } else if (p == i) {
                    selfLoops++;
                } else if (!data.contains(p)) {
                    ctrl.add(p);
                }
            }
            dataPreds[i] = data.stream().mapToInt(Integer::intValue).toArray();
            ctrlPreds[i] = ctrl.stream().mapToInt(Integer::intValue).toArray();
            for (int p : dataPreds[i]) {
                dataSuccCount[p]++;
            }
            for (int p : ctrlPreds[i]) {
                ctrlSuccCount[p]++;
            }
        }
        if (dangling > 0) {
            warnings.add(t.file() + ": " + dangling + " control dependencies name nodes not in the file and were "
                    + "ignored (e.g. " + String.join(", ", danglingExamples) + ")");
        }
        int[][] dataSuccs = new int[n][];
        int[][] ctrlSuccs = new int[n][];
        for (int i = 0; i < n; i++) {
            dataSuccs[i] = new int[dataSuccCount[i]];
            ctrlSuccs[i] = new int[ctrlSuccCount[i]];
        }
        int[] df = new int[n];
        int[] cf = new int[n];
        int[] dataPending = new int[n];
        int[] allPending = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p : dataPreds[i]) {
                dataSuccs[p][df[p]++] = i;
            }
            for (int p : ctrlPreds[i]) {
                ctrlSuccs[p][cf[p]++] = i;
            }
            dataPending[i] = dataPreds[i].length;
            allPending[i] = dataPreds[i].length + ctrlPreds[i].length;
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        TreeSet<Integer> dataFree = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (allPending[i] == 0) {
                ready.add(i);
            }
            if (dataPending[i] == 0) {
                dataFree.add(i);
            }
        }
        boolean[] emitted = new boolean[n];
        List<List<Long>> deps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            deps.add(null);
        }
        int done = 0;
        int dropped = 0;
        List<String> examples = new ArrayList<>();
        while (done < n) {
            int x;
            if (!ready.isEmpty()) {
                x = ready.poll();
                if (emitted[x]) {
                    continue;
                }
            } else if (!dataFree.isEmpty()) {
                x = dataFree.first();
            } else {
                throw dataCycle(t, nodes, dataPreds);
            }
            emitted[x] = true;
            done++;
            dataFree.remove(x);
            List<Long> d = new ArrayList<>(dataPreds[x].length + ctrlPreds[x].length);
            for (int p : dataPreds[x]) {
                d.add(nodes.get(p).id());
            }
            for (int p : ctrlPreds[x]) {
                if (emitted[p]) {
                    d.add(nodes.get(p).id());
                } else {
                    dropped++;
                    if (examples.size() < 3) {
                        examples.add(nodes.get(x).id() + "->" + nodes.get(p).id());
                    }
                }
            }
            deps.set(x, d);
            for (int s : dataSuccs[x]) {
                allPending[s]--;
                if (--dataPending[s] == 0 && !emitted[s]) {
                    dataFree.add(s);
                }
                if (allPending[s] == 0 && !emitted[s]) {
                    ready.add(s);
                }
            }
            for (int s : ctrlSuccs[x]) {
                if (--allPending[s] == 0 && !emitted[s]) {
                    ready.add(s);
                }
            }
        }
        return new Order(deps, dropped, selfLoops, examples);
    }

    /** A cycle through data dependencies: let RankGraph name it from the data edges alone. */
    private static ConfigException dataCycle(ChakraTrace t, List<ChakraTrace.Node> nodes, int[][] dataPreds) {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            List<Long> d = new ArrayList<>();
            for (int p : dataPreds[i]) {
                d.add(nodes.get(p).id());
            }
            ops.add(new MarkerOp(nodes.get(i).id(), nodes.get(i).name(), "", d, "", Phase.UNSPECIFIED));
        }
        try {
            new RankGraph(0, ops);
        } catch (ConfigException e) {
            String m = e.getMessage().replaceFirst("^rank 0: ", "");
            return new ConfigException(t.file() + ": " + m.replace("the dependencies form a cycle",
                    "the data dependencies form a cycle") + " (a cycle through control dependencies alone would be broken)");
        }
        return new ConfigException(t.file() + ": the data dependencies form a cycle");
    }

    /** @return id of node i */
    static Map<Long, Integer> index(ChakraTrace t) {
        Map<Long, Integer> m = new HashMap<>(t.nodes().size() * 2);
        for (int i = 0; i < t.nodes().size(); i++) {
            ChakraTrace.Node nd = t.nodes().get(i);
            if (m.put(nd.id(), i) != null) {
                throw new ConfigException(t.file() + ": byte offset " + nd.offset() + ": node id " + nd.id()
                        + " appears twice; ids must be unique within a file");
            }
        }
        return m;
    }
}
