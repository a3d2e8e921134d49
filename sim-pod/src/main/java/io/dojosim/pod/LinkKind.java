package io.dojosim.pod;

/**
 * The classes of link in the machine's flow graph, one per level of the hierarchy; per-level
 * utilization is reported for each.
 */
public enum LinkKind {
    /** A node's port into (inject) or out of (eject) its chip's mesh: the router's 64 B/cycle SRAM read or write. */
    NODE_PORT("node port"),
    /** Half of a chip's mesh between its centre and one side, as a bundle of parallel mesh links (coarse model). */
    MESH("on-chip mesh"),
    /** Die-to-die SerDes link between neighbouring chips on one tile. */
    DIE_TO_DIE("die-to-die"),
    /** One chip's share of a tile edge: to the facing chip of the next tile, or to the tile edge's I/O port. */
    TILE_EDGE("tile edge"),
    /** TTP link between a DIP and a tile edge. */
    DIP_LINK("DIP-tile"),
    /** HBM on a DIP (reads and writes share it). */
    HBM("HBM"),
    /** TTPoE port between a DIP and the switched Ethernet Z-plane. */
    ETHERNET("Ethernet"),
    /** PCIe link between a DIP and its tray's host. */
    PCIE("PCIe");

    private static final LinkKind[] ALL = values();
    private final String label;

    LinkKind(String label) {
        this.label = label;
    }

    /** @return a short human-readable name */
    public String label() {
        return label;
    }

    /** @return the kind of that ordinal (a cached array, for hot paths) */
    public static LinkKind of(int ordinal) {
        return ALL[ordinal];
    }

    /** @return every kind, in declaration order (a shared array: do not modify) */
    public static LinkKind[] all() {
        return ALL;
    }
}
