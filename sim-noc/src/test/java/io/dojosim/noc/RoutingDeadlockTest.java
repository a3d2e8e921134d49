package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.noc.internal.ChannelDependencyGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Table routing around the disabled sites of the D1 die is complete and deadlock-free. */
class RoutingDeadlockTest {
    /** The default of d1.chip.disabledSites (sim-d1 D1Params.CHIP), repeated here: sim-noc cannot see sim-d1. */
    static final List<String> D1_DISABLED = List.of("0,0", "17,0", "0,19", "17,19", "8,0", "9,19");

    static MeshShape d1() {
        return MeshShape.withDisabled(18, 20, D1_DISABLED);
    }

    @Test
    void tableRoutingOnTheD1PatternHasAnAcyclicChannelDependencyGraph() {
        NocParams p = NocParams.defaults().withRouting(NocParams.Routing.TABLE);
        ChannelDependencyGraph g = ChannelDependencyGraph.build(d1(), p, false);
        assertEquals(354 * 354, g.pairs()); // every pair of active nodes has a route (build throws otherwise)
        assertTrue(g.edges() > 1000);
        assertTrue(g.isAcyclic());
    }

    @Test
    void withoutVcClassesTheSameRoutesWouldDeadlock() {
        // The check can fail: merging the two classes mixes XY and YX turns and closes cycles.
        NocParams p = NocParams.defaults().withRouting(NocParams.Routing.TABLE);
        assertFalse(ChannelDependencyGraph.build(d1(), p, true).isAcyclic());
    }

    @Test
    void dimensionOrderOnAFullMeshIsAcyclic() {
        NocParams p = NocParams.defaults();
        assertTrue(ChannelDependencyGraph.build(MeshShape.full(18, 20), p, false).isAcyclic());
    }

    @Test
    void xyRoutingRefusesAPathThroughADisabledSite() {
        MeshShape m = d1();
        io.dojosim.core.engine.Simulator sim = new io.dojosim.core.engine.Simulator(1);
        io.dojosim.core.engine.Clock clk = new io.dojosim.core.engine.Clock(sim,
                new io.dojosim.core.time.ClockDomain("noc", 2_000_000_000L));
        MeshNetwork xy = new MeshNetwork(sim, clk, "xy", m, NocParams.defaults());
        // (1,0) -> (0,1): XY goes through the disabled corner (0,0)
        ConfigException e = assertThrows(ConfigException.class, () -> xy.send(m.node(1, 0), m.node(0, 1), 64, 0));
        assertTrue(e.getMessage().contains("table"), e.getMessage());
        assertThrows(ConfigException.class, () -> xy.send(m.node(0, 0), m.node(3, 3), 64, 0));
    }

    @Test
    void tableRoutingDeliversAroundTheHoleWithTheDetourLatency() {
        MeshShape m = d1();
        NocParams p = NocParams.defaults().withRouting(NocParams.Routing.TABLE);
        // (1,0) -> (0,1): XY blocked by (0,0); YX (1,0)->(1,1)->(0,1) is clean: D = 2, 2 cycles per hop + 4
        assertEquals(2 * 2 + 4, ZeroLoadLatencyTest.deliverOne(p, m, m.node(1, 0), m.node(0, 1), 64));
        // (3,0) -> (13,0) along the north row passes the hole (8,0) in both orders: down one row,
        // across, up again (YX to the midpoint (3,1), then XY): D = 1 + 10 + 1
        assertEquals(2 * 12 + 4, ZeroLoadLatencyTest.deliverOne(p, m, m.node(3, 0), m.node(13, 0), 64));
    }

    @Test
    void anInteriorHoleLeavesPairsUnreachableWithTwoClasses() {
        MeshShape m = MeshShape.withDisabled(6, 6, List.of("2,2"));
        NocParams p = NocParams.defaults().withRouting(NocParams.Routing.TABLE);
        assertThrows(ConfigException.class, () -> ZeroLoadLatencyTest.deliverOne(p, m, m.node(0, 2), m.node(5, 2), 64));
    }
}
