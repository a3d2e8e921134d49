package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Average and peak power per level over the step (docs/model/energy.md#power). */
class PowerProfileTest {
    @Test
    void aHandTimelineGivesTheHandComputedTrackPeakAndAverage() {
        PowerProfile.Recorder r = new PowerProfile.Recorder(StepExecutor.TimelineSink.NONE);
        r.operation(null, StepExecutor.Kind.COMPUTE, 0, 100);
        r.operation(null, StepExecutor.Kind.COMPUTE, 20, 80);      // inside the first: the union is unchanged
        r.operation(null, StepExecutor.Kind.COMMUNICATION, 50, 250);
        r.operation(null, StepExecutor.Kind.COMPUTE, 200, 300);
        r.operation(null, StepExecutor.Kind.HOST, 0, 300);         // no dynamic energy of its own
        PowerProfile p = r.profile();
        assertArrayEquals(new long[] {200, 200, 0}, p.busyPs());
        // static 10 W; compute 1e-9 J over 200 ps = 5 W while it runs; communication 6e-10 J over 200 ps = 3 W
        PowerProfile.Track t = p.track(10, new double[] {1e-9, 6e-10, 0});
        assertArrayEquals(new long[] {0, 50, 100, 200, 250, 300}, t.timesPs());
        double[] totals = new double[t.timesPs().length];
        for (int i = 0; i < totals.length; i++) totals[i] = t.total(i);
        assertArrayEquals(new double[] {15, 18, 13, 18, 15, 10}, totals, 1e-9);
        assertEquals(18, t.peakWatts(), 1e-9);
        // 10 x 300 + 5 x 200 + 3 x 200 = 4600 W ps over 300 ps
        assertEquals(4600.0 / 300, t.averageWatts(), 1e-9);
    }

    @Test
    void aTileRunsPeakIsAtLeastItsAverageAtEveryLevelAndTheSystemTrackIntegratesToTheStepsEnergy() {
        PowerProfile.Recorder r = new PowerProfile.Recorder(StepExecutor.TimelineSink.NONE);
        List<String> sets = new ArrayList<>(List.of("pod.system.scope=tile", "run.mapping.replicaChips=4"));
        StepSummary s = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config(sets.toArray(String[]::new))),
                StepRunnerTest.resnet(2), r).summary();
        io.dojosim.pod.energy.EnergyBlock e = s.energy();
        io.dojosim.pod.energy.EnergyBlock.Watts avg = e.averageWatts();
        io.dojosim.pod.energy.EnergyBlock.Peak peak = e.peakWatts();
        double[][] pairs = {{avg.system(), peak.system()}, {avg.perTile(), peak.perTile()}, {avg.perChip(), peak.perChip()}};
        String[] names = {"system", "perTile", "perChip"};
        for (int k = 0; k < 3; k++) {
            double a = pairs[k][0];
            double pk = pairs[k][1];
            assertTrue(pk >= a * (1 - 1e-12) && a > 0, names[k] + ": peak " + pk + " >= average " + a);
        }
        // the summary's system peak is the maximum of the track the timeline gives (the trace's "power (W)")
        PowerProfile.Track sys = r.profile().system(e, s.steps());
        double max = 0;
        for (int i = 0; i < sys.timesPs().length; i++) max = Math.max(max, sys.total(i));
        assertEquals(max, peak.system(), 1e-9 * max);
        // and it integrates to the step's energy: its average is the system's average power
        assertEquals(avg.system(), sys.averageWatts(), 1e-6 * sys.averageWatts());
        assertTrue(max > avg.system(), "work does not run flat out all step");
    }
}
