package io.dojosim.pod.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.engine.Workers;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.pod.bind.SpecBinder;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.pod.catalog.ModelCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

class NocScenarioTest {
    private static NocScenario uniform4x4(double rate) {
        SystemSpec s = SpecBinder.bind(new ParamCatalog(ModelCatalog.params()).defaults());
        return NocScenario.bind(s.noc(), new NocScenario.Request(MeshShape.full(4, 4), "uniform", List.of(rate), 1L));
    }

    @Test
    void uniformTrafficOnA4x4MeshCrossesTheMeanManhattanDistancePlusOneRouters() {
        ExperimentResult r = uniform4x4(0.1).run(0.1, Workers.single());
        // mean |x1 - x2| over 4 x 4 ordered pairs = 20 / 16 = 1.25 per axis; 2.5 links + 1 router = 3.5 (sampled)
        assertEquals(3.5, r.avgHops(), 0.1);
        // below saturation the mesh delivers what is offered: 0.1 flits/node/cycle (sampled)
        assertEquals(0.1, r.acceptedFlitsPerNodePerCycle(), 0.005);
        assertFalse(r.saturated());
        assertEquals("uniform", uniform4x4(0.1).patternName());
    }

    @Test
    void theMeasuredFiguresDoNotDependOnTheThreadCount() {
        ExperimentResult one = uniform4x4(0.2).run(0.2, Workers.single());
        ExperimentResult two;
        try (Workers w = Workers.splittingAlways(2)) {
            two = uniform4x4(0.2).run(0.2, w);
        }
        assertEquals(one.avgPacketLatencyCycles(), two.avgPacketLatencyCycles());
        assertEquals(one.p99PacketLatencyCycles(), two.p99PacketLatencyCycles());
        assertEquals(one.measuredPackets(), two.measuredPackets());
        assertEquals(one.simulatedCycles(), two.simulatedCycles());
        assertEquals(one.maxLinkUtilization(), two.maxLinkUtilization());
    }

    @Test
    void ratesOutsideZeroToOneAreRefused() {
        assertEquals("rate 1.5 is outside (0, 1] flits/node/cycle", assertThrows(ConfigException.class,
                () -> new NocScenario.Request(MeshShape.full(4, 4), "uniform", List.of(0.1, 1.5), 1L)).getMessage());
        assertThrows(ConfigException.class, () -> new NocScenario.Request(MeshShape.full(4, 4), "uniform", List.of(), 1L));
    }
}
