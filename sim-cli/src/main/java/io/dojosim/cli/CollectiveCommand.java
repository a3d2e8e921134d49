package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.core.config.Sizes;
import io.dojosim.pod.LevelUtilization;
import io.dojosim.pod.MeshLinkUsage;
import io.dojosim.pod.scenario.CollectiveScenario;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectivePrimitive;
import io.dojosim.pod.collective.CollectiveResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dojosim collective}: runs one collective as traffic on the flow model of the machine and
 * prints its time, algorithm and bus bandwidth (NCCL's definitions), the alpha-beta estimate of
 * the same schedule and the utilization of each level's links.
 */
@Command(name = "collective", mixinStandardHelpOptions = true,
        description = "Simulate one collective (all-reduce, reduce-scatter, all-gather, all-to-all, broadcast) on the machine.")
public final class CollectiveCommand extends SimulatingCommand {
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
        if ("default".equals(c.origins().get("pod.system.scope"))) {
            // build only what the collective needs, unless the config says otherwise
            c = c.with("pod.system.scope", scope.equals("chip") ? "tile" : scope, "--scope " + scope);
        }
        SystemSpec s = SystemChecks.bind(c);
        CollectiveScenario.Request q = new CollectiveScenario.Request(o, algorithm != null ? CollectiveAlgorithm.parse(algorithm) : null, scope,
                members.equals("nodes"), chipList == null ? null : java.util.Arrays.stream(chipList).boxed().toList(), chips, size);
        CollectiveScenario.Result r = CollectiveScenario.run(s, q, workers);
        print(spec.commandLine().getOut(), r, bytes);
        if (json != null) {
            Map<String, Object> m = ResultJson.collective(r);
            m.put("host", ThreadsOption.report(workers, "routerEvaluations"));
            Output.writeJson(json, m);
        }
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, CollectiveScenario.Result r, String bytes) {
        CollectiveResult cr = r.collective();
        CollectivePrimitive o = cr.op();
        out.printf(Locale.ROOT, "%s %s over %s (%d members, system scope %s, fidelity: %s), %s per member, %d chunk(s), pipeline depth %d%n",
                o.cliName(), r.algorithm().cliName(), r.groupName(), cr.members(), r.systemScope(), r.transportFidelity(), bytes, r.chunks(),
                r.pipelineDepth());
        if (!r.autoEstimates().isEmpty()) {
            CollectiveAlgorithm[] cand = CollectiveAlgorithm.concrete();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cand.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(cand[i].cliName()).append(String.format(Locale.ROOT, " %.6f ms", r.autoEstimates().get(i) * 1e3));
            }
            out.printf(Locale.ROOT, "  auto chose           %s (alpha-beta estimates: %s)%n", r.algorithm().cliName(), sb);
        }
        out.printf(Locale.ROOT, "  time                 %.6f ms%n", cr.timeSeconds() * 1e3);
        out.printf(Locale.ROOT, "  algorithm bandwidth  %.2f GB/s%n", cr.algBandwidthGBps());
        out.printf(Locale.ROOT, "  bus bandwidth        %.2f GB/s (x %.4f)%n", cr.busBandwidthGBps(), o.busFactor(cr.members()));
        out.printf(Locale.ROOT, "  alpha-beta estimate  %.6f ms (time / estimate = %.4f)%n", cr.alphaBetaBoundSeconds() * 1e3, cr.ratioToBound());
        out.printf(Locale.ROOT, "  transfers            %d%n", cr.transfers());
        if (!r.transportFidelity().equals("flow")) {
            out.printf(Locale.ROOT, "  region               %d chip mesh(es): %d transfers on the meshes alone, %d crossing a mesh edge, %d on the flow model alone%n",
                    r.meshedChips(), r.meshTransfers(), r.crossingTransfers(), r.flowTransfers());
            out.printf(Locale.ROOT, "  mesh messages        %d%n", r.meshMessages());
        }
        out.printf(Locale.ROOT, "%nLink utilization over the collective%n  %-14s %9s %9s %14s %8s %8s%n", "level", "links", "used", "bytes", "mean", "max");
        for (LevelUtilization u : r.levels()) {
            if (u.linksUsed() == 0) continue;
            out.printf(Locale.ROOT, "  %-14s %9d %9d %14.4g %7.2f%% %7.2f%%%n", u.kind().label(), u.links(), u.linksUsed(), u.bytes(),
                    100 * u.meanUtilization(), 100 * u.maxUtilization());
        }
        MeshLinkUsage mesh = r.mesh();
        if (mesh.links() > 0) {
            out.printf(Locale.ROOT, "  %-14s %9d %9d %14.4g %7.2f%% %7.2f%%%n", "chip mesh (noc)", mesh.links(), mesh.linksUsed(),
                    mesh.bytes(), 100 * mesh.meanUtilization(), 100 * mesh.maxUtilization());
        }
        out.flush();
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
