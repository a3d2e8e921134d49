package io.dojosim.pod.defect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.random.RandomStreams;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.step.StepParams;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.workload.DataType;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defect maps drawn from rates, and straggler pacing of a simulated step. */
class DefectsTest {
    @Test
    void aMapIsAPureFunctionOfItsStreamAndKeepsTheConfigsDeadChips() {
        DefectMap.Rates r = new DefectMap.Rates(2.0, 3.0, 0.1, 1.5);
        DefectMap a = DefectMap.draw(r, 6, 5, 5, List.of("3,4,4"), new RandomStreams(11).stream("montecarlo.sample[3]"));
        DefectMap b = DefectMap.draw(r, 6, 5, 5, List.of("3,4,4"), new RandomStreams(11).stream("montecarlo.sample[3]"));
        assertEquals(a, b);
        assertTrue(a.deadChips().contains("3,4,4"));
        for (String s : a.slowChips().keySet()) {
            assertTrue(!a.deadChips().contains(s), "a dead chip is not also slow: " + s);
        }
        for (double s : a.slowChips().values()) {
            assertTrue(s >= 1.0 && s <= 1.5, "slowdown in [1, 1.5]: " + s);
        }
    }

    @Test
    void drawnRatesMatchTheirMeans() {
        // 4,000 tiles: the dead chips' mean is the Poisson mean, the slow share the fraction (fixed seed: the figures are exact)
        DefectMap m = DefectMap.draw(new DefectMap.Rates(0.3, 0.5, 0.02, 1.3), 4000, 5, 5, List.of(), new RandomStreams(5).stream("t"));
        double deadPerTile = m.deadChips().size() / 4000.0;
        double slowShare = m.slowChips().size() / (100_000.0 - m.deadChips().size());
        assertEquals(0.3, deadPerTile, 0.03, "dead chips per tile");
        assertEquals(0.02, slowShare, 0.002, "slow chip share");
        assertEquals(0.5, m.deadLinks().size() / 4000.0, 0.05, "dead links per tile");
        assertEquals(m.deadLinks().size(), new java.util.HashSet<>(m.deadLinks()).size(), "distinct links");
        for (String l : m.deadLinks()) {
            String[] f = l.split(",");
            int x = Integer.parseInt(f[1]);
            int y = Integer.parseInt(f[2]);
            assertTrue(f[3].equals("E") ? x < 4 && y < 5 : f[3].equals("N") && x < 5 && y < 4, "a link between two chips of the tile: " + l);
        }
        assertEquals(0, DefectMap.draw(new DefectMap.Rates(0, 0, 0, 1), 10, 5, 5, List.of(), new RandomStreams(5).stream("t")).deadChips().size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSlowestChipPacesTheStepAndItsStaticPowerRunsForTheAddedTime() {
        ResolvedConfig c = new ParamCatalog(StepParams.allGroups()).defaults().with("pod.system.scope", "tile", "test")
                .with("run.mapping.replicaChips", 5, "test");
        Map<String, Object> s = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), Generators.generate("resnet50", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32)
                .withBatchSize(4)), StepExecutor.TimelineSink.NONE).summary();
        assertSame(s, Straggler.pace(s, 1.0), "no slow chip, nothing to pace");
        Map<String, Object> p = Straggler.pace(s, 1.5);
        double step = (Double) s.get("stepTimeSeconds");
        double compute = (Double) s.get("computeSeconds");
        double paced = (Double) p.get("stepTimeSeconds");
        // every replica waits at the all-reduce for the one whose chip computes 1.5 x slower
        assertEquals(step + 0.5 * compute, paced, 1e-15);
        assertEquals((Double) s.get("samplesPerSecond") * step / paced, (Double) p.get("samplesPerSecond"), 1e-6);
        Map<String, Object> e0 = (Map<String, Object>) s.get("energy");
        Map<String, Object> e1 = (Map<String, Object>) p.get("energy");
        double idle = ((Map<String, Object>) e0.get("staticWattsByLevel")).values().stream().mapToDouble(v -> (Double) v).sum();
        double overhead = 1.30;
        assertEquals((Double) e0.get("joulesPerStep") + idle * overhead * (paced - step), (Double) e1.get("joulesPerStep"), 1e-9);
        double levels = ((Map<String, Object>) e1.get("byLevel")).values().stream().mapToDouble(v -> (Double) v).sum();
        double classes = ((Map<String, Object>) e1.get("byClass")).values().stream().mapToDouble(v -> (Double) v).sum();
        assertEquals((Double) e1.get("joulesPerStep"), levels, 1e-9);
        assertEquals((Double) e1.get("joulesPerStep"), classes, 1e-9);
        // the step's own energy is conserved too: levels and classes sum to the total
        double levels0 = ((Map<String, Object>) e0.get("byLevel")).values().stream().mapToDouble(v -> (Double) v).sum();
        assertEquals((Double) e0.get("joulesPerStep"), levels0, 1e-9);
        assertEquals(1.5, ((Map<String, Object>) p.get("straggler")).get("maxSlowdown"));
    }
}
