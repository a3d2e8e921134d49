package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.random.Rng;
import io.dojosim.core.time.ClockDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The injection notice of {@link MeshNetwork}: told when a message's last tail flit has left its
 * source terminal, before delivery, once per message, at both fidelities.
 */
class MeshInjectionTest {
    private static final class Run {
        final Simulator sim = new Simulator(1);
        final MeshNetwork net;
        final List<long[]> injected = new ArrayList<>(); // {tag, cycle}
        final List<long[]> delivered = new ArrayList<>();

        Run(NocParams p, MeshShape m) {
            Clock clock = new Clock(sim, new ClockDomain("noc", p.clockHz()));
            net = new MeshNetwork(sim, clock, "noc", m, p);
            long period = p.periodPs();
            net.setInjectionListener((now, tag) -> injected.add(new long[] {tag, now / period, now % period}));
            net.setDeliveryListener((now, tag) -> delivered.add(new long[] {tag, now / period, now % period}));
        }
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void aLoneMessageLeavesItsSourceAfterItsFlitsAndArrivesLater(NocParams.Fidelity f) {
        // packetFlits 4, 576 B = 9 flits in packets of 4, 4 and 1 created at cycle 0 on an idle
        // mesh: one flit per cycle leaves the source, flits 0..8 in cycles 0..8, so the tail of the
        // last packet is out at the edge of cycle 0 + 9 = 9. Delivery (MeshNetworkTest): the last
        // packet, injected at cycle 8, arrives T0(D = 3, L = 1) = 5 x 3 + 7 = 22 cycles later, at 30.
        NocParams p = NocParams.booksim().withPacketFlits(4).withFidelity(f);
        MeshShape m = MeshShape.full(4, 4);
        Run r = new Run(p, m);
        r.net.send(m.node(0, 0), m.node(3, 0), 576, 7);
        r.sim.run();
        assertEquals(1, r.injected.size());
        assertEquals(7, r.injected.get(0)[0]);
        assertEquals(9, r.injected.get(0)[1]);
        assertEquals(0, r.injected.get(0)[2], "on a cycle edge");
        assertEquals(30, r.delivered.get(0)[1]);
        assertEquals(1, r.net.messagesInjected());
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void aSenderThatSendsOnInjectionKeepsItsChannelBusy(NocParams.Fidelity f) {
        // one 10-flit packet (640 B, packetFlits 16) from (0,0) to (2,0), D = 2: out of the source at
        // cycle 10, arrives 5 x 2 + 7 + 9 = 26 cycles after its injection at 0. The second message is
        // sent from the first one's notice at cycle 10, created and injected in cycle 10 (no gap):
        // out at 20 and delivered at 10 + 26 = 36; the third at 30 and 46.
        NocParams p = NocParams.booksim().withPacketFlits(16).withFidelity(f);
        MeshShape m = MeshShape.full(4, 4);
        Run r = new Run(p, m);
        int src = m.node(0, 0);
        int dst = m.node(2, 0);
        r.net.setInjectionListener((now, tag) -> {
            r.injected.add(new long[] {tag, now / p.periodPs()});
            if (tag < 3) r.net.send(src, dst, 640, tag + 1);
        });
        r.net.send(src, dst, 640, 1);
        r.sim.run();
        assertEquals(3, r.injected.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, r.injected.get(i)[0]);
            assertEquals(10L * (i + 1), r.injected.get(i)[1]);
            assertEquals(i + 1, r.delivered.get(i)[0]);
            assertEquals(26 + 10L * i, r.delivered.get(i)[1]);
        }
        // the source's injection channel carried 30 flits in 30 cycles
        assertEquals(30, r.net.linkFlits(src, MeshShape.EAST));
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void everyMessageIsInjectedOnceAndBeforeItIsDelivered(NocParams.Fidelity f) {
        NocParams p = NocParams.defaults().withPacketFlits(4).withFidelity(f);
        MeshShape m = MeshShape.full(6, 5);
        Run r = new Run(p, m);
        Map<Long, Long> injectedAt = new HashMap<>();
        long period = p.periodPs();
        r.net.setInjectionListener((now, tag) -> assertEquals(null, injectedAt.put(tag, now), "injected twice: " + tag));
        r.net.setDeliveryListener((now, tag) -> {
            Long in = injectedAt.get(tag);
            assertTrue(in != null && in < now, "message " + tag + " delivered at " + now + " before its injection " + in);
            r.delivered.add(new long[] {tag, now / period});
        });
        Rng rng = new Rng(3);
        EventHandler h = (now, kind, arg) -> r.net.send((int) (arg >>> 40) & 0xff, (int) (arg >>> 32) & 0xff, arg & 0xffff, arg);
        long t = 0;
        for (int i = 0; i < 300; i++) {
            t += rng.nextInt(i % 50 < 40 ? 3 : 300) * period + rng.nextInt(3) * 100;
            int src = rng.nextInt(m.sites());
            int dst = rng.nextInt(m.sites());
            long bytes = 1 + rng.nextInt(2000);
            r.sim.schedule(t, 5, h, 0, ((long) src << 40) | ((long) dst << 32) | ((long) i << 16) | bytes);
        }
        r.sim.run();
        // conservation: as many notices as deliveries, one per message
        assertEquals(300, r.delivered.size());
        assertEquals(300, injectedAt.size());
        assertEquals(300, r.net.messagesInjected());
        assertEquals(0, r.net.messagesInFlight());
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void aSlowInjectionChannelStillGivesTheNoticeNoLaterThanDelivery(NocParams.Fidelity f) {
        // injection at 0.25 flit/cycle: one 64-flit packet (4 KiB, packetFlits 64) leaves its source
        // at 64 / 0.25 = 256 cycles. Flit level: flit k enters at 4k, the tail at 252, out at 256,
        // and arrives later. Packet level: cut-through at the ejection rate (1 flit/cycle) lets the
        // tail arrive before 256; the notice is then given at the delivery, never after it.
        NocParams b = NocParams.booksim().withPacketFlits(64).withFidelity(f);
        NocParams p = new NocParams(b.clockHz(), b.routingDelayCycles(), b.vcAllocDelayCycles(), b.swAllocDelayCycles(),
                b.stDelayCycles(), b.speculativeSwitchAlloc(), b.linkLatencyCycles(), b.creditDelayCycles(), b.vcs(), b.bufferFlits(),
                b.flitBytes(), b.packetFlits(), b.routing(), b.fidelity(), 0.25, 1.0, b.measure());
        MeshShape m = MeshShape.full(4, 4);
        Run r = new Run(p, m);
        r.net.send(m.node(0, 0), m.node(1, 0), 64L * 64, 3);
        r.sim.run();
        assertEquals(1, r.injected.size());
        assertEquals(1, r.delivered.size());
        long in = r.injected.get(0)[1];
        long out = r.delivered.get(0)[1];
        if (f == NocParams.Fidelity.FLIT) {
            assertEquals(256, in);
            assertTrue(out > in, "delivered at " + out);
        } else {
            assertTrue(out < 256, "cut-through at the ejection rate: " + out);
            assertEquals(out, in);
        }
    }
}
