package io.dojosim.bench;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.pod.Machine;
import io.dojosim.pod.PodParams;
import io.dojosim.pod.PodSimulation;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.pod.collective.CollectivePrimitive;
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
 * A 1 GiB all-reduce across every chip of the 120 tiles at the default fidelity (flow model,
 * hierarchical: rows and columns of each tile, the tiles of a tray, then the trays over Ethernet):
 * building the transfer graph and simulating it, on a machine built in setup. Goal: at most 60 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PodAllReduceBenchmark {
    @Param({"1073741824"})
    public long bytes;

    @Param({"hierarchical"})
    public String algorithm;

    private ResolvedConfig config;
    private Machine machine;

    @Setup
    public void setup() {
        config = PodParams.standaloneCatalog().defaults();
        machine = Machine.build(io.dojosim.pod.bind.SpecBinder.bind(config));
    }

    @Benchmark
    public double allReduce() {
        PodSimulation ps = new PodSimulation(new Simulator(1), machine);
        Collective c = ps.collective(CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.parse(algorithm),
                CollectiveGroup.forScope(machine.topology(), "pod"), bytes, null, 0);
        ps.simulator().run();
        return c.result().timeSeconds();
    }
}
