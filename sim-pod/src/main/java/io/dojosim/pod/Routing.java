package io.dojosim.pod;

import static io.dojosim.pod.PodGeometry.OPP;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.util.IntList;
import java.util.HashMap;
import java.util.Map;

/**
 * Routes over the {@link LinkTable} of a {@link Topology}, and their latency. Deterministic:
 * dimension order (x then y) over the chip grid of a mesh domain, then y-then-x, then a
 * breadth-first search around dead chips; traffic that leaves its mesh domain goes to the DIP of
 * its tray closest to the source chip ({@link #gateway}), across the switch, and from the DIP
 * closest to the destination chip. HBM and host endpoints reach the chips through their DIP.
 *
 * <p>Caveats: routes between chip, HBM and host endpoints are computed once per pair and cached;
 * a cached route is a shared array that must not be modified.
 */
final class Routing {
    private final PodGeometry g;
    private final LinkTable t;
    private final PodConfig p;
    private final Map<Long, int[]> routeCache = new HashMap<>();
    private final IntList scratch = new IntList();
    private final IntList chipScratch = new IntList();

    Routing(PodGeometry g, LinkTable t) {
        this.g = g;
        this.t = t;
        this.p = g.p;
    }

    /** @see Topology#route */
    int[] route(long src, long dst) {
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
        if (sk == Endpoint.KIND_NODE) r[i++] = t.nodeInjectLink(Endpoint.a(src), Endpoint.b(src));
        System.arraycopy(mid, 0, r, i, mid.length);
        i += mid.length;
        if (dk == Endpoint.KIND_NODE) r[i] = t.nodeInjectLink(Endpoint.a(dst), Endpoint.b(dst)) + 1;
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
                if (a < 0 || a >= g.chips) throw new ConfigException("endpoint " + Endpoint.toString(e) + ": chips are 0.." + (g.chips - 1));
                if (!g.alive[a]) throw new ConfigException("endpoint " + Endpoint.toString(e) + " is a dead chip (pod.system.deadChips)");
                return;
            case Endpoint.KIND_HBM:
                if (a < 0 || a >= g.dips) throw new ConfigException("endpoint " + Endpoint.toString(e) + ": DIPs are 0.." + (g.dips - 1));
                return;
            case Endpoint.KIND_HOST:
                if (a < 0 || a >= g.trays) throw new ConfigException("endpoint " + Endpoint.toString(e) + ": trays are 0.." + (g.trays - 1));
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
            int target = dk == Endpoint.KIND_HBM ? da : (g.trayOf(sa) == da ? gateway(sa) : firstUsableDip(da));
            if (g.domainOf(sa) == g.domainOf(g.dipChip[target])) {
                chipToDip(sa, target, out);
            } else {
                int gw = gateway(sa);
                chipToDip(sa, gw, out);
                out.add(t.dipToSwitch[gw]);
                out.add(t.switchToDip[target]);
            }
            out.add(dk == Endpoint.KIND_HBM ? t.hbmLink[target] : t.dipToHost[target]);
        } else if (dk == Endpoint.KIND_CHIP) {
            int origin = sk == Endpoint.KIND_HBM ? sa : (g.trayOf(da) == sa ? gateway(da) : firstUsableDip(sa));
            out.add(sk == Endpoint.KIND_HBM ? t.hbmLink[origin] : t.hostToDip[origin]);
            if (g.domainOf(da) == g.domainOf(g.dipChip[origin])) {
                dipToChip(origin, da, out);
            } else {
                int gw = gateway(da);
                out.add(t.dipToSwitch[origin]);
                out.add(t.switchToDip[gw]);
                dipToChip(gw, da, out);
            }
        } else {
            // between HBMs and hosts: PCIe inside a tray, Ethernet between DIPs
            int trayS = sk == Endpoint.KIND_HBM ? g.trayOfDip(sa) : sa;
            int trayD = dk == Endpoint.KIND_HBM ? g.trayOfDip(da) : da;
            int ds = sk == Endpoint.KIND_HBM ? sa : (trayS == trayD && dk == Endpoint.KIND_HBM ? da : firstUsableDip(sa));
            int dd = dk == Endpoint.KIND_HBM ? da : (trayS == trayD && sk == Endpoint.KIND_HBM ? sa : firstUsableDip(da));
            if (sk == Endpoint.KIND_HOST && dk == Endpoint.KIND_HOST && sa == da) {
                return new int[0];
            }
            out.add(sk == Endpoint.KIND_HBM ? t.hbmLink[ds] : t.hostToDip[ds]);
            if (ds != dd) {
                out.add(t.dipToSwitch[ds]);
                out.add(t.switchToDip[dd]);
            }
            out.add(dk == Endpoint.KIND_HBM ? t.hbmLink[dd] : t.dipToHost[dd]);
        }
        return out.toArray();
    }

    private int firstUsableDip(int tray) {
        for (int k = 0; k < g.dipsPerTray; k++) {
            int d = tray * g.dipsPerTray + k;
            if (g.dipUsable(d)) return d;
        }
        throw new ConfigException("tray " + tray + " has no usable DIP (pod.dip.perTileEdge = " + p.dipsPerTileEdge()
                + ", or every DIP sits on a dead chip): traffic cannot leave or enter it");
    }

    /** @see Topology#gateway */
    int gateway(int chip) {
        int tray = g.trayOf(chip);
        int dipsPerTray = g.dipsPerTray;
        if (dipsPerTray == 0) {
            return firstUsableDip(tray);
        }
        int half = dipsPerTray / 2;
        boolean west = g.tileX(g.tileOf(chip)) * p.chipsX() + g.chipX(chip) < g.domW / 2.0;
        int y = g.tileY(g.tileOf(chip)) * p.chipsY() + g.chipY(chip);
        int best = -1;
        int bestDist = Integer.MAX_VALUE;
        for (int pass = 0; pass < 2 && best < 0; pass++) {
            boolean w = pass == 0 ? west : !west;
            for (int j = 0; j < half; j++) {
                int d = tray * dipsPerTray + (w ? 0 : half) + j;
                if (!g.dipUsable(d)) continue;
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
        chipPath(chip, g.dipChip[dip], out);
        int c = g.dipChip[dip];
        int sd = g.dipSide[dip];
        out.add(t.hubToSide[4 * c + sd]);
        out.add(t.sideOut[4 * c + sd]);
        out.add(t.portToDip[dip]);
    }

    private void dipToChip(int dip, int chip, IntList out) {
        int c = g.dipChip[dip];
        int sd = g.dipSide[dip];
        out.add(t.dipToPort[dip]);
        out.add(t.portToSide[t.sidePort[4 * c + sd]]);
        out.add(t.sideToHub[4 * c + sd]);
        chipPath(c, chip, out);
    }

    private void chipToChip(int a, int b, IntList out) {
        if (a == b) return;
        if (g.domainOf(a) == g.domainOf(b)) {
            chipPath(a, b, out);
            return;
        }
        int ga = gateway(a);
        int gb = gateway(b);
        chipToDip(a, ga, out);
        out.add(t.dipToSwitch[ga]);
        out.add(t.switchToDip[gb]);
        dipToChip(gb, b, out);
    }

    /** Appends the links of a path between two chips of one mesh domain. */
    private void chipPath(int a, int b, IntList out) {
        if (a == b) return;
        if (!g.alive[a] || !g.alive[b]) {
            throw new ConfigException("route " + a + " -> " + b + " touches a dead chip");
        }
        IntList cp = chipScratch;
        if (!dimensionOrder(a, b, true, cp) && !dimensionOrder(a, b, false, cp) && !bfs(a, b, cp)) {
            throw new ConfigException("dead chips and links (pod.system.deadChips, pod.system.deadLinks) cut chip " + a + " off from chip " + b);
        }
        for (int i = 0; i + 1 < cp.size(); i++) {
            int u = cp.get(i);
            int v = cp.get(i + 1);
            int d = directionTo(u, v);
            out.add(t.hubToSide[4 * u + d]);
            out.add(t.sideOut[4 * u + d]);
            out.add(t.sideToHub[4 * v + OPP[d]]);
        }
    }

    private int directionTo(int u, int v) {
        for (int d = 0; d < 4; d++) {
            if (g.neighbour(u, d) == v) return d;
        }
        throw new IllegalStateException("chips " + u + " and " + v + " are not neighbours");
    }

    private boolean dimensionOrder(int a, int b, boolean xFirst, IntList cp) {
        cp.clear();
        int dom = g.domainOf(a);
        int x = g.gx(a);
        int y = g.gy(a);
        int tx = g.gx(b);
        int ty = g.gy(b);
        cp.add(a);
        for (int phase = 0; phase < 2; phase++) {
            boolean doX = (phase == 0) == xFirst;
            while (doX ? x != tx : y != ty) {
                int dir = doX ? (tx > x ? PodGeometry.E : PodGeometry.W) : (ty > y ? PodGeometry.N : PodGeometry.S);
                if (!g.linkAlive(g.chipAt(dom, x, y), dir)) return false;
                if (doX) {
                    x += Integer.signum(tx - x);
                } else {
                    y += Integer.signum(ty - y);
                }
                int c = g.chipAt(dom, x, y);
                if (!g.alive[c]) return false;
                cp.add(c);
            }
        }
        return true;
    }

    private boolean bfs(int a, int b, IntList cp) {
        cp.clear();
        Map<Integer, Integer> prev = new HashMap<>();
        int[] queue = new int[g.chips];
        int head = 0;
        int tail = 0;
        queue[tail++] = a;
        prev.put(a, a);
        while (head < tail) {
            int u = queue[head++];
            if (u == b) break;
            for (int d = 0; d < 4; d++) {
                int v = g.neighbour(u, d);
                if (v >= 0 && g.alive[v] && g.linkAlive(u, d) && !prev.containsKey(v)) {
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

    /** @see Topology#sameChipLatencyPs */
    long sameChipLatencyPs(int nodeA, int nodeB) {
        int w = p.meshWidth();
        int a = g.activeSites[nodeA];
        int b = g.activeSites[nodeB];
        return (Math.abs(a % w - b % w) + Math.abs(a / w - b / w)) * p.meshHopPs();
    }

    /** @see Topology#latencyPs(long, long, int[]) */
    long latencyPs(long src, long dst, int[] route) {
        long lat = routeLatencyPs(route);
        if (Endpoint.kind(src) == Endpoint.KIND_NODE && Endpoint.kind(dst) == Endpoint.KIND_NODE && Endpoint.a(src) == Endpoint.a(dst)) {
            lat += sameChipLatencyPs(Endpoint.b(src), Endpoint.b(dst));
        }
        return lat;
    }

    /** @see Topology#routeLatencyPs */
    long routeLatencyPs(int[] route) {
        long lat = 0;
        for (int l : route) lat += t.latencyPs(l);
        return lat;
    }
}
