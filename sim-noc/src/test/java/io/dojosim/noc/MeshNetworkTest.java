package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.random.Rng;
import io.dojosim.core.stats.Counter;
import io.dojosim.core.time.ClockDomain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The facade other modules use: message splitting, delivery, conservation, determinism, idle skipping. */
class MeshNetworkTest {

    /** Sends 400 random messages at random times; returns "tag@ps" of every delivery in order. */
    static List<String> randomWorkload(NocParams p, boolean idleSkipping, long seed, long[] bytesOut) {
        Simulator sim = new Simulator(seed);
        Clock clock = new Clock(sim, new ClockDomain("noc", p.clockHz()));
        clock.setIdleSkipping(idleSkipping);
        MeshShape m = MeshShape.full(6, 5);
        MeshNetwork net = new MeshNetwork(sim, clock, "mesh", m, p);
        List<String> out = new ArrayList<>();
        long[] delivered = new long[1];
        net.setDeliveryListener((now, tag) -> {
            out.add(tag + "@" + now);
            delivered[0]++;
        });
        Rng rng = new Rng(seed);
        long period = p.periodPs();
        long sent = 0;
        EventHandler h = (now, kind, arg) -> net.send((int) (arg >>> 32) & 0xffff, (int) (arg >>> 16) & 0xffff, arg & 0xffff, arg);
        long t = 0;
        for (int i = 0; i < 400; i++) {
            t += rng.nextInt(i % 50 < 40 ? 3 : 400) * period + rng.nextInt(3) * 100; // bursts and idle gaps, off-edge times
            int src = rng.nextInt(m.sites());
            int dst = rng.nextInt(m.terminals());
            if (!m.terminalUsable(dst)) dst = 0;
            long bytes = 1 + rng.nextInt(1000);
            sent += bytes;
            sim.schedule(t, 5, h, 0, ((long) src << 32) | ((long) dst << 16) | bytes);
        }
        sim.run();
        assertEquals(400, delivered[0]);
        assertEquals(0, net.messagesInFlight());
        assertEquals(sent, ((Counter) sim.stats().get("mesh.bytesDelivered")).get());
        bytesOut[0] = sent;
        return out;
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void everyMessageIsDeliveredOnceAndTheBytesAddUp(NocParams.Fidelity f) {
        long[] b = new long[1];
        List<String> d = randomWorkload(NocParams.booksim().withPacketFlits(4).withFidelity(f), true, 11, b);
        assertEquals(400, d.stream().distinct().count());
    }

    @ParameterizedTest
    @EnumSource(NocParams.Fidelity.class)
    void sameSeedSameDeliveriesAndIdleSkippingChangesNothing(NocParams.Fidelity f) {
        NocParams p = NocParams.defaults().withPacketFlits(2).withFidelity(f);
        long[] b = new long[1];
        List<String> a = randomWorkload(p, true, 5, b);
        assertEquals(a, randomWorkload(p, true, 5, b));
        assertEquals(a, randomWorkload(p, false, 5, b));
    }

    @Test
    void aMessageOfNineFlitsIsThreePacketsBackToBack() {
        // packetFlits 4, 576 B = 9 flits -> packets of 4, 4 and 1 flits injected at t, t+4, t+8.
        // The last (1 flit) arrives T0(D=3, L=1) = 5 * 3 + 7 = 22 cycles after its creation-time
        // injection at t + 8: delivered at 30.
        NocParams p = NocParams.booksim().withPacketFlits(4);
        MeshShape m = MeshShape.full(4, 4);
        assertEquals(30, ZeroLoadLatencyTest.deliverOne(p, m, m.node(0, 0), m.node(3, 0), 576));
        assertEquals(30, ZeroLoadLatencyTest.deliverOne(p.withFidelity(NocParams.Fidelity.PACKET), m, m.node(0, 0), m.node(3, 0), 576));
    }

    @Test
    void linkUtilizationCountsFlitsOnTheRoute() {
        NocParams p = NocParams.booksim();
        Simulator sim = new Simulator(1);
        Clock clock = new Clock(sim, new ClockDomain("noc", p.clockHz()));
        MeshShape m = MeshShape.full(4, 4);
        MeshNetwork net = new MeshNetwork(sim, clock, "mesh", m, p);
        net.send(m.node(0, 0), m.node(2, 1), 64 * 10, 1);
        sim.run();
        // XY: east from (0,0) and (1,0), south from (2,0), ejection at (2,1): 10 flits each
        assertEquals(10, net.linkFlits(m.node(0, 0), MeshShape.EAST));
        assertEquals(10, net.linkFlits(m.node(1, 0), MeshShape.EAST));
        assertEquals(10, net.linkFlits(m.node(2, 0), MeshShape.SOUTH));
        assertEquals(10, net.linkFlits(m.node(2, 1), MeshShape.LOCAL));
        assertEquals(0, net.linkFlits(m.node(0, 0), MeshShape.SOUTH));
        assertTrue(net.linkUtilization(m.node(0, 0), MeshShape.EAST) > 0);
    }

    @Test
    void badTerminalsAndSizesAreUserErrors() {
        NocParams p = NocParams.defaults();
        Simulator sim = new Simulator(1);
        MeshNetwork net = new MeshNetwork(sim, new Clock(sim, new ClockDomain("noc", p.clockHz())), "mesh", MeshShape.full(3, 3), p);
        assertThrows(ConfigException.class, () -> net.send(0, 99, 64, 0));
        assertThrows(ConfigException.class, () -> net.send(-1, 1, 64, 0));
        assertThrows(ConfigException.class, () -> net.send(0, 1, 0, 0));
        assertThrows(ConfigException.class, () -> new MeshNetwork(sim, new Clock(sim, new ClockDomain("x", 1_000_000_000L)), "m2",
                MeshShape.full(3, 3), p));
    }
}
