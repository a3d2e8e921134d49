package io.dojosim.pod;

import static io.dojosim.core.config.Check.require;

import io.dojosim.noc.Site;
import io.dojosim.pod.spec.SystemSpec;
import java.util.List;

/**
 * The numbers the machine builder needs, derived from a {@link SystemSpec} (groups
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
        int meshWidth, int meshHeight, List<Site> disabledSites, double nodeInjectBps, double nodeEjectBps,
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

    /**
     * The machine's numbers of a system spec: node and die figures from {@code d1.*}, rates and
     * latencies of the pod groups.
     *
     * @throws io.dojosim.core.config.ConfigException when values contradict each other
     */
    public static PodConfig of(SystemSpec s) {
        io.dojosim.d1.NodeParams np = s.node();
        io.dojosim.d1.chip.ChipParams cp = s.chip();
        long clock = np.clockHz();
        int linkBytes = s.coarse().meshLinkBytesPerCycle();
        long periodPs = Math.round(1e12 / clock);
        PodConfig pc = new PodConfig(
                s.system().scope().key(), s.system().cabinets(), s.system().traysPerCabinet(),
                s.tray().tilesX(), s.tray().tilesY(), s.tile().chipsX(), s.tile().chipsY(),
                s.system().tileMeshAcrossTrays(), s.system().deadChips(), s.system().deadLinks(),
                clock, np.matrixMacsPerCycle(), np.fp32FmaPerCycle(), np.sramBytes(),
                cp.activeNodes(), cp.meshWidth(), cp.meshHeight(), cp.disabledSites(),
                (double) np.routerReadBytesPerCycle() * clock, (double) np.routerWriteBytesPerCycle() * clock,
                (double) linkBytes * clock, s.coarse().meshHopCycles() * periodPs,
                cp.edgeBytesPerSecondPerDirection(), cp.dieToDieLatencyPs(),
                s.tile().edgeBytesPerSecondPerDirection(), s.tile().tileToTileLatencyPs(),
                s.dip().perTileEdge(), s.dip().hbmBytes(), s.dip().hbmBytesPerSecond(),
                s.dip().hbmLatencyPs(), s.dip().tileLinkBytesPerSecond(), s.dip().tileLinkLatencyPs(),
                s.dip().ethernetBytesPerSecond() * s.ethernet().efficiency(), s.ethernet().oneWayLatencyPs(),
                s.dip().pcieBytesPerSecond(), s.dip().pcieLatencyPs());
        return pc;
    }

    /**
     * @return the site id ({@code y * meshWidth + x}) of every active node, ascending: node index i
     * of a chip sits at {@code activeSites()[i]} (sim-d1's and sim-noc's numbering)
     * @throws io.dojosim.core.config.ConfigException when the disabled sites do not leave exactly activeNodes sites
     */
    public int[] activeSites() {
        java.util.BitSet off = new java.util.BitSet();
        for (Site s : disabledSites) {
            if (s.x() >= meshWidth || s.y() >= meshHeight) {
                throw new io.dojosim.core.config.ConfigException("key 'd1.chip.disabledSites': entry '" + s + "' is not \"x,y\" on the "
                        + meshWidth + " x " + meshHeight + " mesh");
            }
            off.set(s.id(meshWidth));
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
