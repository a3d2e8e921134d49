package io.dojosim.pod;

/**
 * The machine as a directed graph of capacitated links, built once from a {@link PodConfig} and
 * stored in primitive arrays (no object per node, chip or link). A facade over three parts:
 * {@link PodGeometry} (chips, tiles, trays, mesh domains, dead chips, where DIPs attach),
 * {@link LinkTable} (vertices and links: capacity, latency, kind, cuts) and {@link Routing}
 * (deterministic routes between endpoints and their latency).
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

    private final PodGeometry g;
    private final LinkTable t;
    private final Routing r;

    /** Builds the graph. @throws io.dojosim.core.config.ConfigException for a dead-chip entry that names no chip of the system */
    public Topology(PodConfig p) {
        this.g = new PodGeometry(p);
        this.t = new LinkTable(g);
        this.r = new Routing(g, t);
    }

    // ---- geometry -------------------------------------------------------------------------

    public PodConfig config() {
        return g.p;
    }

    public int tiles() {
        return g.tiles;
    }

    public int chips() {
        return g.chips;
    }

    public int aliveChips() {
        return g.aliveChips;
    }

    public int trays() {
        return g.trays;
    }

    public int dips() {
        return g.dips;
    }

    public int dipsPerTray() {
        return g.dipsPerTray;
    }

    public int chipsPerTile() {
        return g.chipsPerTile;
    }

    public int tilesPerTray() {
        return g.tilesX * g.tilesY;
    }

    public long nodes() {
        return g.nodeCount;
    }

    public boolean alive(int chip) {
        return g.alive[chip];
    }

    public int tileOf(int chip) {
        return g.tileOf(chip);
    }

    public int trayOf(int chip) {
        return g.trayOf(chip);
    }

    public int trayOfDip(int dip) {
        return g.trayOfDip(dip);
    }

    /** @return the chip's column within its tile */
    public int chipX(int chip) {
        return g.chipX(chip);
    }

    /** @return the chip's row within its tile */
    public int chipY(int chip) {
        return g.chipY(chip);
    }

    /** @return the tile's column within its tray */
    public int tileX(int tile) {
        return g.tileX(tile);
    }

    /** @return the tile's row within its tray */
    public int tileY(int tile) {
        return g.tileY(tile);
    }

    /** @return the chip's column in its mesh domain */
    public int gx(int chip) {
        return g.gx(chip);
    }

    /** @return the chip's row in its mesh domain */
    public int gy(int chip) {
        return g.gy(chip);
    }

    /** @return the mesh domain of a chip: its tray, or 0 when tile meshes continue across trays */
    public int domainOf(int chip) {
        return g.domainOf(chip);
    }

    /** @return the chip at domain coordinates, or -1 outside the domain */
    public int chipAt(int domain, int x, int y) {
        return g.chipAt(domain, x, y);
    }

    /** @return the chip next to {@code chip} in direction d within its mesh domain, or -1 */
    public int neighbour(int chip, int d) {
        return g.neighbour(chip, d);
    }

    public int domainWidth() {
        return g.domW;
    }

    public int domainHeight() {
        return g.domH;
    }

    public int domains() {
        return g.domains;
    }

    public int dipChip(int dip) {
        return g.dipChip[dip];
    }

    public boolean dipUsable(int dip) {
        return g.dipUsable(dip);
    }

    // ---- links ----------------------------------------------------------------------------

    /** @return explicit links; node port links follow them */
    public int explicitLinks() {
        return t.linkCount;
    }

    /** @return every link id, node ports included */
    public long totalLinks() {
        return t.totalLinks();
    }

    /**
     * @return the coarse mesh link from a chip's hub (mesh centre) to its side {@code side}
     * ({@link #W}, {@link #E}, {@link #S}, {@link #N}), or -1 for a dead chip
     */
    public int hubToSideLink(int chip, int side) {
        return g.alive[chip] ? t.hubToSide[4 * chip + side] : -1;
    }

    /** @return the coarse mesh link from a chip's side {@code side} to its hub, or -1 for a dead chip */
    public int sideToHubLink(int chip, int side) {
        return g.alive[chip] ? t.sideToHub[4 * chip + side] : -1;
    }

    /** @return the inject link of a node (from its SRAM into the mesh) */
    public int nodeInjectLink(int chip, int node) {
        return t.nodeInjectLink(chip, node);
    }

    public int linkCountForArrays() {
        return t.linkCountForArrays();
    }

    public double capacity(int link) {
        return t.capacity(link);
    }

    public long latencyPs(int link) {
        return t.latencyPs(link);
    }

    public LinkKind kind(int link) {
        return t.kind(link);
    }

    public int kindOrdinal(int link) {
        return t.kindOrdinal(link);
    }

    /** @return source vertex of an explicit link */
    public int src(int link) {
        return t.src(link);
    }

    /** @return destination vertex of an explicit link */
    public int dst(int link) {
        return t.dst(link);
    }

    public int vertices() {
        return t.vertices;
    }

    // ---- cuts -----------------------------------------------------------------------------

    /** Which unit a vertex belongs to for cuts: the chip of hubs, sides and ports, the DIP's chip, -1 for hosts and the switch. */
    public int chipOfVertex(int v) {
        return t.chipOfVertex(v);
    }

    /** @return the tray of a host vertex, or -1 */
    public int trayOfHostVertex(int v) {
        return t.trayOfHostVertex(v);
    }

    public boolean isSwitch(int v) {
        return v == t.switchVertex;
    }

    /**
     * Capacity of the cut from side A to side B: the sum over explicit links whose source is in A
     * and destination in B. {@code side[v]} is 0 (A), 1 (B), -1 (left out) or 2 (free: placed on
     * whichever side gives the smaller cut, all free vertices together).
     */
    public double cutCapacity(byte[] side) {
        return t.cutCapacity(side);
    }

    // ---- routing --------------------------------------------------------------------------

    /**
     * @return the links from {@code src} to {@code dst}, node ports included; a shared array for
     * chip, HBM and host endpoints
     * @throws io.dojosim.core.config.ConfigException when an endpoint does not exist or dead chips cut it off
     */
    public int[] route(long src, long dst) {
        return r.route(src, dst);
    }

    /**
     * @return the DIP of the chip's tray that serves it: the west edge for the west half of the
     * tray, the east edge otherwise, in the attached row nearest to the chip's row
     */
    public int gateway(int chip) {
        return r.gateway(chip);
    }

    /**
     * @return the mesh latency between two nodes of one chip: Manhattan distance between their
     * sites x the hop latency (the coarse model has no mesh links inside a chip, so this is added
     * to the node ports' route)
     */
    public long sameChipLatencyPs(int nodeA, int nodeB) {
        return r.sameChipLatencyPs(nodeA, nodeB);
    }

    /** @return the latency of a transfer between two endpoints: its route's links, plus the mesh inside a chip */
    public long latencyPs(long src, long dst, int[] route) {
        return r.latencyPs(src, dst, route);
    }

    /**
     * @return the rate one transfer along {@code route} can reach through the coarse chips it
     * crosses, by how it crosses each (starts, ends, passes straight, turns), in bytes per second;
     * infinite when it crosses no chip side (the routing-aware coarse chip, ADR 0106)
     */
    public double chipCapBps(int[] route) {
        return t.chipCapBps(route);
    }

    /** @return the sum of link latencies along a route, in ps */
    public long routeLatencyPs(int[] route) {
        return r.routeLatencyPs(route);
    }
}
