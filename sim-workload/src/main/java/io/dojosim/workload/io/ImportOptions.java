package io.dojosim.workload.io;

import io.dojosim.core.config.Check;

/**
 * Unit conversions the importers cannot know from the files.
 *
 * @param chakraDurationUnitPs picoseconds per unit of Chakra's {@code duration_micros}: 1,000,000
 *     (microseconds, the schema's unit) by default; ETs converted from ASTRA-sim 1.0 text hold
 *     cycles there, so use the cycle time for them
 * @param astraCyclePs picoseconds per ASTRA-sim 1.0 compute cycle; 1000 (a 1 GHz NPU clock,
 *     assumed: ASTRA-sim's default system treats one cycle as one nanosecond)
 */
public record ImportOptions(long chakraDurationUnitPs, long astraCyclePs) {
    public static final ImportOptions DEFAULTS = new ImportOptions(1_000_000L, 1000L);

    public ImportOptions {
        Check.require(chakraDurationUnitPs >= 1, "chakraDurationUnitPs must be >= 1, got " + chakraDurationUnitPs);
        Check.require(astraCyclePs >= 1, "astraCyclePs must be >= 1, got " + astraCyclePs);
    }
}
