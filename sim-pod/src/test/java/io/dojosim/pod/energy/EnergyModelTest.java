package io.dojosim.pod.energy;

import io.dojosim.pod.spec.PodEnergy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.energy.D1Energy;
import io.dojosim.pod.LinkKind;
import io.dojosim.pod.catalog.ModelCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Energies computed by hand for tiny activities, conservation over levels and classes, the V-f curve and the power cap. */
class EnergyModelTest {
    static final ResolvedConfig DEFAULTS = new ParamCatalog(ModelCatalog.params()).defaults();
    static final NodeParams NODE = io.dojosim.d1.bind.D1Binding.node(DEFAULTS);
    /** Round numbers: 1 pJ/FLOP matrix, 2 pJ/FLOP SIMD FP32, 0.5 / 1 pJ/B SRAM read / write, 1 pJ/B per hop; no static power. */
    static final D1Energy DIE = new D1Energy(1.0, 0.5, 2.0, 1.0, 0.5, 1.0, 1.0, 0.0, 0.0,
            new double[] {1e9, 2e9, 3e9}, new double[] {0.6, 0.8, 1.0}, 2_000_000_000L);
    static final PodEnergy POD = new PodEnergy(10, 20, 30, 40, 50, 60, 0, 0, 0, 0, 1.0, 0);

    static double[] bytes(LinkKind k, double b) {
        double[] a = new double[LinkKind.all().length];
        a[k.ordinal()] = b;
        return a;
    }

    static EnergyModel.Activity activity(int chips, int tiles, int dips, double stepSeconds, double matrixNodeSeconds, double simdNodeSeconds,
                                         double sramNodeSeconds, double[] linkBytes, long clockHz) {
        return new EnergyModel.Activity(chips, 354, tiles, 6, dips, stepSeconds, matrixNodeSeconds, simdNodeSeconds, sramNodeSeconds, linkBytes,
                9.5, DType.BF16, clockHz);
    }

    @Test
    void aTinyGemmCostsItsFlopsAndItsSramBytes() {
        // one node's matrix pipe busy 1 us at 2 GHz: 2,000 cycles x 512 FLOP = 1,024,000 FLOP at 1 pJ = 1.024 uJ;
        // its SRAM ports busy 0.5 us: 1,000 cycles x 2 load ports x 64 B = 128,000 B at 0.5 pJ = 64 nJ
        EnergyModel.Breakdown b = EnergyModel.of(activity(1, 0, 0, 1e-6, 1e-6, 0, 0.5e-6, new double[LinkKind.all().length], 2_000_000_000L),
                NODE, DIE, POD);
        assertEquals(1.024e-6, b.byClass().get("matrix"), 1e-15);
        assertEquals(64e-9, b.byClass().get("sram"), 1e-15);
        assertEquals(1.088e-6, b.joules(), 1e-15);
        assertEquals(1.088e-6, b.byLevel().get("node"), 1e-15);
        assertEquals(1.088, b.systemWatts(), 1e-9);
        // the same FLOPs on the SIMD pipe in FP32: 2,000 cycles x 2 x 16 FMA = 64,000 FLOP at 2 pJ = 128 nJ
        EnergyModel.Breakdown s = EnergyModel.of(new EnergyModel.Activity(1, 354, 0, 6, 0, 1e-6, 0, 1e-6, 0,
                new double[LinkKind.all().length], 9.5, DType.FP32, 2_000_000_000L), NODE, DIE, POD);
        assertEquals(128e-9, s.byClass().get("simd"), 1e-15);
    }

    @Test
    void aTinyTransferCostsItsBytesOnEveryLevelItCrosses() {
        // 1 MB from a node of chip A to a node of chip B next to it: read at A's router port, two mesh bundles
        // (9.5 hops each), one die-to-die link, written at B's router port
        double[] l = new double[LinkKind.all().length];
        l[LinkKind.NODE_PORT.ordinal()] = 2e6;
        l[LinkKind.MESH.ordinal()] = 2e6;
        l[LinkKind.DIE_TO_DIE.ordinal()] = 1e6;
        EnergyModel.Breakdown b = EnergyModel.of(activity(2, 0, 0, 1e-6, 0, 0, 0, l, 2_000_000_000L), NODE, DIE, POD);
        double sram = 2e6 * 0.75e-12;      // a router-port byte is charged at the mean of a read and a write
        double mesh = 2e6 * 9.5 * 1e-12;   // 19 hops at 1 pJ/B
        double d2d = 1e6 * 10e-12;         // 10 pJ/B
        assertEquals(sram, b.byClass().get("sram"), 1e-15);
        assertEquals(mesh + d2d, b.byClass().get("network"), 1e-15);
        assertEquals(sram, b.byLevel().get("node"), 1e-15);
        assertEquals(mesh, b.byLevel().get("chip"), 1e-15);
        assertEquals(d2d, b.byLevel().get("tile"), 1e-15);
        assertEquals(sram + mesh + d2d, b.joules(), 1e-15);
    }

    @Test
    void levelsAndClassesBothSumToTheTotalAndStaticPowerTimesTimeIsTheRest() {
        D1Energy die = io.dojosim.d1.bind.D1Binding.energy(DEFAULTS);
        PodEnergy pod = io.dojosim.pod.bind.SpecBinder.podEnergy(DEFAULTS);
        double[] l = new double[LinkKind.all().length];
        for (int k = 0; k < l.length; k++) l[k] = 1e6 * (k + 1);
        double step = 2e-3;
        EnergyModel.Breakdown b = EnergyModel.of(activity(24, 1, 10, step, 3.0, 0.2, 1.0, l, 2_000_000_000L), NODE, die, pod);
        double levels = b.byLevel().values().stream().mapToDouble(Double::doubleValue).sum();
        double classes = b.byClass().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(b.joules(), levels, 1e-12 * b.joules());
        assertEquals(b.joules(), classes, 1e-12 * b.joules());
        // idle power x time: 24 chips x (354 x 0.35 + 35) W, 40 I/O dies x 50 W, 10 DIPs x 150 W, 1/6 of a 4 kW host
        double idleWatts = 24 * (354 * 0.35 + 35.0) + 40 * 50.0 + 10 * 150.0 + 4000.0 / 6;
        assertEquals(idleWatts * step, b.byClass().get("static"), 1e-9);
        double activity = b.byClass().get("matrix") + b.byClass().get("simd") + b.byClass().get("sram") + b.byClass().get("network")
                + b.byClass().get("hbm");
        assertEquals((idleWatts * step + activity) * 1.30, b.joules(), 1e-9);
        assertEquals(b.joules() / step, b.systemWatts(), 1e-6);
    }

    @Test
    void theClockScalesDynamicEnergyWithVoltageSquaredAndStaticWithVoltage() {
        assertEquals(0.7, DIE.volts(1.5e9), 1e-12);
        assertEquals(0.6, DIE.volts(0.5e9), 1e-12, "clamped below the curve");
        assertEquals(1.0, DIE.volts(4e9), 1e-12, "clamped above the curve");
        assertEquals(Math.pow(0.9 / 0.8, 2), DIE.dynamicScale(2.5e9), 1e-12);
        assertEquals(0.9 / 0.8, DIE.staticScale(2.5e9), 1e-12);
        // the same node-time of matrix work at 2.5 GHz: 1.25 x the FLOPs, each at (0.9/0.8)^2 the energy
        EnergyModel.Breakdown at2 = EnergyModel.of(activity(1, 0, 0, 1e-6, 1e-6, 0, 0, new double[LinkKind.all().length], 2_000_000_000L), NODE, DIE, POD);
        EnergyModel.Breakdown at25 = EnergyModel.of(activity(1, 0, 0, 1e-6, 1e-6, 0, 0, new double[LinkKind.all().length], 2_500_000_000L), NODE, DIE, POD);
        assertEquals(at2.systemWatts() * 1.25 * Math.pow(0.9 / 0.8, 2), at25.systemWatts(), 1e-9);
    }

    @Test
    void aBadCurveIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> io.dojosim.d1.bind.D1Binding.energy(DEFAULTS.with("d1.energy.vfCurve", java.util.List.of("2e9:0.8", "1e9:0.7"), "test")));
        assertTrue(e.getMessage().contains("d1.energy.vfCurve") && e.getMessage().contains("ascend"), e.getMessage());
        ConfigException f = assertThrows(ConfigException.class,
                () -> io.dojosim.d1.bind.D1Binding.energy(DEFAULTS.with("d1.energy.vfCurve", java.util.List.of("2 GHz"), "test")));
        assertTrue(f.getMessage().contains("'2 GHz'") && f.getMessage().contains("Hz:volts"), f.getMessage());
    }

    @Test
    void thePowerCapFindsTheClockWhosePowerMeetsTheCap() {
        D1Energy die = io.dojosim.d1.bind.D1Binding.energy(DEFAULTS);
        PodEnergy pod = io.dojosim.pod.bind.SpecBinder.podEnergy(DEFAULTS);
        // a tile of 6,000 W dynamic and 3,000 W static at the dies, 2,000 W of I/O dies: 1.3 x 11,000 = 14,300 W
        double tile = 1.3 * 11_000;
        assertEquals(2_000_000_000L, EnergyModel.throttledClockHz(tile, 6_000, 3_000, die, pod, 2_000_000_000L, 15_000));
        long f = EnergyModel.throttledClockHz(tile, 6_000, 3_000, die, pod, 2_000_000_000L, 12_000);
        double r = die.volts(f) / die.volts(2e9);
        double p = 1.3 * (6_000 * (f / 2e9) * r * r + 3_000 * r + 2_000);
        assertTrue(f < 2_000_000_000L && p <= 12_000 && p > 11_990, f + " Hz gives " + p + " W");
        assertEquals(1_000_000_000L, EnergyModel.throttledClockHz(tile, 6_000, 3_000, die, pod, 2_000_000_000L, 100),
                "a cap below the curve's floor stops at its lowest clock");
    }
}
