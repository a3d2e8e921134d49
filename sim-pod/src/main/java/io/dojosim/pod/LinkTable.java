package io.dojosim.pod;

import static io.dojosim.pod.PodGeometry.E;
import static io.dojosim.pod.PodGeometry.OPP;
import static io.dojosim.pod.PodGeometry.W;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.util.SlotPool;
import java.util.Arrays;

/**
 * The capacitated directed links of the machine {@link Topology} describes, in primitive arrays,
 * and the vertices they join. Vertex layout, in this order: chip hubs, four sides per chip (W, E,
 * S, N), one I/O port per chip side that faces no chip of its mesh domain, DIPs, HBMs, one host
 * per tray, the Ethernet switch. Explicit links are numbered in the order the constructor adds
 * them (chip meshes, die-to-die and tile edges, then per DIP its port, HBM, Ethernet and PCIe
 * links); node ports (inject, eject per node) follow them implicitly.
 *
 * <p>Caveats: link ids are part of results (utilization by link, cut capacities), so the order of
 * construction must not change without a reason recorded in an ADR.
 */
final class LinkTable {
    private final PodGeometry g;
    private final PodConfig p;

    // explicit links, trimmed to linkCount after construction
    final int linkCount;
    private int[] linkSrc = new int[1024];
    private int[] linkDst = new int[1024];
    private double[] linkCap = new double[1024];
    private long[] linkLat = new long[1024];
    private byte[] linkKind = new byte[1024];
    private final SlotPool added = new SlotPool(1024, this::grow);

    // vertex layout
    final int sideBase;
    final int portBase;
    final int ports;
    final int dipBase;
    final int hbmBase;
    final int hostBase;
    final int switchVertex;
    final int vertices;

    // link indices by structure (-1 when absent)
    final int[] hubToSide;
    final int[] sideToHub;
    final int[] sideOut;     // side -> neighbouring side, or side -> its port
    final int[] sidePort;    // port index of a side, or -1
    final int[] portToSide;
    final int[] dipToPort;
    final int[] portToDip;
    final int[] hbmLink;
    final int[] dipToSwitch;
    final int[] switchToDip;
    final int[] dipToHost;
    final int[] hostToDip;

    final int nodeLinkBase;

    // routing-aware coarse chip (ADR 0106): which hub-to-side bundle an explicit link is (side,
    // direction; -1 for other links), and the rate one transfer can reach through a chip by the
    // way it crosses it
    private final byte[] bundleSide;
    private final boolean[] bundleInbound;
    private final int[] bundleChip;
    /** Per side: the rate of a transfer that starts (leaves by that side) or ends (enters by it) in a chip. */
    final double[] endCapBps = new double[4];
    /** Per (entry side, exit side), index 4 * in + out: the rate of a transfer passing through a chip. */
    final double[] passCapBps = new double[16];

    /**
     * Share of a chip's edge-port bandwidth (the mean of its entry and exit sides' usable ports)
     * that one transfer turning inside the chip reaches: the streams of every row turn into every
     * column under dimension-order routing and block each other. Measured on the packet meshes of
     * a tile, chip 0 -> chip 6 (turning in chip 1), 8 MiB in 2 KiB chunks: 0.809 TB/s on the
     * default die (18 west and 15 north ports: 0.383 of 16.5 x 128 GB/s), 0.913 TB/s on a full
     * die (20 and 18 ports: 0.375); docs/validation.md, "Region crossing after ADR 0106".
     */
    static final double TURN_SHARE = 0.38;

    LinkTable(PodGeometry g) {
        this.g = g;
        this.p = g.p;
        int chips = g.chips;
        boolean[] alive = g.alive;
        sideBase = chips;
        portBase = sideBase + 4 * chips;
        hubToSide = new int[4 * chips];
        sideToHub = new int[4 * chips];
        sideOut = new int[4 * chips];
        sidePort = new int[4 * chips];
        Arrays.fill(hubToSide, -1);
        Arrays.fill(sideToHub, -1);
        Arrays.fill(sideOut, -1);
        Arrays.fill(sidePort, -1);

        // ports: one per chip side without a chip neighbour in its domain
        int portCount = 0;
        for (int c = 0; c < chips; c++) {
            for (int d = 0; d < 4; d++) {
                if (g.neighbour(c, d) < 0) {
                    sidePort[4 * c + d] = portCount++;
                }
            }
        }
        ports = portCount;
        int dips = g.dips;
        dipBase = portBase + ports;
        hbmBase = dipBase + dips;
        hostBase = hbmBase + dips;
        switchVertex = hostBase + g.trays;
        vertices = switchVertex + 1;

        portToSide = new int[ports];
        Arrays.fill(portToSide, -1);
        double rowBundle = p.meshHeight() * p.meshLinkBps();
        double colBundle = p.meshWidth() * p.meshLinkBps();
        long halfW = (p.meshWidth() / 2) * p.meshHopPs();
        long halfH = (p.meshHeight() / 2) * p.meshHopPs();
        double edgeShareX = p.tileEdgeBps() / p.chipsY(); // W/E tile edges have chipsY chips
        double edgeShareY = p.tileEdgeBps() / p.chipsX();
        for (int c = 0; c < chips; c++) {
            if (!alive[c]) continue;
            for (int d = 0; d < 4; d++) {
                boolean horizontal = d == W || d == E;
                double bundle = horizontal ? rowBundle : colBundle;
                long lat = horizontal ? halfW : halfH;
                hubToSide[4 * c + d] = addLink(c, side(c, d), bundle, lat, LinkKind.MESH);
                sideToHub[4 * c + d] = addLink(side(c, d), c, bundle, lat, LinkKind.MESH);
            }
        }
        for (int c = 0; c < chips; c++) {
            if (!alive[c]) continue;
            for (int d = 0; d < 4; d++) {
                double share = (d == W || d == E) ? edgeShareX : edgeShareY;
                int nb = g.neighbour(c, d);
                if (nb >= 0) {
                    if (!alive[nb]) continue;
                    boolean sameTile = nb / g.chipsPerTile == c / g.chipsPerTile;
                    sideOut[4 * c + d] = sameTile
                            ? addLink(side(c, d), side(nb, OPP[d]), p.dieToDieBps(), p.dieToDieLatencyPs(), LinkKind.DIE_TO_DIE)
                            : addLink(side(c, d), side(nb, OPP[d]), share, p.tileToTileLatencyPs(), LinkKind.TILE_EDGE);
                } else {
                    int port = sidePort[4 * c + d];
                    sideOut[4 * c + d] = addLink(side(c, d), portBase + port, share, p.tileToTileLatencyPs() / 2, LinkKind.TILE_EDGE);
                    portToSide[port] = addLink(portBase + port, side(c, d), share, p.tileToTileLatencyPs() / 2, LinkKind.TILE_EDGE);
                }
            }
        }
        dipToPort = new int[dips];
        portToDip = new int[dips];
        hbmLink = new int[dips];
        dipToSwitch = new int[dips];
        switchToDip = new int[dips];
        dipToHost = new int[dips];
        hostToDip = new int[dips];
        for (int d = 0; d < dips; d++) {
            int tray = g.trayOfDip(d);
            int port = portBase + sidePort[4 * g.dipChip[d] + g.dipSide[d]];
            int dv = dipBase + d;
            dipToPort[d] = addLink(dv, port, p.dipLinkBps(), p.dipLinkLatencyPs(), LinkKind.DIP_LINK);
            portToDip[d] = addLink(port, dv, p.dipLinkBps(), p.dipLinkLatencyPs(), LinkKind.DIP_LINK);
            hbmLink[d] = addLink(hbmBase + d, dv, p.hbmBps(), p.hbmLatencyPs(), LinkKind.HBM);
            dipToSwitch[d] = addLink(dv, switchVertex, p.ethernetBps(), p.ethernetLatencyPs() / 2, LinkKind.ETHERNET);
            switchToDip[d] = addLink(switchVertex, dv, p.ethernetBps(), p.ethernetLatencyPs() - p.ethernetLatencyPs() / 2, LinkKind.ETHERNET);
            dipToHost[d] = addLink(dv, hostBase + tray, p.pcieBps(), p.pcieLatencyPs(), LinkKind.PCIE);
            hostToDip[d] = addLink(hostBase + tray, dv, p.pcieBps(), p.pcieLatencyPs(), LinkKind.PCIE);
        }
        linkCount = added.used();
        grow(linkCount);
        nodeLinkBase = linkCount;
        bundleSide = new byte[linkCount];
        bundleInbound = new boolean[linkCount];
        bundleChip = new int[linkCount];
        Arrays.fill(bundleSide, (byte) -1);
        for (int c = 0; c < chips; c++) {
            for (int d = 0; d < 4; d++) {
                int out = hubToSide[4 * c + d];
                int in = sideToHub[4 * c + d];
                if (out < 0) continue;
                bundleSide[out] = (byte) d;
                bundleChip[out] = c;
                bundleSide[in] = (byte) d;
                bundleChip[in] = c;
                bundleInbound[in] = true;
            }
        }
        coarseChipCaps();
    }

    /**
     * The routing-aware coarse chip (ADR 0106). A side has one edge port per row (W, E) or column
     * (S, N); a port on a harvested site is missing, and the share of the lanes whose port is
     * missing ({@code m}: active nodes of those rows or columns over all active nodes) is handed
     * to the other ports and turns inside the chip to reach them. A transfer that starts or ends
     * in a chip by side d reaches {@code usable(d) x link x (1 - m(d))}; one passing straight
     * through, {@code min(usable) x link x (1 - m(in)) x (1 - m(out))}; one turning,
     * {@link #TURN_SHARE} of the mean of its two sides' usable ports. On a full die the straight
     * caps are the bundles' own capacities (or more), so only turns change.
     */
    private void coarseChipCaps() {
        int w = p.meshWidth();
        int h = p.meshHeight();
        boolean[] off = new boolean[w * h];
        for (io.dojosim.noc.Site s : p.disabledSites()) off[s.id(w)] = true;
        int active = 0;
        for (boolean b : off) if (!b) active++;
        int[] usable = new int[4];
        double[] missing = new double[4];
        for (int d = 0; d < 4; d++) {
            boolean alongRows = d == W || d == E; // W and E ports: one per row
            int lanes = alongRows ? h : w;
            int handed = 0;
            for (int i = 0; i < lanes; i++) {
                // the edge site of lane i on side d (N is row 0, as on the D1 mesh's north edge)
                int x = alongRows ? (d == W ? 0 : w - 1) : i;
                int y = alongRows ? i : (d == PodGeometry.N ? 0 : h - 1);
                if (!off[y * w + x]) {
                    usable[d]++;
                    continue;
                }
                for (int j = 0; j < (alongRows ? w : h); j++) {
                    int site = alongRows ? i * w + j : j * w + i;
                    if (!off[site]) handed++;
                }
            }
            missing[d] = active == 0 ? 0 : (double) handed / active;
        }
        double link = p.meshLinkBps();
        for (int d = 0; d < 4; d++) endCapBps[d] = usable[d] * link * (1 - missing[d]);
        for (int in = 0; in < 4; in++) {
            for (int out = 0; out < 4; out++) {
                boolean straight = (in == W || in == E) == (out == W || out == E) && in != out;
                passCapBps[4 * in + out] = straight
                        ? Math.min(usable[in], usable[out]) * link * (1 - missing[in]) * (1 - missing[out])
                        : TURN_SHARE * (usable[in] + usable[out]) / 2.0 * link;
            }
        }
    }

    /**
     * @return the rate one transfer on {@code route} can reach through the coarse chips it starts
     * in, passes through (straight or turning) and ends in, from {@link #endCapBps} and
     * {@link #passCapBps}; infinite when it crosses no chip side
     */
    double chipCapBps(int[] route) {
        double cap = Double.POSITIVE_INFINITY;
        int n = route.length;
        for (int i = 0; i < n; i++) {
            int l = route[i];
            if (l >= linkCount || bundleSide[l] < 0) continue;
            int side = bundleSide[l];
            if (bundleInbound[l]) {
                int nx = i + 1 < n ? route[i + 1] : -1;
                if (nx >= 0 && nx < linkCount && bundleSide[nx] >= 0 && !bundleInbound[nx] && bundleChip[nx] == bundleChip[l]) {
                    cap = Math.min(cap, passCapBps[4 * side + bundleSide[nx]]);
                    i++;
                } else {
                    cap = Math.min(cap, endCapBps[side]);
                }
            } else {
                cap = Math.min(cap, endCapBps[side]);
            }
        }
        return cap;
    }

    private void grow(int n) {
        linkSrc = Arrays.copyOf(linkSrc, n);
        linkDst = Arrays.copyOf(linkDst, n);
        linkCap = Arrays.copyOf(linkCap, n);
        linkLat = Arrays.copyOf(linkLat, n);
        linkKind = Arrays.copyOf(linkKind, n);
    }

    private int addLink(int src, int dst, double cap, long latPs, LinkKind kind) {
        int l = added.take();
        linkSrc[l] = src;
        linkDst[l] = dst;
        linkCap[l] = cap;
        linkLat[l] = latPs;
        linkKind[l] = (byte) kind.ordinal();
        return l;
    }

    int side(int chip, int d) {
        return sideBase + 4 * chip + d;
    }

    long totalLinks() {
        return linkCount + 2L * g.chips * p.nodesPerChip();
    }

    int nodeInjectLink(int chip, int node) {
        return nodeLinkBase + 2 * (chip * p.nodesPerChip() + node);
    }

    int linkCountForArrays() {
        long n = totalLinks();
        if (n > Integer.MAX_VALUE - 8) throw new ConfigException("system too large for the flow model: " + n + " links");
        return (int) n;
    }

    double capacity(int link) {
        if (link < linkCount) return linkCap[link];
        return ((link - nodeLinkBase) & 1) == 0 ? p.nodeInjectBps() : p.nodeEjectBps();
    }

    long latencyPs(int link) {
        return link < linkCount ? linkLat[link] : 0L;
    }

    LinkKind kind(int link) {
        return link < linkCount ? LinkKind.of(linkKind[link]) : LinkKind.NODE_PORT;
    }

    int kindOrdinal(int link) {
        return link < linkCount ? linkKind[link] : LinkKind.NODE_PORT.ordinal();
    }

    int src(int link) {
        return linkSrc[link];
    }

    int dst(int link) {
        return linkDst[link];
    }

    /** Which unit a vertex belongs to for cuts: the chip of hubs, sides and ports, the DIP's chip, -1 for hosts and the switch. */
    int chipOfVertex(int v) {
        int chips = g.chips;
        if (v < chips) return v;
        if (v < portBase) return (v - sideBase) / 4;
        if (v < dipBase) {
            int port = v - portBase;
            int l = portToSide[port];
            if (l >= 0) return (linkDst[l] - sideBase) / 4;
            for (int c = 0; c < chips; c++) {
                for (int d = 0; d < 4; d++) {
                    if (sidePort[4 * c + d] == port) return c;
                }
            }
            return -1;
        }
        if (v < hbmBase) return g.dipChip[v - dipBase];
        if (v < hostBase) return g.dipChip[v - hbmBase];
        return -1;
    }

    int trayOfHostVertex(int v) {
        return v >= hostBase && v < switchVertex ? v - hostBase : -1;
    }

    /** Capacity of the cut from side A to side B; see {@link Topology#cutCapacity}. */
    double cutCapacity(byte[] side) {
        double freeInA = 0;
        double freeInB = 0;
        for (int l = 0; l < linkCount; l++) {
            byte s = side[linkSrc[l]];
            byte t = side[linkDst[l]];
            if (s == 2) s = 0;
            if (t == 2) t = 0;
            if (s == 0 && t == 1) freeInA += linkCap[l];
            s = side[linkSrc[l]];
            t = side[linkDst[l]];
            if (s == 2) s = 1;
            if (t == 2) t = 1;
            if (s == 0 && t == 1) freeInB += linkCap[l];
        }
        return Math.min(freeInA, freeInB);
    }
}
