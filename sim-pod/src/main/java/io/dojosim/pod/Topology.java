package io.dojosim.pod;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.util.IntList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The machine as a directed graph of capacitated links, built once from a {@link PodConfig} and
 * stored in primitive arrays (no object per node, chip or link).
 *
 * <p>Vertices: every chip has a hub (its mesh centre) and four side vertices (W, E, S, N); a
 * chip side that faces no chip of its mesh domain (tray, or the whole system when tile meshes
 * continue across trays) leads to an I/O port vertex of its tile edge, where a DIP may attach;
 * every DIP has a DIP vertex and an HBM vertex; each tray has a host; one switch vertex stands
 * for the Ethernet Z-plane (non-blocking: its ports are the only Ethernet bottleneck).
 *
 * <pre>
 *   chip (coarse)          neighbouring chips                   DIP on a west tile edge
 *        N                hubA -MESH-> E(A) -D2D-> W(B) -MESH-> hubB    HBM --HBM-- DIP --DIP_LINK-- port --TILE_EDGE-- W(chip)
 *        |                                                                          |
 *   W -- hub -- E                                                              ETHERNET, PCIE
 *        |
 *        S
 * </pre>
 *
 * Node ports (inject and eject, 2 per node) are links too, but implicit: their ids follow the
 * explicit links and their capacity is the same for every node.
 *
 * <p>Routing is deterministic: dimension order (x then y) over the chip grid of a mesh domain,
 * then y-then-x, then a breadth-first search around dead chips; traffic that leaves its mesh
 * domain goes to the DIP of its tray closest to the source chip (west half to the west edge, same
 * row when possible), across the switch, and from the DIP closest to the destination chip.
 *
 * <p>Caveats: routes are computed once per vertex pair and cached; a route is a shared array that
 * must not be modified.
 */
public final class Topology {
    public static final int W = 0;
    public static final int E = 1;
    public static final int S = 2;
    public static final int N = 3;
    private static final int[] DX = {-1, 1, 0, 0};
    private static final int[] DY = {0, 0, -1, 1};
    private static final int[] OPP = {E, W, N, S};

    private final PodConfig p;
    private final int tiles;
    private final int chips;
    private final int trays;
    private final int tilesX;
    private final int tilesY;
    private final int chipsPerTile;
    private final int domW;
    private final int domH;
    private final int domains;
    private final boolean[] alive;
    private final int aliveChips;

    // explicit links
    private int linkCount;
    private int[] linkSrc = new int[1024];
    private int[] linkDst = new int[1024];
    private double[] linkCap = new double[1024];
    private long[] linkLat = new long[1024];
    private byte[] linkKind = new byte[1024];

    // vertex layout
    private final int sideBase;
    private final int portBase;
    private int ports;
    private final int dipBase;
    private final int hbmBase;
    private final int hostBase;
    private final int switchVertex;
    private final int vertices;

    // link indices by structure (-1 when absent)
    private final int[] hubToSide;
    private final int[] sideToHub;
    private final int[] sideOut;     // side -> neighbouring side, or side -> its port
    private final int[] sidePort;    // port index of a side, or -1
    private int[] portToSide;
    private final int dipsPerTray;
    private final int dips;
    private final int[] dipChip;
    private final int[] dipSide;
    private final int[] dipToPort;
    private final int[] portToDip;
    private final int[] hbmLink;
    private final int[] dipToSwitch;
    private final int[] switchToDip;
    private final int[] dipToHost;
    private final int[] hostToDip;

    private final int nodeLinkBase;
    private final long nodeCount;

    private final Map<Long, int[]> routeCache = new HashMap<>();
    private final int[] activeSites;

    /** Builds the graph. @throws ConfigException for a dead-chip entry that names no chip of the system */
    public Topology(PodConfig p) {
        this.p = p;
        this.tiles = p.tiles();
        this.trays = p.trays();
        this.tilesX = p.builtTrayTilesX();
        this.tilesY = p.builtTrayTilesY();
        this.chipsPerTile = p.chipsX() * p.chipsY();
        this.chips = tiles * chipsPerTile;
        this.domW = tilesX * p.chipsX();
        boolean across = p.tileMeshAcrossTrays();
        this.domH = tilesY * p.chipsY() * (across ? trays : 1);
        this.domains = across ? 1 : trays;
        this.alive = new boolean[chips];
        Arrays.fill(alive, true);
        for (String s : p.deadChips()) {
            alive[parseDeadChip(s)] = false;
        }
        int a = 0;
        for (boolean b : alive) {
            if (b) a++;
        }
        this.aliveChips = a;
        this.nodeCount = (long) aliveChips * p.nodesPerChip();
        this.activeSites = p.activeSites();

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
        for (int c = 0; c < chips; c++) {
            for (int d = 0; d < 4; d++) {
                if (neighbour(c, d) < 0) {
                    sidePort[4 * c + d] = ports++;
                }
            }
        }
        dipsPerTray = 2 * tilesY * p.dipsPerTileEdge();
        dips = dipsPerTray * trays;
        dipBase = portBase + ports;
        hbmBase = dipBase + dips;
        hostBase = hbmBase + dips;
        switchVertex = hostBase + trays;
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
                int nb = neighbour(c, d);
                if (nb >= 0) {
                    if (!alive[nb]) continue;
                    boolean sameTile = nb / chipsPerTile == c / chipsPerTile;
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
        dipChip = new int[dips];
        dipSide = new int[dips];
        dipToPort = new int[dips];
        portToDip = new int[dips];
        hbmLink = new int[dips];
        dipToSwitch = new int[dips];
        switchToDip = new int[dips];
        dipToHost = new int[dips];
        hostToDip = new int[dips];
        for (int tray = 0; tray < trays; tray++) {
            for (int k = 0; k < dipsPerTray; k++) {
                int d = tray * dipsPerTray + k;
                int half = dipsPerTray / 2;
                boolean west = k < half;
                int j = k % half;
                int ty = j / p.dipsPerTileEdge();
                int row = j % p.dipsPerTileEdge();
                int tx = west ? 0 : tilesX - 1;
                int tile = tray * tilesX * tilesY + ty * tilesX + tx;
                int chip = tile * chipsPerTile + row * p.chipsX() + (west ? 0 : p.chipsX() - 1);
                int sd = west ? W : E;
                dipChip[d] = chip;
                dipSide[d] = sd;
                int port = portBase + sidePort[4 * chip + sd];
                int dv = dipBase + d;
                dipToPort[d] = addLink(dv, port, p.dipLinkBps(), p.dipLinkLatencyPs(), LinkKind.DIP_LINK);
                portToDip[d] = addLink(port, dv, p.dipLinkBps(), p.dipLinkLatencyPs(), LinkKind.DIP_LINK);
                hbmLink[d] = addLink(hbmBase + d, dv, p.hbmBps(), p.hbmLatencyPs(), LinkKind.HBM);
                dipToSwitch[d] = addLink(dv, switchVertex, p.ethernetBps(), p.ethernetLatencyPs() / 2, LinkKind.ETHERNET);
                switchToDip[d] = addLink(switchVertex, dv, p.ethernetBps(), p.ethernetLatencyPs() - p.ethernetLatencyPs() / 2, LinkKind.ETHERNET);
                dipToHost[d] = addLink(dv, hostBase + tray, p.pcieBps(), p.pcieLatencyPs(), LinkKind.PCIE);
                hostToDip[d] = addLink(hostBase + tray, dv, p.pcieBps(), p.pcieLatencyPs(), LinkKind.PCIE);
            }
        }
        linkSrc = Arrays.copyOf(linkSrc, linkCount);
        linkDst = Arrays.copyOf(linkDst, linkCount);
        linkCap = Arrays.copyOf(linkCap, linkCount);
        linkLat = Arrays.copyOf(linkLat, linkCount);
        linkKind = Arrays.copyOf(linkKind, linkCount);
        nodeLinkBase = linkCount;
    }

    private int parseDeadChip(String s) {
        String[] f = s.split(",");
        try {
            if (f.length != 3) throw new NumberFormatException();
            int t = Integer.parseInt(f[0].trim());
            int x = Integer.parseInt(f[1].trim());
            int y = Integer.parseInt(f[2].trim());
            if (t < 0 || t >= tiles || x < 0 || x >= p.chipsX() || y < 0 || y >= p.chipsY()) {
                throw new ConfigException("key 'pod.system.deadChips': entry '" + s + "' names no chip; tiles are 0.."
                        + (tiles - 1) + " at scope " + p.scope() + ", x 0.." + (p.chipsX() - 1) + ", y 0.." + (p.chipsY() - 1));
            }
            return t * chipsPerTile + y * p.chipsX() + x;
        } catch (NumberFormatException e) {
            throw new ConfigException("key 'pod.system.deadChips': entry '" + s + "' is not \"tile,x,y\" (three integers)");
        }
    }

    private int addLink(int src, int dst, double cap, long latPs, LinkKind kind) {
        if (linkCount == linkSrc.length) {
            int n = linkCount * 2;
            linkSrc = Arrays.copyOf(linkSrc, n);
            linkDst = Arrays.copyOf(linkDst, n);
            linkCap = Arrays.copyOf(linkCap, n);
            linkLat = Arrays.copyOf(linkLat, n);
            linkKind = Arrays.copyOf(linkKind, n);
        }
        linkSrc[linkCount] = src;
        linkDst[linkCount] = dst;
        linkCap[linkCount] = cap;
        linkLat[linkCount] = latPs;
        linkKind[linkCount] = (byte) kind.ordinal();
        return linkCount++;
    }

    // ---- geometry -------------------------------------------------------------------------

    public PodConfig config() {
        return p;
    }

    public int tiles() {
        return tiles;
    }

    public int chips() {
        return chips;
    }

    public int aliveChips() {
        return aliveChips;
    }

    public int trays() {
        return trays;
    }

    public int dips() {
        return dips;
    }

    public int dipsPerTray() {
        return dipsPerTray;
    }

    public int chipsPerTile() {
        return chipsPerTile;
    }

    public int tilesPerTray() {
        return tilesX * tilesY;
    }

    public long nodes() {
        return nodeCount;
    }

    public boolean alive(int chip) {
        return alive[chip];
    }

    public int tileOf(int chip) {
        return chip / chipsPerTile;
    }

    public int trayOf(int chip) {
        return tileOf(chip) / (tilesX * tilesY);
    }

    public int trayOfDip(int dip) {
        return dip / dipsPerTray;
    }

    /** @return the chip's column within its tile */
    public int chipX(int chip) {
        return (chip % chipsPerTile) % p.chipsX();
    }

    /** @return the chip's row within its tile */
    public int chipY(int chip) {
        return (chip % chipsPerTile) / p.chipsX();
    }

    /** @return the tile's column within its tray */
    public int tileX(int tile) {
        return (tile % (tilesX * tilesY)) % tilesX;
    }

    /** @return the tile's row within its tray */
    public int tileY(int tile) {
        return (tile % (tilesX * tilesY)) / tilesX;
    }

    /** @return the chip's column in its mesh domain */
    public int gx(int chip) {
        return tileX(tileOf(chip)) * p.chipsX() + chipX(chip);
    }

    /** @return the chip's row in its mesh domain */
    public int gy(int chip) {
        int y = tileY(tileOf(chip)) * p.chipsY() + chipY(chip);
        return p.tileMeshAcrossTrays() ? trayOf(chip) * tilesY * p.chipsY() + y : y;
    }

    /** @return the mesh domain of a chip: its tray, or 0 when tile meshes continue across trays */
    public int domainOf(int chip) {
        return p.tileMeshAcrossTrays() ? 0 : trayOf(chip);
    }

    /** @return the chip at domain coordinates, or -1 outside the domain */
    public int chipAt(int domain, int x, int y) {
        if (x < 0 || y < 0 || x >= domW || y >= domH) return -1;
        int tray = p.tileMeshAcrossTrays() ? y / (tilesY * p.chipsY()) : domain;
        int yy = y % (tilesY * p.chipsY());
        int tile = tray * tilesX * tilesY + (yy / p.chipsY()) * tilesX + x / p.chipsX();
        return tile * chipsPerTile + (yy % p.chipsY()) * p.chipsX() + x % p.chipsX();
    }

    /** @return the chip next to {@code chip} in direction d within its mesh domain, or -1 */
    public int neighbour(int chip, int d) {
        return chipAt(domainOf(chip), gx(chip) + DX[d], gy(chip) + DY[d]);
    }

    public int domainWidth() {
        return domW;
    }

    public int domainHeight() {
        return domH;
    }

    public int domains() {
        return domains;
    }

    public int dipChip(int dip) {
        return dipChip[dip];
    }

    public boolean dipUsable(int dip) {
        return alive[dipChip[dip]];
    }

    private int side(int chip, int d) {
        return sideBase + 4 * chip + d;
    }

    // ---- links ----------------------------------------------------------------------------

    /** @return explicit links; node port links follow them */
    public int explicitLinks() {
        return linkCount;
    }

    /** @return every link id, node ports included */
    public long totalLinks() {
        return linkCount + 2L * chips * p.nodesPerChip();
    }

    /**
     * @return the coarse mesh link from a chip's hub (mesh centre) to its side {@code side}
     * ({@link #W}, {@link #E}, {@link #S}, {@link #N}), or -1 for a dead chip
     */
    public int hubToSideLink(int chip, int side) {
        return alive[chip] ? hubToSide[4 * chip + side] : -1;
    }

    /** @return the coarse mesh link from a chip's side {@code side} to its hub, or -1 for a dead chip */
    public int sideToHubLink(int chip, int side) {
        return alive[chip] ? sideToHub[4 * chip + side] : -1;
    }

    /** @return the inject link of a node (from its SRAM into the mesh) */
    public int nodeInjectLink(int chip, int node) {
        return nodeLinkBase + 2 * (chip * p.nodesPerChip() + node);
    }

    public int linkCountForArrays() {
        long n = totalLinks();
        if (n > Integer.MAX_VALUE - 8) throw new ConfigException("system too large for the flow model: " + n + " links");
        return (int) n;
    }

    public double capacity(int link) {
        if (link < linkCount) return linkCap[link];
        return ((link - nodeLinkBase) & 1) == 0 ? p.nodeInjectBps() : p.nodeEjectBps();
    }

    public long latencyPs(int link) {
        return link < linkCount ? linkLat[link] : 0L;
    }

    public LinkKind kind(int link) {
        return link < linkCount ? LinkKind.of(linkKind[link]) : LinkKind.NODE_PORT;
    }

    public int kindOrdinal(int link) {
        return link < linkCount ? linkKind[link] : LinkKind.NODE_PORT.ordinal();
    }

    /** @return source vertex of an explicit link */
    public int src(int link) {
        return linkSrc[link];
    }

    /** @return destination vertex of an explicit link */
    public int dst(int link) {
        return linkDst[link];
    }

    public int vertices() {
        return vertices;
    }

    // ---- cuts -----------------------------------------------------------------------------

    /** Which unit a vertex belongs to for cuts: the chip of hubs, sides and ports, the DIP's chip, -1 for hosts and the switch. */
    public int chipOfVertex(int v) {
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
        if (v < hbmBase) return dipChip[v - dipBase];
        if (v < hostBase) return dipChip[v - hbmBase];
        return -1;
    }

    /** @return the tray of a host vertex, or -1 */
    public int trayOfHostVertex(int v) {
        return v >= hostBase && v < switchVertex ? v - hostBase : -1;
    }

    public boolean isSwitch(int v) {
        return v == switchVertex;
    }

    /**
     * Capacity of the cut from side A to side B: the sum over explicit links whose source is in A
     * and destination in B. {@code side[v]} is 0 (A), 1 (B), -1 (left out) or 2 (free: placed on
     * whichever side gives the smaller cut, all free vertices together).
     */
    public double cutCapacity(byte[] side) {
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

    // ---- routing --------------------------------------------------------------------------

    /**
     * @return the links from {@code src} to {@code dst}, node ports included; a shared array for
     * chip, HBM and host endpoints
     * @throws ConfigException when an endpoint does not exist or dead chips cut it off
     */
    public int[] route(long src, long dst) {
        checkEndpoint(src);
        checkEndpoint(dst);
        int sk = Endpoint.kind(src);
        int dk = Endpoint.kind(dst);
        if (sk != Endpoint.KIND_NODE && dk != Endpoint.KIND_NODE) {
            return vertexRoute(src, dst);
        }
        long s2 = sk == Endpoint.KIND_NODE ? Endpoint.chip(Endpoint.a(src)) : src;
        long d2 = dk == Endpoint.KIND_NODE ? Endpoint.chip(Endpoint.a(dst)) : dst;
        int[] mid = vertexRoute(s2, d2);
        int extra = (sk == Endpoint.KIND_NODE ? 1 : 0) + (dk == Endpoint.KIND_NODE ? 1 : 0);
        int[] r = new int[mid.length + extra];
        int i = 0;
        if (sk == Endpoint.KIND_NODE) r[i++] = nodeInjectLink(Endpoint.a(src), Endpoint.b(src));
        System.arraycopy(mid, 0, r, i, mid.length);
        i += mid.length;
        if (dk == Endpoint.KIND_NODE) r[i] = nodeInjectLink(Endpoint.a(dst), Endpoint.b(dst)) + 1;
        return r;
    }

    private void checkEndpoint(long e) {
        int a = Endpoint.a(e);
        switch (Endpoint.kind(e)) {
            case Endpoint.KIND_NODE:
                if (Endpoint.b(e) < 0 || Endpoint.b(e) >= p.nodesPerChip()) {
                    throw new ConfigException("endpoint " + Endpoint.toString(e) + ": node index must be in 0.." + (p.nodesPerChip() - 1));
                }
                // fall through
            case Endpoint.KIND_CHIP:
                if (a < 0 || a >= chips) throw new ConfigException("endpoint " + Endpoint.toString(e) + ": chips are 0.." + (chips - 1));
                if (!alive[a]) throw new ConfigException("endpoint " + Endpoint.toString(e) + " is a dead chip (pod.system.deadChips)");
                return;
            case Endpoint.KIND_HBM:
                if (a < 0 || a >= dips) throw new ConfigException("endpoint " + Endpoint.toString(e) + ": DIPs are 0.." + (dips - 1));
                return;
            case Endpoint.KIND_HOST:
                if (a < 0 || a >= trays) throw new ConfigException("endpoint " + Endpoint.toString(e) + ": trays are 0.." + (trays - 1));
                return;
            default:
                throw new ConfigException("not an endpoint: " + Long.toHexString(e));
        }
    }

    private int[] vertexRoute(long src, long dst) {
        long key = ((long) Endpoint.kind(src) << 60) | ((long) Endpoint.a(src) << 30)
                | ((long) Endpoint.kind(dst) << 26) | Endpoint.a(dst);
        int[] r = routeCache.get(key);
        if (r == null) {
            r = computeRoute(src, dst);
            routeCache.put(key, r);
        }
        return r;
    }

    private final IntList scratch = new IntList();

    private int[] computeRoute(long src, long dst) {
        IntList out = scratch;
        out.clear();
        int sk = Endpoint.kind(src);
        int dk = Endpoint.kind(dst);
        int sa = Endpoint.a(src);
        int da = Endpoint.a(dst);
        if (sk == Endpoint.KIND_CHIP && dk == Endpoint.KIND_CHIP) {
            chipToChip(sa, da, out);
        } else if (sk == Endpoint.KIND_CHIP) {
            int target = dk == Endpoint.KIND_HBM ? da : (trayOf(sa) == da ? gateway(sa) : firstUsableDip(da));
            if (domainOf(sa) == domainOf(dipChip[target])) {
                chipToDip(sa, target, out);
            } else {
                int g = gateway(sa);
                chipToDip(sa, g, out);
                out.add(dipToSwitch[g]);
                out.add(switchToDip[target]);
            }
            out.add(dk == Endpoint.KIND_HBM ? hbmLink[target] : dipToHost[target]);
        } else if (dk == Endpoint.KIND_CHIP) {
            int origin = sk == Endpoint.KIND_HBM ? sa : (trayOf(da) == sa ? gateway(da) : firstUsableDip(sa));
            out.add(sk == Endpoint.KIND_HBM ? hbmLink[origin] : hostToDip[origin]);
            if (domainOf(da) == domainOf(dipChip[origin])) {
                dipToChip(origin, da, out);
            } else {
                int g = gateway(da);
                out.add(dipToSwitch[origin]);
                out.add(switchToDip[g]);
                dipToChip(g, da, out);
            }
        } else {
            // between HBMs and hosts: PCIe inside a tray, Ethernet between DIPs
            int trayS = sk == Endpoint.KIND_HBM ? trayOfDip(sa) : sa;
            int trayD = dk == Endpoint.KIND_HBM ? trayOfDip(da) : da;
            int ds = sk == Endpoint.KIND_HBM ? sa : (trayS == trayD && dk == Endpoint.KIND_HBM ? da : firstUsableDip(sa));
            int dd = dk == Endpoint.KIND_HBM ? da : (trayS == trayD && sk == Endpoint.KIND_HBM ? sa : firstUsableDip(da));
            if (sk == Endpoint.KIND_HOST && dk == Endpoint.KIND_HOST && sa == da) {
                return new int[0];
            }
            out.add(sk == Endpoint.KIND_HBM ? hbmLink[ds] : hostToDip[ds]);
            if (ds != dd) {
                out.add(dipToSwitch[ds]);
                out.add(switchToDip[dd]);
            }
            out.add(dk == Endpoint.KIND_HBM ? hbmLink[dd] : dipToHost[dd]);
        }
        return out.toArray();
    }

    private int firstUsableDip(int tray) {
        for (int k = 0; k < dipsPerTray; k++) {
            int d = tray * dipsPerTray + k;
            if (dipUsable(d)) return d;
        }
        throw new ConfigException("tray " + tray + " has no usable DIP (pod.dip.perTileEdge = " + p.dipsPerTileEdge()
                + ", or every DIP sits on a dead chip): traffic cannot leave or enter it");
    }

    /**
     * @return the DIP of the chip's tray that serves it: the west edge for the west half of the
     * tray, the east edge otherwise, in the attached row nearest to the chip's row
     */
    public int gateway(int chip) {
        int tray = trayOf(chip);
        if (dipsPerTray == 0) {
            return firstUsableDip(tray);
        }
        int half = dipsPerTray / 2;
        boolean west = tileX(tileOf(chip)) * p.chipsX() + chipX(chip) < domW / 2.0;
        int y = tileY(tileOf(chip)) * p.chipsY() + chipY(chip);
        int best = -1;
        int bestDist = Integer.MAX_VALUE;
        for (int pass = 0; pass < 2 && best < 0; pass++) {
            boolean w = pass == 0 ? west : !west;
            for (int j = 0; j < half; j++) {
                int d = tray * dipsPerTray + (w ? 0 : half) + j;
                if (!dipUsable(d)) continue;
                int ty = j / p.dipsPerTileEdge();
                int row = ty * p.chipsY() + j % p.dipsPerTileEdge();
                int dist = Math.abs(row - y);
                if (dist < bestDist) {
                    bestDist = dist;
                    best = d;
                }
            }
        }
        return best < 0 ? firstUsableDip(tray) : best;
    }

    private void chipToDip(int chip, int dip, IntList out) {
        chipPath(chip, dipChip[dip], out);
        int c = dipChip[dip];
        int sd = dipSide[dip];
        out.add(hubToSide[4 * c + sd]);
        out.add(sideOut[4 * c + sd]);
        out.add(portToDip[dip]);
    }

    private void dipToChip(int dip, int chip, IntList out) {
        int c = dipChip[dip];
        int sd = dipSide[dip];
        out.add(dipToPort[dip]);
        out.add(portToSide[sidePort[4 * c + sd]]);
        out.add(sideToHub[4 * c + sd]);
        chipPath(c, chip, out);
    }

    private void chipToChip(int a, int b, IntList out) {
        if (a == b) return;
        if (domainOf(a) == domainOf(b)) {
            chipPath(a, b, out);
            return;
        }
        int ga = gateway(a);
        int gb = gateway(b);
        chipToDip(a, ga, out);
        out.add(dipToSwitch[ga]);
        out.add(switchToDip[gb]);
        dipToChip(gb, b, out);
    }

    private final IntList chipScratch = new IntList();

    /** Appends the links of a path between two chips of one mesh domain. */
    private void chipPath(int a, int b, IntList out) {
        if (a == b) return;
        if (!alive[a] || !alive[b]) {
            throw new ConfigException("route " + a + " -> " + b + " touches a dead chip");
        }
        IntList cp = chipScratch;
        if (!dimensionOrder(a, b, true, cp) && !dimensionOrder(a, b, false, cp) && !bfs(a, b, cp)) {
            throw new ConfigException("dead chips (pod.system.deadChips) cut chip " + a + " off from chip " + b);
        }
        for (int i = 0; i + 1 < cp.size(); i++) {
            int u = cp.get(i);
            int v = cp.get(i + 1);
            int d = directionTo(u, v);
            out.add(hubToSide[4 * u + d]);
            out.add(sideOut[4 * u + d]);
            out.add(sideToHub[4 * v + OPP[d]]);
        }
    }

    private int directionTo(int u, int v) {
        for (int d = 0; d < 4; d++) {
            if (neighbour(u, d) == v) return d;
        }
        throw new IllegalStateException("chips " + u + " and " + v + " are not neighbours");
    }

    private boolean dimensionOrder(int a, int b, boolean xFirst, IntList cp) {
        cp.clear();
        int dom = domainOf(a);
        int x = gx(a);
        int y = gy(a);
        int tx = gx(b);
        int ty = gy(b);
        cp.add(a);
        for (int phase = 0; phase < 2; phase++) {
            boolean doX = (phase == 0) == xFirst;
            if (doX) {
                while (x != tx) {
                    x += Integer.signum(tx - x);
                    int c = chipAt(dom, x, y);
                    if (!alive[c]) return false;
                    cp.add(c);
                }
            } else {
                while (y != ty) {
                    y += Integer.signum(ty - y);
                    int c = chipAt(dom, x, y);
                    if (!alive[c]) return false;
                    cp.add(c);
                }
            }
        }
        return true;
    }

    private boolean bfs(int a, int b, IntList cp) {
        cp.clear();
        Map<Integer, Integer> prev = new HashMap<>();
        int[] queue = new int[chips];
        int head = 0;
        int tail = 0;
        queue[tail++] = a;
        prev.put(a, a);
        while (head < tail) {
            int u = queue[head++];
            if (u == b) break;
            for (int d = 0; d < 4; d++) {
                int v = neighbour(u, d);
                if (v >= 0 && alive[v] && !prev.containsKey(v)) {
                    prev.put(v, u);
                    queue[tail++] = v;
                }
            }
        }
        if (!prev.containsKey(b)) return false;
        IntList rev = new IntList();
        for (int u = b; u != a; u = prev.get(u)) rev.add(u);
        rev.add(a);
        for (int i = rev.size() - 1; i >= 0; i--) cp.add(rev.get(i));
        return true;
    }

    /**
     * @return the mesh latency between two nodes of one chip: Manhattan distance between their
     * sites x the hop latency (the coarse model has no mesh links inside a chip, so this is added
     * to the node ports' route)
     */
    public long sameChipLatencyPs(int nodeA, int nodeB) {
        int w = p.meshWidth();
        int a = activeSites[nodeA];
        int b = activeSites[nodeB];
        return (Math.abs(a % w - b % w) + Math.abs(a / w - b / w)) * p.meshHopPs();
    }

    /** @return the latency of a transfer between two endpoints: its route's links, plus the mesh inside a chip */
    public long latencyPs(long src, long dst, int[] route) {
        long t = routeLatencyPs(route);
        if (Endpoint.kind(src) == Endpoint.KIND_NODE && Endpoint.kind(dst) == Endpoint.KIND_NODE && Endpoint.a(src) == Endpoint.a(dst)) {
            t += sameChipLatencyPs(Endpoint.b(src), Endpoint.b(dst));
        }
        return t;
    }

    /** @return the sum of link latencies along a route, in ps */
    public long routeLatencyPs(int[] route) {
        long t = 0;
        for (int l : route) t += latencyPs(l);
        return t;
    }
}
