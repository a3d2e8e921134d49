package io.dojosim.pod;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code dojosim info} prints about an assembled machine: counts, peak FLOPS per level and
 * data type, SRAM and HBM per level, link bandwidths, and bisection bandwidth per level. Every
 * bisection is the capacity of a cut of the built link graph ({@link Topology#cutCapacity}), not a
 * formula: change a link parameter or kill a chip and it changes.
 *
 * <p>Caveats: per-level peaks and memories describe one complete unit of that level; the system
 * line counts only live chips. FP16 and INT8 run at the BF16 and CFP8 rate (dojo-facts s10).
 */
public final class MachineInfo {
    /** One level of the hierarchy. */
    public record Level(String name, long units, long nodes, long chips, double peakBf16Flops, double peakFp32Flops,
                        double sramBytes, double hbmBytes, double bisectionBytesPerSecond, String bisectionCut) {
    }

    /** One link class. */
    public record LinkClass(String name, double bytesPerSecondPerDirection, long latencyPs, String note) {
    }

    private final Topology topo;
    private final List<Level> levels = new ArrayList<>();
    private final List<LinkClass> linkClasses = new ArrayList<>();
    private final double offTileBytesPerSecond;
    private final int[] chipOfVertex;

    public MachineInfo(Topology topo) {
        this.topo = topo;
        PodConfig p = topo.config();
        int v = topo.vertices();
        chipOfVertex = new int[v];
        for (int i = 0; i < v; i++) chipOfVertex[i] = topo.chipOfVertex(i);

        double nodeBf16 = p.nodePeakBf16();
        double nodeFp32 = p.nodePeakFp32();
        long npc = p.nodesPerChip();
        int cpt = topo.chipsPerTile();
        int tpt = topo.tilesPerTray();
        double hbm = p.hbmBytes();
        levels.add(new Level("node", topo.nodes(), 1, 0, nodeBf16, nodeFp32, p.sramBytesPerNode(), 0, 0, ""));
        levels.add(new Level("chip", topo.aliveChips(), npc, 1, npc * nodeBf16, npc * nodeFp32, npc * p.sramBytesPerNode(), 0,
                chipBisection(firstAliveChip()), "mesh between rows or columns (coarse bundles)"));
        levels.add(new Level("tile", topo.tiles(), npc * cpt, cpt, npc * cpt * nodeBf16, npc * cpt * nodeFp32,
                npc * cpt * (double) p.sramBytesPerNode(), (double) p.dipsPerTileEdge() * hbm,
                tileBisection(0), "middle of the 5 x 5 chips, die-to-die links only"));
        offTileBytesPerSecond = offTile(0);
        String scope = p.scope();
        if (!scope.equals("tile")) {
            levels.add(new Level("tray", topo.trays(), npc * cpt * tpt, (long) cpt * tpt, npc * cpt * tpt * nodeBf16,
                    npc * cpt * tpt * nodeFp32, npc * cpt * tpt * (double) p.sramBytesPerNode(), topo.dipsPerTray() * hbm,
                    trayBisection(0, true), String.format(Locale.ROOT,
                    "middle of the tray's tiles, tile edges only (AID22's cut); %.2f TB/s with the Ethernet and PCIe paths",
                    trayBisection(0, false) / 1e12)));
        }
        if (scope.equals("cabinet") || scope.equals("pod")) {
            int tpc = p.traysPerCabinet();
            levels.add(new Level("cabinet", topo.trays() / tpc, npc * cpt * tpt * tpc, (long) cpt * tpt * tpc,
                    npc * cpt * tpt * tpc * nodeBf16, npc * cpt * tpt * tpc * nodeFp32,
                    npc * cpt * tpt * tpc * (double) p.sramBytesPerNode(), topo.dipsPerTray() * tpc * hbm,
                    trayRangeBisection(0, tpc), "between its trays"));
        }
        long aliveNodes = topo.nodes();
        levels.add(new Level("system", 1, aliveNodes, topo.aliveChips(), aliveNodes * nodeBf16, aliveNodes * nodeFp32,
                aliveNodes * (double) p.sramBytesPerNode(), topo.dips() * hbm,
                systemBisection(), "halves of the system at its top level"));

        linkClasses.add(new LinkClass("node port (inject/eject)", p.nodeInjectBps(), 0, "router 64 B/cycle SRAM read / write"));
        linkClasses.add(new LinkClass("mesh link", p.meshLinkBps(), p.meshHopPs(), "one node-to-node link"));
        linkClasses.add(new LinkClass("mesh row bundle (half chip)", p.meshHeight() * p.meshLinkBps(), (p.meshWidth() / 2) * p.meshHopPs(),
                "all rows' links, centre to W or E side"));
        linkClasses.add(new LinkClass("mesh column bundle (half chip)", p.meshWidth() * p.meshLinkBps(), (p.meshHeight() / 2) * p.meshHopPs(),
                "all columns' links, centre to S or N side"));
        linkClasses.add(new LinkClass("die-to-die (per chip edge)", p.dieToDieBps(), p.dieToDieLatencyPs(), "SerDes lanes / 4 x lane rate"));
        linkClasses.add(new LinkClass("tile edge (per chip)", p.tileEdgeBps() / p.chipsY(), p.tileToTileLatencyPs(), "tile edge / chips on the edge"));
        linkClasses.add(new LinkClass("tile edge (whole edge)", p.tileEdgeBps(), p.tileToTileLatencyPs(), ""));
        linkClasses.add(new LinkClass("off-tile (4 edges, from the graph)", offTileBytesPerSecond, 0, "cut around one tile"));
        linkClasses.add(new LinkClass("DIP-tile TTP link", p.dipLinkBps(), p.dipLinkLatencyPs(), ""));
        linkClasses.add(new LinkClass("HBM per DIP (read+write)", p.hbmBps(), p.hbmLatencyPs(), ""));
        linkClasses.add(new LinkClass("Ethernet TTPoE port per DIP", p.ethernetBps(), p.ethernetLatencyPs(), "latency is port to port"));
        linkClasses.add(new LinkClass("PCIe per DIP", p.pcieBps(), p.pcieLatencyPs(), ""));
    }

    private int firstAliveChip() {
        for (int c = 0; c < topo.chips(); c++) {
            if (topo.alive(c)) return c;
        }
        return 0;
    }

    private byte[] sides() {
        byte[] s = new byte[topo.vertices()];
        java.util.Arrays.fill(s, (byte) -1);
        return s;
    }

    /** Coarse chip mesh bisection: the W (or S) side against the rest of the chip. */
    private double chipBisection(int chip) {
        double best = Double.POSITIVE_INFINITY;
        for (int d : new int[] {Topology.W, Topology.S}) {
            byte[] s = sides();
            for (int v = 0; v < s.length; v++) {
                if (v < topo.chips()) {
                    if (v == chip) s[v] = 1;
                } else if (v < topo.chips() * 5) {
                    int c = (v - topo.chips()) / 4;
                    int dd = (v - topo.chips()) % 4;
                    if (c == chip) s[v] = (byte) (dd == d ? 0 : 1);
                }
            }
            best = Math.min(best, topo.cutCapacity(s));
        }
        return best;
    }

    /** @return the smallest cut among straight cuts through the middle of a tile's chip grid */
    private double tileBisection(int tile) {
        PodConfig p = topo.config();
        return balancedStraightCut(p.chipsX(), p.chipsY(), topo.chipsPerTile(), (s, axis, k) -> {
            int inA = 0;
            for (int v = 0; v < s.length; v++) {
                int c = chipOfVertex[v];
                if (v >= topo.chips() * 5 || c < 0 || topo.tileOf(c) != tile) continue; // hubs and sides only
                int coord = axis == 0 ? topo.chipX(c) : topo.chipY(c);
                s[v] = (byte) (coord < k ? 0 : 1);
                if (v < topo.chips() && coord < k) inA++;
            }
            return inA;
        });
    }

    /** Labels the vertices of a straight cut at coordinate {@code k} along {@code axis}; returns the units on side 0. */
    @FunctionalInterface
    private interface StraightCut {
        int label(byte[] sides, int axis, int k);
    }

    /**
     * @return the smallest cut of {@code cut} over both axes of an {@code nx} x {@code ny} grid and the two
     * middle coordinates of each, preferring the split closest to half of {@code units}; 0 when no axis splits
     */
    private double balancedStraightCut(int nx, int ny, int units, StraightCut cut) {
        double best = Double.POSITIVE_INFINITY;
        int bestImbalance = Integer.MAX_VALUE;
        for (int axis = 0; axis < 2; axis++) {
            int n = axis == 0 ? nx : ny;
            if (n < 2) continue;
            for (int k : new int[] {n / 2, (n + 1) / 2}) {
                byte[] s = sides();
                int imbalance = Math.abs(units - 2 * cut.label(s, axis, k));
                double capacity = topo.cutCapacity(s);
                if (imbalance < bestImbalance || (imbalance == bestImbalance && capacity < best)) {
                    bestImbalance = imbalance;
                    best = capacity;
                }
            }
        }
        return best == Double.POSITIVE_INFINITY ? 0 : best;
    }

    /** @return the capacity leaving one tile's chips (36 TB/s with the published 9 TB/s per edge) */
    private double offTile(int tile) {
        byte[] s = sides();
        for (int v = 0; v < s.length; v++) {
            int c = chipOfVertex[v];
            boolean ours = v < topo.chips() * 5 && c >= 0 && topo.tileOf(c) == tile;
            s[v] = (byte) (ours ? 0 : (topo.isSwitch(v) ? 2 : 1));
        }
        return topo.cutCapacity(s);
    }

    /**
     * @param fabricOnly true: only the tray's tile fabric (chip hubs and sides; tile edges cross the
     *                   cut), the network AID22's tray bisection describes; false: DIPs go with their
     *                   chips and the Ethernet switch and host may sit on either side, so the
     *                   Ethernet and PCIe paths between the halves count too
     * @return the smallest cut among straight cuts through the middle of the tray's tile grid
     */
    private double trayBisection(int tray, boolean fabricOnly) {
        int tx = topo.config().builtTrayTilesX();
        int ty = topo.config().builtTrayTilesY();
        int tpt = tx * ty;
        return balancedStraightCut(tx, ty, tpt, (s, axis, k) -> {
            int inA = 0;
            for (int t = tray * tpt; t < (tray + 1) * tpt; t++) {
                int coord = axis == 0 ? topo.tileX(t) : topo.tileY(t);
                if (coord < k) inA++;
            }
            for (int v = 0; v < s.length; v++) {
                int c = chipOfVertex[v];
                if (fabricOnly && v >= topo.chips() * 5) continue; // I/O ports, DIPs, switch, host
                if (c >= 0 && topo.trayOf(c) == tray) {
                    int t = topo.tileOf(c);
                    int coord = axis == 0 ? topo.tileX(t) : topo.tileY(t);
                    s[v] = (byte) (coord < k ? 0 : 1);
                } else if (topo.isSwitch(v) || topo.trayOfHostVertex(v) == tray) {
                    s[v] = 2;
                }
            }
            return inA;
        });
    }

    /** Cut between the first and second half of trays [from, from + count). */
    private double trayRangeBisection(int from, int count) {
        if (count < 2) return 0;
        int mid = from + count / 2;
        byte[] s = sides();
        for (int v = 0; v < s.length; v++) {
            int c = chipOfVertex[v];
            int tray = c >= 0 ? topo.trayOf(c) : topo.trayOfHostVertex(v);
            if (tray >= from && tray < from + count) {
                s[v] = (byte) (tray < mid ? 0 : 1);
            } else if (topo.isSwitch(v)) {
                s[v] = 2;
            }
        }
        return topo.cutCapacity(s);
    }

    private double systemBisection() {
        switch (topo.config().scope()) {
            case "tile":
                return tileBisection(0);
            case "tray":
                return trayBisection(0, false);
            default:
                return trayRangeBisection(0, topo.trays());
        }
    }

    public List<Level> levels() {
        return levels;
    }

    public List<LinkClass> linkClasses() {
        return linkClasses;
    }

    /** @return the capacity of the cut around tile 0's chips, bytes per second per direction */
    public double offTileBytesPerSecond() {
        return offTileBytesPerSecond;
    }

    /** @return the level of that name, or null */
    public Level level(String name) {
        for (Level l : levels) {
            if (l.name().equals(name)) return l;
        }
        return null;
    }

    /** @return the machine described */
    public Topology topology() {
        return topo;
    }

    /** @return a text table for people */
    public String format() {
        StringBuilder b = new StringBuilder();
        Level sys = level("system");
        PodConfig p = topo.config();
        b.append(String.format(Locale.ROOT, "Dojo system (scope %s%s)%n", p.scope(),
                p.tileMeshAcrossTrays() ? ", tile mesh across trays" : ""));
        b.append(String.format(Locale.ROOT, "  nodes %,d   chips %,d   tiles %,d   trays %,d   DIPs %,d%n",
                sys.nodes(), sys.chips(), topo.tiles(), topo.trays(), topo.dips()));
        b.append(String.format(Locale.ROOT, "  peak BF16/CFP8/FP16 %s   FP32 %s%n", flops(sys.peakBf16Flops()), flops(sys.peakFp32Flops())));
        b.append(String.format(Locale.ROOT, "%nLevel      units      nodes   peak BF16    peak FP32    SRAM         HBM          bisection/dir%n"));
        for (Level l : levels) {
            b.append(String.format(Locale.ROOT, "%-8s %7d %10d   %-12s %-12s %-12s %-12s %s%n", l.name(), l.units(), l.nodes(),
                    flops(l.peakBf16Flops()), flops(l.peakFp32Flops()), bytes(l.sramBytes()), bytes(l.hbmBytes()),
                    l.bisectionBytesPerSecond() > 0 ? rate(l.bisectionBytesPerSecond()) : "-"));
        }
        b.append(String.format(Locale.ROOT, "%nLinks (per direction)%n"));
        for (LinkClass c : linkClasses) {
            b.append(String.format(Locale.ROOT, "  %-36s %-12s %s%n", c.name(), rate(c.bytesPerSecondPerDirection()),
                    c.latencyPs() > 0 ? io.dojosim.core.time.Time.format(c.latencyPs()) : ""));
        }
        return b.toString();
    }

    static String flops(double f) {
        if (f >= 1e18) return String.format(Locale.ROOT, "%.3f EFLOPS", f / 1e18);
        if (f >= 1e15) return String.format(Locale.ROOT, "%.2f PFLOPS", f / 1e15);
        if (f >= 1e12) return String.format(Locale.ROOT, "%.1f TFLOPS", f / 1e12);
        return String.format(Locale.ROOT, "%.1f GFLOPS", f / 1e9);
    }

    static String bytes(double b) {
        if (b >= 1e12) return String.format(Locale.ROOT, "%.2f TB", b / 1e12);
        if (b >= 1e9) return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
        if (b >= 1e6) return String.format(Locale.ROOT, "%.2f MB", b / 1e6);
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.0f B", b);
    }

    static String rate(double r) {
        if (r >= 1e12) return String.format(Locale.ROOT, "%.2f TB/s", r / 1e12);
        return String.format(Locale.ROOT, "%.1f GB/s", r / 1e9);
    }
}
