package io.dojosim.pod.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.noc.NocParams;
import io.dojosim.noc.Site;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.pod.step.PlanSearch;
import io.dojosim.pod.catalog.ModelCatalog;
import org.junit.jupiter.api.Test;

class SpecBinderTest {
    private static ResolvedConfig defaults() {
        return new ParamCatalog(ModelCatalog.params()).defaults();
    }

    @Test
    void theMachinesRatesComeFromTheBoundRecordsByHand() {
        PodConfig pc = PodConfig.of(SpecBinder.bind(defaults()));
        assertEquals(64 * 2e9, pc.nodeInjectBps(), 0.0);               // d1.node.routerReadBytesPerCycle x clock
        assertEquals(64 * 2e9, pc.meshLinkBps(), 0.0);                 // pod.coarse.meshLinkBytesPerCycle x clock
        assertEquals(2 * 500L, pc.meshHopPs());                         // pod.coarse.meshHopCycles x 500 ps
        assertEquals(576 / 4.0 * 112e9 / 8 * 0.9, pc.dieToDieBps(), 1.0); // 144 lanes x 14 GB/s x 0.9 = 1.8144 TB/s
        assertEquals(9e12, pc.tileEdgeBps(), 0.0);
        assertEquals(50e9, pc.ethernetBps(), 0.0);
        assertEquals(354, pc.activeSites().length);
        assertEquals("pod", pc.scope());
    }

    @Test
    void fixingAPlanOnTheSpecEqualsBindingTheConfigWithThePlanFixed() {
        ResolvedConfig c = defaults().with("pod.system.scope", "tile", "test");
        PlanSearch.Candidate k = new PlanSearch.Candidate(2, 1, 1, 12, 24);
        SystemSpec onSpec = PlanSearch.fixWithBatch(SpecBinder.bind(c), k, 273);
        SystemSpec onConfig = SpecBinder.bind(SpecBinder.fixPlan(c, k, 273));
        assertEquals(onConfig, onSpec);
        assertEquals(2, onSpec.run().mapping().replicaChips());
        assertEquals(24, onSpec.run().batchPerReplica());
        assertEquals(273, onSpec.run().globalBatch());
    }

    @Test
    void disabledSitesAreTypedAndABadOneNamesTheKeyAndWhereItCameFrom() {
        SystemSpec s = SpecBinder.bind(defaults());
        assertEquals(new Site(17, 19), s.chip().disabledSites().get(3));
        ConfigException e = assertThrows(ConfigException.class, () -> SpecBinder.bind(defaults()
                .with("d1.chip.disabledSites", java.util.List.of("0,0", "0,0", "0,19", "17,19", "8,0", "9,19"), "my.yaml:3")));
        assertTrue(e.getMessage().startsWith("my.yaml:3: key 'd1.chip.disabledSites': site '0,0' is listed twice"), e.getMessage());
    }

    @Test
    void podMeshesRouteAroundHarvestedSitesUnlessRoutingWasSet() {
        SystemSpec byDefault = SpecBinder.bind(defaults());
        assertEquals(NocParams.Routing.TABLE, byDefault.podMeshNoc(SystemSpec.ChipFidelity.FLIT).routing());
        assertEquals(NocParams.Fidelity.PACKET, byDefault.podMeshNoc(SystemSpec.ChipFidelity.PACKET).fidelity());
        SystemSpec set = SpecBinder.bind(defaults().with("noc.routing", "yx", "--set"));
        assertEquals(NocParams.Routing.YX, set.podMeshNoc(SystemSpec.ChipFidelity.FLIT).routing());
    }
}
