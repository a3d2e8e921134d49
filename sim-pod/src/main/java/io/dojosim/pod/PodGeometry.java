package io.dojosim.pod;

import io.dojosim.core.config.ConfigException;
import java.util.Arrays;

/**
 * Where things are in the machine {@link Topology} describes: chips numbered tile by tile, tiles
 * tray by tray, chip and tile coordinates, mesh domains (a tray, or the whole system when tile
 * meshes continue across trays), dead chips, and where each DIP attaches (the west and east tile
 * edges of its tray, {@code pod.dip.perTileEdge} rows per tile).
 *
 * <pre>
 *   chip = tile * chipsPerTile + chipY * chipsX + chipX
 *   tile = tray * tilesX * tilesY + tileY * tilesX + tileX
 *   dip  = tray * dipsPerTray + k    (k &lt; dipsPerTray / 2: west edge, else east)
 * </pre>
 *
 * <p>Caveats: a dead chip keeps its number; {@link #alive} says whether it carries traffic.
 */
final class PodGeometry {
    static final int W = Topology.W;
    static final int E = Topology.E;
    static final int S = Topology.S;
    static final int N = Topology.N;
    static final int[] DX = {-1, 1, 0, 0};
    static final int[] DY = {0, 0, -1, 1};
    static final int[] OPP = {E, W, N, S};

    final PodConfig p;
    final int tiles;
    final int chips;
    final int trays;
    final int tilesX;
    final int tilesY;
    final int chipsPerTile;
    final int domW;
    final int domH;
    final int domains;
    final boolean[] alive;
    final int aliveChips;
    final long nodeCount;
    final int[] activeSites;
    /** Per chip and side ({@code 4 * chip + side}): the link to the neighbour on that side failed (pod.system.deadLinks). */
    final boolean[] deadSide;
    final int dipsPerTray;
    final int dips;
    /** The chip and the side ({@link #W} or {@link #E}) each DIP attaches to. */
    final int[] dipChip;
    final int[] dipSide;

    /** @throws ConfigException for a dead-chip entry that names no chip of the system */
    PodGeometry(PodConfig p) {
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
        this.deadSide = new boolean[4 * chips];
        for (String s : p.deadLinks()) {
            parseDeadLink(s);
        }
        int a = 0;
        for (boolean b : alive) {
            if (b) a++;
        }
        this.aliveChips = a;
        this.nodeCount = (long) aliveChips * p.nodesPerChip();
        this.activeSites = p.activeSites();

        dipsPerTray = 2 * tilesY * p.dipsPerTileEdge();
        dips = dipsPerTray * trays;
        dipChip = new int[dips];
        dipSide = new int[dips];
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
                dipChip[d] = tile * chipsPerTile + row * p.chipsX() + (west ? 0 : p.chipsX() - 1);
                dipSide[d] = west ? W : E;
            }
        }
    }

    /** Marks both directions of a {@code pod.system.deadLinks} entry "tile,x,y,side". */
    private void parseDeadLink(String s) {
        int comma = s.lastIndexOf(',');
        String side = comma < 0 ? "" : s.substring(comma + 1).trim().toUpperCase(java.util.Locale.ROOT);
        int d = switch (side) {
            case "W" -> W;
            case "E" -> E;
            case "S" -> S;
            case "N" -> N;
            default -> -1;
        };
        if (d < 0) {
            throw new ConfigException("key 'pod.system.deadLinks': entry '" + s + "' is not \"tile,x,y,side\" with side W, E, S or N");
        }
        int c;
        try {
            c = parseDeadChip(s.substring(0, comma));
        } catch (ConfigException e) {
            throw new ConfigException("key 'pod.system.deadLinks': entry '" + s + "': " + e.getMessage().replace("key 'pod.system.deadChips': ", ""));
        }
        int n = neighbour(c, d);
        if (n < 0) {
            throw new ConfigException("key 'pod.system.deadLinks': entry '" + s + "' names no link between two chips (chip " + s.substring(0, comma)
                    + " has no neighbour on side " + side + ")");
        }
        deadSide[4 * c + d] = true;
        deadSide[4 * n + OPP[d]] = true;
    }

    /** @return false when the link from {@code chip} out of side {@code d} (and back) is in pod.system.deadLinks */
    boolean linkAlive(int chip, int d) {
        return !deadSide[4 * chip + d];
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

    int tileOf(int chip) {
        return chip / chipsPerTile;
    }

    int trayOf(int chip) {
        return tileOf(chip) / (tilesX * tilesY);
    }

    int trayOfDip(int dip) {
        return dip / dipsPerTray;
    }

    int chipX(int chip) {
        return (chip % chipsPerTile) % p.chipsX();
    }

    int chipY(int chip) {
        return (chip % chipsPerTile) / p.chipsX();
    }

    int tileX(int tile) {
        return (tile % (tilesX * tilesY)) % tilesX;
    }

    int tileY(int tile) {
        return (tile % (tilesX * tilesY)) / tilesX;
    }

    int gx(int chip) {
        return tileX(tileOf(chip)) * p.chipsX() + chipX(chip);
    }

    int gy(int chip) {
        int y = tileY(tileOf(chip)) * p.chipsY() + chipY(chip);
        return p.tileMeshAcrossTrays() ? trayOf(chip) * tilesY * p.chipsY() + y : y;
    }

    int domainOf(int chip) {
        return p.tileMeshAcrossTrays() ? 0 : trayOf(chip);
    }

    int chipAt(int domain, int x, int y) {
        if (x < 0 || y < 0 || x >= domW || y >= domH) return -1;
        int tray = p.tileMeshAcrossTrays() ? y / (tilesY * p.chipsY()) : domain;
        int yy = y % (tilesY * p.chipsY());
        int tile = tray * tilesX * tilesY + (yy / p.chipsY()) * tilesX + x / p.chipsX();
        return tile * chipsPerTile + (yy % p.chipsY()) * p.chipsX() + x % p.chipsX();
    }

    int neighbour(int chip, int d) {
        return chipAt(domainOf(chip), gx(chip) + DX[d], gy(chip) + DY[d]);
    }

    boolean dipUsable(int dip) {
        return alive[dipChip[dip]];
    }
}
