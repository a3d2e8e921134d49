package io.dojosim.pod.energy;

import io.dojosim.pod.spec.PodEnergy;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.energy.D1Energy;
import io.dojosim.pod.LinkKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Energy of one training step from the activity counts the step already produces: pipe busy time
 * (matrix, SIMD, SRAM ports) summed over nodes, bytes carried per link level, and the machine's
 * size and step time. Nothing here runs on the simulation's hot path; it is arithmetic on the
 * step's totals.
 *
 * <pre>
 *   level   activity energy                                   static power x step time
 *   node    matrix FLOPs, SIMD FLOPs, SRAM bytes (pipes and    nodes x nodeStaticWatts
 *           router port)
 *   chip    mesh bytes x hops per coarse mesh bundle           chips x chipUncoreWatts
 *   tile    die-to-die bytes, tile-edge bytes                  tiles x ioDiesPerTile x ioDieWatts
 *   dip     DIP-link bytes, HBM bytes                          usable DIPs x dipWatts
 *   system  Ethernet bytes, PCIe bytes                         hostWattsPerTray x tiles / tilesPerTray
 *   delivery (deliveryOverhead - 1) x the sum of the levels above
 * </pre>
 * Dynamic energies of the die (pipes, SRAM, mesh) scale with (V(f)/V(fref))^2, its static power
 * with V(f)/V(fref) ({@link D1Energy}). The sum over levels equals the sum over classes equals the
 * total (a test holds it).
 *
 * <p>Caveats: FLOPs are the pipes' busy time at full rate (which is how the step counts it), at
 * the workload's data type; SRAM bytes are the busiest port group's busy cycles at the load
 * ports' width (pipe stores are not counted apart) plus the router port's bytes; a dead chip
 * draws nothing, an idle one its static power.
 */
public final class EnergyModel {
    private EnergyModel() {
    }

    /**
     * What one step did, summed over the system.
     *
     * @param aliveChips        chips that are powered (dead chips draw nothing)
     * @param nodesPerChip      active nodes per chip
     * @param tiles             tiles of the system
     * @param tilesPerTray      tiles of a full tray, which share one host interface (a tile-scope system carries 1/6 of a host)
     * @param usableDips        DIPs that are powered
     * @param stepSeconds       simulated step time
     * @param matrixNodeSeconds matrix-pipe busy time at full rate, summed over nodes
     * @param simdNodeSeconds   SIMD-pipe busy time at full rate, summed over nodes
     * @param sramNodeSeconds   busiest SRAM port group's busy time, summed over nodes
     * @param linkBytes         bytes carried per link level in the step (index: {@link LinkKind} ordinal; a byte crossing n links counts n times)
     * @param meshHopsPerBundle mesh hops one byte makes per coarse mesh bundle it crosses
     * @param dtype             data type of the arithmetic
     * @param clockHz           node clock
     */
    public record Activity(int aliveChips, int nodesPerChip, int tiles, int tilesPerTray, int usableDips, double stepSeconds,
                           double matrixNodeSeconds, double simdNodeSeconds, double sramNodeSeconds, double[] linkBytes,
                           double meshHopsPerBundle, DType dtype, long clockHz) {
        public Activity {
            linkBytes = linkBytes.clone();
        }
    }

    /**
     * Energy of one step.
     *
     * @param byLevel   joules per level: node, chip, tile, dip, system, delivery
     * @param byClass   joules per class: matrix, simd, sram, network, hbm, static, delivery
     * @param joules    total energy of the step
     * @param systemWatts   average power of the system over the step (with overhead)
     * @param tileWatts     average power of one tile: its chips, its I/O dies and its share of delivery overhead
     * @param chipWatts     average power of one alive chip at its pins (no overhead)
     * @param chipFullRateWatts power of one chip with every matrix pipe busy at full rate and no other activity
     * @param volts     supply voltage at the clock
     * @param tileDieDynamicWatts the part of a tile's power (before overhead) that scales with f x V^2: its dies' pipes, SRAM and mesh
     * @param tileDieStaticWatts  the part that scales with V: its dies' static power
     * @param staticWattsByLevel  static power of the whole system per level (node, chip, tile, dip, system), before the delivery overhead
     */
    public record Breakdown(Map<String, Double> byLevel, Map<String, Double> byClass, double joules, double systemWatts,
                            double tileWatts, double chipWatts, double chipFullRateWatts, double volts,
                            double tileDieDynamicWatts, double tileDieStaticWatts, Map<String, Double> staticWattsByLevel) {
    }

    /** @return the step's energy by level and by class, and the average powers */
    public static Breakdown of(Activity a, NodeParams np, D1Energy de, PodEnergy pe) {
        double dyn = de.dynamicScale(a.clockHz()) * 1e-12;   // pJ -> J at this voltage
        double stat = de.staticScale(a.clockHz());
        double t = a.stepSeconds();
        DType matrixType = a.dtype().onMatrixPipe() ? a.dtype() : DType.BF16;
        double matrixFlops = a.matrixNodeSeconds() * a.clockHz() * 2.0 * np.matrixMacsPerCycle();
        double simdFlops = a.simdNodeSeconds() * a.clockHz() * 2.0 * np.simdFmaPerInstruction(a.dtype());
        double matrix = matrixFlops * de.matrixPjPerFlop(matrixType) * dyn;
        double simd = simdFlops * de.simdPjPerFlop(a.dtype()) * dyn;
        double pipeSramBytes = a.sramNodeSeconds() * a.clockHz() * np.sramLoadPorts() * np.sramPortBytes();
        double routerBytes = bytes(a, LinkKind.NODE_PORT);
        double sram = (pipeSramBytes * de.sramReadPjPerByte() + routerBytes * 0.5 * (de.sramReadPjPerByte() + de.sramWritePjPerByte())) * dyn;
        long nodes = (long) a.aliveChips() * a.nodesPerChip();
        double nodeStatic = nodes * de.nodeStaticWatts() * stat * t;
        double mesh = bytes(a, LinkKind.MESH) * a.meshHopsPerBundle() * de.meshHopPjPerByte() * dyn;
        double uncore = a.aliveChips() * de.chipUncoreWatts() * stat * t;
        double d2d = bytes(a, LinkKind.DIE_TO_DIE) * pe.dieToDiePjPerByte() * 1e-12;
        double edge = bytes(a, LinkKind.TILE_EDGE) * pe.tileEdgePjPerByte() * 1e-12;
        double ioDies = (double) a.tiles() * pe.ioDiesPerTile() * pe.ioDieWatts() * t;
        double dipLink = bytes(a, LinkKind.DIP_LINK) * pe.dipLinkPjPerByte() * 1e-12;
        double hbm = bytes(a, LinkKind.HBM) * pe.hbmPjPerByte() * 1e-12;
        double dips = a.usableDips() * pe.dipWatts() * t;
        double eth = bytes(a, LinkKind.ETHERNET) * pe.ethernetPjPerByte() * 1e-12;
        double pcie = bytes(a, LinkKind.PCIE) * pe.pciePjPerByte() * 1e-12;
        double host = pe.hostWattsPerTray() * a.tiles() / Math.max(1, a.tilesPerTray()) * t;

        double node = matrix + simd + sram + nodeStatic;
        double chip = mesh + uncore;
        double tile = d2d + edge + ioDies;
        double dip = dipLink + hbm + dips;
        double system = eth + pcie + host;
        double atDies = node + chip + tile + dip + system;
        double delivery = (pe.deliveryOverhead() - 1.0) * atDies;
        Map<String, Double> byLevel = new LinkedHashMap<>();
        byLevel.put("node", node);
        byLevel.put("chip", chip);
        byLevel.put("tile", tile);
        byLevel.put("dip", dip);
        byLevel.put("system", system);
        byLevel.put("delivery", delivery);
        Map<String, Double> byClass = new LinkedHashMap<>();
        byClass.put("matrix", matrix);
        byClass.put("simd", simd);
        byClass.put("sram", sram);
        byClass.put("network", mesh + d2d + edge + dipLink + eth + pcie);
        byClass.put("hbm", hbm);
        byClass.put("static", nodeStatic + uncore + ioDies + dips + host);
        byClass.put("delivery", delivery);
        double total = atDies + delivery;
        double tileWatts = t > 0 && a.tiles() > 0 ? (node + chip + tile) * pe.deliveryOverhead() / a.tiles() / t : 0;
        double chipWatts = t > 0 && a.aliveChips() > 0 ? (node + chip) / a.aliveChips() / t : 0;
        double fullRate = a.nodesPerChip() * (a.clockHz() * 2.0 * np.matrixMacsPerCycle() * de.matrixPjPerFlop(matrixType) * dyn
                + de.nodeStaticWatts() * stat) + de.chipUncoreWatts() * stat;
        double perTileStep = a.tiles() > 0 && t > 0 ? a.tiles() * t : Double.POSITIVE_INFINITY;
        Map<String, Double> idle = new LinkedHashMap<>();
        double perSecond = t > 0 ? 1.0 / t : 0.0;
        idle.put("node", nodeStatic * perSecond);
        idle.put("chip", uncore * perSecond);
        idle.put("tile", ioDies * perSecond);
        idle.put("dip", dips * perSecond);
        idle.put("system", host * perSecond);
        return new Breakdown(byLevel, byClass, total, t > 0 ? total / t : 0, tileWatts, chipWatts, fullRate, de.volts(a.clockHz()),
                (matrix + simd + sram + mesh) / perTileStep, (nodeStatic + uncore) / perTileStep, idle);
    }

    /**
     * The highest clock on the V-f curve at which a tile that drew {@code tileWatts} at
     * {@code clockHz} (of which {@code tileDieDynamicWatts} and {@code tileDieStaticWatts} before the
     * delivery overhead) stays under {@code capWatts}, assuming the same activity per cycle: the dies'
     * dynamic power scales with f x V(f)^2, their static power with V(f), the rest of the tile
     * (links, I/O dies) stays. Bisection over [lowest curve point, clockHz]; 40 halvings.
     *
     * @return {@code clockHz} when the tile is already under the cap, else the throttled clock
     * (the curve's lowest clock when even that exceeds the cap)
     */
    public static long throttledClockHz(double tileWatts, double tileDieDynamicWatts, double tileDieStaticWatts, D1Energy de, PodEnergy pe,
                                        long clockHz, double capWatts) {
        if (capWatts <= 0 || tileWatts <= capWatts) {
            return clockHz;
        }
        double other = tileWatts / pe.deliveryOverhead() - tileDieDynamicWatts - tileDieStaticWatts;
        double v0 = de.volts(clockHz);
        double lo = Math.min(de.curveHz()[0], clockHz);
        double hi = clockHz;
        for (int i = 0; i < 40; i++) {
            double f = 0.5 * (lo + hi);
            double r = de.volts(f) / v0;
            double p = pe.deliveryOverhead() * (tileDieDynamicWatts * (f / clockHz) * r * r + tileDieStaticWatts * r + other);
            if (p <= capWatts) lo = f; else hi = f;
        }
        return (long) Math.floor(lo);
    }

    private static double bytes(Activity a, LinkKind k) {
        return k.ordinal() < a.linkBytes().length ? a.linkBytes()[k.ordinal()] : 0.0;
    }
}
