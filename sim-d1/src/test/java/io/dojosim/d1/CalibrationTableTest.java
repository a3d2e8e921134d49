package io.dojosim.d1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.chip.ChipCalibration;
import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.d1.chip.ChipResult;
import io.dojosim.d1.chip.ChipSimulation;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped calibration table (ADR 0088, docs/model/d1-chip.md#calibrated): it belongs to the
 * default machine, its entries are what the cycle-level chip gives today, and the calibrated
 * fidelity answers from it.
 */
class CalibrationTableTest {
    private final ResolvedConfig c = TestConfigs.defaults();
    private final String machine = ChipCalibration.fingerprint(io.dojosim.d1.bind.D1Binding.chipSim(c));

    /** @return the shipped entries of the default machine (not those measured by other tests in this JVM) */
    private List<ChipCalibration.Entry> table() {
        List<ChipCalibration.Entry> all = new ArrayList<>();
        for (ChipCalibration.Entry e : ChipCalibration.shippedEntries()) {
            if (e.fingerprint().equals(machine)) all.add(e);
        }
        return all;
    }

    @Test
    void theShippedTableIsTheDefaultMachines() {
        // a default d1.node, d1.chip or noc value changed without rewriting the table empties this
        assertEquals(SHIPPED_ENTRIES, table().size(), "entries of the default machine " + machine + ": " + table().size());
    }

    @Test
    void sampledEntriesAreWhatTheCycleLevelChipGivesToday() {
        // the three cheapest entries, re-simulated: a change to the kernels, the node or the mesh
        // that moves their cycles must bump ChipCalibration.VERSION or rewrite the table
        List<ChipCalibration.Entry> t = new ArrayList<>(table());
        t.sort(Comparator.comparingLong(ChipCalibration.Entry::cycles).thenComparing(ChipCalibration.Entry::key));
        for (ChipCalibration.Entry e : t.subList(0, 3)) {
            ChipResult r = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(c), e.m(), e.n(), e.k(), e.type());
            assertEquals(e.cycles(), r.cycles(), e.line());
        }
    }

    @Test
    void calibratedFidelityAnswersATableShareWithItsCycleLevelCycles() {
        ChipCalibration.Entry e = table().get(0);
        ChipComputeModel model = new ChipComputeModel(io.dojosim.d1.bind.D1Binding.chipSim(c));
        ChipComputeModel.Estimate est = model.gemm(e.m(), e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.CALIBRATED);
        assertEquals(e.cycles(), est.cycles());
        assertEquals(1, model.calibrationCounts()[0]);
        assertEquals(0, model.calibrationCounts()[1]);
    }

    @Test
    void aMissIsTheRooflineScaledByTheNearestSharesRatio() {
        ChipCalibration.Entry e = table().get(0);
        ChipComputeModel model = new ChipComputeModel(io.dojosim.d1.bind.D1Binding.chipSim(c));
        // one row more than a measured share: nearest is that share (distance ln((m+1)/m))
        ChipComputeModel.Estimate roof = model.gemm(e.m() + 1, e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.ROOFLINE);
        ChipComputeModel.Estimate near = model.gemm(e.m(), e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.ROOFLINE);
        double ratio = (double) e.cycles() / near.cycles();
        ChipComputeModel.Estimate cal = model.gemm(e.m() + 1, e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.CALIBRATED);
        assertEquals(Math.round(roof.cycles() * ratio), cal.cycles());
        assertEquals(1, model.calibrationCounts()[1]);
        // far from every measured share (100,000 x 8 x 8), and on a machine with no measured share
        // (a what-if): the roofline
        assertEquals(model.gemm(100_000, 8, 8, e.type(), 354, ChipComputeModel.Fidelity.ROOFLINE).cycles(),
                model.gemm(100_000, 8, 8, e.type(), 354, ChipComputeModel.Fidelity.CALIBRATED).cycles());
        assertEquals(1, model.calibrationCounts()[3]);
        ResolvedConfig whatIf = c.with("d1.node.sramLatencyCycles", 6, "test");
        ChipComputeModel other = new ChipComputeModel(io.dojosim.d1.bind.D1Binding.chipSim(whatIf));
        assertFalse(other.fingerprint().equals(model.fingerprint()));
        assertEquals(other.gemm(e.m() + 1, e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.ROOFLINE).cycles(),
                other.gemm(e.m() + 1, e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.CALIBRATED).cycles());
    }

    @Test
    void theDefaultMachineConstantIsTheDefaultsFingerprint() {
        assertEquals(ChipCalibration.DEFAULT_MACHINE, machine);
        assertEquals(machine, ChipCalibration.fingerprint(io.dojosim.d1.bind.D1Binding.defaultChipSim()));
    }

    @Test
    void aWhatIfMachineBorrowsTheDefaultMachinesRatioOnItsOwnRoofline() {
        // the cheapest entry: a 2.5 GHz die simulates it in the same cycles (the chip GEMM counts cycles, the
        // clock only sets the period), and the borrowed ratio gives round(R * C / R) = C on the same roofline R
        List<ChipCalibration.Entry> t = new ArrayList<>(table());
        t.sort(Comparator.comparingLong(ChipCalibration.Entry::cycles).thenComparing(ChipCalibration.Entry::key));
        ChipCalibration.Entry e = t.get(0);
        io.dojosim.d1.chip.ChipSimSpec def = io.dojosim.d1.bind.D1Binding.defaultChipSim();
        io.dojosim.d1.chip.ChipSimSpec clock = io.dojosim.d1.bind.D1Binding.chipSim(c.with("d1.node.clockHz", 2_500_000_000L, "test")
                .with("noc.clockHz", 2_500_000_000L, "test"));
        assertEquals(e.cycles(), ChipSimulation.gemm(clock, e.m(), e.n(), e.k(), e.type()).cycles(), e.line());
        ChipComputeModel fast = new ChipComputeModel(clock, false, def);
        ChipComputeModel.Estimate est = fast.gemm(e.m(), e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.CALIBRATED);
        assertEquals(e.cycles(), est.cycles());
        assertEquals(e.cycles() * 400L, est.timePs(), "400 ps a cycle at 2.5 GHz");
        assertEquals(List.of(0L, 0L, 0L, 0L, 1L), java.util.Arrays.stream(fast.calibrationCounts()).boxed().toList());

        // a node change: the default machine's ratio C / R(default) on the what-if's own roofline R(what-if)
        ChipComputeModel defModel = new ChipComputeModel(def);
        ResolvedConfig slowSram = c.with("d1.node.sramLatencyCycles", 6, "test");
        ChipComputeModel other = new ChipComputeModel(io.dojosim.d1.bind.D1Binding.chipSim(slowSram), false, def);
        long rDefault = defModel.gemm(e.m(), e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.ROOFLINE).cycles();
        long rOther = other.gemm(e.m() + 1, e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.ROOFLINE).cycles();
        assertEquals(Math.round(rOther * ((double) e.cycles() / rDefault)),
                other.gemm(e.m() + 1, e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.CALIBRATED).cycles());
        // out of reach of every default share: the roofline; the default machine itself borrows nothing
        assertEquals(other.gemm(100_000, 8, 8, e.type(), 354, ChipComputeModel.Fidelity.ROOFLINE).cycles(),
                other.gemm(100_000, 8, 8, e.type(), 354, ChipComputeModel.Fidelity.CALIBRATED).cycles());
        assertEquals(List.of(0L, 0L, 0L, 1L, 1L), java.util.Arrays.stream(other.calibrationCounts()).boxed().toList());
        ChipComputeModel self = new ChipComputeModel(def, false, def);
        self.gemm(100_000, 8, 8, e.type(), 354, ChipComputeModel.Fidelity.CALIBRATED);
        assertEquals(List.of(0L, 0L, 0L, 1L, 0L), java.util.Arrays.stream(self.calibrationCounts()).boxed().toList());
    }

    @Test
    void leaveOneOutErrorOfTheNearestShareIsAsMeasured() {
        // each entry predicted from the nearest other entry of its type within reach, as a miss
        // would be, against the roofline on the same entries (docs/validation.md)
        ChipComputeModel model = new ChipComputeModel(io.dojosim.d1.bind.D1Binding.chipSim(c));
        List<ChipCalibration.Entry> t = table();
        double worst = 0, sum = 0, roofWorst = 0, roofSum = 0;
        int n = 0;
        for (ChipCalibration.Entry e : t) {
            ChipCalibration.Entry best = null;
            double bd = Double.MAX_VALUE;
            for (ChipCalibration.Entry o : t) {
                if (o == e || o.type() != e.type()) continue;
                double d = Math.abs(Math.log((double) o.m() / e.m())) + Math.abs(Math.log((double) o.n() / e.n()))
                        + Math.abs(Math.log((double) o.k() / e.k()));
                if (d < bd) {
                    bd = d;
                    best = o;
                }
            }
            if (best == null || bd > ChipComputeModel.NEAREST_REACH) continue;
            double ratio = (double) best.cycles() / model.gemm(best.m(), best.n(), best.k(), best.type(), 354, ChipComputeModel.Fidelity.ROOFLINE).cycles();
            long roof = model.gemm(e.m(), e.n(), e.k(), e.type(), 354, ChipComputeModel.Fidelity.ROOFLINE).cycles();
            double err = Math.abs(ratio * roof / e.cycles() - 1);
            double roofErr = Math.abs((double) roof / e.cycles() - 1);
            worst = Math.max(worst, err);
            sum += err;
            roofWorst = Math.max(roofWorst, roofErr);
            roofSum += roofErr;
            n++;
        }
        assertEquals(IN_REACH, n);
        // 427 of 457 entries in reach since the gpt3-175b ExaPOD shares (407 of 436 before them: 0.0406, 0.7838,
        // 0.3403, 2.5598; 54 of 89 before ADRs 0105 and 0107: 0.0744, 0.3882, 0.3213, 1.6216)
        assertEquals(0.0428, sum / n, 5e-5, "mean |error| of the nearest share's ratio");
        assertEquals(0.7838, worst, 5e-5, "worst |error| of the nearest share's ratio");
        assertEquals(0.3402, roofSum / n, 5e-5, "mean |error| of the roofline on the same shares");
        assertEquals(2.5598, roofWorst, 5e-5, "worst |error| of the roofline on the same shares");
    }

    @Test
    void aMalformedTableLineIsRefusedWithItsLineNumber() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ChipCalibration.read(new StringReader(ChipCalibration.header() + "\nabc\tbf16\t1\t2\n"), "t.tsv"));
        assertTrue(e.getMessage().contains("t.tsv line 2"), e.getMessage());
    }

    /**
     * Entries of the shipped table: at tile scope resnet50 23, bert-large 19, vision-bev 47 at the
     * default tile plans, (ADR 0105) 117 of seven other tile plans of resnet50 and bert-large, and at
     * the default ExaPOD plan search (ADR 0107) resnet50 65, bert-large 56, vision-bev 93 more (five
     * shares measured by both), 21 of the ExaPOD plan with 4 micro-batches (ADR 0105 amendment), and 21
     * of gpt3-175b's default ExaPOD plan ({@code dojosim calibrate -w gpt3-175b}, 194.5 s).
     */
    private static final int SHIPPED_ENTRIES = 457;
    /** Entries whose nearest other entry lies within {@link ChipComputeModel#NEAREST_REACH}. */
    private static final int IN_REACH = 427;
}
