package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.config.Sizes;
import io.dojosim.core.engine.Simulator;
import io.dojosim.pod.LevelUtilization;
import io.dojosim.pod.RegionTransport;
import io.dojosim.pod.Machine;
import io.dojosim.pod.PodSimulation;
import io.dojosim.pod.collective.AlgorithmSelector;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.pod.collective.CollectivePrimitive;
import io.dojosim.pod.collective.CollectiveResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dojosim collective}: runs one collective as traffic on the flow model of the machine and
 * prints its time, algorithm and bus bandwidth (NCCL's definitions), the alpha-beta estimate of
 * the same schedule and the utilization of each level's links.
 */
@Command(name = "collective", mixinStandardHelpOptions = true,
        description = "Simulate one collective (all-reduce, reduce-scatter, all-gather, all-to-all, broadcast) on the machine.")
public final class CollectiveCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    ThreadsOption threadsOption = new ThreadsOption();

    @Option(names = "--op", required = true, paramLabel = "OP", description = "allreduce, reducescatter, allgather, alltoall or broadcast.")
    String op;

    @Option(names = "--bytes", required = true, paramLabel = "SIZE", description = "Buffer size per member, e.g. 1MiB, 1GiB, 4096.")
    String bytes;

    @Option(names = "--scope", defaultValue = "tile", paramLabel = "SCOPE",
            description = "Members: chip (the nodes of chip 0), tile (its 25 chips), tray (150 chips) or pod (every chip). Default: ${DEFAULT-VALUE}.")
    String scope;

    @Option(names = "--members", defaultValue = "chips", paramLabel = "KIND",
            description = "chips: the chips of the scope; nodes: every node of those chips (node-to-node traffic inside "
                    + "the region of interest, pod.coarse.roiChip or roiTile, then runs on sim-noc's meshes when pod.coarse.chipFidelity is packet or flit). "
                    + "--scope chip always uses nodes. Default: ${DEFAULT-VALUE}.")
    String members;

    @Option(names = "--algorithm", paramLabel = "ALG",
            description = "ring, 2d, hierarchical or auto (the smallest alpha-beta estimate of the three; default: pod.collective.algorithm).")
    String algorithm;

    @Option(names = "--chips", paramLabel = "LIST",
            description = "Members: these chips (global ids, e.g. 0-4 or 0-24,50-74) of the system --scope builds, with the same "
                    + "ring order and hierarchy a training step gives them, instead of every chip of the scope.")
    String chips;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (io.dojosim.core.engine.Workers w = threadsOption.workers(); ProgressLine progress = ProgressLine.start(spec)) {
            return call(w);
        }
    }

    private Integer call(io.dojosim.core.engine.Workers workers) {
        if (json != null) io.dojosim.cli.files.RunFolder.checkFile(json, "--json");
        CollectivePrimitive o = CollectivePrimitive.parse(op);
        long size = Sizes.parseBytes("--bytes", bytes);
        if (!List.of("chip", "tile", "tray", "pod").contains(scope)) {
            throw new io.dojosim.core.config.ConfigException("--scope: '" + scope + "' is not allowed; allowed: chip, tile, tray, pod");
        }
        if (!members.equals("chips") && !members.equals("nodes")) {
            throw new io.dojosim.core.config.ConfigException("--members: '" + members + "' is not allowed; allowed: chips, nodes");
        }
        if (chips != null && scope.equals("chip")) {
            throw new io.dojosim.core.config.ConfigException("--chips: chip members need --scope tile, tray or pod (the system to take them from), not chip");
        }
        int[] chipList = chips != null ? parseChips(chips) : null;
        ResolvedConfig c = config.resolve();
        String built = c.getString("pod.system.scope");
        if ("default".equals(c.origins().get("pod.system.scope"))) {
            // build only what the collective needs, unless the config says otherwise
            built = scope.equals("chip") ? "tile" : scope;
            c = c.with("pod.system.scope", built, "--scope " + scope);
        }
        SystemChecks.check(c);
        CollectiveAlgorithm a = CollectiveAlgorithm.parse(algorithm != null ? algorithm : c.getString("pod.collective.algorithm"));
        Simulator sim = new Simulator(c.getLong("sim.seed"),
                io.dojosim.core.engine.PendingEventSets.of(c.getString("sim.eventSet")));
        sim.useWorkers(workers); // the chip mesh of --scope chip splits its routers over them
        PodSimulation ps = new PodSimulation(sim, Machine.build(c), c.getInt("pod.collective.chunks"), c.getInt("pod.collective.pipelineDepth"));
        // the region of interest (pod.coarse.chipFidelity = packet or flit): transfers between two
        // nodes of chip pod.coarse.roiChip on sim-noc's mesh, everything else on the flow model
        RegionTransport t = new RegionTransport(ps.network(), c);
        String fidelity = t.fidelity();
        CollectiveGroup g;
        if (scope.equals("chip")) {
            g = t.roiChip() >= 0 ? CollectiveGroup.nodesOfChip(ps.machine().topology(), t.roiChip())
                    : CollectiveGroup.forScope(ps.machine().topology(), scope);
        } else {
            g = chips != null ? CollectiveGroup.ofChips(ps.machine().topology(), "chips " + chips, chipList)
                    : CollectiveGroup.forScope(ps.machine().topology(), scope);
            if (members.equals("nodes")) g = CollectiveGroup.nodesOfChips(ps.machine().topology(), g);
        }
        io.dojosim.pod.collective.CollectiveAdmission.check(g.size(), "--scope " + scope + " --members " + (scope.equals("chip") ? "nodes" : members),
                Runtime.getRuntime().maxMemory());
        CollectiveAlgorithm requested = a;
        double[] estimates = null;
        if (a == CollectiveAlgorithm.AUTO) {
            AlgorithmSelector sel = new AlgorithmSelector(ps.machine().topology(), c.getInt("pod.collective.chunks"),
                    c.getInt("pod.collective.pipelineDepth"));
            estimates = sel.estimates(o, g, size);
            a = AlgorithmSelector.best(estimates);
        }
        Collective col = new Collective(t, ps.machine().topology(), o, a, g, size, c.getInt("pod.collective.chunks"),
                c.getInt("pod.collective.pipelineDepth"));
        col.start(null, 0);
        sim.run();
        CollectiveResult r = col.result();
        if (r == null) {
            throw new io.dojosim.core.engine.SimulationError("pod.collective", sim.now(), "the collective did not finish");
        }
        LevelUtilization[] util = ps.utilization();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s %s over %s (%d members, system scope %s, fidelity: %s), %s per member, %d chunk(s), pipeline depth %d%n",
                o.cliName(), a.cliName(), g.name(), r.members(), built, fidelity, bytes, c.getInt("pod.collective.chunks"),
                c.getInt("pod.collective.pipelineDepth"));
        if (estimates != null) {
            CollectiveAlgorithm[] cand = CollectiveAlgorithm.concrete();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cand.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(cand[i].cliName()).append(String.format(Locale.ROOT, " %.6f ms", estimates[i] * 1e3));
            }
            out.printf(Locale.ROOT, "  auto chose           %s (alpha-beta estimates: %s)%n", a.cliName(), sb);
        }
        out.printf(Locale.ROOT, "  time                 %.6f ms%n", r.timeSeconds() * 1e3);
        out.printf(Locale.ROOT, "  algorithm bandwidth  %.2f GB/s%n", r.algBandwidthGBps());
        out.printf(Locale.ROOT, "  bus bandwidth        %.2f GB/s (x %.4f)%n", r.busBandwidthGBps(), o.busFactor(r.members()));
        out.printf(Locale.ROOT, "  alpha-beta estimate  %.6f ms (time / estimate = %.4f)%n", r.alphaBetaBoundSeconds() * 1e3, r.ratioToBound());
        out.printf(Locale.ROOT, "  transfers            %d%n", r.transfers());
        double[] meshUtil = t.meshLinkUtilization(sim.now());
        if (!fidelity.equals("flow")) {
            out.printf(Locale.ROOT, "  region               %d chip mesh(es): %d transfers on the meshes alone, %d crossing a mesh edge, %d on the flow model alone%n",
                    t.meshedChips().length, t.meshTransfers(), t.crossingTransfers(), t.flowTransfers());
            out.printf(Locale.ROOT, "  mesh messages        %d%n", t.meshMessages());
        }
        out.printf(Locale.ROOT, "%nLink utilization over the collective%n  %-14s %9s %9s %14s %8s %8s%n", "level", "links", "used", "bytes", "mean", "max");
        List<Map<String, Object>> levels = new ArrayList<>();
        for (LevelUtilization u : util) {
            if (u.linksUsed() == 0) continue;
            out.printf(Locale.ROOT, "  %-14s %9d %9d %14.4g %7.2f%% %7.2f%%%n", u.kind().label(), u.links(), u.linksUsed(), u.bytes(),
                    100 * u.meanUtilization(), 100 * u.maxUtilization());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", u.kind().name().toLowerCase(Locale.ROOT));
            m.put("links", u.links());
            m.put("linksUsed", u.linksUsed());
            m.put("bytes", u.bytes());
            m.put("meanUtilization", u.meanUtilization());
            m.put("maxUtilization", u.maxUtilization());
            levels.add(m);
        }
        if (meshUtil[0] > 0) {
            out.printf(Locale.ROOT, "  %-14s %9d %9d %14.4g %7.2f%% %7.2f%%%n", "chip mesh (noc)", (long) meshUtil[0], (long) meshUtil[1],
                    meshUtil[4], 100 * meshUtil[2], 100 * meshUtil[3]);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", "region_mesh");
            m.put("links", (long) meshUtil[0]);
            m.put("linksUsed", (long) meshUtil[1]);
            m.put("bytes", meshUtil[4]);
            m.put("meanUtilization", meshUtil[2]);
            m.put("maxUtilization", meshUtil[3]);
            levels.add(m);
        }
        out.flush();
        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("op", o.cliName());
            m.put("algorithm", a.cliName());
            m.put("requestedAlgorithm", requested.cliName());
            if (estimates != null) {
                Map<String, Object> e = new LinkedHashMap<>();
                CollectiveAlgorithm[] cand = CollectiveAlgorithm.concrete();
                for (int i = 0; i < cand.length; i++) e.put(cand[i].cliName(), estimates[i]);
                m.put("autoEstimatesSeconds", e);
            }
            m.put("scope", scope);
            m.put("memberKind", scope.equals("chip") ? "nodes" : members);
            m.put("systemScope", built);
            m.put("fidelity", t.roiChip() >= 0 ? c.getString("pod.coarse.chipFidelity") : "flow");
            m.put("roiChip", t.roiChip());
            m.put("regionChips", java.util.Arrays.stream(t.regionChips()).boxed().toList());
            m.put("meshTransfers", t.meshTransfers());
            m.put("crossingTransfers", t.crossingTransfers());
            m.put("flowTransfers", t.flowTransfers());
            m.put("meshMessages", t.meshMessages());
            m.put("members", r.members());
            m.put("bytes", size);
            m.put("chunks", c.getInt("pod.collective.chunks"));
            m.put("pipelineDepth", c.getInt("pod.collective.pipelineDepth"));
            m.put("timeSeconds", r.timeSeconds());
            m.put("algBandwidthGBps", r.algBandwidthGBps());
            m.put("busBandwidthGBps", r.busBandwidthGBps());
            m.put("alphaBetaBoundSeconds", r.alphaBetaBoundSeconds());
            m.put("timeOverBound", r.ratioToBound());
            m.put("transfers", r.transfers());
            m.put("linkUtilization", levels);
            m.put("host", ThreadsOption.report(workers, "routerEvaluations"));
            Output.writeJson(json, m);
        }
        return ExitCodes.OK;
    }

    /** @return the chips of a list such as {@code 0-4,25,50-74} (ranges inclusive) */
    static int[] parseChips(String list) {
        List<Integer> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                if (lo < 0 || hi < lo || hi > 1_000_000) throw new NumberFormatException();
                for (int ch = lo; ch <= hi; ch++) out.add(ch);
            } catch (NumberFormatException e) {
                throw new io.dojosim.core.config.ConfigException("--chips: '" + p + "' is not a chip id or range; allowed: a list such as 0-4,25,50-74");
            }
        }
        if (out.size() < 2) throw new io.dojosim.core.config.ConfigException("--chips: '" + list + "' names fewer than 2 chips");
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
