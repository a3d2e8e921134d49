package io.dojosim.pod.step;

import io.dojosim.d1.chip.ChipComputeModel;

/**
 * What summary.json says about the compute model a run used ({@code computeModel}): its fidelity,
 * how the calibrated fidelity answered the run's distinct whole-die shares, and the validated
 * error band of that model against the cycle-level chip (docs/validation.md#compute-fidelity-of-the-training-step).
 *
 * <p>Caveats: the bands are the measured errors of the built-in workloads at tile scope (ADR 0088),
 * not bounds for every workload.
 */
public final class ComputeModelReport {
    private ComputeModelReport() {
    }

    /** Band of the roofline against cycle fidelity on the built-in workloads' tile-scope step times. */
    public static final String ROOFLINE_BAND = "step time 1 to 31 % optimistic against cycle fidelity (resnet50 -31.1 %, bert-large -1.8 %,"
            + " vision-bev -0.8 % at tile scope); per chip share 32 % mean |error|, 162 % worst";
    /** Band of the calibrated fidelity when every share is a table hit. */
    public static final String CALIBRATED_BAND = "equal to cycle fidelity on shares from the table (resnet50, bert-large, vision-bev at tile scope"
            + " and on the default ExaPOD: 0.0 %); shares scaled from the nearest measured one: 4.1 % mean |error|, 78 % worst (leave-one-out); shares at roofline: the roofline's band";

    /** Added to the calibrated band when a what-if machine borrowed the default machine's ratios. */
    public static final String WHAT_IF_BAND = "; shares scaled from the default machine's nearest measured one (a what-if machine with no table"
            + " entries): exact for a clock-only change, whose cycle counts do not move; not validated for node or mesh changes";

    /** @return the {@code computeModel} block of summary.json */
    public static StepSummary.ComputeModel of(D1RegionCompute compute) {
        ChipComputeModel.Fidelity f = compute.dieFidelity();
        String fidelity = f.name().toLowerCase(java.util.Locale.ROOT);
        if (f == ChipComputeModel.Fidelity.CALIBRATED) {
            long[] c = compute.chipModel().calibrationCounts();
            return new StepSummary.ComputeModel(fidelity, new StepSummary.Calibration(compute.chipModel().fingerprint(), c[0], c[1], c[2], c[3], c[4]),
                    c[4] > 0 ? CALIBRATED_BAND + WHAT_IF_BAND : CALIBRATED_BAND);
        }
        return new StepSummary.ComputeModel(fidelity, null, f == ChipComputeModel.Fidelity.ROOFLINE ? ROOFLINE_BAND
                : "the reference: sim-d1's cycle-level chip (every node, the flit mesh)");
    }
}
