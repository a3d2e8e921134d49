package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.ClockDomain;
import io.dojosim.noc.internal.ChannelDependencyGraph;
import io.dojosim.noc.internal.NetworkEngine;
import io.dojosim.noc.traffic.SyntheticExperiment;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Dead mesh links (noc.deadLinks): up*&#47;down* routes around them, complete and deadlock-free. */
class DeadLinkRoutingTest {
    /** One dead row link (1,1)-(2,1) and one dead column link (2,2)-(2,3) on a 4 x 4 mesh. */
    static final List<MeshLink> TWO = MeshLink.parseAll(List.of("1,1,E", "2,3,N"));

    static NocParams table(List<MeshLink> dead) {
        return NocParams.defaults().withRouting(NocParams.Routing.TABLE).withDeadLinks(dead);
    }

    /** @return routers the route from (sx,sy) to (dx,dy) visits, the destination included */
    static int routers(NocParams p, MeshShape m, int sx, int sy, int dx, int dy, int[] ports) {
        NetworkEngine e = SyntheticExperiment.engine(m, p);
        return e.traceRoute(m.node(sx, sy), m.node(dx, dy), ports, new int[64], new boolean[64]);
    }

    @Test
    void detoursAroundADeadRowLinkHaveTheHandCountedHops() {
        MeshShape m = MeshShape.full(4, 4);
        NocParams p = table(MeshLink.parseAll(List.of("1,1,E")));
        int[] ports = new int[64];
        // root (0,0), level = x + y; up = north or west, down = south or east, never up after down.
        // (0,1) -> (3,1): row 1 is cut between x = 1 and 2; a down-only route cannot come back to
        // row 1, so up to (0,0) first: N, E, E, E, S = 5 hops (Manhattan 3), 6 routers
        assertEquals(6, routers(p, m, 0, 1, 3, 1, ports));
        assertEquals(List.of(MeshShape.NORTH, MeshShape.EAST, MeshShape.EAST, MeshShape.EAST, MeshShape.SOUTH),
                List.of(ports[0], ports[1], ports[2], ports[3], ports[4]));
        // the two ends of the dead link: (1,1) N (1,0) E (2,0) S (2,1) = 3 hops, either way
        assertEquals(4, routers(p, m, 1, 1, 2, 1, ports));
        assertEquals(4, routers(p, m, 2, 1, 1, 1, ports));
        // (3,1) -> (0,1): W (2,1), N (2,0), W, W (0,0), S = 5 hops
        assertEquals(6, routers(p, m, 3, 1, 0, 1, ports));
        // a pair whose minimal routes avoid the link keeps its Manhattan distance: (0,3) -> (3,0) = 6
        assertEquals(7, routers(p, m, 0, 3, 3, 0, ports));
        // zero load on the D1 router (2 cycles per hop + 4): 5 hops = 14 cycles, at both fidelities
        for (NocParams.Fidelity f : NocParams.Fidelity.values()) {
            assertEquals(2 * 5 + 4, ZeroLoadLatencyTest.deliverOne(p.withFidelity(f), m, m.node(0, 1), m.node(3, 1), 64));
        }
    }

    @Test
    void aDeadRowLinkAndADeadColumnLinkAreRoutedWithHandCountedHops() {
        // Two dimension-order phases cannot route both (see RoutingDeadlockTest); up*/down* can.
        MeshShape m = MeshShape.full(4, 4);
        NocParams p = table(TWO);
        int[] ports = new int[64];
        // (2,3) -> (2,1), Manhattan 2: north from (2,3) is dead; east (3,3) is down, and no down-only
        // route climbs back to row 1. Up: W (1,3), N (1,2); then E (2,2) is down and N (2,1) would be
        // up again (illegal); N (1,1) and E (2,1) is the dead row link. So up to row 0:
        // W, N, N, N (1,0), E (2,0), S (2,1) = 6 hops, 7 routers.
        assertEquals(7, routers(p, m, 2, 3, 2, 1, ports));
        // (2,2) -> (2,3): the dead column link's ends: W (1,2) S (1,3) E (2,3) = 3 hops
        assertEquals(4, routers(p, m, 2, 2, 2, 3, ports));
        assertEquals(TWO.size(), m.withDeadLinks(TWO).deadLinks().size());
    }

    @ParameterizedTest
    @EnumSource(NocParams.Routing.class)
    void everyPairsRouteAvoidsTheDeadLinksAndTheChannelDependencyGraphIsAcyclic(NocParams.Routing routing) {
        NocParams p = NocParams.defaults().withRouting(routing).withDeadLinks(TWO);
        MeshShape m = MeshShape.full(4, 4);
        ChannelDependencyGraph g = ChannelDependencyGraph.build(m, p, false);
        assertEquals(16 * 16, g.pairs()); // build throws when a route leaves the mesh or loops
        assertTrue(g.edges() > 0);
        assertTrue(g.isAcyclic());
        // with every VC shared the routes are still deadlock-free: no down hop is followed by an up hop
        assertTrue(ChannelDependencyGraph.build(m, p, true).isAcyclic());
        // and on the D1 die pattern with its holes plus a dead interior link
        MeshShape d1 = MeshShape.withDisabled(18, 20, RoutingDeadlockTest.D1_DISABLED);
        NocParams pd = p.withDeadLinks(MeshLink.parseAll(List.of("5,5,E", "9,9,S")));
        ChannelDependencyGraph gd = ChannelDependencyGraph.build(d1, pd, false);
        assertEquals(354 * 354, gd.pairs());
        assertTrue(gd.isAcyclic());
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void everyMessageOfAnAllToAllIsDeliveredAndNoFlitCrossesADeadLink(NocParams.Fidelity f) {
        MeshShape m = MeshShape.full(4, 4);
        NocParams p = table(TWO).withFidelity(f).withBufferFlits(2);
        Simulator sim = new Simulator(1);
        Clock clock = new Clock(sim, new ClockDomain("noc", p.clockHz()));
        MeshNetwork net = new MeshNetwork(sim, clock, "noc", m, p);
        BitSet delivered = new BitSet();
        int[] count = new int[1];
        net.setDeliveryListener((now, tag) -> {
            delivered.set((int) tag);
            count[0]++;
        });
        int sent = 0;
        for (int s = 0; s < 16; s++) {
            for (int d = 0; d < 16; d++) {
                if (s != d) net.send(s, d, 64 * 8, s * 16 + d); // 8 packets each, all at time 0
                if (s != d) sent++;
            }
        }
        sim.runUntil(1_000_000_000L); // 1 ms: far beyond the drain time; a deadlock would leave messages in flight
        assertEquals(sent, count[0]);
        assertEquals(sent, delivered.cardinality());
        assertEquals(0, net.messagesInFlight());
        MeshShape dead = m.withDeadLinks(TWO);
        long total = 0;
        for (int n = 0; n < 16; n++) {
            for (int port = MeshShape.NORTH; port <= MeshShape.WEST; port++) {
                if (dead.isLinkDead(n, port)) assertEquals(0, net.linkFlits(n, port), "flits on dead link " + n + "/" + port);
                total += net.linkFlits(n, port);
            }
        }
        assertTrue(total > sent * 8L); // every packet crossed at least one live link
    }

    @Test
    void aDeadLinkThatCutsASiteOffIsRefusedNamingTheLinks() {
        // (0,0) has two links: east and south
        List<MeshLink> cut = MeshLink.parseAll(List.of("0,0,E", "0,1,N"));
        ConfigException e = assertThrows(ConfigException.class, () -> MeshShape.full(4, 4).withDeadLinks(cut));
        assertTrue(e.getMessage().contains("'0,0,S'") && e.getMessage().contains("'0,0,E'") && e.getMessage().contains("noc.deadLinks"),
                e.getMessage());
        // through the engine, as dojosim noc and a flit chip build it
        assertThrows(ConfigException.class, () -> SyntheticExperiment.engine(MeshShape.full(4, 4), table(cut)));
        ConfigException off = assertThrows(ConfigException.class,
                () -> MeshShape.full(4, 4).withDeadLinks(MeshLink.parseAll(List.of("3,0,E"))));
        assertTrue(off.getMessage().contains("'3,0,E'"), off.getMessage());
        ConfigException twice = assertThrows(ConfigException.class,
                () -> MeshShape.full(4, 4).withDeadLinks(MeshLink.parseAll(List.of("1,1,E", "2,1,W"))));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> MeshLink.parse("1,1,X"));
        assertTrue(bad.getMessage().contains("'1,1,X'") && bad.getMessage().contains("N, E, S or W"), bad.getMessage());
    }

    @Test
    void parametersWithoutDeadLinksPrintAsBeforeSoTheCalibrationFingerprintHolds() {
        // sim-d1's calibration table keys its machine by this text (CalibrationTableTest checks the shipped table)
        String healthy = NocParams.defaults().toString();
        assertTrue(healthy.startsWith("NocParams[clockHz=2000000000, routingDelayCycles=0, ") && !healthy.contains("deadLinks"), healthy);
        assertTrue(healthy.endsWith("throughputMode=false]]"), healthy);
        String dead = NocParams.defaults().withDeadLinks(MeshLink.parseAll(List.of("1,1,E"))).toString();
        assertEquals(healthy.substring(0, healthy.length() - 1) + ", deadLinks=[1,1,E]]", dead);
    }

    @Test
    void withDeadLinksSyntheticTrafficIsIdenticalOnOneAndTwoThreads() {
        NocParams b = NocParams.booksim();
        NocParams p = b.withRouting(NocParams.Routing.TABLE).withMeasure(b.measure().withWindows(300, 1200))
                .withDeadLinks(MeshLink.parseAll(List.of("3,3,E", "7,2,S", "5,9,E")));
        MeshShape shape = MeshShape.full(12, 12);
        io.dojosim.noc.traffic.ExperimentResult ref = null;
        for (int threads : new int[] {1, 2}) {
            try (io.dojosim.core.engine.Workers w = io.dojosim.core.engine.Workers.splittingAlways(threads)) {
                SyntheticExperiment x = new SyntheticExperiment(shape, p, io.dojosim.noc.traffic.TrafficPattern.parse("uniform", shape), 42)
                        .useWorkers(w);
                io.dojosim.noc.traffic.ExperimentResult r = x.run(0.3);
                assertEquals(threads > 1, x.lastParallelCycles() > 0, "the parallel path ran on " + threads + " threads");
                r = new io.dojosim.noc.traffic.ExperimentResult(r.rate(), r.avgPacketLatencyCycles(), r.avgNetworkLatencyCycles(),
                        r.p50PacketLatencyCycles(), r.p99PacketLatencyCycles(), r.maxPacketLatencyCycles(), r.acceptedFlitsPerNodePerCycle(),
                        r.avgHops(), r.saturated(), r.measuredPackets(), r.samplePeriods(), r.simulatedCycles(), r.routers(),
                        r.maxLinkUtilization(), r.avgBufferOccupancyFlits(), 0);
                if (ref == null) ref = r; else assertEquals(ref, r, threads + " threads");
            }
        }
        assertTrue(ref.measuredPackets() > 0);
    }
}
