package io.dojosim.noc.internal;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams.Routing;
import java.util.Arrays;

/**
 * Routes of a mesh with disabled sites. Dimension-order routing (XY or YX) needs no table; table
 * routing gives every (source, destination) pair a route made of at most two dimension-order
 * phases: XY to a midpoint on VC class 0, then YX to the destination on VC class 1 (or YX then
 * XY, chosen per mesh: the first of the two orders that reaches every pair).
 *
 * <ul>
 *   <li>XY path clean of disabled sites: pure XY, class 0 ({@link #midpoint} returns -1);</li>
 *   <li>else YX path clean: pure YX, class 1 (the midpoint is the source itself);</li>
 *   <li>else the midpoint m minimising the route length (ties: lowest node id) whose XY path from
 *       the source and YX path to the destination are both clean.</li>
 * </ul>
 *
 * Deadlock freedom: XY alone and YX alone have acyclic channel dependencies, class 0 and class 1
 * use disjoint VCs, and a packet moves from class 0 to class 1 at most once, never back; so the
 * channel dependency graph is acyclic. {@code RoutingDeadlockTest} checks it on the D1 pattern.
 *
 * <p>A mesh with dead links ({@link MeshShape#hasDeadLinks}) is routed by {@link UpDownRoutes}
 * instead, whatever the routing: dimension order cannot turn around a dead link, and two phases
 * cannot route around a dead row link and a dead column link at once.
 *
 * <p>Caveats: routes may be non-minimal around holes. Two phases cannot route around a hole that
 * splits both a row and a column (an interior site, or holes on all four edges): such pairs are
 * unreachable and sending between them is an error; that needs a third VC class (not modelled).
 */
public final class RouteTable {
    /** Returned by {@link #midpoint} when no route exists. */
    public static final int UNREACHABLE = Integer.MIN_VALUE;

    private final MeshShape shape;
    private final Routing routing;
    private final boolean holes;
    private final int[] cache; // table routing: midpoint + 3 per pair, 1 = unreachable, 0 = not computed
    private boolean firstXy = true;
    private final int[] xs;
    private final int[] ys;
    // disabled sites before each position of a row (rowBefore[y * (W + 1) + x]: sites (0..x-1, y))
    // and of a column (colBefore[x * (H + 1) + y]), so that a dimension-order path is checked in
    // constant time: every packet of a mesh with holes asks whether its XY path is clean
    private final int[] rowBefore;
    private final int[] colBefore;
    private final UpDownRoutes upDown; // null without dead links

    public RouteTable(MeshShape shape, Routing routing) {
        this.shape = shape;
        this.routing = routing;
        this.upDown = shape.hasDeadLinks() ? new UpDownRoutes(shape) : null;
        this.holes = upDown == null && shape.activeNodes() != shape.sites();
        xs = new int[shape.sites()];
        ys = new int[shape.sites()];
        for (int n = 0; n < shape.sites(); n++) {
            xs[n] = shape.x(n);
            ys[n] = shape.y(n);
        }
        int w = shape.width();
        int h = shape.height();
        rowBefore = new int[h * (w + 1)];
        colBefore = new int[w * (h + 1)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int d = shape.isDisabled(x, y) ? 1 : 0;
                rowBefore[y * (w + 1) + x + 1] = rowBefore[y * (w + 1) + x] + d;
                colBefore[x * (h + 1) + y + 1] = colBefore[x * (h + 1) + y] + d;
            }
        }
        long pairs = (long) shape.sites() * shape.sites();
        this.cache = routing == Routing.TABLE && holes && pairs <= 4_000_000L ? new int[(int) pairs] : null;
        if (routing == Routing.TABLE && holes && !allReachable()) {
            // XY then YX leaves some pair unroutable: try YX then XY (holes on the north and south edges)
            firstXy = false;
            if (cache != null) Arrays.fill(cache, 0);
            if (!allReachable()) {
                firstXy = true;
                if (cache != null) Arrays.fill(cache, 0);
            }
        }
    }

    private boolean allReachable() {
        int[] nodes = shape.activeNodeIds();
        for (int a : nodes) {
            for (int b : nodes) {
                if (midpoint(a, b) == UNREACHABLE) return false;
            }
        }
        return true;
    }

    /** @return true when the first phase of a table route is XY (then YX); false for YX then XY */
    public boolean firstPhaseXy() {
        return firstXy;
    }

    /**
     * @return -1 for a direct dimension-order route (XY for xy and table, YX for yx); for table
     * routing a midpoint router (the source itself for a pure YX route); or {@link #UNREACHABLE}
     */
    public int midpoint(int src, int dst) {
        if (shape.isDisabled(src) || shape.isDisabled(dst)) return UNREACHABLE;
        if (upDown != null) return upDown.reachable(src) && upDown.reachable(dst) ? -1 : UNREACHABLE;
        if (!holes) return -1;
        switch (routing) {
            case XY: return clean(src, dst, true) ? -1 : UNREACHABLE;
            case YX: return clean(src, dst, false) ? -1 : UNREACHABLE;
            default: break;
        }
        if (cache != null) {
            int k = src * shape.sites() + dst;
            int c = cache[k];
            if (c == 0) {
                int m = computeTable(src, dst);
                cache[k] = m == UNREACHABLE ? 1 : m + 3;
                return m;
            }
            return c == 1 ? UNREACHABLE : c - 3;
        }
        return computeTable(src, dst);
    }

    private int computeTable(int src, int dst) {
        if (clean(src, dst, firstXy)) return -1;
        if (clean(src, dst, !firstXy)) return src;
        int best = UNREACHABLE;
        int bestLen = Integer.MAX_VALUE;
        for (int m = 0; m < shape.sites(); m++) {
            if (shape.isDisabled(m) || m == dst || m == src) continue;
            int len = dist(src, m) + dist(m, dst);
            if (len < bestLen && clean(src, m, firstXy) && clean(m, dst, !firstXy)) {
                best = m;
                bestLen = len;
            }
        }
        return best;
    }

    private int dist(int a, int b) {
        return Math.abs(shape.x(a) - shape.x(b)) + Math.abs(shape.y(a) - shape.y(b));
    }

    /** @return true when the dimension-order path from a to b touches no disabled site */
    public boolean clean(int a, int b, boolean xFirst) {
        int xa = xs[a];
        int ya = ys[a];
        int xb = xs[b];
        int yb = ys[b];
        // XY: row ya from xa to xb, then column xb from ya to yb; YX: column xa, then row yb
        return xFirst ? rowClean(ya, xa, xb) && colClean(xb, ya, yb) : colClean(xa, ya, yb) && rowClean(yb, xa, xb);
    }

    /** @return true when sites x0..x1 (either order, both included) of row y are all enabled */
    private boolean rowClean(int y, int x0, int x1) {
        int base = y * (shape.width() + 1);
        return rowBefore[base + Math.max(x0, x1) + 1] == rowBefore[base + Math.min(x0, x1)];
    }

    /** @return true when sites y0..y1 (either order, both included) of column x are all enabled */
    private boolean colClean(int x, int y0, int y1) {
        int base = x * (shape.height() + 1);
        return colBefore[base + Math.max(y0, y1) + 1] == colBefore[base + Math.min(y0, y1)];
    }

    /**
     * The output port toward {@code target} from router {@code r} in dimension order.
     *
     * @return a direction, or LOCAL when r is the target
     */
    public int dimOrderPort(int r, int target, boolean xFirst) {
        int x = xs[r];
        int y = ys[r];
        int tx = xs[target];
        int ty = ys[target];
        if (xFirst) {
            if (tx > x) return MeshShape.EAST;
            if (tx < x) return MeshShape.WEST;
            if (ty > y) return MeshShape.SOUTH;
            if (ty < y) return MeshShape.NORTH;
        } else {
            if (ty > y) return MeshShape.SOUTH;
            if (ty < y) return MeshShape.NORTH;
            if (tx > x) return MeshShape.EAST;
            if (tx < x) return MeshShape.WEST;
        }
        return MeshShape.LOCAL;
    }

    /** @return true when routes are up*&#47;down* ({@link UpDownRoutes}): the mesh has dead links */
    public boolean upDown() {
        return upDown != null;
    }

    /**
     * Up*&#47;down* route computation (only when {@link #upDown()}).
     *
     * @param phase 0 while the packet may go up, 1 once it has gone down
     * @return the output port at router r towards router dst != r
     */
    public int upDownPort(int r, int dst, int phase) {
        return upDown.port(r, dst, phase);
    }

    /** @return true when the link leaving r on port goes up (only when {@link #upDown()}) */
    public boolean upHop(int r, int port) {
        return upDown.up(r, port);
    }

    public Routing routing() {
        return routing;
    }

    /** First VC of class 1 for table routing (class 0 is [0, split), class 1 is [split, vcs)). */
    public static int classSplit(int vcs) {
        return (vcs + 1) / 2;
    }

    @Override
    public String toString() {
        return "RouteTable" + Arrays.asList(shape, routing);
    }
}
