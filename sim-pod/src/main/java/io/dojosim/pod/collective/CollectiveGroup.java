package io.dojosim.pod.collective;

import io.dojosim.core.config.ConfigException;
import io.dojosim.pod.Endpoint;
import io.dojosim.pod.Topology;

/**
 * The members of a collective (node or chip endpoints, see {@link Endpoint}) in ring order, and
 * for each member a key per hierarchy level: members with equal keys at level i form a subgroup
 * of that level. 2D uses one level (the mesh row); hierarchical uses the row of a tile, the tile,
 * then the tray (for nodes: the row of the chip, the chip, the tile, the tray). Every chip group,
 * of {@code dojosim collective} and of a training step alike, comes from {@link #ofChips} (ADR 0072).
 *
 * <p>Caveats: a level whose subgroups differ in size (dead chips) is skipped for that set of
 * members; a group of tiles is the group of their chips.
 */
public final class CollectiveGroup {
    private final String name;
    private final long[] members;
    private final int[][] rowKeys;   // 2D: one level
    private final int[][] hierKeys;  // hierarchical levels
    private final long[] position;   // order inside a subgroup: members at equal rank across subgroups line up
    private Shape shape;             // built on first use

    /**
     * A group whose subgroups keep the members' order (position = index in {@code members}).
     *
     * @param members  in ring order
     * @param rowKeys  the 2D level: one key array (the mesh row)
     * @param hierKeys the hierarchical levels, innermost first
     */
    public CollectiveGroup(String name, long[] members, int[][] rowKeys, int[][] hierKeys) {
        this(name, members, rowKeys, hierKeys, indexPositions(members.length));
    }

    private static long[] indexPositions(int n) {
        long[] pos = new long[n];
        for (int i = 0; i < n; i++) pos[i] = i;
        return pos;
    }

    /**
     * @param members  in ring order
     * @param rowKeys  the 2D level: one key array (the mesh row)
     * @param hierKeys the hierarchical levels, innermost first
     * @param position per member, its order inside any subgroup (for example the row-major site or
     *                 chip index), so that the members of equal rank across subgroups form columns
     */
    public CollectiveGroup(String name, long[] members, int[][] rowKeys, int[][] hierKeys, long[] position) {
        if (members.length < 1) throw new ConfigException("collective group '" + name + "' has no members");
        this.name = name;
        this.members = members.clone();
        this.rowKeys = rowKeys;
        this.hierKeys = hierKeys;
        this.position = position.clone();
    }

    /**
     * @return a key equal for groups with the same members, level keys and positions whatever
     * their names: the cache key of an algorithm choice ({@link AlgorithmSelector})
     */
    public Object shapeKey() {
        Shape k = shape;
        if (k == null) {
            k = new Shape(members, rowKeys, hierKeys, position);
            shape = k;
        }
        return k;
    }

    /** Members, keys and positions compared by value. */
    private static final class Shape {
        private final long[] members;
        private final int[][] rowKeys;
        private final int[][] hierKeys;
        private final long[] position;
        private final int hash;

        Shape(long[] members, int[][] rowKeys, int[][] hierKeys, long[] position) {
            this.members = members;
            this.rowKeys = rowKeys;
            this.hierKeys = hierKeys;
            this.position = position;
            this.hash = 31 * (31 * (31 * java.util.Arrays.hashCode(members) + java.util.Arrays.deepHashCode(rowKeys))
                    + java.util.Arrays.deepHashCode(hierKeys)) + java.util.Arrays.hashCode(position);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Shape)) return false;
            Shape x = (Shape) o;
            return hash == x.hash && java.util.Arrays.equals(members, x.members) && java.util.Arrays.deepEquals(rowKeys, x.rowKeys)
                    && java.util.Arrays.deepEquals(hierKeys, x.hierKeys) && java.util.Arrays.equals(position, x.position);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** @return the member's order key inside a subgroup */
    long position(int i) {
        return position[i];
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
            case AUTO:
                throw new IllegalArgumentException("auto is resolved to ring, 2d or hierarchical before a schedule is built");
            case TWO_D:
                return rowKeys;
            default:
                return hierKeys;
        }
    }

    /**
     * The live chips of a set of tiles: {@link #ofChips} of every live chip of those tiles.
     */
    public static CollectiveGroup chipsOfTiles(Topology t, int firstTile, int tileCount) {
        int lastTile = firstTile + tileCount;
        if (firstTile < 0 || lastTile > t.tiles() || tileCount < 1) {
            throw new ConfigException("tiles " + firstTile + ".." + (lastTile - 1) + " are not in the system (0.." + (t.tiles() - 1) + ")");
        }
        int[] chips = new int[tileCount * t.chipsPerTile()];
        int n = 0;
        for (int c = firstTile * t.chipsPerTile(); c < lastTile * t.chipsPerTile(); c++) {
            if (t.alive(c)) chips[n++] = c;
        }
        return ofChips(t, "chips of tiles " + firstTile + ".." + (lastTile - 1), java.util.Arrays.copyOf(chips, n));
    }

    /**
     * The group of any set of live chips, with the hierarchy of the machine: the one builder of
     * chip groups, used by {@code dojosim collective} ({@link #forScope}) and by the training step
     * (a replica's region, a pipeline stage, the chips that hold one shard across replicas), so a
     * collective inside a run is the collective {@code dojosim collective} runs on the same chips.
     *
     * <pre>
     *   ring order  snake order over each mesh domain's chip grid (domain, then row; even rows
     *               left to right, odd rows back), whatever order {@code chips} is given in;
     *               chips that fill a rectangle of one domain instead get a ring whose closing
     *               hop is a neighbour or passes straight through one chip ({@link #closedRing})
     *   2D level    the mesh row: domain x domainHeight + gy
     *   hierarchy   tile row (tile x chipsY + chipY), tile, tray; the last level's subgroups are
     *               then joined by a ring (across trays)
     *   position    domain x W x H + gy x W + gx: members of equal rank across subgroups line up
     * </pre>
     *
     * <p>Caveats: a level whose subgroups differ in size or hold one member each is skipped by
     * the algorithm for that set of members (a region of 5 chips on one tile row has no tile-row
     * level: its hierarchy is the ring of the row).
     *
     * @throws ConfigException when a chip is out of range, dead or listed twice
     */
    public static CollectiveGroup ofChips(Topology t, String name, int[] chips) {
        int n = chips.length;
        int[] ring = closedRing(t, snake(t, name, chips));
        long w = t.domainWidth();
        long h = t.domainHeight();
        long[] m = new long[n];
        int[][] row = new int[1][n];
        int[][] hier = new int[3][n];
        long[] pos = new long[n];
        for (int i = 0; i < n; i++) {
            int c = ring[i];
            m[i] = Endpoint.chip(c);
            row[0][i] = t.domainOf(c) * t.domainHeight() + t.gy(c);
            hier[0][i] = t.tileOf(c) * t.config().chipsY() + t.chipY(c);
            hier[1][i] = t.tileOf(c);
            hier[2][i] = t.trayOf(c);
            pos[i] = (long) t.domainOf(c) * w * h + (long) t.gy(c) * w + t.gx(c);
        }
        return new CollectiveGroup(name, m, row, hier, pos);
    }

    /**
     * The live chips of one tile in snake order (even rows left to right, odd rows back): the
     * order in which the training step places replicas and stages on a tile, which stays the snake
     * whatever ring order {@link #ofChips} gives a collective over the tile.
     */
    public static int[] snakeChipsOfTile(Topology t, int tile) {
        if (tile < 0 || tile >= t.tiles()) throw new ConfigException("tile " + tile + " is not in the system (0.." + (t.tiles() - 1) + ")");
        int[] chips = new int[t.chipsPerTile()];
        int n = 0;
        for (int c = tile * t.chipsPerTile(); c < (tile + 1) * t.chipsPerTile(); c++) {
            if (t.alive(c)) chips[n++] = c;
        }
        return snake(t, "chips of tile " + tile, java.util.Arrays.copyOf(chips, n));
    }

    /**
     * @return {@code chips} in snake order over each mesh domain's chip grid (domain, then row;
     * even rows left to right, odd rows back)
     * @throws ConfigException when a chip is out of range, dead or listed twice
     */
    private static int[] snake(Topology t, String name, int[] chips) {
        int n = chips.length;
        if (n >= 1 << 24) throw new ConfigException("'" + name + "' has " + n + " members; at most " + ((1 << 24) - 1) + " are allowed");
        long w = t.domainWidth();
        long h = t.domainHeight();
        long[] order = new long[n];
        boolean[] seen = new boolean[t.chips()];
        for (int i = 0; i < n; i++) {
            int c = chips[i];
            if (c < 0 || c >= t.chips() || !t.alive(c)) throw new ConfigException("chip " + c + " of '" + name + "' is not a live chip of the system");
            if (seen[c]) throw new ConfigException("chip " + c + " is listed twice in '" + name + "'");
            seen[c] = true;
            int y = t.gy(c);
            long x = y % 2 == 0 ? t.gx(c) : w - 1 - t.gx(c);
            long snake = ((long) t.domainOf(c) * h + y) * w + x;
            order[i] = (snake << 24) | i; // i < 2^24 members; the snake key is unique per chip
        }
        java.util.Arrays.sort(order);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = chips[(int) (order[i] & 0xFFFFFF)];
        return out;
    }

    /**
     * A ring order whose closing hop does not turn, for chips that fill a rectangle of one mesh
     * domain (ADR 0106: a transfer that turns inside a chip it passes is capped at about 0.8 TB/s,
     * so a snake ring over an odd grid was bound by its closing transfer). Coordinates relative to
     * the rectangle's corner, w x h:
     *
     * <pre>
     *   h even    cycle: row 0 left to right, rows 1..h-1 snaked over columns 1..w-1 (row 1 back),
     *             then column 0 up: every hop, the closing one too, is a neighbour
     *   w even    the same with x and y swapped (column 0 down first, row 0 back last)
     *   both odd  path (0,0) (1,0), rows 1..h-1 snaked over columns 0..1, columns 2..w-1 snaked over
     *             rows 1..h-1 (column 2 up), row 0 back from w-1 to 2: it ends at (2,0), so the
     *             closing hop (2,0) -> (0,0) passes straight through (1,0)
     *
     *   3 x 3:  0 1 8      4 x 3:  0 11 10 9     (numbers are ring ranks, y down)
     *           3 2 7              1  4  5 8
     *           4 5 6              2  3  6 7
     * </pre>
     *
     * Any other set (chips in more domains, a rectangle with a hole or a dead chip, a line one chip
     * wide) keeps the snake order, and so does a rectangle where the new order would change the
     * order in which rows, tile rows, tiles or trays first appear (the order of the subgroups of
     * the 2D and hierarchical algorithms): those stay as they were.
     *
     * @param snake the chips in snake order
     * @return the new order, or {@code snake}
     */
    static int[] closedRing(Topology t, int[] snake) {
        int n = snake.length;
        if (n < 4) return snake;
        int dom = t.domainOf(snake[0]);
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = Integer.MIN_VALUE, y1 = Integer.MIN_VALUE;
        for (int c : snake) {
            if (t.domainOf(c) != dom) return snake;
            x0 = Math.min(x0, t.gx(c));
            x1 = Math.max(x1, t.gx(c));
            y0 = Math.min(y0, t.gy(c));
            y1 = Math.max(y1, t.gy(c));
        }
        int w = x1 - x0 + 1;
        int h = y1 - y0 + 1;
        // distinct chips of one domain inside a w x h box, as many as its cells: they fill it
        if (w < 2 || h < 2 || (long) w * h != n) return snake;
        int[] xs = new int[n];
        int[] ys = new int[n];
        if (h % 2 == 0) {
            evenCycle(w, h, xs, ys);
        } else if (w % 2 == 0) {
            evenCycle(h, w, ys, xs);
        } else {
            oddPath(w, h, xs, ys);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.chipAt(dom, x0 + xs[i], y0 + ys[i]);
            if (out[i] < 0 || !t.alive(out[i])) return snake;
        }
        int[][] before = levelKeysOf(t, snake);
        int[][] after = levelKeysOf(t, out);
        for (int l = 0; l < before.length; l++) {
            if (!java.util.Arrays.equals(firstAppearance(before[l]), firstAppearance(after[l]))) return snake;
        }
        return out;
    }

    /** A Hamiltonian cycle of a w x h grid, h even: row 0, rows 1..h-1 over columns 1..w-1, column 0 up. */
    private static void evenCycle(int w, int h, int[] xs, int[] ys) {
        int k = 0;
        for (int x = 0; x < w; x++) {
            xs[k] = x;
            ys[k++] = 0;
        }
        for (int y = 1; y < h; y++) {
            for (int j = 1; j < w; j++) {
                xs[k] = y % 2 == 1 ? w - j : j;
                ys[k++] = y;
            }
        }
        for (int y = h - 1; y >= 1; y--) {
            xs[k] = 0;
            ys[k++] = y;
        }
    }

    /** A Hamiltonian path of a w x h grid, both odd and at least 3, from (0,0) to (2,0). */
    private static void oddPath(int w, int h, int[] xs, int[] ys) {
        int k = 0;
        xs[k] = 0;
        ys[k++] = 0;
        xs[k] = 1;
        ys[k++] = 0;
        for (int y = 1; y < h; y++) {
            for (int j = 0; j < 2; j++) {
                xs[k] = y % 2 == 1 ? 1 - j : j;
                ys[k++] = y;
            }
        }
        for (int x = 2; x < w; x++) {
            for (int j = 0; j < h - 1; j++) {
                xs[k] = x;
                ys[k++] = (x - 2) % 2 == 0 ? h - 1 - j : 1 + j;
            }
        }
        for (int x = w - 1; x >= 2; x--) {
            xs[k] = x;
            ys[k++] = 0;
        }
    }

    /** @return per level (mesh row, tile row, tile, tray), the key of each chip in {@code chips} */
    private static int[][] levelKeysOf(Topology t, int[] chips) {
        int[][] k = new int[4][chips.length];
        for (int i = 0; i < chips.length; i++) {
            int c = chips[i];
            k[0][i] = t.domainOf(c) * t.domainHeight() + t.gy(c);
            k[1][i] = t.tileOf(c) * t.config().chipsY() + t.chipY(c);
            k[2][i] = t.tileOf(c);
            k[3][i] = t.trayOf(c);
        }
        return k;
    }

    /** @return the distinct keys in the order they first appear */
    private static int[] firstAppearance(int[] keys) {
        java.util.LinkedHashSet<Integer> s = new java.util.LinkedHashSet<>();
        for (int k : keys) s.add(k);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The active nodes of one chip in snake order over the site array (ring neighbours are mesh
     * neighbours except around harvested sites); rows are rows of the site array.
     */
    public static CollectiveGroup nodesOfChip(Topology t, int chip) {
        if (chip < 0 || chip >= t.chips() || !t.alive(chip)) throw new ConfigException("chip " + chip + " is not a live chip of the system");
        int[] snake = snakeSites(t);
        int[] indexOfSite = indexOfSite(t);
        int w = t.config().meshWidth();
        int n = snake.length;
        long[] m = new long[n];
        int[][] row = new int[1][n];
        long[] pos = new long[n];
        for (int k = 0; k < n; k++) {
            m[k] = Endpoint.node(chip, indexOfSite[snake[k]]);
            pos[k] = snake[k];
            row[0][k] = snake[k] / w;
        }
        return new CollectiveGroup("nodes of chip " + chip, m, row, row, pos);
    }

    /** @return the active sites of a die (site id y * width + x) in snake order: even rows left to right, odd rows back */
    private static int[] snakeSites(Topology t) {
        int w = t.config().meshWidth();
        int h = t.config().meshHeight();
        int[] indexOfSite = indexOfSite(t);
        int[] out = new int[t.config().activeSites().length];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int j = 0; j < w; j++) {
                int x = y % 2 == 0 ? j : w - 1 - j;
                if (indexOfSite[y * w + x] >= 0) out[k++] = y * w + x;
            }
        }
        return out;
    }

    /** @return for each site id, its index among the die's active sites (the node number), or -1 */
    private static int[] indexOfSite(Topology t) {
        int[] sites = t.config().activeSites();
        int[] indexOfSite = new int[t.config().meshWidth() * t.config().meshHeight()];
        java.util.Arrays.fill(indexOfSite, -1);
        for (int i = 0; i < sites.length; i++) indexOfSite[sites[i]] = i;
        return indexOfSite;
    }

    /**
     * The nodes of every chip of a chip group: chips in the group's order, each chip's nodes in
     * snake order over its site array. Hierarchical levels: the chip, then the chip group's own
     * levels (tile row, tile, tray); 2D: inside each chip, then across chips. Members of equal
     * rank across chips sit on the same site, so the stage across chips joins node k of every chip.
     *
     * <p>Caveats: a node-level collective over many chips is large (a tile's 8,850 nodes make about
     * 6 million transfers for a hierarchical all-reduce); the row level of {@link #nodesOfChip}
     * is left out, because its rows and the chip's snake order cannot both line up across chips.
     *
     * @throws ConfigException when a member of {@code chips} is not a live chip
     */
    public static CollectiveGroup nodesOfChips(Topology t, CollectiveGroup chips) {
        int[] snake = snakeSites(t);
        int[] indexOfSite = indexOfSite(t);
        int n = snake.length;
        int nc = chips.size();
        long total = (long) n * nc;
        if (total > Integer.MAX_VALUE / 8) throw new ConfigException("the nodes of " + nc + " chips are too many members (" + total + ")");
        int size = (int) total;
        long[] m = new long[size];
        long[] pos = new long[size];
        int[][] row = new int[1][size];
        int[][] hier = new int[1 + chips.hierKeys.length][size];
        for (int ci = 0; ci < nc; ci++) {
            long e = chips.member(ci);
            int chip = Endpoint.a(e);
            if (Endpoint.kind(e) != Endpoint.KIND_CHIP || chip < 0 || chip >= t.chips() || !t.alive(chip)) {
                throw new ConfigException("member " + Endpoint.toString(e) + " of '" + chips.name() + "' is not a live chip");
            }
            for (int k = 0; k < n; k++) {
                int idx = ci * n + k;
                m[idx] = Endpoint.node(chip, indexOfSite[snake[k]]);
                // snake rank first (a chip's subgroup in snake order), then the chip's own
                // position (a column across chips in the chip group's grid order)
                pos[idx] = ((long) k << 32) + chips.position(ci);
                row[0][idx] = ci;
                hier[0][idx] = ci;
                for (int l = 0; l < chips.hierKeys.length; l++) hier[1 + l][idx] = chips.hierKeys[l][ci];
            }
        }
        return new CollectiveGroup("nodes of " + chips.name(), m, row, hier, pos);
    }

    /** An explicit group with no hierarchy: 2D and hierarchical run as a ring. */
    public static CollectiveGroup of(String name, long[] members) {
        return new CollectiveGroup(name, members, new int[0][], new int[0][], indexPositions(members.length));
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
