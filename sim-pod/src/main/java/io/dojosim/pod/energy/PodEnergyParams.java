package io.dojosim.pod.energy;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamTable;

/**
 * Declared energy parameters above the D1 die ({@code pod.energy}): pJ per byte of every link
 * level (die-to-die SerDes, tile edge, DIP link, HBM, TTPoE Ethernet, PCIe), static power of the
 * tile's I/O dies, of a DIP and of a tray's host interface, the power-delivery and cooling
 * overhead, and the per-tile power cap. Tesla publishes the 15 kW tile and the 100+ kW tray
 * (AID21, AID22); the rest are assumptions argued in docs/model/energy.md#parameters.
 *
 * <p>The declarations are data: the table {@code pod-energy.params} beside this class, read by {@link ParamTable}.
 */
public final class PodEnergyParams {
    private PodEnergyParams() {
    }

    public static final ParamGroup GROUP = ParamTable.read(PodEnergyParams.class, "pod-energy.params");
}
