package io.dojosim.pod.collective;

import io.dojosim.core.config.ConfigException;
import io.dojosim.pod.Endpoint;
import io.dojosim.pod.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of a collective (node or chip endpoints, see {@link Endpoint}) in ring order, and
 * for each member a key per hierarchy level: members with equal keys at level i form a subgroup
 * of that level. 2D uses one level (the mesh row); hierarchical uses the row of a tile, the tile,
 * then the tray (for nodes: the row of the chip, the chip, the tile, the tray).
 *
 * <p>Caveats: a level whose subgroups differ in size (dead chips) is skipped for that set of
 * members; a group of tiles is the group of their chips.
 */
public final class CollectiveGroup {
    private final String name;
    private final long[] members;
    private final int[][] rowKeys;   // 2D: one level
    private final int[][] hierKeys;  // hierarchical levels

    public CollectiveGroup(String name, long[] members, int[][] rowKeys, int[][] hierKeys) {
        if (members.length < 1) throw new ConfigException("collective group '" + name + "' has no members");
        this.name = name;
        this.members = members.clone();
        this.rowKeys = rowKeys;
        this.hierKeys = hierKeys;
    }

    public String name() {
        return name;
    }

    public int size() {
        return members.length;
    }

    public long member(int i) {
        return members[i];
    }

    /** @return the level keys of an algorithm: none for ring */
    int[][] levelKeys(CollectiveAlgorithm a) {
        switch (a) {
            case RING:
                return new int[0][];
            case TWO_D:
                return rowKeys;
            default:
                return hierKeys;
        }
    }

    /**
     * The live chips of a set of tiles, in snake order over each mesh domain's chip grid (each row
     * alternates direction so ring neighbours are mesh neighbours).
     */
    public static CollectiveGroup chipsOfTiles(Topology t, int firstTile, int tileCount) {
        List<Integer> chips = new ArrayList<>();
        int lastTile = firstTile + tileCount;
        if (firstTile < 0 || lastTile > t.tiles() || tileCount < 1) {
            throw new ConfigException("tiles " + firstTile + ".." + (lastTile - 1) + " are not in the system (0.." + (t.tiles() - 1) + ")");
        }
        // walk domains (trays, or the one domain) row by row in snake order
        for (int dom = 0; dom < t.domains(); dom++) {
            for (int y = 0; y < t.domainHeight(); y++) {
                for (int i = 0; i < t.domainWidth(); i++) {
                    int x = (y % 2 == 0) ? i : t.domainWidth() - 1 - i;
                    int c = t.chipAt(dom, x, y);
                    if (c < 0 || !t.alive(c)) continue;
                    int tile = t.tileOf(c);
                    if (tile >= firstTile && tile < lastTile) chips.add(c);
                }
            }
        }
        int n = chips.size();
        long[] m = new long[n];
        int[][] row = new int[1][n];
        int[][] hier = new int[3][n];
        for (int i = 0; i < n; i++) {
            int c = chips.get(i);
            m[i] = Endpoint.chip(c);
            row[0][i] = t.domainOf(c) * t.domainHeight() + t.gy(c);
            hier[0][i] = t.tileOf(c) * t.config().chipsY() + t.chipY(c);
            hier[1][i] = t.tileOf(c);
            hier[2][i] = t.trayOf(c);
        }
        return new CollectiveGroup("chips of tiles " + firstTile + ".." + (lastTile - 1), m, row, hier);
    }

    /** The active nodes of one chip; rows are rows of the chip's site array. */
    public static CollectiveGroup nodesOfChip(Topology t, int chip) {
        if (chip < 0 || chip >= t.chips() || !t.alive(chip)) throw new ConfigException("chip " + chip + " is not a live chip of the system");
        int n = t.config().nodesPerChip();
        int w = t.config().meshWidth();
        long[] m = new long[n];
        int[][] row = new int[1][n];
        for (int i = 0; i < n; i++) {
            m[i] = Endpoint.node(chip, i);
            row[0][i] = i / w;
        }
        return new CollectiveGroup("nodes of chip " + chip, m, row, row);
    }

    /** An explicit group with no hierarchy: 2D and hierarchical run as a ring. */
    public static CollectiveGroup of(String name, long[] members) {
        return new CollectiveGroup(name, members, new int[0][], new int[0][]);
    }

    /**
     * @return the group for a CLI scope: chip = the nodes of chip 0; tile = the chips of tile 0;
     * tray = the chips of tray 0; pod = every live chip of the system
     */
    public static CollectiveGroup forScope(Topology t, String scope) {
        switch (scope) {
            case "chip":
                return nodesOfChip(t, firstLiveChip(t));
            case "tile":
                return chipsOfTiles(t, 0, 1);
            case "tray":
                if (t.tiles() < t.tilesPerTray()) throw new ConfigException("--scope tray needs pod.system.scope tray or larger");
                return chipsOfTiles(t, 0, t.tilesPerTray());
            case "pod":
                return chipsOfTiles(t, 0, t.tiles());
            default:
                throw new ConfigException("--scope: '" + scope + "' is not allowed; allowed: chip, tile, tray, pod");
        }
    }

    private static int firstLiveChip(Topology t) {
        for (int c = 0; c < t.chips(); c++) {
            if (t.alive(c)) return c;
        }
        throw new ConfigException("no live chip");
    }
}
