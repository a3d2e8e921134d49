package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.engine.Workers;
import io.dojosim.core.random.Rng;
import io.dojosim.core.time.ClockDomain;
import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.noc.traffic.SyntheticExperiment;
import io.dojosim.noc.traffic.TrafficPattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The flit engine evaluates a cycle's routers on several host lanes when enough are busy
 * (docs/adr/0070-parallel-flit-engine.md). Every result must be the same on 1, 2 and 4 threads,
 * and the parallel path must actually have run (otherwise the comparison proves nothing).
 */
class ParallelFlitEngineTest {

    /** An experiment result without its wall time (a host fact). */
    private static ExperimentResult model(ExperimentResult r) {
        return new ExperimentResult(r.rate(), r.avgPacketLatencyCycles(), r.avgNetworkLatencyCycles(), r.p50PacketLatencyCycles(),
                r.p99PacketLatencyCycles(), r.maxPacketLatencyCycles(), r.acceptedFlitsPerNodePerCycle(), r.avgHops(), r.saturated(),
                r.measuredPackets(), r.samplePeriods(), r.simulatedCycles(), r.routers(), r.maxLinkUtilization(),
                r.avgBufferOccupancyFlits(), 0);
    }

    @ParameterizedTest(name = "{0}x{0} {1} at {2} flits/node/cycle, {3} routing, SA {4} cycle(s)")
    @CsvSource({"10, uniform, 0.3, XY, 1", "16, transpose, 0.2, XY, 1", "16, uniform, 0.45, XY, 1", "12, uniform, 0.3, TABLE, 1",
            "12, uniform, 0.3, XY, 3"})
    void syntheticTrafficIsIdenticalOnOneTwoAndFourThreads(int k, String pattern, double rate, NocParams.Routing routing, int sa) {
        NocParams b = NocParams.booksim();
        NocParams p = b.withRouting(routing).withMeasure(b.measure().withWindows(300, 1200))
                .withStageDelays(b.routingDelayCycles(), b.vcAllocDelayCycles(), sa, b.stDelayCycles());
        MeshShape shape = MeshShape.full(k, k);
        ExperimentResult ref = null;
        for (int threads : new int[] {1, 2, 4}) {
            try (Workers w = Workers.splittingAlways(threads)) {
                SyntheticExperiment x = new SyntheticExperiment(shape, p, TrafficPattern.parse(pattern, shape), 42).useWorkers(w);
                ExperimentResult r = model(x.run(rate));
                if (threads == 1) {
                    ref = r;
                    assertEquals(0, x.lastParallelCycles());
                } else {
                    assertEquals(ref, r, threads + " threads");
                    assertTrue(x.lastParallelCycles() > 0, "the parallel path ran on " + threads + " threads");
                    long[] lanes = w.report().items(); // router evaluations per lane in split cycles
                    assertTrue(lanes[1] > 0, "lane 1 evaluated routers");
                }
            }
        }
    }

    /** Messages through the MeshNetwork facade on a D1-sized mesh: delivery times per message are identical. */
    @ParameterizedTest(name = "{0} fidelity")
    @CsvSource({"FLIT"})
    void meshMessagesAreDeliveredAtTheSameCyclesOnAnyThreadCount(NocParams.Fidelity f) {
        long[] ref = null;
        for (int threads : new int[] {1, 2, 4}) {
            try (Workers w = Workers.splittingAlways(threads)) {
                long[] got = randomMessages(NocParams.defaults().withFidelity(f), w);
                if (ref == null) ref = got;
                else assertArrayEquals(ref, got, threads + " threads");
            }
        }
    }

    private static long[] randomMessages(NocParams p, Workers w) {
        Simulator sim = new Simulator(7);
        sim.useWorkers(w);
        Clock clock = new Clock(sim, new ClockDomain("noc", p.clockHz()));
        MeshShape shape = MeshShape.full(18, 20);
        // random sizes and pairs; 1,000 messages keep the mesh busy enough to split its routers
        MeshNetwork mesh = new MeshNetwork(sim, clock, "noc", shape, p);
        int messages = 400;
        long[] delivered = new long[messages];
        mesh.setDeliveryListener((nowPs, tag) -> delivered[(int) tag] = nowPs);
        Rng rng = new Rng(11);
        List<long[]> sends = new ArrayList<>();
        for (int m = 0; m < messages; m++) {
            int src = rng.nextInt(shape.activeNodes());
            int dst = rng.nextInt(shape.activeNodes());
            long bytes = 64L * (1 + rng.nextInt(64));
            sends.add(new long[] {src, dst, bytes, m});
        }
        for (long[] s : sends) mesh.send((int) s[0], (int) s[1], s[2], s[3]);
        sim.run();
        assertTrue(w.threads() == 1 || mesh.parallelCycles() > 0, "the parallel path ran");
        return delivered;
    }
}
