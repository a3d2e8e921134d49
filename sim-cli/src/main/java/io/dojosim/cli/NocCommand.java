package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.bind.CoreBinding;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.bind.D1Binding;
import io.dojosim.noc.bind.NocBinding;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.pod.scenario.NocScenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dojosim noc}: a synthetic-traffic experiment on one mesh, one row per offered load, with
 * BookSim2's measurement method (docs/model/noc.md). {@code --preset booksim} sets the router,
 * channels, buffers, allocators and measurement exactly as BookSim2's mesh_base.cfg; the other
 * options still apply on top.
 */
@Command(name = "noc", mixinStandardHelpOptions = true,
        description = "Synthetic-traffic experiment on the 2D-mesh network-on-chip (one row per offered load).")
public final class NocCommand extends SimulatingCommand {
    @Option(names = "--mesh", paramLabel = "WxH", description = "Mesh size, e.g. 8x8 (default: d1.chip.meshWidth x meshHeight; 8x8 with --preset booksim).")
    String mesh;

    @Option(names = "--d1-die", description = "Disable the sites of d1.chip.disabledSites (needs --routing table).")
    boolean d1Die;

    @Option(names = "--traffic", paramLabel = "NAME", defaultValue = "uniform",
            description = "uniform, transpose, bitcomp, bitrev, shuffle, tornado, neighbor, hotspot:N1+N2@F (default: ${DEFAULT-VALUE}).")
    String traffic;

    @Option(names = "--rate", paramLabel = "R", description = "Offered load in flits/node/cycle; repeatable.")
    List<Double> rates = new ArrayList<>();

    @Option(names = "--rates", paramLabel = "FROM:TO:STEP", description = "A range of offered loads, e.g. 0.05:0.4:0.05.")
    String rateRange;

    @Option(names = "--packet-flits", paramLabel = "N", description = "Flits per packet (noc.packetFlits).")
    Integer packetFlits;

    @Option(names = "--vcs", paramLabel = "N", description = "Virtual channels per port (noc.vcs).")
    Integer vcs;

    @Option(names = "--buffer-flits", paramLabel = "N", description = "Flits per VC buffer (noc.bufferFlits).")
    Integer bufferFlits;

    @Option(names = "--routing", paramLabel = "xy|yx|table", description = "Routing (noc.routing).")
    String routing;

    @Option(names = "--fidelity", paramLabel = "flit|packet", description = "Network fidelity (noc.fidelity).")
    String fidelity;

    @Option(names = "--warmup-cycles", paramLabel = "N", description = "Warm-up cycles (noc.measure.warmupCycles).")
    Long warmupCycles;

    @Option(names = "--measure-cycles", paramLabel = "N", description = "Fixed measurement window; 0 = BookSim2 sample periods (noc.measure.measureCycles).")
    Long measureCycles;

    @Option(names = "--preset", paramLabel = "NAME", description = "booksim: BookSim2's mesh_base.cfg router and measurement.")
    String preset;

    @Option(names = "--json", paramLabel = "FILE", description = "Write one JSON object per rate to FILE (an array).")
    Path json;

    /** The config keys --preset booksim sets, as mesh_base.cfg describes the router. */
    static final List<String> BOOKSIM = List.of("noc.routingDelayCycles=1", "noc.vcAllocDelayCycles=1",
            "noc.swAllocDelayCycles=1", "noc.stDelayCycles=1", "noc.speculativeSwitchAlloc=false", "noc.linkLatencyCycles=1", "noc.creditDelayCycles=0",
            "noc.vcs=2", "noc.bufferFlits=8", "noc.packetFlits=1", "noc.routing=xy", "noc.fidelity=flit",
            "noc.injectionFlitsPerCycle=1.0", "noc.ejectionFlitsPerCycle=1.0", "noc.measure.warmupCycles=3000",
            "noc.measure.measureCycles=0", "noc.measure.samplePeriodCycles=1000", "noc.measure.maxSamplePeriods=10",
            "noc.measure.convergenceThreshold=0.05", "noc.measure.latencyThresholdCycles=500", "noc.measure.mode=latency");

    @Override
    public Integer call() {
        int threads = threadsOption.threads();
        if (json != null) io.dojosim.cli.files.RunFolder.checkFile(json, "--json");
        boolean booksim = false;
        if (preset != null) {
            if (!preset.equals("booksim")) throw new ConfigException("--preset '" + preset + "' is unknown; allowed: booksim");
            booksim = true;
            config.overrides.addAll(0, BOOKSIM);
        }
        if (packetFlits != null) config.addOverride("noc.packetFlits", packetFlits);
        if (vcs != null) config.addOverride("noc.vcs", vcs);
        if (bufferFlits != null) config.addOverride("noc.bufferFlits", bufferFlits);
        if (routing != null) config.addOverride("noc.routing", routing);
        if (fidelity != null) config.addOverride("noc.fidelity", fidelity);
        if (warmupCycles != null) config.addOverride("noc.measure.warmupCycles", warmupCycles);
        if (measureCycles != null) config.addOverride("noc.measure.measureCycles", measureCycles);
        ResolvedConfig c = config.resolve();
        NocParams p = NocBinding.noc(c);
        MeshShape shape;
        if (mesh != null) {
            shape = MeshShape.parse(mesh);
        } else if (booksim) {
            shape = MeshShape.full(8, 8);
        } else {
            io.dojosim.d1.chip.ChipParams die = D1Binding.chip(c);
            shape = MeshShape.full(die.meshWidth(), die.meshHeight());
        }
        if (d1Die) {
            shape = MeshShape.withDisabledSites(shape.width(), shape.height(), D1Binding.chip(c).disabledSites());
            if (p.routing() != NocParams.Routing.TABLE) {
                throw new ConfigException("--d1-die disables sites that dimension-order routing cannot avoid; add --routing table");
            }
        }
        shape = shape.withDeadLinks(p.deadLinks()); // checked here (exit 2 naming the link); the engine adds them again, idempotently
        List<Double> all = new ArrayList<>(rates);
        if (rateRange != null) all.addAll(parseRange(rateRange));
        NocScenario sc = NocScenario.bind(p, new NocScenario.Request(shape, traffic, all, CoreBinding.sim(c).seed()));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "# mesh %s, traffic %s, %s fidelity, routing %s, %d VCs x %d flits, %d-flit packets, seed %d%n",
                shape, sc.patternName(), p.fidelity().name().toLowerCase(Locale.ROOT),
                // with dead links every route is up*/down* (ADR 0101), whatever noc.routing says
                p.deadLinks().isEmpty() ? p.routing().name().toLowerCase(Locale.ROOT) : "up*/down* around the dead links",
                p.vcs(), p.bufferFlits(), p.packetFlits(), sc.request().seed());
        out.printf(Locale.ROOT, "%8s %10s %10s %10s %8s %7s %6s %10s %8s%n", "rate", "accepted", "pkt_lat", "net_lat",
                "p99_lat", "hops", "sat", "cycles", "wall_s");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double r : sc.request().rates()) {
            ExperimentResult e;
            Map<String, Object> host;
            try (io.dojosim.core.engine.Workers workers = new io.dojosim.core.engine.Workers(threads); ProgressLine progress = ProgressLine.start(spec)) {
                e = sc.run(r, workers);
                host = ThreadsOption.report(workers, "routerEvaluations");
            }
            out.printf(Locale.ROOT, "%8.4f %10.4f %10.2f %10.2f %8d %7.3f %6s %10d %8.2f%n", r, e.acceptedFlitsPerNodePerCycle(),
                    e.avgPacketLatencyCycles(), e.avgNetworkLatencyCycles(), e.p99PacketLatencyCycles(), e.avgHops(),
                    e.saturated() ? "yes" : "no", e.simulatedCycles(), e.wallSeconds());
            out.flush();
            if (json == null) continue; // the JSON rows are built only to be written (their classes cost a short command's start)
            Map<String, Object> m = ResultJson.noc(r, e);
            // host measurements only under host: two identical runs write identical files apart from it
            Map<String, Object> measured = new LinkedHashMap<>();
            measured.put("wallSeconds", e.wallSeconds());
            measured.put("routerCyclesPerSecond", e.routerCyclesPerSecond());
            measured.putAll(host);
            m.put("host", measured);
            rows.add(m);
        }
        if (json != null) Output.writeJson(json, rows);
        return 0;
    }

    /** The most offered loads one command runs. */
    static final int MAX_RATES = 10_000;

    static List<Double> parseRange(String s) {
        String[] f = s.split(":");
        try {
            if (f.length != 3) throw new NumberFormatException();
            double from = Double.parseDouble(f[0]);
            double to = Double.parseDouble(f[1]);
            double step = Double.parseDouble(f[2]);
            if (!(step > 0) || to < from) throw new NumberFormatException();
            double count = Math.floor((to - from) / step + 1e-9) + 1;
            if (count > MAX_RATES) {
                throw new ConfigException("--rates '" + s + "' gives " + (long) Math.min(count, Long.MAX_VALUE) + " rates; allowed: at most "
                        + MAX_RATES + " (a larger STEP or a narrower FROM:TO)");
            }
            List<Double> out = new ArrayList<>();
            for (int i = 0; ; i++) {
                double r = Math.round((from + i * step) * 1e9) / 1e9;
                if (r > to + 1e-9) break;
                out.add(r);
            }
            return out;
        } catch (NumberFormatException e) {
            throw new ConfigException("--rates '" + s + "' is not FROM:TO:STEP with FROM <= TO and STEP > 0, e.g. 0.05:0.4:0.05");
        }
    }
}
