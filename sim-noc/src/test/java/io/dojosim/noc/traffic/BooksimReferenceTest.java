package io.dojosim.noc.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * dojosim configured as BookSim2's mesh_base.cfg reproduces BookSim2's 8 x 8 uniform results
 * (src/test/resources/booksim): average packet latency within 3 % at every third load below 80 %
 * of saturation, and saturation throughput (the largest accepted rate in throughput mode) within
 * 5 % (accepted rate in throughput mode at the offered load where BookSim2 accepted the most). The full table is run by {@code BooksimSweep} (docs/validation.md).
 */
class BooksimReferenceTest {
    static final long SEED = 1;

    static NocParams params(BooksimReference b) {
        return NocParams.booksim().withVcs(b.vcs()).withPacketFlits(b.packetFlits()).withBufferFlits(b.bufferFlits())
                .withMeasure(NocParams.Measurement.booksim().withThroughputMode(b.throughput()));
    }

    static ExperimentResult run(BooksimReference b, double rate) {
        MeshShape m = MeshShape.full(b.k(), b.k());
        return new SyntheticExperiment(m, params(b), TrafficPattern.parse("uniform", m), SEED).run(rate);
    }

    static String config(BooksimReference b) {
        return "vc" + b.vcs() + "_ps" + b.packetFlits();
    }

    @TestFactory
    Stream<DynamicTest> packetLatencyWithinThreePercentBelowEightyPercentOfSaturation() {
        List<BooksimReference> all = BooksimReference.load();
        List<DynamicTest> tests = new ArrayList<>();
        for (String cfg : List.of("vc2_ps1", "vc2_ps4", "vc4_ps1", "vc4_ps4")) {
            double sat = all.stream().filter(b -> config(b).equals(cfg) && b.throughput()).mapToDouble(BooksimReference::accepted).max().orElseThrow();
            List<BooksimReference> rows = all.stream().filter(b -> config(b).equals(cfg) && !b.throughput() && b.stable()
                    && b.rate() <= 0.8 * sat + 1e-9).toList();
            for (int i = 0; i < rows.size(); i++) {
                BooksimReference b = rows.get(i);
                if (i % 3 != 0 && i != rows.size() - 1) continue; // every third load, and the highest
                tests.add(DynamicTest.dynamicTest(b.runId(), () -> {
                    ExperimentResult r = run(b, b.rate());
                    assertFalse(r.saturated());
                    double err = r.avgPacketLatencyCycles() / b.packetLatency() - 1;
                    assertTrue(Math.abs(err) <= 0.03, String.format("%s: ours %.2f, BookSim2 %.2f (%.1f %%)", b.runId(),
                            r.avgPacketLatencyCycles(), b.packetLatency(), 100 * err));
                    assertEquals(b.hops(), r.avgHops(), 0.15); // Manhattan distance + 1, sampled
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> saturationThroughputWithinFivePercent() {
        List<BooksimReference> all = BooksimReference.load();
        List<DynamicTest> tests = new ArrayList<>();
        for (String cfg : List.of("vc2_ps1", "vc2_ps4", "vc4_ps1", "vc4_ps4")) {
            BooksimReference best = all.stream().filter(b -> config(b).equals(cfg) && b.throughput())
                    .max((a, c) -> Double.compare(a.accepted(), c.accepted())).orElseThrow();
            tests.add(DynamicTest.dynamicTest(cfg + " saturation " + best.accepted(), () -> {
                // our accepted rate at the offered load where BookSim2 accepted the most
                double ours = run(best, best.rate()).acceptedFlitsPerNodePerCycle();
                double err = ours / best.accepted() - 1;
                assertTrue(Math.abs(err) <= 0.05, String.format("%s: ours %.4f, BookSim2 %.4f", cfg, ours, best.accepted()));
                // and it stays below the bisection bound 4/k = 0.5 flits per node per cycle on 8 x 8
                assertTrue(ours < 0.5);
            }));
        }
        return tests.stream();
    }
}
