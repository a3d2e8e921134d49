package io.dojosim.pod.energy;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;

/**
 * Declared energy parameters above the D1 die ({@code pod.energy}): pJ per byte of every link
 * level (die-to-die SerDes, tile edge, DIP link, HBM, TTPoE Ethernet, PCIe), static power of the
 * tile's I/O dies, of a DIP and of a tray's host interface, the power-delivery and cooling
 * overhead, and the per-tile power cap. Tesla publishes the 15 kW tile and the 100+ kW tray
 * (AID21, AID22); the rest are assumptions argued in docs/model/energy.md#parameters.
 */
public final class PodEnergyParams {
    private PodEnergyParams() {
    }

    private static final String A = "docs/model/energy.md#parameters";

    public static final ParamGroup GROUP = ParamGroup.builder("pod.energy",
                    "energy above the die: pJ per byte of each link level, static power of I/O dies, DIPs and hosts, delivery overhead, tile power cap",
                    "docs/model/energy.md")
            .doubleParam("dieToDiePjPerByte", 8.0, 0.0, 100000.0, "pJ/B", ParamSource.assumed(A
                            + " (short-reach 112G-class SerDes on the wafer: about 1 pJ/bit, assumed)"),
                    "energy per byte crossing a die-to-die SerDes link")
            .doubleParam("tileEdgePjPerByte", 16.0, 0.0, 100000.0, "pJ/B", ParamSource.assumed(A + " (tile-to-tile connector link: about 2 pJ/bit, assumed)"),
                    "energy per byte crossing a tile edge (tile to tile, or tile to its I/O port)")
            .doubleParam("dipLinkPjPerByte", 16.0, 0.0, 100000.0, "pJ/B", ParamSource.assumed(A + " (TTP link DIP-tile: about 2 pJ/bit, assumed)"),
                    "energy per byte on a DIP-to-tile link")
            .doubleParam("hbmPjPerByte", 31.0, 0.0, 100000.0, "pJ/B", ParamSource.assumed(A
                            + " (HBM2 about 3.9 pJ/bit for an access including the interface, O'Connor et al. MICRO 2017)"),
                    "energy per byte read from or written to a DIP's HBM")
            .doubleParam("ethernetPjPerByte", 80.0, 0.0, 100000.0, "pJ/B", ParamSource.assumed(A
                            + " (NIC MAC/PHY plus a switch hop of the Z-plane: about 10 pJ/bit, assumed)"),
                    "energy per byte sent over TTPoE Ethernet")
            .doubleParam("pciePjPerByte", 40.0, 0.0, 100000.0, "pJ/B", ParamSource.assumed(A + " (PCIe Gen4 PHY and controller: about 5 pJ/bit, assumed)"),
                    "energy per byte on a DIP's PCIe link to the host")
            .intParam("ioDiesPerTile", 40, 0, 1000, "dies", ParamSource.published("AID21, HC34-S: 25 D1 + 40 I/O dies on the tile"),
                    "I/O dies on a training tile")
            .doubleParam("ioDieWatts", 50.0, 0.0, 10000.0, "W", ParamSource.assumed(A + " (fitted: the 15 kW tile minus 25 D1 and delivery losses, dojo-facts C13)"),
                    "power of one tile I/O die (SerDes and edge logic), traffic or not")
            .doubleParam("dipWatts", 150.0, 0.0, 100000.0, "W", ParamSource.assumed(A + " (a card of 32 GB HBM, a TTP processor, PCIe and Ethernet: assumed)"),
                    "static power of one usable DIP")
            .doubleParam("hostWattsPerTray", 4000.0, 0.0, 1.0e7, "W", ParamSource.assumed(A
                            + " (AID22 host interface: 512 x86 cores, 8 TB; about 16 server sockets at 250 W, assumed)"),
                    "power of a tray's host interface")
            .doubleParam("deliveryOverhead", 1.30, 1.0, 10.0, "ratio", ParamSource.assumed(A
                            + " (52 V to core-rail VRMs on the wafer, distribution and the cooling module; fitted so the full-rate GEMM tile lands at 15 kW, dojo-facts C13)"),
                    "wall power / power at the dies: power delivery and cooling overhead factor")
            .doubleParam("tilePowerCapWatts", 0.0, 0.0, 1.0e7, "W", ParamSource.simulator(A + "#power-cap"),
                    "what-if: a tile's average power (with overhead) may not exceed this; the clock is throttled along d1.energy.vfCurve (0: no cap)")
            .build();
}
