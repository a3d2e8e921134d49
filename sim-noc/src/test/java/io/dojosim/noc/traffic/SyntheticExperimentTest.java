package io.dojosim.noc.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.random.Rng;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import org.junit.jupiter.api.Test;

class SyntheticExperimentTest {
    static final MeshShape M = MeshShape.full(8, 8);

    @Test
    void sameSeedGivesIdenticalResults() {
        NocParams p = NocParams.booksim().withMeasure(NocParams.Measurement.booksim().withWindows(500, 1500));
        ExperimentResult a = new SyntheticExperiment(M, p, TrafficPattern.parse("uniform", M), 9).run(0.2);
        ExperimentResult b = new SyntheticExperiment(M, p, TrafficPattern.parse("uniform", M), 9).run(0.2);
        assertEquals(a.avgPacketLatencyCycles(), b.avgPacketLatencyCycles());
        assertEquals(a.p99PacketLatencyCycles(), b.p99PacketLatencyCycles());
        assertEquals(a.acceptedFlitsPerNodePerCycle(), b.acceptedFlitsPerNodePerCycle());
        assertEquals(a.simulatedCycles(), b.simulatedCycles());
        assertEquals(a.measuredPackets(), b.measuredPackets());
    }

    @Test
    void overloadIsDeclaredSaturatedInsteadOfRunningForever() {
        NocParams p = NocParams.booksim(); // 2 VCs, 1 flit: saturates near 0.30
        ExperimentResult r = new SyntheticExperiment(M, p, TrafficPattern.parse("uniform", M), 1).run(0.6);
        assertTrue(r.saturated());
        assertTrue(r.simulatedCycles() <= 11_000, "stopped by the latency threshold: " + r.simulatedCycles());
        ExperimentResult ok = new SyntheticExperiment(M, p, TrafficPattern.parse("uniform", M), 1).run(0.1);
        assertFalse(ok.saturated());
    }

    @Test
    void acceptedEqualsOfferedBelowSaturation() {
        NocParams p = NocParams.defaults().withMeasure(NocParams.Measurement.booksim().withWindows(1000, 5000));
        ExperimentResult r = new SyntheticExperiment(M, p, TrafficPattern.parse("uniform", M), 2).run(0.15);
        assertEquals(0.15, r.acceptedFlitsPerNodePerCycle(), 0.01);
        // uniform on 8 x 8 with self-pairs: mean Manhattan distance 2(k^2-1)/(3k) = 5.25, hops = D + 1
        assertEquals(6.25, r.avgHops(), 0.1);
        assertTrue(r.p99PacketLatencyCycles() >= r.p50PacketLatencyCycles());
        assertTrue(r.maxLinkUtilization() > 0.15 && r.maxLinkUtilization() <= 1.0);
        assertTrue(r.avgBufferOccupancyFlits() > 0);
    }

    @Test
    void permutationPatternsMapAsBooksimDefinesThem() {
        Rng rng = new Rng(1);
        assertEquals(63, TrafficPattern.parse("bitcomp", M).dest(0, rng));
        assertEquals(M.node(5, 2), TrafficPattern.parse("transpose", M).dest(M.node(2, 5), rng));
        assertEquals(0b100000, TrafficPattern.parse("bitrev", M).dest(1, rng));
        assertEquals(0b000011, TrafficPattern.parse("shuffle", M).dest(0b100001, rng));
        assertEquals(M.node(3, 3), TrafficPattern.parse("tornado", M).dest(0, rng)); // x + ceil(8/2) - 1
        assertEquals(M.node(0, 0), TrafficPattern.parse("neighbor", M).dest(M.node(7, 7), rng));
        TrafficPattern hot = TrafficPattern.parse("hotspot:9+27", M);
        for (int i = 0; i < 50; i++) {
            int d = hot.dest(3, rng);
            assertTrue(d == 9 || d == 27);
        }
        assertThrows(ConfigException.class, () -> TrafficPattern.parse("transpose", MeshShape.full(4, 6)));
        assertThrows(ConfigException.class, () -> TrafficPattern.parse("bitrev", MeshShape.full(6, 6)));
        assertThrows(ConfigException.class, () -> TrafficPattern.parse("nope", M));
        assertThrows(ConfigException.class, () -> TrafficPattern.parse("hotspot:99", M));
    }

    @Test
    void transposeTrafficRunsAndStaysOffTheDiagonal() {
        NocParams p = NocParams.booksim().withMeasure(NocParams.Measurement.booksim().withWindows(500, 2000));
        ExperimentResult r = new SyntheticExperiment(M, p, TrafficPattern.parse("transpose", M), 1).run(0.1);
        assertFalse(r.saturated());
        assertEquals(0.1, r.acceptedFlitsPerNodePerCycle(), 0.01);
    }
}
