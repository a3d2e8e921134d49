package io.dojosim.pod.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.pod.bind.SpecBinder;
import io.dojosim.pod.catalog.ModelCatalog;
import io.dojosim.pod.step.StepSummary;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** The run scenario: a fixed plan accounted at a global batch, and a plan search on a small grid. */
class StepScenarioTest {
    private static ResolvedConfig config(String... sets) {
        ResolvedConfig c = new ParamCatalog(ModelCatalog.params()).defaults();
        for (String s : sets) {
            int eq = s.indexOf('=');
            c = c.with(s.substring(0, eq), s.substring(eq + 1), "test");
        }
        return c;
    }

    private static final LongFunction<Workload> RESNET = b -> Generators.generate("resnet50",
            GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(b));

    @Test
    void aFixedPlanAtAGlobalBatchCountsOnlyTheUsefulSamples() {
        // 5 replicas of 5 chips, 4 samples each: 20 samples run, 18 of them the global batch
        ResolvedConfig c = config("pod.system.scope=tile", "run.mapping.replicaChips=5", "run.batchPerReplica=4", "run.globalBatch=18");
        StepScenario.Result r = StepScenario.run(SpecBinder.bind(c), new StepScenario.Request(RESNET.apply(4), RESNET, 0, null, null),
                Workers.single());
        assertNull(r.search(), "run.mapping.replicaChips fixes the plan: no search");
        StepSummary ran = r.report().summary();
        StepSummary s = r.summary();
        assertEquals(5, r.report().plan().dataParallel());
        assertEquals(20, ran.workload().samplesPerStep());
        assertEquals(18, s.workload().samplesPerStep());
        assertEquals(18, s.workload().globalBatch().samples());
        assertEquals(2, s.workload().globalBatch().paddingSamples().getAsLong());
        assertEquals("run.globalBatch", s.workload().globalBatch().source());
        // the step is the one simulated; rates, FLOPs and MFU count 18 of the 20 samples
        assertEquals(ran.stepTimeSeconds(), s.stepTimeSeconds());
        assertEquals(18 / s.stepTimeSeconds(), s.samplesPerSecond(), 1e-9 * s.samplesPerSecond());
        assertEquals(ran.modeledFlops() * 0.9, s.modeledFlops(), 1e-9 * s.modeledFlops());
        assertEquals(ran.mfu() * 0.9, s.mfu(), 1e-12);
        // samples per joule follow the accounted samples, the joules are the simulated step's
        assertEquals(ran.energy().joulesPerStep(), s.energy().joulesPerStep());
        assertEquals(18 / s.energy().joulesPerStep(), s.energy().samplesPerJoule(), 1e-12 * s.energy().samplesPerJoule());
        assertEquals(20 / ran.energy().joulesPerStep(), ran.energy().samplesPerJoule(), 1e-12 * ran.energy().samplesPerJoule());
    }

    @Test
    void anOpenPlanIsSearchedAndTheChosenSimulationIsReported() {
        // the plan search's small grid: a 2 x 2-chip tile, resnet50 at a global batch of 8
        ResolvedConfig c = config("pod.system.scope=tile", "pod.tile.chipsX=2", "pod.tile.chipsY=2", "pod.dip.perTileEdge=2",
                "run.globalBatch=8");
        StepScenario.Result r = StepScenario.run(SpecBinder.bind(c), new StepScenario.Request(null, RESNET, 8, "test", null),
                Workers.single());
        assertNotNull(r.search());
        StepSummary s = r.summary();
        assertEquals(r.search().chosen().simulatedSeconds(), s.stepTimeSeconds(), "the reported step is the chosen candidate's simulation");
        assertEquals(r.search().chosen().why(), s.plan().reason());
        assertEquals(8, s.plan().search().globalBatch());
        assertEquals(Math.min(10, r.search().outcomes().size()), s.plan().search().top().size());
        assertEquals(8, s.workload().samplesPerStep());
        assertEquals(r.search().chosen().candidate().dataParallel(), s.plan().dataParallel());
        assertTrue(r.spec().run().planFixed(), "the reported spec has the chosen plan fixed");
        // the same request again gives the same result (records compare by value)
        StepScenario.Result again = StepScenario.run(SpecBinder.bind(c), new StepScenario.Request(null, RESNET, 8, "test", null),
                Workers.single());
        assertEquals(s, again.summary());
    }
}
