package io.dojosim.noc.internal;

import io.dojosim.noc.MeshShape;
import java.util.Arrays;

/**
 * Up*&#47;down* routes (Schroeder et al., "Autonet", IEEE JSAC 1991) of a mesh with dead links and
 * disabled sites: the routes {@link RouteTable} gives every pair once a link has failed.
 *
 * <pre>
 *   root = the first active site (node id order); level = hops from the root over live links
 *   a link u -&gt; v goes "up" when (level[v], v) &lt; (level[u], u), else "down"
 *   a legal route: zero or more up hops, then zero or more down hops (never up after down)
 *   the route taken: a shortest legal one; ties by port order EAST, WEST, SOUTH, NORTH
 * </pre>
 *
 * Up hops strictly decrease (level, id) and down hops strictly increase it, and no route turns
 * from down to up, so the channel dependency graph is acyclic even with every VC shared; with
 * table routing the up hops use VC class 0 and the down hops class 1 (the packet's phase).
 * A connected mesh has a legal route between every pair (up to a common ancestor in the
 * breadth-first tree, then down). On a full mesh with the root in a corner, up is north and
 * west, so every route is minimal (the negative-first turn model).
 *
 * <p>Caveats: around a dead link routes may be longer than the shortest path and concentrate near
 * the root. The next-hop tables (2 bytes per site and destination) are built in the constructor
 * up to {@value #EAGER_SITES} sites, so lanes of a parallel flit engine only read them; larger
 * meshes build a destination's table on first use and publish it atomically (identical content
 * whichever thread builds it).
 */
final class UpDownRoutes {
    private static final int[] PORT_ORDER = {MeshShape.EAST, MeshShape.WEST, MeshShape.SOUTH, MeshShape.NORTH};

    private final MeshShape shape;
    private final int sites;
    private final int[] level;
    /** Meshes up to this many sites get every destination's table up front. */
    static final int EAGER_SITES = 4096;

    private final byte[][] next; // per destination router: output port at [router * 2 + phase], 0 = none; null when lazy
    private final java.util.concurrent.atomic.AtomicReferenceArray<byte[]> lazy; // larger meshes

    UpDownRoutes(MeshShape shape) {
        this.shape = shape;
        this.sites = shape.sites();
        this.level = new int[sites];
        Arrays.fill(level, -1);
        int[] queue = new int[sites];
        int root = shape.activeNodeIds()[0];
        int head = 0;
        int tail = 0;
        queue[tail++] = root;
        level[root] = 0;
        while (head < tail) {
            int n = queue[head++];
            for (int port = MeshShape.NORTH; port <= MeshShape.WEST; port++) {
                int nb = live(n, port);
                if (nb >= 0 && level[nb] < 0) {
                    level[nb] = level[n] + 1;
                    queue[tail++] = nb;
                }
            }
        }
        if (sites <= EAGER_SITES) {
            this.next = new byte[sites][];
            for (int d = 0; d < sites; d++) {
                if (level[d] >= 0) next[d] = build(d);
            }
            this.lazy = null;
        } else {
            this.next = null;
            this.lazy = new java.util.concurrent.atomic.AtomicReferenceArray<>(sites);
        }
    }

    /** @return the neighbour across a live link, or -1 (edge, disabled site or dead link) */
    private int live(int n, int port) {
        int nb = shape.neighbour(n, port);
        return nb < 0 || shape.isDisabled(nb) || shape.isLinkDead(n, port) ? -1 : nb;
    }

    /** @return true when the link leaving router r on port goes up (towards the root) */
    boolean up(int r, int port) {
        int nb = shape.neighbour(r, port);
        return level[nb] < level[r] || (level[nb] == level[r] && nb < r);
    }

    /** @return true when router r is on the root's side of every dead link (reachable) */
    boolean reachable(int r) {
        return level[r] >= 0;
    }

    /**
     * @param phase 0 while the packet may still go up, 1 once it has gone down
     * @return the output port at router r towards router dst (r != dst), or 0 when none exists
     */
    int port(int r, int dst, int phase) {
        byte[] t;
        if (next != null) {
            t = next[dst];
        } else {
            t = lazy.get(dst);
            if (t == null) {
                lazy.compareAndSet(dst, null, build(dst));
                t = lazy.get(dst);
            }
        }
        return t[r * 2 + phase];
    }

    /** Breadth-first search backwards from dst over (router, phase) states. */
    private byte[] build(int dst) {
        int[] dist = new int[sites * 2];
        Arrays.fill(dist, Integer.MAX_VALUE);
        int[] queue = new int[sites * 2];
        int head = 0;
        int tail = 0;
        dist[dst * 2] = 0;
        dist[dst * 2 + 1] = 0;
        queue[tail++] = dst * 2;
        queue[tail++] = dst * 2 + 1;
        while (head < tail) {
            int st = queue[head++];
            int v = st >> 1;
            int ph = st & 1;
            for (int port = MeshShape.NORTH; port <= MeshShape.WEST; port++) {
                int u = live(v, port);
                if (u < 0) continue;
                boolean upHop = up(u, MeshShape.opposite(port)); // the hop u -> v
                // up hop: (u, 0) -> (v, 0); down hop: (u, 0 or 1) -> (v, 1)
                if (upHop ? ph != 0 : ph != 1) continue;
                for (int from = 0; from <= (upHop ? 0 : 1); from++) {
                    int s = u * 2 + from;
                    if (dist[s] == Integer.MAX_VALUE) {
                        dist[s] = dist[st] + 1;
                        queue[tail++] = s;
                    }
                }
            }
        }
        byte[] t = new byte[sites * 2];
        for (int u = 0; u < sites; u++) {
            if (u == dst || shape.isDisabled(u)) continue;
            for (int ph = 0; ph <= 1; ph++) {
                int best = Integer.MAX_VALUE;
                for (int port : PORT_ORDER) {
                    int v = live(u, port);
                    if (v < 0) continue;
                    boolean upHop = up(u, port);
                    if (upHop && ph == 1) continue;
                    int d = dist[v * 2 + (upHop ? 0 : 1)];
                    if (d < best) {
                        best = d;
                        t[u * 2 + ph] = (byte) port;
                    }
                }
            }
        }
        return t;
    }
}
