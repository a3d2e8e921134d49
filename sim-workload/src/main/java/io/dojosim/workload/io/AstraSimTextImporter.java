package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.ParallelismKind;
import io.dojosim.workload.Phase;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Imports ASTRA-sim 1.0 text workloads (astra-sim branch ASTRA-sim-1.0, workload/Workload.cc and
 * Layer.cc; grammar in /work/shared/reference/workload-formats.md section 3) as the graph of one
 * training pass of one NPU (every NPU runs the same graph).
 *
 * <p>Expansion follows ASTRA-sim 1.0's loops for each parallelism keyword:
 * <ul>
 * <li>DATA: forward chain; backward from the last layer WG(i) then IG(i) (no IG for layer 0),
 *     WG(i-1) after IG(i); each WG issues its weight-gradient collective without waiting.</li>
 * <li>MODEL: forward compute then its collective, which the next layer waits for; backward IG(i),
 *     its collective (not for layer 0), WG(i); IG(i-1) waits for WG(i) and IG(i)'s collective; no
 *     weight-gradient collective.</li>
 * <li>HYBRID_DATA_MODEL, HYBRID_MODEL_DATA, HYBRID_CUSTOMIZED: as MODEL plus the weight-gradient
 *     collective after WG(i); CUSTOMIZED takes each layer's policy for its collectives' groups.</li>
 * <li>HYBRID_TRANSFORMER: as the hybrids, with an input-gradient collective for layer 0 too.</li>
 * <li>HYBRID_TRANSFORMER_FWD_IN_BCKWD: as HYBRID_TRANSFORMER; when the backward pass reaches a
 *     layer i listed in "checkpoint_initiates", the forward (with its collectives) of layers c..i-1
 *     is recomputed first, c being the nearest checkpoint at or below i.</li>
 * <li>HYBRID_DLRM, HYBRID_DLRM_ENHANCED: DATA-like; a forward all-to-all of a layer whose forward
 *     type is ALLTOALL runs beside the forward chain and the layer after the last bottom layer waits
 *     for layer 0's; layer 0's input-gradient collective is issued after IG of the first top layer;
 *     layer 0's collectives span all dimensions.</li>
 * <li>MICRO: only the weight-gradient collectives; DISTRIBUTED_INFERENCE: forward only.</li>
 * </ul>
 * Compute fields are cycles: operations carry a measured duration of cycles x
 * {@link ImportOptions#astraCyclePs()} and no FLOPs, so they are replayed. A layer's update delay
 * (last field) delays the completion of each of its collectives (Layer.cc): it becomes an operation
 * of that duration after the collective. ALLREDUCEALLTOALL becomes an all-reduce followed by an
 * all-to-all of the same size.
 *
 * <p>Caveats: unlike ASTRA-sim, an unknown communication keyword is an error, not "none".
 */
public final class AstraSimTextImporter {
    private static final List<String> COMM_TYPES = List.of("NONE", "ALLREDUCE", "ALLGATHER", "REDUCESCATTER",
            "ALLTOALL", "ALLREDUCEALLTOALL");
    private static final List<ParallelismKind> LAYER_POLICIES = List.of(ParallelismKind.DATA, ParallelismKind.MODEL,
            ParallelismKind.HYBRID_DATA_MODEL, ParallelismKind.HYBRID_MODEL_DATA);

    private AstraSimTextImporter() {
    }

    private record Tok(String text, int line) {
    }

    private static final class Cursor {
        final String file;
        final List<Tok> toks;
        int i;

        Cursor(String file, List<Tok> toks) {
            this.file = file;
            this.toks = toks;
        }

        Tok next(String what) {
            if (i >= toks.size()) {
                int line = toks.isEmpty() ? 1 : toks.get(toks.size() - 1).line();
                throw new ConfigException(file + ":" + line + ": the file ends where " + what + " was expected");
            }
            return toks.get(i++);
        }

        long integer(String what, long min) {
            Tok t = next(what);
            try {
                long v = Long.parseLong(t.text());
                if (v >= min) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigException(file + ":" + t.line() + ": " + what + ": found '" + t.text()
                    + "'; expected an integer >= " + min);
        }
    }

    private static final class Layer {
        String name;
        long[] cycles = new long[3];          // fwd, ig, wg
        String[] comm = new String[3];
        long[] bytes = new long[3];
        long delay;
        ParallelismKind policy;
        boolean checkpoint;
        boolean initiates;
    }

    /** Reads a file. */
    public static Workload load(Path path, ImportOptions opt) {
        String text;
        try {
            long size = Files.size(path);
            if (size > ChakraTrace.maxTraceBytes()) {
                throw new ConfigException(path + ": the workload holds " + size + " bytes; allowed: at most " + ChakraTrace.maxTraceBytes()
                        + " bytes (a sixteenth of the Java heap; give more with DOJOSIM_JAVA_OPTS=-Xmx<size>)");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(path + ": is not UTF-8 text; allowed: an ASTRA-sim 1.0 text workload", e);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the ASTRA-sim workload: " + io.dojosim.core.config.ParserMessages.clean(e.getMessage()), e);
        }
        String name = path.getFileName().toString().replaceAll("\\.txt$", "");
        try {
            return parse(path.toString(), name, text, opt);
        } catch (ConfigException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(path.toString())) throw e;
            throw new ConfigException(path + ": " + e.getMessage(), e);
        }
    }

    /** Parses text; {@code file} names it in errors. */
    public static Workload parse(String file, String name, String text, ImportOptions opt) {
        List<Tok> toks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            for (String t : lines[l].trim().split("\\s+")) {
                if (!t.isEmpty()) {
                    toks.add(new Tok(t, l + 1));
                }
            }
        }
        Cursor c = new Cursor(file, toks);
        Tok head = c.next("the parallelism keyword");
        ParallelismKind kind;
        try {
            kind = ParallelismKind.valueOf(head.text());
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null || kind == ParallelismKind.NONE) {
            List<String> allowed = new ArrayList<>();
            for (ParallelismKind k : ParallelismKind.values()) {
                if (k != ParallelismKind.NONE) {
                    allowed.add(k.name());
                }
            }
            throw new ConfigException(file + ":" + head.line() + ": unknown parallelism keyword '" + head.text()
                    + "'; allowed: " + String.join(", ", allowed));
        }
        int mp = 0;
        int lastBottom = -1;
        List<Integer> cps = new ArrayList<>();
        List<Integer> inits = new ArrayList<>();
        if (kind == ParallelismKind.HYBRID_TRANSFORMER || kind == ParallelismKind.HYBRID_TRANSFORMER_FWD_IN_BCKWD) {
            c.next("the model-parallel group label");
            mp = (int) c.integer("model-parallel NPU group", 1);
            if (kind == ParallelismKind.HYBRID_TRANSFORMER_FWD_IN_BCKWD) {
                c.next("the checkpoints label");
                long n = c.integer("number of checkpoint layers", 0);
                for (long k = 0; k < n; k++) {
                    cps.add((int) c.integer("checkpoint layer index", 0));
                }
                c.next("the checkpoint-initiates label");
                long m = c.integer("number of recompute-initiating layers", 0);
                for (long k = 0; k < m; k++) {
                    inits.add((int) c.integer("recompute-initiating layer index", 0));
                }
            }
        } else if (kind == ParallelismKind.HYBRID_DLRM || kind == ParallelismKind.HYBRID_DLRM_ENHANCED) {
            lastBottom = (int) c.integer("last bottom-MLP layer index", 0);
        }
        long count = c.integer("number of layers", 1);
        List<Layer> layers = new ArrayList<>();
        String[] phaseNames = {"forward", "input-gradient", "weight-gradient"};
        for (int i = 0; i < count; i++) {
            Layer l = new Layer();
            l.name = c.next("the name of layer " + i).text();
            String at = "layer " + i + " ('" + l.name + "')";
            c.integer(at + " reserved field", Long.MIN_VALUE);
            for (int p = 0; p < 3; p++) {
                l.cycles[p] = c.integer(at + " " + phaseNames[p] + " compute cycles", 0);
                Tok t = c.next(at + " " + phaseNames[p] + " communication type");
                if (!COMM_TYPES.contains(t.text())) {
                    throw new ConfigException(file + ":" + t.line() + ": " + at + " " + phaseNames[p]
                            + " communication type: found '" + t.text() + "'; allowed: " + String.join(", ", COMM_TYPES));
                }
                l.comm[p] = t.text();
                l.bytes[p] = c.integer(at + " " + phaseNames[p] + " communication bytes", 0);
            }
            l.delay = c.integer(at + " update delay cycles", 0);
            l.policy = kind;
            if (kind == ParallelismKind.HYBRID_CUSTOMIZED) {
                Tok t = c.next(at + " parallelism policy");
                ParallelismKind pk = null;
                for (ParallelismKind k : LAYER_POLICIES) {
                    if (k.name().equals(t.text())) {
                        pk = k;
                    }
                }
                if (pk == null) {
                    throw new ConfigException(file + ":" + t.line() + ": " + at + " parallelism policy: found '"
                            + t.text() + "'; allowed: DATA, MODEL, HYBRID_DATA_MODEL, HYBRID_MODEL_DATA");
                }
                l.policy = pk;
            }
            l.checkpoint = cps.contains(i);
            l.initiates = inits.contains(i);
            layers.add(l);
        }
        if (c.i < toks.size()) {
            Tok t = toks.get(c.i);
            throw new ConfigException(file + ":" + t.line() + ": unexpected '" + t.text() + "' after the " + count
                    + " layers the header announced");
        }
        for (int x : cps) {
            checkIndex(file, "checkpoint", x, count);
        }
        for (int x : inits) {
            checkIndex(file, "checkpoint-initiating", x, count);
        }
        if (lastBottom >= count) {
            throw new ConfigException(file + ": last bottom layer " + lastBottom + " is not a layer index (0.."
                    + (count - 1) + ")");
        }
        Expander ex = new Expander(kind, lastBottom, opt.astraCyclePs(), layers);
        ex.expand();
        Map<String, String> props = new TreeMap<>();
        props.put("astraCyclePs", Long.toString(opt.astraCyclePs()));
        props.put("layers", Long.toString(count));
        WorkloadMetadata md = new WorkloadMetadata(name, "astra-sim-text", 0, 0, 0, List.of(), 0,
                new ParallelismHint(kind, mp, lastBottom, cps, inits), props);
        try {
            return new Workload(md, List.of(new RankGraph(0, ex.ops)));
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static void checkIndex(String file, String what, int x, long count) {
        if (x >= count) {
            throw new ConfigException(file + ": " + what + " layer " + x + " is not a layer index (0.." + (count - 1) + ")");
        }
    }

    /** Turns layers into operations following ASTRA-sim 1.0's training loop for one pass. */
    private static final class Expander {
        final ParallelismKind kind;
        final int lastBottom;
        final long cyclePs;
        final List<Layer> layers;
        final List<Operation> ops = new ArrayList<>();
        long nextId = 1;
        boolean recomputing;

        Expander(ParallelismKind kind, int lastBottom, long cyclePs, List<Layer> layers) {
            this.kind = kind;
            this.lastBottom = lastBottom;
            this.cyclePs = cyclePs;
            this.layers = layers;
        }

        long compute(Layer l, String suffix, Phase phase, long cycles, ComputeKind k, List<Long> deps) {
            long id = nextId++;
            ops.add(ComputeOp.builder(id, l.name + "." + suffix, k).deps(deps).layer(l.name).phase(phase)
                    .measuredDurationPs(io.dojosim.core.config.Check.multiplyExact(cycles, cyclePs,
                            "layer '" + l.name + "': " + suffix + " compute cycles x the cycle time in ps (workload.import.astraCyclePs)")).build());
            return id;
        }

        /** Emits the collective(s) of phase p of layer l (with the update delay); returns the last id, or -1. */
        long comm(Layer l, int p, Phase phase, List<Long> deps) {
            if (l.comm[p].equals("NONE")) {
                return -1;
            }
            String[] suffix = {recomputing ? "fwd.recompute" : "fwd", "ig", "wg"};
            List<CollectiveKind> kinds = switch (l.comm[p]) {
                case "ALLREDUCE" -> List.of(CollectiveKind.ALL_REDUCE);
                case "ALLGATHER" -> List.of(CollectiveKind.ALL_GATHER);
                case "REDUCESCATTER" -> List.of(CollectiveKind.REDUCE_SCATTER);
                case "ALLTOALL" -> List.of(CollectiveKind.ALL_TO_ALL);
                default -> List.of(CollectiveKind.ALL_REDUCE, CollectiveKind.ALL_TO_ALL);
            };
            CommGroup g = group(l, p);
            List<Long> d = deps;
            long last = -1;
            for (CollectiveKind k : kinds) {
                last = nextId++;
                ops.add(new CollectiveOp(last, l.name + "." + suffix[p] + ".comm" + (kinds.size() > 1 ? "." + k : ""),
                        k, l.bytes[p], g, 0, d, l.name, phase, Operation.NO_DURATION));
                d = List.of(last);
            }
            if (l.delay > 0) {
                last = compute(l, suffix[p] + ".comm.delay", p == 2 ? Phase.OPTIMIZER : phase, l.delay,
                        p == 2 ? ComputeKind.OPTIMIZER_UPDATE : ComputeKind.OTHER, List.of(last));
            }
            return last;
        }

        CommGroup group(Layer l, int p) {
            ParallelismKind pol = l.policy;
            boolean dlrmEmbedding = (kind == ParallelismKind.HYBRID_DLRM || kind == ParallelismKind.HYBRID_DLRM_ENHANCED)
                    && layers.indexOf(l) == 0;
            if (dlrmEmbedding) {
                return CommGroup.of(ParallelDim.ALL);
            }
            boolean model = p < 2;
            List<Boolean> first = dims(true);
            List<Boolean> rest = dims(false);
            return switch (pol) {
                case HYBRID_DATA_MODEL -> new CommGroup(model ? ParallelDim.TENSOR : ParallelDim.DATA, "", List.of(),
                        model ? first : rest);
                case HYBRID_MODEL_DATA -> new CommGroup(model ? ParallelDim.TENSOR : ParallelDim.DATA, "", List.of(),
                        model ? rest : first);
                case DATA, MICRO, HYBRID_DLRM, HYBRID_DLRM_ENHANCED -> CommGroup.of(model ? ParallelDim.ALL : ParallelDim.DATA);
                default -> CommGroup.of(model ? ParallelDim.TENSOR : ParallelDim.DATA);
            };
        }

        /** ASTRA-sim 1.0's 10-entry involved-dimension vectors: only the first, or all but the first. */
        static List<Boolean> dims(boolean onlyFirst) {
            List<Boolean> v = new ArrayList<>(Collections.nCopies(10, !onlyFirst));
            v.set(0, onlyFirst);
            return v;
        }

        static List<Long> deps(long... ids) {
            List<Long> out = new ArrayList<>();
            for (long id : ids) {
                if (id >= 0) {
                    out.add(id);
                }
            }
            return out;
        }

        void expand() {
            int n = layers.size();
            switch (kind) {
                case MICRO -> {
                    for (Layer l : layers) {
                        comm(l, 2, Phase.BACKWARD_WEIGHT_GRAD, List.of());
                    }
                }
                case DATA, HYBRID_DLRM, HYBRID_DLRM_ENHANCED -> dataLike(n);
                case DISTRIBUTED_INFERENCE -> forward(n, true);
                default -> modelLike(n);
            }
        }

        /** Forward chain; with blocking collectives the next layer waits for them. Returns the last id. */
        long forward(int n, boolean withComm) {
            long prev = -1;
            for (int i = 0; i < n; i++) {
                Layer l = layers.get(i);
                long f = compute(l, "fwd", Phase.FORWARD, l.cycles[0], ComputeKind.OTHER, deps(prev));
                long cm = withComm ? comm(l, 0, Phase.FORWARD, List.of(f)) : -1;
                prev = cm >= 0 ? cm : f;
            }
            return prev;
        }

        void dataLike(int n) {
            boolean dlrm = kind != ParallelismKind.DATA;
            long prev = -1;
            long embedComm = -1;
            for (int i = 0; i < n; i++) {
                Layer l = layers.get(i);
                List<Long> d = deps(prev);
                if (dlrm && i == lastBottom + 1 && embedComm >= 0) {
                    d = deps(prev, embedComm);
                }
                long f = compute(l, "fwd", Phase.FORWARD, l.cycles[0], ComputeKind.OTHER, d);
                if (dlrm && l.comm[0].equals("ALLTOALL")) {
                    long cm = comm(l, 0, Phase.FORWARD, List.of(f));
                    if (i == 0) {
                        embedComm = cm;
                    }
                }
                prev = f;
            }
            for (int i = n - 1; i >= 0; i--) {
                Layer l = layers.get(i);
                long wg = compute(l, "wg", Phase.BACKWARD_WEIGHT_GRAD, l.cycles[2], ComputeKind.OTHER, deps(prev));
                comm(l, 2, Phase.BACKWARD_WEIGHT_GRAD, List.of(wg));
                if (i == 0) {
                    break;
                }
                long ig = compute(l, "ig", Phase.BACKWARD_INPUT_GRAD, l.cycles[1], ComputeKind.OTHER, List.of(wg));
                if (dlrm && i == lastBottom + 1) {
                    comm(layers.get(0), 1, Phase.BACKWARD_INPUT_GRAD, List.of(ig));
                }
                prev = ig;
            }
        }

        void modelLike(int n) {
            boolean wgComm = kind != ParallelismKind.MODEL;
            boolean igCommAtZero = kind == ParallelismKind.HYBRID_TRANSFORMER
                    || kind == ParallelismKind.HYBRID_TRANSFORMER_FWD_IN_BCKWD;
            List<Long> ready = deps(forward(n, true));
            for (int i = n - 1; i >= 0; i--) {
                Layer l = layers.get(i);
                if (l.initiates) {
                    int cp = i;
                    while (cp > 0 && !layers.get(cp).checkpoint) {
                        cp--;
                    }
                    for (int j = cp; j < i; j++) {
                        Layer r = layers.get(j);
                        long f = compute(r, "fwd.recompute", Phase.FORWARD, r.cycles[0], ComputeKind.OTHER, ready);
                        recomputing = true;
                        long cm = comm(r, 0, Phase.FORWARD, List.of(f));
                        recomputing = false;
                        ready = deps(cm >= 0 ? cm : f);
                    }
                }
                long ig = compute(l, "ig", Phase.BACKWARD_INPUT_GRAD, l.cycles[1], ComputeKind.OTHER, ready);
                long igc = (i > 0 || igCommAtZero) ? comm(l, 1, Phase.BACKWARD_INPUT_GRAD, List.of(ig)) : -1;
                long wg = compute(l, "wg", Phase.BACKWARD_WEIGHT_GRAD, l.cycles[2], ComputeKind.OTHER, List.of(ig));
                if (wgComm) {
                    comm(l, 2, Phase.BACKWARD_WEIGHT_GRAD, List.of(wg));
                }
                ready = deps(wg, igc); // the previous layer's IG waits for WG(i) and IG(i)'s collective
            }
        }
    }
}
