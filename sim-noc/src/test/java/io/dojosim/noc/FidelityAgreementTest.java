package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.noc.traffic.SyntheticExperiment;
import io.dojosim.noc.traffic.TrafficPattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packet fidelity agrees with the flit fidelity within 5 % on average packet latency below half
 * of saturation under uniform traffic (saturation of the flit model: 0.367 flits/node/cycle for
 * the BookSim 2-VC 4-flit case on 8 x 8, about 0.18 for the D1 defaults on 18 x 20).
 */
class FidelityAgreementTest {

    static ExperimentResult run(NocParams p, MeshShape m, double rate) {
        NocParams q = p.withMeasure(p.measure().withWindows(1000, 3000));
        return new SyntheticExperiment(m, q, TrafficPattern.parse("uniform", m), 3).run(rate);
    }

    @ParameterizedTest(name = "{0} {1}x{2} packetFlits={3} rate={4}")
    @CsvSource({
            "booksim, 8, 8, 4, 0.05", "booksim, 8, 8, 4, 0.12", "booksim, 8, 8, 4, 0.18",
            "booksim, 8, 8, 1, 0.14",
            "d1, 18, 20, 1, 0.02", "d1, 18, 20, 1, 0.06"})
    void packetLatencyWithinFivePercentOfFlit(String preset, int w, int h, int flits, double rate) {
        NocParams base = (preset.equals("booksim") ? NocParams.booksim() : NocParams.defaults()).withPacketFlits(flits);
        MeshShape m = MeshShape.full(w, h);
        ExperimentResult flit = run(base.withFidelity(NocParams.Fidelity.FLIT), m, rate);
        ExperimentResult pkt = run(base.withFidelity(NocParams.Fidelity.PACKET), m, rate);
        double err = pkt.avgPacketLatencyCycles() / flit.avgPacketLatencyCycles() - 1;
        assertTrue(Math.abs(err) <= 0.05, String.format("flit %.2f packet %.2f (%.1f %%)", flit.avgPacketLatencyCycles(),
                pkt.avgPacketLatencyCycles(), 100 * err));
        // same traffic, same routes: accepted throughput and hops agree closely
        assertEquals(flit.acceptedFlitsPerNodePerCycle(), pkt.acceptedFlitsPerNodePerCycle(), 0.03 * rate + 0.002);
        assertEquals(flit.avgHops(), pkt.avgHops(), 0.2);
    }
}
