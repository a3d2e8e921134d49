package io.dojosim.bench;

import io.dojosim.core.config.CoreParams;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.D1Params;
import io.dojosim.d1.DType;
import io.dojosim.d1.chip.ChipResult;
import io.dojosim.d1.chip.ChipSimulation;
import io.dojosim.noc.NocParams;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wall time of a chip-wide BF16 GEMM (SUMMA over 352 of the 354 nodes, cycle node fidelity) on
 * the flit- or packet-level mesh. The shape {@code 6144x6144x4352} is about 1 ms of simulated time
 * (the speed target: at most 60 s with the flit-level mesh); {@code 2048x2048x1024} is a
 * quick point (the default; pass {@code -p shape=6144x6144x4352} for the 1 ms case). One shot per iteration: a run is long enough that JIT warm-up is a small part.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class ChipGemmBenchmark {
    @Param({"2048x2048x1024"})
    public String shape;

    @Param({"flit", "packet"})
    public String fidelity;

    private ResolvedConfig config;
    private long m, n, k;

    @Setup
    public void setup() {
        config = new ParamCatalog(List.of(CoreParams.GROUP, NocParams.GROUP, D1Params.NODE, D1Params.CHIP)).defaults()
                .with("noc.fidelity", fidelity, "benchmark");
        String[] p = shape.split("x");
        m = Long.parseLong(p[0]);
        n = Long.parseLong(p[1]);
        k = Long.parseLong(p[2]);
    }

    @Benchmark
    public long chipGemm() {
        ChipResult r = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(config), m, n, k, DType.BF16);
        System.out.printf(java.util.Locale.ROOT, "%n[%s %s] simulated %.1f us, %.1f %% of peak, limiter: %s%n", shape, fidelity,
                r.timePs() / 1e6, 100 * r.fractionOfPeak(), r.limiter());
        return r.cycles();
    }
}
