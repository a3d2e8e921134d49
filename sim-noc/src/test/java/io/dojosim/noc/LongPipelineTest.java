package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.ClockDomain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stage delays and a link latency far above the defaults: the flit engine keeps a VC's pending
 * eligibility in a ring of slots indexed by cycle (ADR 0116), here with leads of up to R + S + X +
 * d = 25 cycles, so the ring wraps many times within one packet's life; and a network left idle
 * for longer than the ring is wide must take a later message exactly as the first.
 *
 * <p>Hand computation (ZeroLoadLatencyTest's formula): R = 3, VA = 2, SA = 1, ST = 1 without
 * speculation, so P = 7 cycles per router; d = 20; (3,2) to (1,5) is D = 5 hops; a 4-flit packet:
 * T0 = (P + d) D + P + 2d + 1 + (L - 1) = 27 * 5 + 7 + 40 + 1 + 3 = 186 cycles. With SA = 2 the
 * flit engine lets a VC send one flit per two cycles and is 3 cycles above the formula, the
 * packet engine is not ({@link #aTwoCycleSwitchAllocatorSerialisesAVcAtFlitFidelityOnly}).
 */
class LongPipelineTest {
    private static NocParams longPipeline(NocParams.Fidelity f) {
        NocParams b = NocParams.booksim();
        return new NocParams(b.clockHz(), 3, 2, 1, 1, false, 20, 5, 2, 8, b.flitBytes(), 4, b.routing(), f,
                1.0, 1.0, b.measure());
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void longStagesAndLinksGiveTheHandComputedLatency(NocParams.Fidelity f) {
        NocParams p = longPipeline(f);
        MeshShape m = MeshShape.full(8, 8);
        assertEquals(186, p.zeroLoadLatencyCycles(5, 4));
        assertEquals(186, ZeroLoadLatencyTest.deliverOne(p, m, m.node(3, 2), m.node(1, 5), 4L * p.flitBytes()));
    }

    /**
     * A two-cycle switch allocator, which BookSim2 cannot be asked for (its {@code iq} router asserts
     * {@code time >= 0} in {@code _SWAllocEvaluate} with {@code sw_alloc_delay = 2}, commit
     * 28f43299): P = 3 + 2 + 2 + 1 = 8, T0 = (8 + 20) x 5 + 8 + 40 + 1 + 3 = 192. The packet engine
     * pipelines the allocator (one flit per cycle); in the flit engine a VC requests again only once
     * its grant is known, S cycles later, so each of the L - 1 = 3 body flits waits S - 1 = 1 cycle
     * more: 195. The two models differ by (L - 1)(S - 1) cycles at zero load (docs/model/noc.md).
     */
    @Test
    void aTwoCycleSwitchAllocatorSerialisesAVcAtFlitFidelityOnly() {
        NocParams f = longPipeline(NocParams.Fidelity.FLIT);
        NocParams s2 = new NocParams(f.clockHz(), 3, 2, 2, 1, false, 20, 5, 2, 8, f.flitBytes(), 4, f.routing(),
                NocParams.Fidelity.FLIT, 1.0, 1.0, f.measure());
        MeshShape m = MeshShape.full(8, 8);
        assertEquals(192, s2.zeroLoadLatencyCycles(5, 4));
        assertEquals(195, ZeroLoadLatencyTest.deliverOne(s2, m, m.node(3, 2), m.node(1, 5), 4L * s2.flitBytes()));
        NocParams packet = s2.withFidelity(NocParams.Fidelity.PACKET);
        assertEquals(192, ZeroLoadLatencyTest.deliverOne(packet, m, m.node(3, 2), m.node(1, 5), 4L * packet.flitBytes()));
        // one-flit packets have no body to serialise: both give the formula
        assertEquals(s2.zeroLoadLatencyCycles(5, 1), ZeroLoadLatencyTest.deliverOne(s2, m, m.node(3, 2), m.node(1, 5), s2.flitBytes()));
    }

    @Test
    void aMessageAfterALongIdleGapTakesTheSameLatency() {
        NocParams p = longPipeline(NocParams.Fidelity.FLIT);
        MeshShape m = MeshShape.full(8, 8);
        Simulator sim = new Simulator(1);
        Clock clock = new Clock(sim, new ClockDomain("noc", p.clockHz()));
        MeshNetwork net = new MeshNetwork(sim, clock, "noc", m, p);
        List<Long> at = new ArrayList<>();
        net.setDeliveryListener((now, tag) -> at.add(now / p.periodPs()));
        int src = m.node(3, 2);
        int dst = m.node(1, 5);
        long bytes = 4L * p.flitBytes();
        net.send(src, dst, bytes, 1);
        // the second message is sent 10,000 cycles later, long after the first has left: the clock
        // stops ticking the idle network and the engine's next step comes after the gap
        sim.schedule(10_000 * p.periodPs(), 0, (now, kind, arg) -> net.send(src, dst, bytes, 2), 0, 0);
        sim.run();
        assertEquals(List.of(186L, 10_000L + 186), at);
    }

    /** BookSim2's router with one-cycle stages and a link of {@code d} cycles, at flit fidelity. */
    private static NocParams flitWithLink(int d) {
        NocParams b = NocParams.booksim();
        return new NocParams(b.clockHz(), 1, 1, 1, 1, false, d, 0, 2, 8, b.flitBytes(), 1, b.routing(),
                NocParams.Fidelity.FLIT, 1.0, 1.0, b.measure());
    }

    /** @return the message of the configuration error building a mesh of {@code shape} under {@code p} */
    private static String refusal(MeshShape shape, NocParams p) {
        Simulator sim = new Simulator(1);
        Clock clock = new Clock(sim, new ClockDomain("noc", p.clockHz()));
        return assertThrows(ConfigException.class, () -> new MeshNetwork(sim, clock, "noc", shape, p)).getMessage();
    }

    @Test
    void aLinkOfThousandsOfCyclesIsRefusedAtFlitFidelityWithTheKeysNamed() {
        // R + S + X + d = 1 + 1 + 1 + 5000: above the 4096 cycles the ring may span
        NocParams p = flitWithLink(5000);
        String e = refusal(MeshShape.full(4, 4), p);
        assertTrue(e.contains("linkLatencyCycles = 5003 cycles") && e.contains("at most 4096"), e);
        // the packet engine keeps no ring: the same link is taken there
        Simulator sim = new Simulator(1);
        new MeshNetwork(sim, new Clock(sim, new ClockDomain("noc", p.clockHz())), "noc2", MeshShape.full(4, 4),
                p.withFidelity(NocParams.Fidelity.PACKET));
    }

    @Test
    void aRingBeyondItsMemoryBoundIsRefusedBeforeTheMeshIsAllocated() {
        // lead 1 + 1 + 1 + 1000 = 1003 cycles -> 1024 slots; x 1,048,576 routers x 8 B = 8 GiB > 256 MiB
        NocParams p = flitWithLink(1000);
        String e = refusal(MeshShape.full(1024, 1024), p);
        assertTrue(e.contains("ring of 1024 cycles") && e.contains("1048576 routers: 8192 MiB") && e.contains("more than 256 MiB"), e);
        // the same link on a 16 x 16 mesh: 1024 x 256 longs, 2 MiB
        Simulator sim = new Simulator(1);
        new MeshNetwork(sim, new Clock(sim, new ClockDomain("noc", p.clockHz())), "noc16", MeshShape.full(16, 16), p);
    }
}
