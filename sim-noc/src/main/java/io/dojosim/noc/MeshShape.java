package io.dojosim.noc;

import io.dojosim.core.config.Check;
import io.dojosim.core.config.ConfigException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The sites of a W x H mesh, some of them disabled (harvested), and the numbering of nodes and
 * edge ports.
 *
 * <pre>
 *            NORTH edge ports (index = x)
 *          x=0     x=1          x=W-1
 *   y=0   [ 0 ]---[ 1 ]--- ... ---[W-1]      node id = y * W + x
 *           |       |               |        WEST edge ports (index = y) on the left,
 *   y=1   [ W ]---[W+1]--- ... ---[2W-1]     EAST edge ports (index = y) on the right
 *           :       :               :
 *   y=H-1 [..]-----[..]--- ... ---[WH-1]
 *            SOUTH edge ports (index = x)
 * </pre>
 *
 * North is row 0 and y grows southward. A disabled site has no router: no traffic enters, leaves
 * or crosses it, and its links do not exist.
 *
 * <p>Terminals are what sources and sinks attach to: node {@code n} is terminal {@code n}; edge
 * ports follow, NORTH x = 0..W-1, EAST y = 0..H-1, SOUTH x = 0..W-1, WEST y = 0..H-1.
 *
 * <p>Caveats: the D1 die's array size and which sites are disabled are not published (dojo-facts
 * section 10); {@code d1.chip} holds the assumption.
 */
public final class MeshShape {
    /** Router port numbers; also the directions of edge ports. */
    public static final int LOCAL = 0, NORTH = 1, EAST = 2, SOUTH = 3, WEST = 4, PORTS = 5;

    private final int width;
    private final int height;
    private final BitSet disabled;
    private final BitSet dead; // dead links, both directions: node * PORTS + port

    public MeshShape(int width, int height, BitSet disabledNodes) {
        this(width, height, disabledNodes, new BitSet());
    }

    private MeshShape(int width, int height, BitSet disabledNodes, BitSet deadLinks) {
        Check.require(width >= 1 && height >= 1, "mesh must be at least 1 x 1, was " + width + " x " + height);
        Check.require((long) width * height <= 1 << 20, "mesh of " + width + " x " + height + " is too large (at most 2^20 sites)");
        this.width = width;
        this.height = height;
        this.disabled = (BitSet) disabledNodes.clone();
        Check.require(disabled.length() <= width * height, "a disabled site lies outside the " + width + " x " + height + " mesh");
        Check.require(activeNodes() >= 1, "every site of the mesh is disabled");
        this.dead = (BitSet) deadLinks.clone();
    }

    /**
     * This mesh with links failed besides its own dead links ({@code noc.deadLinks}).
     *
     * @return this shape when {@code links} is empty
     * @throws ConfigException naming the entry when a link leaves the mesh, touches a disabled
     *                         site or is listed twice, and naming the dead links that cut the
     *                         active sites apart when they disconnect the mesh
     */
    public MeshShape withDeadLinks(List<MeshLink> links) {
        if (links.isEmpty()) return this;
        BitSet d = (BitSet) dead.clone();
        BitSet given = new BitSet();
        for (MeshLink l : links) {
            Site s = l.site();
            int nb = s.x() < width && s.y() < height ? neighbour(s.id(width), l.port()) : -1;
            if (nb < 0) {
                throw new ConfigException("key 'noc.deadLinks': link '" + l + "' does not join two sites of the " + width + " x "
                        + height + " mesh (x in [0," + (width - 1) + "], y in [0," + (height - 1)
                        + "], and the side must lead to a neighbouring site)");
            }
            int a = s.id(width);
            if (disabled.get(a) || disabled.get(nb)) {
                throw new ConfigException("key 'noc.deadLinks': link '" + l + "' touches disabled site '"
                        + (disabled.get(a) ? s.toString() : x(nb) + "," + y(nb)) + "', which has no links; allowed: links between active sites");
            }
            int k = a * PORTS + l.port();
            if (given.get(k)) {
                throw new ConfigException("key 'noc.deadLinks': link '" + l + "' is listed twice (\"x,y,E\" and \"x+1,y,W\" are one link)");
            }
            given.set(k);
            given.set(nb * PORTS + opposite(l.port()));
            d.set(k);
            d.set(nb * PORTS + opposite(l.port()));
        }
        MeshShape out = new MeshShape(width, height, disabled, d);
        out.checkConnected();
        return out;
    }

    /** @throws ConfigException naming the dead links between the first active site's component and the rest */
    private void checkConnected() {
        BitSet seen = new BitSet();
        int[] queue = new int[sites()];
        int first = disabled.nextClearBit(0);
        int head = 0;
        int tail = 0;
        queue[tail++] = first;
        seen.set(first);
        while (head < tail) {
            int n = queue[head++];
            for (int port = NORTH; port <= WEST; port++) {
                int nb = neighbour(n, port);
                if (nb >= 0 && !disabled.get(nb) && !dead.get(n * PORTS + port) && !seen.get(nb)) {
                    seen.set(nb);
                    queue[tail++] = nb;
                }
            }
        }
        if (tail == activeNodes()) return;
        List<String> cut = new ArrayList<>();
        int lost = -1;
        for (int n = 0; n < sites(); n++) {
            if (disabled.get(n) || seen.get(n)) continue;
            if (lost < 0) lost = n;
            for (int port = NORTH; port <= WEST; port++) {
                int nb = neighbour(n, port);
                if (nb >= 0 && seen.get(nb) && dead.get(n * PORTS + port)) {
                    cut.add("'" + new MeshLink(new Site(x(nb), y(nb)), opposite(port)) + "'");
                }
            }
        }
        throw new ConfigException("key 'noc.deadLinks': dead link" + (cut.size() == 1 ? " " : "s ") + String.join(", ", cut)
                + " disconnect" + (cut.size() == 1 ? "s" : "") + " the " + width + " x " + height + " mesh: site '"
                + x(lost) + "," + y(lost) + "' cannot reach site '" + x(first) + "," + y(first)
                + "'; allowed: dead links that leave every active site connected");
    }

    /** @return true when the link leaving {@code node} on {@code port} has failed ({@code noc.deadLinks}) */
    public boolean isLinkDead(int node, int port) {
        return dead.get(node * PORTS + port);
    }

    /** @return true when any link has failed */
    public boolean hasDeadLinks() {
        return !dead.isEmpty();
    }

    /** @return the dead links, each once (named from its west or north end), by node id */
    public List<MeshLink> deadLinks() {
        List<MeshLink> out = new ArrayList<>();
        for (int k = dead.nextSetBit(0); k >= 0; k = dead.nextSetBit(k + 1)) {
            int port = k % PORTS;
            if (port == EAST || port == SOUTH) out.add(new MeshLink(new Site(x(k / PORTS), y(k / PORTS)), port));
        }
        return out;
    }

    /** A full mesh with no disabled site. */
    public static MeshShape full(int width, int height) {
        return new MeshShape(width, height, new BitSet());
    }

    /**
     * @param sites disabled sites as "x,y" strings (the format of {@code d1.chip.disabledSites})
     * @throws ConfigException naming the bad entry
     */
    public static MeshShape withDisabled(int width, int height, List<String> sites) {
        return withDisabledSites(width, height, Site.parseAll(sites));
    }

    /** @throws ConfigException naming a site off the mesh or listed twice */
    public static MeshShape withDisabledSites(int width, int height, List<Site> sites) {
        BitSet b = new BitSet();
        for (Site s : sites) {
            if (s.x() >= width || s.y() >= height) {
                throw new ConfigException("disabled site '" + s + "' lies outside the " + width + " x " + height
                        + " mesh (x in [0," + (width - 1) + "], y in [0," + (height - 1) + "])");
            }
            if (b.get(s.id(width))) {
                throw new ConfigException("disabled site '" + s + "' is listed twice");
            }
            b.set(s.id(width));
        }
        return new MeshShape(width, height, b);
    }

    /** Parses "WxH" as the {@code --mesh} option writes it. */
    public static MeshShape parse(String wxh) {
        String[] p = wxh.trim().toLowerCase(java.util.Locale.ROOT).split("x", -1);
        try {
            if (p.length != 2) throw new NumberFormatException();
            return full(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            throw new ConfigException("mesh '" + wxh + "' is not WxH with positive integers, for example 8x8 or 18x20");
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** @return W x H, disabled sites included */
    public int sites() {
        return width * height;
    }

    public int activeNodes() {
        return sites() - disabled.cardinality();
    }

    public boolean isDisabled(int node) {
        return disabled.get(node);
    }

    public boolean isDisabled(int x, int y) {
        return disabled.get(y * width + x);
    }

    /** @return the node ids of disabled sites, ascending */
    public int[] disabledNodes() {
        return disabled.stream().toArray();
    }

    /** @return node ids of the active sites, ascending */
    public int[] activeNodeIds() {
        int[] out = new int[activeNodes()];
        int k = 0;
        for (int n = 0; n < sites(); n++) {
            if (!disabled.get(n)) out[k++] = n;
        }
        return out;
    }

    public int node(int x, int y) {
        return y * width + x;
    }

    public int x(int node) {
        return node % width;
    }

    public int y(int node) {
        return node / width;
    }

    /** @return the neighbour site of {@code node} in direction {@code port}, or -1 past the edge */
    public int neighbour(int node, int port) {
        int x = x(node);
        int y = y(node);
        switch (port) {
            case NORTH: return y > 0 ? node - width : -1;
            case SOUTH: return y < height - 1 ? node + width : -1;
            case EAST: return x < width - 1 ? node + 1 : -1;
            case WEST: return x > 0 ? node - 1 : -1;
            default: throw new IllegalArgumentException("not a direction: " + port);
        }
    }

    public static int opposite(int port) {
        switch (port) {
            case NORTH: return SOUTH;
            case SOUTH: return NORTH;
            case EAST: return WEST;
            case WEST: return EAST;
            default: throw new IllegalArgumentException("not a direction: " + port);
        }
    }

    public static String portName(int port) {
        switch (port) {
            case LOCAL: return "local";
            case NORTH: return "north";
            case EAST: return "east";
            case SOUTH: return "south";
            case WEST: return "west";
            default: return "port" + port;
        }
    }

    /** @return number of terminals: nodes (disabled sites included) plus edge ports */
    public int terminals() {
        return sites() + 2 * width + 2 * height;
    }

    /** @return number of edge ports on a side */
    public int edgePorts(int side) {
        return side == NORTH || side == SOUTH ? width : height;
    }

    /** @return the terminal id of an edge port on {@code side} (NORTH, EAST, SOUTH, WEST) at {@code index} */
    public int edgeTerminal(int side, int index) {
        Check.require(side >= NORTH && side <= WEST, "edge side must be NORTH, EAST, SOUTH or WEST");
        Check.require(index >= 0 && index < edgePorts(side), "edge port index " + index + " out of range on side "
                + portName(side) + " [0, " + (edgePorts(side) - 1) + "]");
        int base = sites();
        switch (side) {
            case NORTH: return base + index;
            case EAST: return base + width + index;
            case SOUTH: return base + width + height + index;
            default: return base + 2 * width + height + index;
        }
    }

    /** @return the router (node id) a terminal attaches to */
    public int terminalRouter(int terminal) {
        if (terminal < sites()) return terminal;
        int i = terminal - sites();
        if (i < width) return node(i, 0);
        i -= width;
        if (i < height) return node(width - 1, i);
        i -= height;
        if (i < width) return node(i, height - 1);
        i -= width;
        return node(0, i);
    }

    /** @return the router port a terminal attaches to: LOCAL for nodes, the side for edge ports */
    public int terminalPort(int terminal) {
        if (terminal < sites()) return LOCAL;
        int i = terminal - sites();
        if (i < width) return NORTH;
        i -= width;
        if (i < height) return EAST;
        i -= height;
        if (i < width) return SOUTH;
        return WEST;
    }

    /** @return true when the terminal can send and receive (its router is on an active site) */
    public boolean terminalUsable(int terminal) {
        return terminal >= 0 && terminal < terminals() && !disabled.get(terminalRouter(terminal));
    }

    @Override
    public String toString() {
        List<String> d = new ArrayList<>();
        for (int n : disabledNodes()) d.add(x(n) + "," + y(n));
        return width + "x" + height + (d.isEmpty() ? "" : " disabled " + d) + (dead.isEmpty() ? "" : " dead links " + deadLinks());
    }
}
