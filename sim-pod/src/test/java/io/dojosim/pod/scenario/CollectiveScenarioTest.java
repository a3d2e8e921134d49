package io.dojosim.pod.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.pod.bind.SpecBinder;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectivePrimitive;
import io.dojosim.pod.catalog.ModelCatalog;
import org.junit.jupiter.api.Test;

class CollectiveScenarioTest {
    private static ResolvedConfig tile() {
        return new ParamCatalog(ModelCatalog.params()).defaults().with("pod.system.scope", "tile", "test");
    }

    private static CollectiveScenario.Request ringAllReduce() {
        return new CollectiveScenario.Request(CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.RING, "tile", false, null, null, 1L << 20);
    }

    @Test
    void aRingAllReduceOverATileMovesTwoNMinusOneStepsOfNTransfers() {
        CollectiveScenario.Result r = CollectiveScenario.run(SpecBinder.bind(tile()), ringAllReduce(), Workers.single());
        assertEquals(25, r.collective().members());
        assertEquals(2L * 24 * 25, r.collective().transfers()); // reduce-scatter then all-gather, 24 steps each, 25 transfers a step
        assertEquals(r.collective().algBandwidthGBps() * 2.0 * 24 / 25, r.collective().busBandwidthGBps(), 1e-9);
        assertEquals("tile", r.systemScope());
        assertEquals("flow", r.transportFidelity());
    }

    @Test
    void theResultIsTheSameOnEveryEventSet() {
        CollectiveScenario.Result ref = CollectiveScenario.run(SpecBinder.bind(tile()), ringAllReduce(), Workers.single());
        for (String set : new String[] {"linkedwheel", "heap4"}) {
            assertEquals(ref, CollectiveScenario.run(SpecBinder.bind(tile().with("sim.eventSet", set, "test")), ringAllReduce(), Workers.single()), set);
        }
    }

    @Test
    void autoRecordsTheEstimatesOfTheThreeAlgorithmsAndRunsTheSmallest() {
        CollectiveScenario.Request q = new CollectiveScenario.Request(CollectivePrimitive.ALLREDUCE, null, "tile", false, null, null, 1L << 20);
        CollectiveScenario.Result r = CollectiveScenario.run(SpecBinder.bind(tile()), q, Workers.single()); // pod.collective.algorithm = auto
        assertEquals(CollectiveAlgorithm.AUTO, r.requested());
        assertEquals(3, r.autoEstimates().size());
        int best = 0;
        for (int i = 1; i < 3; i++) if (r.autoEstimates().get(i) < r.autoEstimates().get(best)) best = i;
        assertEquals(CollectiveAlgorithm.concrete()[best], r.algorithm());
    }
}
