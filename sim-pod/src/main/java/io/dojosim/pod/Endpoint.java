package io.dojosim.pod;

/**
 * Encodes a transfer endpoint as one {@code long}, so that callers on hot paths allocate nothing:
 * a training node (chip, node), a whole chip, the HBM of a DIP, or a tray's host.
 *
 * <pre>
 *  63   60 59            32 31             0
 * +-------+----------------+----------------+
 * | kind  |  b (node)      |  a (chip, DIP, |
 * |       |                |     tray)      |
 * +-------+----------------+----------------+
 * </pre>
 *
 * Caveats: a chip endpoint stands for data spread over the chip (its mesh centre in the coarse
 * model); a node endpoint adds that node's own 64 B/cycle port on each side.
 */
public final class Endpoint {
    public static final int KIND_NODE = 1;
    public static final int KIND_CHIP = 2;
    public static final int KIND_HBM = 3;
    public static final int KIND_HOST = 4;

    private Endpoint() {
    }

    /** @return a training node: node index {@code node} (0 .. active nodes - 1) of global chip {@code chip} */
    public static long node(int chip, int node) {
        return ((long) KIND_NODE << 60) | ((long) node << 32) | (chip & 0xffffffffL);
    }

    /** @return a whole chip (global chip index) */
    public static long chip(int chip) {
        return ((long) KIND_CHIP << 60) | (chip & 0xffffffffL);
    }

    /** @return the HBM of a DIP (global DIP index) */
    public static long hbm(int dip) {
        return ((long) KIND_HBM << 60) | (dip & 0xffffffffL);
    }

    /** @return the host of a tray (global tray index) */
    public static long host(int tray) {
        return ((long) KIND_HOST << 60) | (tray & 0xffffffffL);
    }

    public static int kind(long e) {
        return (int) (e >>> 60);
    }

    /** @return the chip, DIP or tray index */
    public static int a(long e) {
        return (int) e;
    }

    /** @return the node index (node endpoints only) */
    public static int b(long e) {
        return (int) ((e >>> 32) & 0x0fffffffL);
    }

    /** @return a readable form such as {@code node(12:301)}, {@code chip(12)}, {@code hbm(3)}, {@code host(0)} */
    public static String toString(long e) {
        switch (kind(e)) {
            case KIND_NODE: return "node(" + a(e) + ":" + b(e) + ")";
            case KIND_CHIP: return "chip(" + a(e) + ")";
            case KIND_HBM: return "hbm(" + a(e) + ")";
            case KIND_HOST: return "host(" + a(e) + ")";
            default: return "endpoint?(" + Long.toHexString(e) + ")";
        }
    }
}
