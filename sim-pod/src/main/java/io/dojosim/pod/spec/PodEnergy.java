package io.dojosim.pod.spec;

import static io.dojosim.core.config.Check.require;


/**
 * Checked, immutable energy parameters above the die, bound from the {@code pod.energy} group of
 * {@link PodEnergyParams}: pJ per byte of each link level, static power of the tile's I/O dies, a
 * DIP and a tray's host interface, the delivery and cooling overhead and the tile power cap.
 *
 * <p>Caveats: link energies do not scale with the core clock's voltage (the SerDes and PHYs have
 * their own supplies).
 */
public record PodEnergy(double dieToDiePjPerByte, double tileEdgePjPerByte, double dipLinkPjPerByte, double hbmPjPerByte,
                        double ethernetPjPerByte, double pciePjPerByte, int ioDiesPerTile, double ioDieWatts, double dipWatts,
                        double hostWattsPerTray, double deliveryOverhead, double tilePowerCapWatts) {
    public PodEnergy {
        require(deliveryOverhead >= 1.0, "pod.energy.deliveryOverhead must be >= 1 (wall power cannot be below the dies' power)");
        require(tilePowerCapWatts >= 0, "pod.energy.tilePowerCapWatts must be >= 0 (0: no cap)");
    }

}
