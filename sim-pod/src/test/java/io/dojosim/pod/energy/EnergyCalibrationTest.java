package io.dojosim.pod.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.catalog.ModelCatalog;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.workload.Workload;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.DataType;
import io.dojosim.workload.GemmShape;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.Phase;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.WorkloadMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The calibration of docs/validation.md#energy: with the default parameters a D1 running a
 * full-rate BF16 GEMM stays under its 400 W TDP (AID21) and a tile of 25 such dies draws 15 kW
 * within 10 % (AID21, HC34-S), both through the whole run path (mapper, executor, energy block).
 */
class EnergyCalibrationTest {
    static ResolvedConfig config(String... sets) {
        ResolvedConfig c = new ParamCatalog(ModelCatalog.params()).defaults();
        for (String s : sets) {
            int eq = s.indexOf('=');
            c = c.with(s.substring(0, eq), s.substring(eq + 1), "test");
        }
        return c;
    }

    /** One replica = one chip running one 4096^3 BF16 GEMM (operands resident in its SRAM); no communication. */
    static Workload gemm(long n) {
        long bytes = n * n * 2;
        ComputeOp g = ComputeOp.builder(1, "g", ComputeKind.GEMM).shape(new GemmShape(1, n, n, n)).dataType(DataType.BF16).flops(2 * n * n * n)
                .inputBytes(bytes).outputBytes(bytes).weightBytes(bytes).layer("g").phase(Phase.FORWARD).build();
        return new Workload(new WorkloadMetadata("full-rate-gemm", "test", 1, 1, n * n, List.of(DataType.BF16), 0, ParallelismHint.NONE, Map.of()),
                List.of(new RankGraph(0, List.of(g))));
    }

    static io.dojosim.pod.energy.EnergyBlock energy(StepRunner.Report r) {
        return r.summary().energy();
    }

    static double watts(io.dojosim.pod.energy.EnergyBlock e, String k) {
        return k.equals("perChip") ? e.averageWatts().perChip() : e.averageWatts().perTile();
    }

    @Test
    void fullRateGemmTileDrawsFifteenKilowattsAndEachD1StaysUnderItsTdp() {
        StepRunner.Report r = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(config("pod.system.scope=tile", "run.mapping.replicaChips=1")), gemm(4096),
                StepExecutor.TimelineSink.NONE);
        var e = energy(r);
        var util = r.summary().utilization();
        double matrix = ((Number) util.nodeMatrixPipe()).doubleValue();
        // sim-d1's SUMMA kernel keeps the pipes busy 87.9 % of the time on a 4096^3 GEMM (the largest hole-free rectangle of the mesh)
        assertEquals(0.879, matrix, 0.005, "the GEMM keeps the matrix pipes near full rate");
        double chip = watts(e, "perChip");
        double tile = watts(e, "perTile");
        assertTrue(chip <= 400.0, "a D1 at full-rate BF16 GEMM within its 400 W TDP: " + chip + " W");
        // the same die with every pipe busy all the time: static + dynamic / utilization
        double staticChip = 354 * 0.35 + 35.0;
        double atFullRate = staticChip + (chip - staticChip) / matrix;
        assertTrue(atFullRate <= 400.0 && atFullRate >= 360.0, "a D1 with every matrix pipe at full rate: " + atFullRate + " W");
        assertEquals(15_000.0, tile, 1_500.0, "the tile at full-rate GEMM draws 15 kW within 10 %: " + tile + " W");
        System.out.printf(java.util.Locale.ROOT, "calibration: D1 %.1f W at %.1f %% matrix (%.1f W at 100 %%), tile %.0f W (%+.1f %% of 15 kW)%n",
                chip, 100 * matrix, atFullRate, tile, 100 * (tile - 15_000) / 15_000);
    }

    @Test
    void aTilePowerCapThrottlesTheClockAndTheStepRunsSlowerUnderIt() {
        StepRunner.Report r = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(config("pod.system.scope=tile", "run.mapping.replicaChips=1",
                        "pod.energy.tilePowerCapWatts=12000")),
                gemm(4096), StepExecutor.TimelineSink.NONE);
        var e = energy(r);
        var cap = e.powerCap();
        System.out.println("power cap " + cap + ", step " + r.summary().stepTimeSeconds() + " s");
        assertEquals(Boolean.TRUE, cap.throttled());
        long f = ((Number) cap.clockHz()).longValue();
        assertTrue(f < 2_000_000_000L && f > 1_000_000_000L, "throttled clock " + f);
        assertEquals(f, e.clockHz(), "the reported run is the throttled one");
        double tile = watts(e, "perTile");
        assertTrue(tile <= 12_000 * 1.01 && tile > 12_000 * 0.95, "the throttled tile draws about the cap: " + tile + " W");
        double before = ((Number) cap.unthrottledStepTimeSeconds()).doubleValue();
        assertTrue(r.summary().stepTimeSeconds() > before * 1.05, "a slower clock, a longer step");
    }
}
