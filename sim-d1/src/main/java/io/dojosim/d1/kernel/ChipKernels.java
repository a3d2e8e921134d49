package io.dojosim.d1.kernel;

import io.dojosim.core.config.Check;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.node.NodeProgram;

/**
 * Synthetic kernels over the active nodes of a chip, as one {@link NodeProgram} per node.
 *
 * <p><b>GEMM (SUMMA, block-cyclic along K).</b> The nodes used form a logical {@code Pr x Pc}
 * grid: on a die, the largest hole-free rectangle of the mesh, so grid neighbours are mesh
 * neighbours ({@link #plan(NodeParams, io.dojosim.noc.MeshShape, long, long, long, DType, int)});
 * for analytic regions, the largest product not above the node count near the mesh aspect. Node (r, c) owns C(r, c) and keeps it as FP32 partial sums. K is cut into panels
 * of {@code d1.chip.gemmPanelK}; panel s of A (rows of r) lives on column {@code s mod Pc}, panel s
 * of B (columns of c) on row {@code s mod Pr}, so all operands are resident. At step s the owner
 * of each panel pushes it both ways along its grid row (A) or column (B) as pipelined chains (no
 * wrap-around, at most half the row long); each node forwards what it received outward. Three threads per node:
 * <pre>
 *  thread 0 compute : wait A(s) ready, wait B(s) ready, MATRIX(C(r,c) += A(s) B(s)), signal done(s)
 *  thread 1 A comm  : [s>=2: wait done(s-2)]; [not owner: credit upstream]; per 2 KB chunk
 *                     of A(s): recv it (not owner; after the last one signal ready), [first
 *                     chunk: wait the downstream credit], send it downstream (downstream not owner)
 *  thread 2 B comm  : the same along the column
 * </pre>
 * Panel buffers are double-buffered; a credit (one 8 B message) tells the upstream node that the
 * slot for step s is free, so a node never overwrites a panel in use.
 *
 * <p>Semaphores: 0 A arrivals, 1 B arrivals, 2 A ready, 3 B ready, 4 and 9 A credits from the next
 * and the previous node of the row, 5 and 10 B credits from the next and the previous node of the
 * column, 6 compute done (A side), 7 compute done (B side); 8 all-to-all arrivals.
 *
 * <p>Caveats: Tesla's compiler's decomposition is not published; this is a textbook scheme chosen
 * because its traffic is neighbour-to-neighbour on the mesh.
 */
public final class ChipKernels {
    private ChipKernels() {
    }

    /** Bytes of a flow-control credit message. */
    public static final int CREDIT_BYTES = 8;
    /** Panels travel as chunks of this many bytes, each forwarded as soon as it has arrived. */
    public static final int CHUNK_BYTES = 2048;

    /** The decomposition chosen for a chip GEMM, for reports and the analytic model. */
    public record GemmPlan(int rows, int cols, int usedNodes, int steps, int panelK, long maxLocalOps, long totalOps,
                           long usefulFlops, int[] nodeOf) {
        /** @return the active-node index of logical grid node {@code r * cols + c} */
        public int node(int logical) {
            return nodeOf == null ? logical : nodeOf[logical];
        }
    }

    /**
     * @return {x0, y0, width, height} of the largest rectangle of enabled sites (ties: the first
     * found scanning y0, x0, height, width ascending)
     */
    public static int[] largestRectangle(io.dojosim.noc.MeshShape sh) {
        int w = sh.width(), h = sh.height();
        int[][] pre = new int[h + 1][w + 1];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pre[y + 1][x + 1] = pre[y][x + 1] + pre[y + 1][x] - pre[y][x] + (sh.isDisabled(x, y) ? 1 : 0);
            }
        }
        int[] best = {0, 0, 1, 1};
        int bestArea = 0;
        for (int y0 = 0; y0 < h; y0++) {
            for (int x0 = 0; x0 < w; x0++) {
                for (int y1 = y0 + 1; y1 <= h; y1++) {
                    for (int x1 = x0 + 1; x1 <= w; x1++) {
                        int holes = pre[y1][x1] - pre[y0][x1] - pre[y1][x0] + pre[y0][x0];
                        if (holes > 0) break;
                        int area = (y1 - y0) * (x1 - x0);
                        if (area > bestArea) {
                            bestArea = area;
                            best = new int[] {x0, y0, x1 - x0, y1 - y0};
                        }
                    }
                }
            }
        }
        return best;
    }

    /**
     * The plan on a real die: the SUMMA grid is the largest hole-free rectangle of the mesh (every
     * grid neighbour is a mesh neighbour), capped so each node owns at least one 8-wide block;
     * if that rectangle holds fewer than 90 % of the active nodes, the compact grid over all active
     * nodes in index order is used instead.
     */
    public static GemmPlan plan(NodeParams p, io.dojosim.noc.MeshShape sh, long m, long n, long k, DType t, int panelK) {
        return plan(p, sh, m, n, k, t, panelK, true);
    }

    /** @param rectangle false forces the compact grid over all active nodes in index order */
    public static GemmPlan plan(NodeParams p, io.dojosim.noc.MeshShape sh, long m, long n, long k, DType t, int panelK,
                                boolean rectangle) {
        int[] rect = largestRectangle(sh);
        int active = sh.activeNodes();
        if (!rectangle || rect[2] * rect[3] < 0.9 * active) {
            return plan(p, active, sh.width(), sh.height(), m, n, k, t, panelK);
        }
        int pr = (int) Math.min(rect[3], Math.max(1, ceilDiv(m, 8)));
        int pc = (int) Math.min(rect[2], Math.max(1, ceilDiv(n, 8)));
        int[] ids = sh.activeNodeIds();
        int[] rank = new int[sh.sites()];
        for (int i = 0; i < ids.length; i++) rank[ids[i]] = i;
        int[] nodeOf = new int[pr * pc];
        for (int r = 0; r < pr; r++) {
            for (int c = 0; c < pc; c++) {
                nodeOf[r * pc + c] = rank[sh.node(rect[0] + c, rect[1] + r)];
            }
        }
        GemmPlan base = planGrid(p, pr, pc, m, n, k, t, panelK);
        return new GemmPlan(pr, pc, pr * pc, base.steps(), panelK, base.maxLocalOps(), base.totalOps(), base.usefulFlops(), nodeOf);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** @return the size of part {@code i} of {@code total} split into {@code parts} near-equal parts */
    public static long part(long total, int parts, int i) {
        return total / parts + (i < total % parts ? 1 : 0);
    }

    /**
     * Picks the logical grid: the largest rows x cols <= nodes whose aspect is within a factor 1.5
     * of the mesh's (rows / cols vs height / width), then the closest aspect. Rows and columns are
     * capped so that every node owns at least one 8-wide block of C.
     */
    public static int[] grid(int nodes, int meshWidth, int meshHeight, long m, long n) {
        double aspect = (double) meshHeight / meshWidth;
        long maxR = Math.max(1, ceilDiv(m, 8));
        long maxC = Math.max(1, ceilDiv(n, 8));
        int bestR = 1, bestC = 1;
        boolean bestOk = false;
        for (int r = 1; r <= nodes && r <= maxR; r++) {
            int c = (int) Math.min(nodes / r, maxC);
            if (c < 1) continue;
            double ratio = (double) r / c / aspect;
            boolean ok = ratio <= 1.5 && ratio >= 1 / 1.5 || r == maxR || c == maxC;
            long prod = (long) r * c;
            long best = (long) bestR * bestC;
            double d = Math.abs(Math.log(ratio));
            double bd = Math.abs(Math.log((double) bestR / bestC / aspect));
            if ((ok && !bestOk) || (ok == bestOk && (prod > best || (prod == best && d < bd)))) {
                bestR = r;
                bestC = c;
                bestOk = ok;
            }
        }
        return new int[] {bestR, bestC};
    }

    /** @return the plan of a GEMM on {@code activeNodes} nodes of a full {@code meshWidth x meshHeight} region (analytic use) */
    public static GemmPlan plan(NodeParams p, int activeNodes, int meshWidth, int meshHeight, long m, long n, long k, DType t, int panelK) {
        int[] g = grid(activeNodes, meshWidth, meshHeight, m, n);
        return planGrid(p, g[0], g[1], m, n, k, t, panelK);
    }

    private static GemmPlan planGrid(NodeParams p, int pr, int pc, long m, long n, long k, DType t, int panelK) {
        Check.require(m >= 1 && n >= 1 && k >= 1, "gemm: m, n and k must be >= 1, were " + m + ", " + n + ", " + k);
        int steps = (int) ceilDiv(k, panelK);
        long maxOps = 0, total = 0;
        for (int r = 0; r < pr; r++) {
            long mr = part(m, pr, r);
            for (int c = 0; c < pc; c++) {
                long nc = part(n, pc, c);
                long ops = 0;
                for (int s = 0; s < steps; s++) {
                    long ks = Math.min(panelK, k - (long) s * panelK);
                    ops += GemmTiling.tile(p, t, mr, nc, ks, steps > 1).ops();
                }
                maxOps = Math.max(maxOps, ops);
                total += ops;
            }
        }
        return new GemmPlan(pr, pc, pr * pc, steps, panelK, maxOps, total, 2L * m * n * k, null);
    }

    /**
     * @return the largest SRAM footprint of one node's SUMMA program (the buffers {@link #gemm}
     * declares: resident A and B panels, FP32 C, double-buffered panels), without building it
     */
    public static long maxNodeBytes(GemmPlan plan, long m, long n, long k, DType t) {
        int panelK = plan.panelK();
        int pr = plan.rows(), pc = plan.cols(), steps = plan.steps();
        long e = t.bytes();
        long max = 0;
        // the first row and column are the largest parts; each owns the most panels
        long mr = part(m, pr, 0), nc = part(n, pc, 0);
        long ownA = 0, ownB = 0;
        for (int s = 0; s < steps; s++) {
            long ks = Math.min(panelK, k - (long) s * panelK);
            if (s % pc == 0) ownA += ks;
            if (s % pr == 0) ownB += ks;
        }
        max = mr * ownA * e + ownB * nc * e + mr * nc * 4 + (pc > 1 ? 2 * mr * panelK * e : 0) + (pr > 1 ? 2 * panelK * nc * e : 0);
        return max;
    }

    /** Builds the SUMMA programs, one per active node (unused nodes get none). */
    public static NodeProgram[] gemm(NodeParams p, int activeNodes, GemmPlan plan, long m, long n, long k, DType t) {
        int panelK = plan.panelK();
        int pr = plan.rows(), pc = plan.cols(), steps = plan.steps();
        Check.require(p.threads() >= 3, "the chip GEMM needs 3 threads per node; d1.node.threads is " + p.threads());
        NodeProgram[] out = new NodeProgram[activeNodes];
        long e = t.bytes();
        for (int r = 0; r < pr; r++) {
            long mr = part(m, pr, r);
            for (int c = 0; c < pc; c++) {
                long nc = part(n, pc, c);
                int self = r * pc + c;
                NodeProgram.Builder b = NodeProgram.builder("summa " + m + "x" + n + "x" + k + " " + t.key() + " node (" + r + "," + c + ")", 3);
                long ownA = 0, ownB = 0;
                for (int s = 0; s < steps; s++) {
                    long ks = Math.min(panelK, k - (long) s * panelK);
                    if (s % pc == c) ownA += ks;
                    if (s % pr == r) ownB += ks;
                }
                b.alloc("A(r,c) resident", mr * ownA * e);
                b.alloc("B(r,c) resident", ownB * nc * e);
                b.alloc("C(r,c) FP32 partial sums", mr * nc * 4);
                b.alloc("A panel buffers x2", pc > 1 ? 2 * mr * panelK * e : 0);
                b.alloc("B panel buffers x2", pr > 1 ? 2 * panelK * nc * e : 0);
                NodeProgram.ThreadBuilder comp = b.thread(0);
                NodeProgram.ThreadBuilder ta = b.thread(1);
                NodeProgram.ThreadBuilder tb = b.thread(2);
                for (int s = 0; s < steps; s++) {
                    long ks = Math.min(panelK, k - (long) s * panelK);
                    // A along the row, both directions from the owner column
                    int c0 = s % pc;
                    if (s >= 2) ta.waitSem(6, 1);
                    int upA = c > c0 ? self - 1 : c < c0 ? self + 1 : -1;
                    int downA = c > c0 ? (c + 1 < pc ? self + 1 : -1) : c < c0 ? (c > 0 ? self - 1 : -1) : -1;
                    int downA2 = -1;
                    if (c == c0) {
                        downA = c + 1 < pc ? self + 1 : -1;
                        downA2 = c > 0 ? self - 1 : -1;
                    }
                    if (upA >= 0) ta.send(plan.node(upA), CREDIT_BYTES, upA == self - 1 ? 4 : 9);
                    chain(plan, ta, upA >= 0, self, downA, downA2, mr * ks * e, 0, 4, 9, 2);
                    // B along the column, both directions from the owner row
                    int r0 = s % pr;
                    if (s >= 2) tb.waitSem(7, 1);
                    int upB = r > r0 ? self - pc : r < r0 ? self + pc : -1;
                    int downB = r > r0 ? (r + 1 < pr ? self + pc : -1) : r < r0 ? (r > 0 ? self - pc : -1) : -1;
                    int downB2 = -1;
                    if (r == r0) {
                        downB = r + 1 < pr ? self + pc : -1;
                        downB2 = r > 0 ? self - pc : -1;
                    }
                    if (upB >= 0) tb.send(plan.node(upB), CREDIT_BYTES, upB == self - pc ? 5 : 10);
                    chain(plan, tb, upB >= 0, self, downB, downB2, ks * nc * e, 1, 5, 10, 3);
                    // compute
                    comp.waitSem(2, 1).waitSem(3, 1);
                    GemmTiling.Work w = GemmTiling.tile(p, t, mr, nc, ks, steps > 1);
                    if (t.onMatrixPipe()) {
                        comp.matrix(t, w.ops(), w.loadBytes(), w.storeBytes());
                    } else {
                        comp.vector(t, w.ops(), w.loadBytes(), w.storeBytes());
                    }
                    comp.signal(6, 1).signal(7, 1);
                }
                out[plan.node(self)] = b.build();
            }
        }
        return out;
    }

    /**
     * Receives (if not the owner) and forwards to one or two downstream nodes (the owner sends both
     * ways) a panel chunk by chunk. The downstream credit is awaited only before the first forward,
     * so receiving never waits for a downstream node; the compute thread is told the panel is ready
     * as soon as its last chunk has arrived. Credits from the node after this one in index order
     * count on {@code creditNext}, from the one before on {@code creditPrev}.
     */
    private static void chain(GemmPlan plan, NodeProgram.ThreadBuilder th, boolean receive, int self, int down, int down2, long bytes,
                              int sem, int creditNext, int creditPrev, int readySem) {
        if (!receive) th.signal(readySem, 1);
        for (long off = 0; off < bytes; off += CHUNK_BYTES) {
            long b = Math.min(CHUNK_BYTES, bytes - off);
            if (receive) {
                th.recv(sem, 1);
                if (off + b >= bytes) th.signal(readySem, 1);
            }
            if (down >= 0) {
                if (off == 0) th.waitSem(down > self ? creditNext : creditPrev, 1);
                th.send(plan.node(down), b, sem);
            }
            if (down2 >= 0) {
                if (off == 0) th.waitSem(down2 > self ? creditNext : creditPrev, 1);
                th.send(plan.node(down2), b, sem);
            }
        }
    }

    /** Every active node streams y = a x + y over its share of {@code elements}. */
    public static NodeProgram[] vector(NodeParams p, int activeNodes, long elements, DType t) {
        Check.require(elements >= activeNodes, "vector: need at least one element per node (" + activeNodes + "), was " + elements);
        NodeProgram[] out = new NodeProgram[activeNodes];
        for (int i = 0; i < activeNodes; i++) {
            out[i] = NodeKernels.vector(p, part(elements, activeNodes, i), t);
        }
        return out;
    }

    /**
     * All-to-all: every active node sends {@code bytesPerPair} to every other one, destinations in
     * shifted order (node i sends to i+1, i+2, ...) so that no node is a hot spot; thread 0 waits
     * for the n - 1 arrivals.
     */
    public static NodeProgram[] allToAll(int activeNodes, long bytesPerPair) {
        Check.require(bytesPerPair >= 1 && bytesPerPair <= Integer.MAX_VALUE, "alltoall: bytes per pair must be in [1, 2^31)");
        Check.require(activeNodes >= 2, "alltoall needs at least 2 nodes");
        NodeProgram[] out = new NodeProgram[activeNodes];
        for (int i = 0; i < activeNodes; i++) {
            NodeProgram.Builder b = NodeProgram.builder("alltoall " + bytesPerPair + " B node " + i, 2);
            b.alloc("send buffers", bytesPerPair * (activeNodes - 1));
            b.alloc("receive buffers", bytesPerPair * (activeNodes - 1));
            b.thread(0).recv(8, activeNodes - 1);
            for (int j = 1; j < activeNodes; j++) {
                b.thread(1).send((i + j) % activeNodes, bytesPerPair, 8);
            }
            out[i] = b.build();
        }
        return out;
    }
}
