package io.dojosim.bench;

import io.dojosim.core.random.Rng;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.noc.internal.NetworkEngine;
import io.dojosim.noc.traffic.SyntheticExperiment;
import io.dojosim.noc.traffic.TrafficPattern;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Speed of the mesh network under uniform Bernoulli traffic in steady state: one operation is one
 * simulated cycle of the whole mesh, so router-cycles per second = ops/s x routers. The network is
 * warmed up for 3000 cycles with traffic before measuring. BookSim2's 4-stage router (mesh_base.cfg)
 * with 4 VCs and 4-flit packets, as the BookSim2 speed table in the reference README.
 * Loads: 0.01, 0.1 and near saturation (0.35 on 16 x 16 is past it: source queues grow, the
 * network stays full, which is the expensive regime).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NocBenchmark {
    @Param({"16x16", "18x20"})
    public String mesh;

    @Param({"0.01", "0.1", "0.35"})
    public double rate;

    @Param({"flit", "packet"})
    public String fidelity;

    private NetworkEngine engine;
    private long cycle;

    /** Uniform Bernoulli source with geometric gaps (no allocation). */
    static final class Source implements NetworkEngine.Generator {
        final Rng rng = new Rng(42);
        final TrafficPattern pattern;
        final double logq;
        final int flits;

        Source(TrafficPattern pattern, double prob, int flits) {
            this.pattern = pattern;
            this.logq = Math.log1p(-prob);
            this.flits = flits;
        }

        long gap() {
            return 1 + (long) Math.floor(Math.log(1.0 - rng.nextDouble()) / logq);
        }

        @Override
        public long generate(NetworkEngine e, int t, long ctime) {
            e.enqueue(e.newPacket(t, pattern.dest(t, rng), flits, ctime, 0));
            return ctime + gap();
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        MeshShape m = MeshShape.parse(mesh);
        NocParams p = NocParams.booksim().withVcs(4).withPacketFlits(4)
                .withFidelity(NocParams.Fidelity.valueOf(fidelity.toUpperCase(java.util.Locale.ROOT)));
        engine = SyntheticExperiment.engine(m, p);
        Source s = new Source(TrafficPattern.parse("uniform", m), rate / p.packetFlits(), p.packetFlits());
        int[] nodes = m.activeNodeIds();
        long[] first = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) first[i] = s.gap() - 1;
        engine.setGenerator(s, nodes, first);
        for (cycle = 0; cycle < 3000; cycle++) engine.step(cycle);
    }

    /** 100 cycles of the whole mesh per invocation. */
    @Benchmark
    @OperationsPerInvocation(100)
    public long cycles() {
        for (int i = 0; i < 100; i++) engine.step(cycle++);
        return engine.packetsLive();
    }
}
