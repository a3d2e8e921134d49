package io.dojosim.pod;

import static io.dojosim.core.config.Check.require;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.D1Params;
import java.util.List;

/**
 * The numbers the machine builder needs, read once from a {@link ResolvedConfig} (groups
 * {@code d1.node}, {@code d1.chip} and {@code pod.*}) and checked here. Bandwidths are bytes per
 * second per direction, latencies picoseconds.
 *
 * <p>Caveats: the coarse mesh bundles assume every row and column of the chip's site array carries
 * traffic (harvested sites are not subtracted: a disabled node's router still forwards).
 */
public record PodConfig(
        String scope, int cabinets, int traysPerCabinet, int trayTilesX, int trayTilesY, int chipsX, int chipsY,
        boolean tileMeshAcrossTrays, List<String> deadChips, List<String> deadLinks,
        long clockHz, int macsPerCycle, int fp32FmaPerCycle, long sramBytesPerNode, int nodesPerChip,
        int meshWidth, int meshHeight, List<String> disabledSites, double nodeInjectBps, double nodeEjectBps,
        double meshLinkBps, long meshHopPs,
        double dieToDieBps, long dieToDieLatencyPs, double tileEdgeBps, long tileToTileLatencyPs,
        int dipsPerTileEdge, long hbmBytes, double hbmBps, long hbmLatencyPs, double dipLinkBps, long dipLinkLatencyPs,
        double ethernetBps, long ethernetLatencyPs, double pcieBps, long pcieLatencyPs) {

    public PodConfig {
        require(chipsX >= 1 && chipsY >= 1 && trayTilesX >= 1 && trayTilesY >= 1, "tile and tray dimensions must be >= 1");
        require(dipsPerTileEdge <= chipsY,
                "pod.dip.perTileEdge (" + dipsPerTileEdge + ") must be <= pod.tile.chipsY (" + chipsY
                        + "): each DIP attaches to one chip row of a west or east tile edge");
        require(nodesPerChip <= meshWidth * meshHeight, "d1.chip.activeNodes must be <= meshWidth x meshHeight");
        require(meshWidth >= 1 && meshHeight >= 1, "mesh dimensions must be >= 1");
        deadChips = List.copyOf(deadChips);
        deadLinks = List.copyOf(deadLinks);
        disabledSites = List.copyOf(disabledSites);
    }

    /** Reads the configuration. @throws io.dojosim.core.config.ConfigException when values contradict each other */
    public static PodConfig from(ResolvedConfig c) {
        io.dojosim.d1.NodeParams np = io.dojosim.d1.NodeParams.from(c);
        long clock = np.clockHz();
        int linkBytes = c.getInt("pod.coarse.meshLinkBytesPerCycle");
        long periodPs = Math.round(1e12 / clock);
        return new PodConfig(
                c.getString("pod.system.scope"), c.getInt("pod.system.cabinets"), c.getInt("pod.system.traysPerCabinet"),
                c.getInt("pod.tray.tilesX"), c.getInt("pod.tray.tilesY"), c.getInt("pod.tile.chipsX"), c.getInt("pod.tile.chipsY"),
                c.getBool("pod.system.tileMeshAcrossTrays"), c.getStringList("pod.system.deadChips"),
                c.getStringList("pod.system.deadLinks"), clock, np.matrixMacsPerCycle(), np.fp32FmaPerCycle(), np.sramBytes(),
                c.getInt("d1.chip.activeNodes"), c.getInt("d1.chip.meshWidth"), c.getInt("d1.chip.meshHeight"),
                c.getStringList("d1.chip.disabledSites"),
                (double) c.getInt("d1.node.routerReadBytesPerCycle") * clock, (double) c.getInt("d1.node.routerWriteBytesPerCycle") * clock,
                (double) linkBytes * clock, c.getInt("pod.coarse.meshHopCycles") * periodPs,
                D1Params.edgeBytesPerSecondPerDirection(c), c.getLong("d1.chip.dieToDieLatencyPs"),
                c.getDouble("pod.tile.edgeBytesPerSecond") / (c.getBool("pod.tile.edgeRateCountsBothDirections") ? 2 : 1),
                c.getLong("pod.tile.tileToTileLatencyPs"),
                c.getInt("pod.dip.perTileEdge"), c.getLong("pod.dip.hbmBytes"), c.getDouble("pod.dip.hbmBytesPerSecond"),
                c.getLong("pod.dip.hbmLatencyPs"), c.getDouble("pod.dip.tileLinkBytesPerSecond"), c.getLong("pod.dip.tileLinkLatencyPs"),
                c.getDouble("pod.dip.ethernetBytesPerSecond") * c.getDouble("pod.ethernet.efficiency"), c.getLong("pod.ethernet.oneWayLatencyPs"),
                c.getDouble("pod.dip.pcieBytesPerSecond"), c.getLong("pod.dip.pcieLatencyPs"));
    }

    /**
     * @return the site id ({@code y * meshWidth + x}) of every active node, ascending: node index i
     * of a chip sits at {@code activeSites()[i]} (sim-d1's and sim-noc's numbering)
     * @throws io.dojosim.core.config.ConfigException when the disabled sites do not leave exactly activeNodes sites
     */
    public int[] activeSites() {
        java.util.BitSet off = new java.util.BitSet();
        for (String s : disabledSites) {
            String[] f = s.split(",");
            try {
                int x = Integer.parseInt(f[0].trim());
                int y = Integer.parseInt(f[1].trim());
                if (f.length == 2 && x >= 0 && y >= 0 && x < meshWidth && y < meshHeight) {
                    off.set(y * meshWidth + x);
                    continue;
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new io.dojosim.core.config.ConfigException("key 'd1.chip.disabledSites': entry '" + s + "' is not \"x,y\" on the "
                    + meshWidth + " x " + meshHeight + " mesh");
        }
        int[] out = new int[meshWidth * meshHeight - off.cardinality()];
        require(out.length == nodesPerChip, "d1.chip.disabledSites leaves " + out.length + " active sites but d1.chip.activeNodes is " + nodesPerChip);
        int k = 0;
        for (int i = 0; i < meshWidth * meshHeight; i++) {
            if (!off.get(i)) out[k++] = i;
        }
        return out;
    }

    /** @return tiles in the built system for the scope */
    public int tiles() {
        return tilesPerTray() * trays();
    }

    public int tilesPerTray() {
        return "tile".equals(scope) ? 1 : trayTilesX * trayTilesY;
    }

    /** @return trays in the built system (a tile scope counts as one tray of one tile) */
    public int trays() {
        switch (scope) {
            case "tile":
            case "tray":
                return 1;
            case "cabinet":
                return traysPerCabinet;
            default:
                return traysPerCabinet * cabinets;
        }
    }

    /** @return tiles per tray row in the built system */
    public int builtTrayTilesX() {
        return "tile".equals(scope) ? 1 : trayTilesX;
    }

    /** @return tile rows per tray in the built system */
    public int builtTrayTilesY() {
        return "tile".equals(scope) ? 1 : trayTilesY;
    }

    /** @return BF16/CFP8 FLOP per second of one node: 2 x MACs x clock */
    public double nodePeakBf16() {
        return 2.0 * macsPerCycle * clockHz;
    }

    /** @return FP32 FLOP per second of one node: 2 x FMAs x clock */
    public double nodePeakFp32() {
        return 2.0 * fp32FmaPerCycle * clockHz;
    }
}
