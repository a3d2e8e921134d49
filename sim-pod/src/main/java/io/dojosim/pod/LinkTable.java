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
