package io.dojosim.d1.energy;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;
import java.util.List;

/**
 * Declared energy parameters of the D1 die ({@code d1.energy}): energy per operation of the
 * matrix and SIMD pipes, per byte of SRAM and mesh traffic, static power of a node and of the
 * die's uncore, and the voltage-frequency curve that scales them with {@code d1.node.clockHz}.
 *
 * <p>Source: Tesla publishes only the 400 W TDP of the D1 (AID21). Every per-operation figure is
 * an assumption: Horowitz (ISSCC 2014, "Computing's energy problem", 45 nm, 0.9 V) scaled to 7 nm
 * by an assumed factor of 0.27 (about 0.75 per process generation over 45/32/22/16/10/7 nm), with
 * the pipe's own register, accumulator and pipeline overhead on top; the static figures are fitted
 * so that a D1 at full-rate BF16 GEMM lands below its TDP (docs/model/energy.md#calibration).
 * {@code io.dojosim.d1.bind.D1Binding#energy} binds them into a checked record.
 */
public final class D1EnergyParams {
    private D1EnergyParams() {
    }

    private static final String A = "docs/model/energy.md#parameters";

    public static final ParamGroup GROUP = ParamGroup.builder("d1.energy",
                    "D1 energy: pJ per FLOP of the pipes, pJ per byte of SRAM and mesh, static power, voltage-frequency curve",
                    "docs/model/energy.md")
            .doubleParam("matrixPjPerFlop16", 0.60, 0.0, 1000.0, "pJ/FLOP", ParamSource.assumed(A
                            + " (Horowitz ISSCC 2014 45 nm: 16-bit FP multiply 1.1 pJ + 32-bit FP add 0.9 pJ per MAC = 1.0 pJ/FLOP, x 0.27 to 7 nm = 0.27, x 2.2 for the operand registers, broadcast wires and FP32 accumulators of the 8x8x4 array; the factor is fitted so a D1 at full rate sits just under its 400 W TDP)"),
                    "matrix pipe energy per FLOP of BF16 and FP16, at the reference voltage")
            .doubleParam("matrixPjPerFlop8", 0.36, 0.0, 1000.0, "pJ/FLOP", ParamSource.assumed(A
                            + " (Horowitz 45 nm: 8-bit multiply 0.2 pJ vs 16-bit FP 1.1 pJ; the FP32 accumulate stays: about 0.6 x the 16-bit figure)"),
                    "matrix pipe energy per FLOP of CFP8 and INT8, at the reference voltage")
            .doubleParam("simdPjPerFlop32", 1.4, 0.0, 1000.0, "pJ/FLOP", ParamSource.assumed(A
                            + " (Horowitz 45 nm: 32-bit FP multiply 3.7 pJ + add 0.9 pJ per FMA = 2.3 pJ/FLOP, x 0.27 to 7 nm = 0.62, x 2.2 as for the matrix pipe)"),
                    "SIMD pipe energy per FP32 FLOP, at the reference voltage")
            .doubleParam("simdPjPerFlop16", 0.7, 0.0, 1000.0, "pJ/FLOP", ParamSource.assumed(A + " (half the FP32 figure: 16-bit lanes)"),
                    "SIMD pipe energy per FLOP of 16-bit and 8-bit types, at the reference voltage")
            .doubleParam("sramReadPjPerByte", 0.6, 0.0, 1000.0, "pJ/B", ParamSource.assumed(A
                            + " (Horowitz 45 nm: 64-bit read of a 32 KB SRAM bank 20 pJ = 2.5 pJ/B, x 0.27 to 7 nm = 0.68)"),
                    "energy per byte read from node SRAM (pipes' load ports and the router's read port)")
            .doubleParam("sramWritePjPerByte", 0.7, 0.0, 1000.0, "pJ/B", ParamSource.assumed(A + " (a write costs a little more than a read)"),
                    "energy per byte written to node SRAM (store port and the router's write port)")
            .doubleParam("meshHopPjPerByte", 0.9, 0.0, 1000.0, "pJ/B", ParamSource.assumed(A
                            + " (on-die wire of about 0.1 pJ/bit/mm at 7 nm over a ~1.4 mm node pitch (645 mm2 / 360 sites) = 1.1 pJ/B less a shared router crossing)"),
                    "energy per byte per mesh hop (link and router)")
            .doubleParam("nodeStaticWatts", 0.35, 0.0, 1000.0, "W", ParamSource.assumed(A
                            + " (leakage and ungated clock tree; with chipUncoreWatts an idle die draws 159 W, 40 % of the 400 W TDP, a usual leakage-plus-clock share for a large 7 nm die; fitted)"),
                    "power of one active node whether it computes or not, at the reference voltage")
            .doubleParam("chipUncoreWatts", 35.0, 0.0, 10000.0, "W", ParamSource.assumed(A + " (PLLs, SerDes PHYs at idle, edge logic: assumed)"),
                    "static power of one die outside its nodes, at the reference voltage")
            .stringListParam("vfCurve", List.of("1.0e9:0.65", "1.5e9:0.72", "2.0e9:0.80", "2.5e9:0.90", "3.0e9:1.00"), "Hz:V",
                    ParamSource.assumed(A + " (a 7 nm logic curve of the usual shape: 0.80 V at the published 2 GHz; not published)"),
                    "voltage-frequency curve as \"Hz:volts\" points, ascending; the supply at d1.node.clockHz is interpolated linearly (clamped at the ends)")
            .longParam("referenceClockHz", 2_000_000_000L, 100_000_000L, 10_000_000_000L, "Hz",
                    ParamSource.published("HC34-U: 2 GHz; the pJ figures above are stated at the curve's voltage at this clock"),
                    "clock whose supply voltage the pJ and static figures are stated at")
            .build();
}
