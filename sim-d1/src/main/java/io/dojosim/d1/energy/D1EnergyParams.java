package io.dojosim.d1.energy;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamTable;

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
 *
 * <p>The declarations are data: the table {@code d1-energy.params} beside this class, read by {@link ParamTable}.
 */
public final class D1EnergyParams {
    private D1EnergyParams() {
    }

    public static final ParamGroup GROUP = ParamTable.read(D1EnergyParams.class, "d1-energy.params");
}
