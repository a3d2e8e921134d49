package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.engine.Workers;
import io.dojosim.core.stats.StatDef;
import io.dojosim.core.stats.StatGroup;
import io.dojosim.core.stats.StatsRegistry;
import io.dojosim.core.stats.Unit;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.chip.ChipParams;
import io.dojosim.d1.chip.D1Chip;
import io.dojosim.d1.kernel.ChipKernels;
import io.dojosim.d1.node.NodeProgram;
import io.dojosim.noc.NocParams;
import io.dojosim.pod.Machine;
import io.dojosim.pod.PodSimulation;
import io.dojosim.pod.catalog.ModelCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 4: every statistic a run writes is declared by its model ({@link ModelCatalog#stats()}),
 * with the unit it is written in, and every declaration is written by some run. The runs: the tile's
 * ResNet-50 step (plan fixed so it is quick), a flit region of a small step (a chip mesh in the run),
 * a chip GEMM kernel (every node and the chip's mesh) and the pod flow network of
 * {@code dojosim collective}.
 */
class StatisticsCatalogTest {
    @TempDir
    Path dir;

    private static final String WORKLOAD = Path.of("src", "test", "resources", "workloads", "three-gemms.yaml").toString();

    /** Leaf statistic name to its unit symbol, from a stats.json tree. */
    @SuppressWarnings("unchecked")
    private static void leaves(Map<String, Object> tree, String prefix, Map<String, String> out) {
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (m.containsKey("unit") && m.containsKey("description")) {
                out.put(name, (String) m.get("unit"));
            } else {
                leaves(m, name, out);
            }
        }
    }

    private static Map<String, String> leaves(Map<String, Object> stats) {
        Map<String, String> out = new TreeMap<>();
        leaves(stats, "", out);
        return out;
    }

    /**
     * A name several declarations match belongs to the most specific one (most literal characters,
     * {@link StatDef#literalLength}); two equally specific matches are an error.
     *
     * @param used collects the declarations some statistic matched
     * @return one line per statistic that no declaration matches or whose unit differs from its declaration's
     */
    private static List<String> violations(Map<String, String> written, Set<StatDef> used) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, String> e : written.entrySet()) {
            StatDef match = null;
            for (StatGroup g : ModelCatalog.stats()) {
                for (StatDef d : g.stats()) {
                    if (d.matches(e.getKey())) {
                        if (match != null && match.literalLength() == d.literalLength()) {
                            bad.add(e.getKey() + ": matches both " + match.path() + " and " + d.path());
                        }
                        if (match == null || d.literalLength() > match.literalLength()) match = d;
                    }
                }
            }
            if (match == null) {
                bad.add(e.getKey() + ": written but not declared");
            } else {
                used.add(match);
                if (!match.unit().symbol().equals(e.getValue())) {
                    bad.add(e.getKey() + ": written in " + e.getValue() + ", declared in " + match.unit().symbol());
                }
            }
        }
        return bad;
    }

    @Test
    void everyStatisticOfAStepAKernelARegionAndTheCollectiveNetworkIsDeclaredWithItsUnit() {
        Map<String, String> written = new TreeMap<>();
        ConfigLoader loader = new ConfigLoader(Catalog.get());
        try (Workers w = new Workers(1)) {
            ResolvedConfig tile = loader.resolve(Path.of("..", "configs", "training-tile.yaml"),
                    List.of("run.workload=resnet50", "run.mapping.replicaChips=5", "run.batchPerReplica=2"));
            Map<String, String> step = leaves(RunService.run(tile, dir.resolve("step"), null, w).stats());
            assertTrue(step.containsKey("run.stepTimePs") && step.containsKey("run.replica[0].messageLatencyPs"), step.keySet().toString());
            written.putAll(step);

            ResolvedConfig region = loader.resolve(null, List.of("pod.system.scope=tile", "run.workload=" + WORKLOAD,
                    "run.mapping.replicaChips=1", "pod.collective.algorithm=ring", "pod.coarse.chipFidelity=flit", "pod.coarse.roiChip=0"));
            Map<String, String> roi = leaves(RunService.run(region, dir.resolve("region"), null, w).stats());
            assertTrue(roi.containsKey("pod.roi.chip[0].noc.hops"), roi.keySet().toString());
            written.putAll(roi);
        }

        // the chip GEMM kernel as ChipSimulation.gemm assembles it
        ResolvedConfig chipCfg = loader.resolve(null, List.of());
        NodeParams np = io.dojosim.d1.bind.D1Binding.node(chipCfg);
        ChipParams cp = io.dojosim.d1.bind.D1Binding.chip(chipCfg);
        ChipKernels.GemmPlan plan = ChipKernels.plan(np, cp.shape(), 128, 128, 128, DType.BF16, cp.gemmPanelK(), cp.gemmGrid().equals("rectangle"));
        NodeProgram[] progs = ChipKernels.gemm(np, cp.activeNodes(), plan, 128, 128, 128, DType.BF16);
        Simulator sim = new Simulator(1);
        D1Chip chip = new D1Chip(sim, "chip", cp, np, io.dojosim.noc.bind.NocBinding.noc(chipCfg), progs);
        chip.start();
        sim.run();
        assertTrue(chip.finished());
        Map<String, String> kernel = leaves(sim.stats().snapshot(sim.now()));
        assertTrue(kernel.containsKey("chip.node[1,0].flops.bf16") && kernel.containsKey("chip.noc.messages"), kernel.size() + " statistics");
        written.putAll(kernel);

        Simulator podSim = new Simulator(1);
        new PodSimulation(podSim, Machine.build(io.dojosim.pod.bind.SpecBinder.bind(loader.resolve(null, List.of("pod.system.scope=tile")))));
        written.putAll(leaves(podSim.stats().snapshot(0)));

        Set<StatDef> used = new LinkedHashSet<>();
        List<String> bad = violations(written, used);
        assertEquals(List.of(), bad, "statistics written that the catalog (ModelCatalog.stats) does not declare, or in another unit");
        List<String> unused = new ArrayList<>();
        for (StatGroup g : ModelCatalog.stats()) {
            for (StatDef d : g.stats()) {
                if (!used.contains(d)) unused.add(g.model() + ": " + d.path());
            }
        }
        assertEquals(List.of(), unused, "declarations no run wrote");
    }

    @Test
    void theCheckFailsOnAStatisticNobodyDeclaredAndOnAWrongUnit() {
        StatsRegistry r = new StatsRegistry();
        r.counter("run.somethingNew", Unit.COUNT, "a statistic registered by string, without a declaration");
        r.counter("chip.node[0,0].sram.loadBytes", Unit.COUNT, "declared in bytes, written as a count");
        r.distribution("run.stepTimePs", Unit.PS, "simulated time of each training step");
        List<String> bad = violations(leaves(r.snapshot(0)), new LinkedHashSet<>());
        assertEquals(List.of("chip.node[0,0].sram.loadBytes: written in count, declared in bytes", "run.somethingNew: written but not declared"), bad);
    }

    @Test
    void describeStatsListsEveryModelsDeclarationsWithUnitAndKind() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("describe", "--stats");
        assertEquals(0, rc, err.toString());
        String s = out.toString();
        for (StatGroup g : ModelCatalog.stats()) {
            assertTrue(s.contains(g.model() + " - " + g.description()), g.model());
            for (StatDef d : g.stats()) {
                assertTrue(s.contains("  " + d.path() + "  [" + d.unit().symbol() + ", " + d.kind().label() + "]\n      " + d.description() + "\n"),
                        d.path());
            }
        }
        assertTrue(s.contains("  <node>.thread[{t}].stall.{reason}  [cycles, counter]"), s);

        out = new StringWriter();
        assertEquals(0, Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("describe", "--stats", "MeshNetwork"));
        assertTrue(out.toString().contains("<mesh>.hops  [hops, distribution]") && !out.toString().contains("D1Node"), out.toString());

        err = new StringWriter();
        assertEquals(2, Main.newCommandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute("describe", "--stats", "Router"));
        assertTrue(err.toString().contains("no model 'Router'; models: D1Node, MeshNetwork"), err.toString());
    }
}
