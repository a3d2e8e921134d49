package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.ClockDomain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One message alone in the mesh takes exactly the zero-load latency, derived by hand from the
 * pipeline: created at cycle t, the head enters the injection channel at t (1 cycle) and crosses it
 * (d = 1) to the first router at t + 2; each router costs P = RC + VA + SA + ST cycles and each
 * link d; the ejection channel costs d + 1 (BookSim2 reads it one cycle after it lands); the tail
 * follows the head by L - 1 cycles. T0 = (P + d) D + P + 2d + 1 + (L - 1).
 */
class ZeroLoadLatencyTest {

    static long deliverOne(NocParams p, MeshShape shape, int src, int dst, long bytes) {
        Simulator sim = new Simulator(1);
        Clock clock = new Clock(sim, new ClockDomain("noc", p.clockHz()));
        MeshNetwork net = new MeshNetwork(sim, clock, "noc", shape, p);
        List<Long> at = new ArrayList<>();
        net.setDeliveryListener((now, tag) -> at.add(now));
        net.send(src, dst, bytes, 7);
        sim.run();
        assertEquals(1, at.size());
        return at.get(0) / p.periodPs();
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void booksimPipelineGivesFiveCyclesPerHopPlusSeven(NocParams.Fidelity f) {
        NocParams p = NocParams.booksim().withFidelity(f);
        MeshShape m = MeshShape.full(8, 8);
        // P = 4, d = 1: self-send 7 cycles; (0,0) -> (7,7) is D = 14: 5 * 14 + 7 = 77
        assertEquals(7, deliverOne(p, m, 0, 0, 64));
        assertEquals(77, deliverOne(p, m, 0, 63, 64));
        // (3,2) -> (1,5): D = 2 + 3 = 5, four-flit packet: 25 + 7 + 3 = 35
        assertEquals(35, deliverOne(p.withPacketFlits(4), m, m.node(3, 2), m.node(1, 5), 256));
        assertEquals(p.zeroLoadLatencyCycles(5, 4), 35);
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void d1DefaultsGiveTwoCyclesPerHop(NocParams.Fidelity f) {
        NocParams p = NocParams.defaults().withFidelity(f);
        MeshShape m = MeshShape.full(18, 20);
        // speculative SA: P = R + (V - 1) + S + X = 0 + 0 + 1 + 0 = 1, d = 1: 2 per hop, plus
        // P + 2d + 1 = 4; corner to corner D = 17 + 19 = 36
        assertEquals(2 * 36 + 4, deliverOne(p, m, 0, m.node(17, 19), 64));
        assertEquals(2 * 36 + 4, p.zeroLoadLatencyCycles(36, 1));
        // a 640-byte message is ten single-flit packets back to back: the last leaves 9 cycles later
        assertEquals(2 * 36 + 4 + 9, deliverOne(p, m, 0, m.node(17, 19), 640));
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void d1WithoutSpeculationGivesThreeCyclesPerHop(NocParams.Fidelity f) {
        NocParams p = NocParams.defaults().withSpeculativeSwitchAlloc(false).withFidelity(f);
        MeshShape m = MeshShape.full(18, 20);
        // P = 0 + 1 + 1 + 0 = 2, d = 1: 3 per hop, plus P + 3 = 5
        assertEquals(3 * 36 + 5, deliverOne(p, m, 0, m.node(17, 19), 64));
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void edgePortIsOneMoreHop(NocParams.Fidelity f) {
        NocParams p = NocParams.booksim().withFidelity(f);
        MeshShape m = MeshShape.full(4, 4);
        int east2 = m.edgeTerminal(MeshShape.EAST, 2);
        // node (0,2) to the east edge port of row 2: routers (0..3, 2), D = 3, then out of the edge
        assertEquals(5 * 3 + 7, deliverOne(p, m, m.node(0, 2), east2, 64));
        // from the west edge port of row 1 into node (2,1): D = 2
        assertEquals(5 * 2 + 7, deliverOne(p, m, m.edgeTerminal(MeshShape.WEST, 1), m.node(2, 1), 64));
    }
}
