package io.dojosim.workload.io;

import io.dojosim.core.config.Check;

/**
 * What the importers cannot know from the files: unit conversions, and the run's choices about
 * replayed durations and the batch.
 *
 * @param chakraDurationUnitPs picoseconds per unit of Chakra's {@code duration_micros}: 1,000,000
 *     (microseconds, the schema's unit) by default; ETs converted from ASTRA-sim 1.0 text hold
 *     cycles there, so use the cycle time for them
 * @param astraCyclePs picoseconds per ASTRA-sim 1.0 compute cycle; 1000 (a 1 GHz NPU clock,
 *     assumed: ASTRA-sim's default system treats one cycle as one nanosecond)
 * @param replayScale factor applied to the recorded duration of every operation of a trace that
 *     is replayed rather than re-costed (1: as recorded; {@code trace.replayScale})
 * @param batch samples one rank's step processes; 0 infers it from the trace's shapes
 *     ({@code workload inspect --batch})
 */
public record ImportOptions(long chakraDurationUnitPs, long astraCyclePs, double replayScale, long batch) {
    public static final ImportOptions DEFAULTS = new ImportOptions(1_000_000L, 1000L, 1.0, 0);

    public ImportOptions {
        Check.require(chakraDurationUnitPs >= 1, "chakraDurationUnitPs must be >= 1, got " + chakraDurationUnitPs);
        Check.require(astraCyclePs >= 1, "astraCyclePs must be >= 1, got " + astraCyclePs);
        Check.require(replayScale >= 0 && replayScale <= 1e6 && !Double.isNaN(replayScale),
                "replayScale must be in 0..1000000, got " + replayScale);
        Check.require(batch >= 0, "batch must be >= 0, got " + batch);
    }

    /** Unit conversions only; durations as recorded, batch inferred. */
    public ImportOptions(long chakraDurationUnitPs, long astraCyclePs) {
        this(chakraDurationUnitPs, astraCyclePs, 1.0, 0);
    }
}
