package io.dojosim.d1.energy;

import static io.dojosim.core.config.Check.require;

import io.dojosim.core.config.ConfigException;
import io.dojosim.d1.DType;
import java.util.List;

/**
 * Checked, immutable energy parameters of the D1 die, bound from the {@code d1.energy} group of
 * {@link D1EnergyParams}: what one FLOP, one SRAM byte and one mesh hop cost, and what a node and
 * the die's uncore draw when idle, all stated at the supply voltage of {@code referenceClockHz}.
 *
 * <pre>
 *   dynamic energy per operation  x (V(f) / V(fref))^2     (C V^2 per switched node)
 *   static power                  x  V(f) / V(fref)        (leakage taken as linear in V)
 *   V(f): piecewise-linear through the vfCurve points, clamped at its ends
 * </pre>
 * Power then scales as f x V^2: the pipes do f / fref times as many operations per second.
 *
 * <p>Caveats: one curve for the whole die; leakage is linear in voltage (it is closer to
 * exponential), and temperature does not enter.
 */
public record D1Energy(double matrixPjPerFlop16, double matrixPjPerFlop8, double simdPjPerFlop32, double simdPjPerFlop16,
                       double sramReadPjPerByte, double sramWritePjPerByte, double meshHopPjPerByte, double nodeStaticWatts,
                       double chipUncoreWatts, double[] curveHz, double[] curveVolts, long referenceClockHz) {

    public D1Energy {
        require(curveHz.length == curveVolts.length && curveHz.length >= 1, "d1.energy.vfCurve needs at least one \"Hz:volts\" point");
        for (int i = 0; i < curveHz.length; i++) {
            require(curveVolts[i] > 0 && curveHz[i] > 0, "d1.energy.vfCurve: point " + (i + 1) + " must have a positive clock and voltage");
            require(i == 0 || curveHz[i] > curveHz[i - 1], "d1.energy.vfCurve: the clocks must ascend (point " + (i + 1) + ")");
            require(i == 0 || curveVolts[i] >= curveVolts[i - 1], "d1.energy.vfCurve: the voltage must not fall as the clock rises (point " + (i + 1) + ")");
        }
        curveHz = curveHz.clone();
        curveVolts = curveVolts.clone();
    }


    /** @return the supply voltage at {@code hz}: linear between the curve's points, clamped at its ends */
    public double volts(double hz) {
        int n = curveHz.length;
        if (hz <= curveHz[0]) return curveVolts[0];
        if (hz >= curveHz[n - 1]) return curveVolts[n - 1];
        int i = 1;
        while (curveHz[i] < hz) i++;
        double t = (hz - curveHz[i - 1]) / (curveHz[i] - curveHz[i - 1]);
        return curveVolts[i - 1] + t * (curveVolts[i] - curveVolts[i - 1]);
    }

    /** @return factor on every dynamic energy at clock {@code hz}: (V(hz) / V(reference))^2 */
    public double dynamicScale(double hz) {
        double r = volts(hz) / volts(referenceClockHz);
        return r * r;
    }

    /** @return factor on static power at clock {@code hz}: V(hz) / V(reference) */
    public double staticScale(double hz) {
        return volts(hz) / volts(referenceClockHz);
    }

    /** @return matrix-pipe energy per FLOP of the type at the reference voltage (FP32 never runs there: 0) */
    public double matrixPjPerFlop(DType t) {
        return switch (t) {
            case BF16, FP16 -> matrixPjPerFlop16;
            case CFP8, INT8 -> matrixPjPerFlop8;
            case FP32 -> 0.0;
        };
    }

    /** @return SIMD-pipe energy per FLOP of the type at the reference voltage */
    public double simdPjPerFlop(DType t) {
        return t == DType.FP32 ? simdPjPerFlop32 : simdPjPerFlop16;
    }

    /** Equal when every value is, the V-f curve compared point by point (a record compares arrays by reference). */
    @Override
    public boolean equals(Object other) {
        return other instanceof D1Energy o && Double.compare(matrixPjPerFlop16, o.matrixPjPerFlop16) == 0 && Double.compare(matrixPjPerFlop8, o.matrixPjPerFlop8) == 0 && Double.compare(simdPjPerFlop32, o.simdPjPerFlop32) == 0 && Double.compare(simdPjPerFlop16, o.simdPjPerFlop16) == 0 && Double.compare(sramReadPjPerByte, o.sramReadPjPerByte) == 0 && Double.compare(sramWritePjPerByte, o.sramWritePjPerByte) == 0 && Double.compare(meshHopPjPerByte, o.meshHopPjPerByte) == 0 && Double.compare(nodeStaticWatts, o.nodeStaticWatts) == 0 && Double.compare(chipUncoreWatts, o.chipUncoreWatts) == 0 && java.util.Arrays.equals(curveHz, o.curveHz) && java.util.Arrays.equals(curveVolts, o.curveVolts) && referenceClockHz == o.referenceClockHz;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(matrixPjPerFlop16, matrixPjPerFlop8, simdPjPerFlop32, simdPjPerFlop16, sramReadPjPerByte, sramWritePjPerByte, meshHopPjPerByte, nodeStaticWatts, chipUncoreWatts, java.util.Arrays.hashCode(curveHz), java.util.Arrays.hashCode(curveVolts), referenceClockHz);
    }

    @Override
    public String toString() {
        return "D1Energy[matrixPjPerFlop16=" + matrixPjPerFlop16 + ", vfCurve=" + java.util.Arrays.toString(curveHz) + " Hz at "
                + java.util.Arrays.toString(curveVolts) + " V, referenceClockHz=" + referenceClockHz + ", ...]";
    }
}
