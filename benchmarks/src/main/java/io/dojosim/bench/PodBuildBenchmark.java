package io.dojosim.bench;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.pod.Machine;
import io.dojosim.pod.PodParams;
import io.dojosim.pod.PodSimulation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Building the machine: the link graph of the whole ExaPOD (120 tiles, 3,000 chips, 1,062,000
 * nodes), the flow network's per-link arrays (2.1 million node-port links included) and the
 * {@code dojosim info} figures (every bisection is a cut over all links). Goal: at most 10 s and
 * 4 GB of heap (run with -Xmx4g).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PodBuildBenchmark {
    @Param({"pod"})
    public String scope;

    private ResolvedConfig config;

    @Setup
    public void setup() {
        config = PodParams.standaloneCatalog().defaults().with("pod.system.scope", scope, "benchmark");
    }

    @Benchmark
    public Object buildMachineFlowNetworkAndInfo() {
        Machine m = Machine.build(io.dojosim.pod.bind.SpecBinder.bind(config));
        PodSimulation ps = new PodSimulation(new Simulator(1), m);
        m.info();
        return ps;
    }
}
