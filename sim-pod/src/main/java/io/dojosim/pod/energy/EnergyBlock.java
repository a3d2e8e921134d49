package io.dojosim.pod.energy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code energy} block of a step's results (docs/model/energy.md): the step's joules, the
 * average powers, energy by level and by class, static power by level, the clock and voltage it
 * ran at, and samples per joule and performance per watt. Field order is the document's.
 *
 * <p>Caveats: {@code samplesPerJoule} and {@code gflopsPerWatt} follow the step's samples and
 * FLOPs as finally accounted ({@link #withRates}, after a global batch restates them).
 *
 * @param peakWatts the highest power over the step (docs/model/energy.md#power), or null before it is measured
 * @param powerCap what {@code pod.energy.tilePowerCapWatts} did, or null without a cap
 */
public record EnergyBlock(double joulesPerStep, Watts averageWatts, Map<String, Double> byLevel, Map<String, Double> byClass,
                          Map<String, Double> staticWattsByLevel, long clockHz, double volts, double samplesPerJoule,
                          double gflopsPerWatt, Peak peakWatts, PowerCap powerCap) {
    public EnergyBlock {
        byLevel = Collections.unmodifiableMap(new LinkedHashMap<>(byLevel));
        byClass = Collections.unmodifiableMap(new LinkedHashMap<>(byClass));
        staticWattsByLevel = Collections.unmodifiableMap(new LinkedHashMap<>(staticWattsByLevel));
    }

    /** Average powers over the step, in watts. */
    public record Watts(double system, double perTile, double perChip, double chipFullRateMatrix, double tileDiesDynamic,
                        double tileDiesStatic) {
    }

    /** Peak powers over the step, in watts, from the step's power profile (system, one tile, one chip). */
    public record Peak(double system, double perTile, double perChip) {
    }

    /**
     * The tile power cap: the run before throttling and the clock the cap allowed.
     *
     * @param throttled true when the unthrottled tile power exceeded the cap and the step ran again at {@code clockHz}
     */
    public record PowerCap(double tileCapWatts, double unthrottledTileWatts, long unthrottledClockHz, double unthrottledStepTimeSeconds,
                           boolean throttled, long clockHz, double tileWatts) {
    }

    /** @return the block of a step of this breakdown, its rates from the step's samples and FLOPs */
    public static EnergyBlock of(EnergyModel.Breakdown b, long samplesPerStep, double flopsPerStep, long clockHz) {
        Watts w = new Watts(b.systemWatts(), b.tileWatts(), b.chipWatts(), b.chipFullRateWatts(), b.tileDieDynamicWatts(),
                b.tileDieStaticWatts());
        return new EnergyBlock(b.joules(), w, b.byLevel(), b.byClass(), b.staticWattsByLevel(), clockHz, b.volts(), 0, 0, null, null)
                .withRates(samplesPerStep, flopsPerStep);
    }

    /** @return this block with samples per joule and GFLOPS per watt of a step of these samples and FLOPs */
    public EnergyBlock withRates(long samplesPerStep, double flopsPerStep) {
        double j = joulesPerStep;
        // FLOP per joule = (FLOP/s) per W; in GFLOPS per watt
        return new EnergyBlock(joulesPerStep, averageWatts, byLevel, byClass, staticWattsByLevel, clockHz, volts,
                j > 0 ? samplesPerStep / j : 0.0, j > 0 ? flopsPerStep / j / 1e9 : 0.0, peakWatts, powerCap);
    }

    /** @return this block with the power cap's record */
    public EnergyBlock withPowerCap(PowerCap cap) {
        return new EnergyBlock(joulesPerStep, averageWatts, byLevel, byClass, staticWattsByLevel, clockHz, volts, samplesPerJoule,
                gflopsPerWatt, peakWatts, cap);
    }

    /** @return this block with the step's peak powers */
    public EnergyBlock withPeak(Peak peak) {
        return new EnergyBlock(joulesPerStep, averageWatts, byLevel, byClass, staticWattsByLevel, clockHz, volts, samplesPerJoule,
                gflopsPerWatt, peak, powerCap);
    }
}
