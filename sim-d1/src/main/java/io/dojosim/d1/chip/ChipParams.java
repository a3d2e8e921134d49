package io.dojosim.d1.chip;

import static io.dojosim.core.config.Check.require;

import io.dojosim.core.config.ConfigException;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.Site;
import java.util.List;

/**
 * Checked, immutable parameters of the D1 die ({@code d1.chip} group of {@link io.dojosim.d1.D1Params}),
 * bound by {@code io.dojosim.d1.bind.D1Binding#chip}.
 *
 * <p>Caveats: the 18 x 20 array and the six disabled sites are assumptions (dojo-facts s10); only the
 * 354 active nodes are published.
 */
public record ChipParams(int meshWidth, int meshHeight, int activeNodes, List<Site> disabledSites, int serdesLanes,
                         double serdesLaneGbps, long dieToDieLatencyPs, double dieToDieEfficiency, int barrierHopCycles,
                         int gemmPanelK, String gemmGrid) {
    public ChipParams {
        disabledSites = List.copyOf(disabledSites);
        require(meshWidth >= 1 && meshHeight >= 1, "d1.chip mesh must be at least 1 x 1");
        if (disabledSites.size() != meshWidth * meshHeight - activeNodes) {
            throw new ConfigException("d1.chip.disabledSites lists " + disabledSites.size() + " sites but d1.chip.meshWidth x meshHeight - activeNodes = "
                    + meshWidth + " x " + meshHeight + " - " + activeNodes + " = " + (meshWidth * meshHeight - activeNodes)
                    + "; list exactly that many \"x,y\" sites (or change activeNodes)");
        }
        require(serdesLanes % 4 == 0, "d1.chip.serdesLanes must be a multiple of 4 (four edges), was " + serdesLanes);
        require(gemmPanelK % 4 == 0, "d1.chip.gemmPanelK must be a multiple of 4, was " + gemmPanelK);
    }

    /** @return the mesh with its disabled sites (the error names a bad site) */
    public MeshShape shape() {
        return MeshShape.withDisabledSites(meshWidth, meshHeight, disabledSites);
    }

    /** @return payload bytes per second per direction of one die edge: lanes / 4 x rate / 8 x efficiency */
    public double edgeBytesPerSecondPerDirection() {
        return serdesLanes / 4.0 * serdesLaneGbps * 1e9 / 8.0 * dieToDieEfficiency;
    }

    /** @return raw bytes per second per direction of one die edge (no efficiency) */
    public double edgeRawBytesPerSecondPerDirection() {
        return serdesLanes / 4.0 * serdesLaneGbps * 1e9 / 8.0;
    }

    /** @return cycles of a chip-wide barrier: 2 x (W - 1 + H - 1) hops x barrierHopCycles */
    public long barrierCycles() {
        return 2L * (meshWidth - 1 + meshHeight - 1) * barrierHopCycles;
    }
}
