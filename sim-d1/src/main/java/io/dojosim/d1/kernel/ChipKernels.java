package io.dojosim.d1.kernel;

import io.dojosim.core.config.Check;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.node.NodeProgram;

/**
 * Synthetic kernels over the active nodes of a chip, as one {@link NodeProgram} per node.
 *
 * <p><b>GEMM (SUMMA, block-cyclic along K).</b> The nodes used form a logical {@code Pr x Pc}
 * grid (the largest product not above the active count, rows as close to the mesh's aspect as
 * possible; logical node {@code r * Pc + c} is active node {@code r * Pc + c}, so grid rows follow
 * the mesh rows). Node (r, c) owns C(r, c) and keeps it as FP32 partial sums. K is cut into panels
 * of {@code d1.chip.gemmPanelK}; panel s of A (rows of r) lives on column {@code s mod Pc}, panel s
 * of B (columns of c) on row {@code s mod Pr}, so all operands are resident. At step s the owner
 * of each panel pushes it along its grid row (A) or column (B) as a pipelined chain; each node
 * forwards what it received to the next. Three threads per node:
 * <pre>
 *  thread 0 compute : wait A(s) ready, wait B(s) ready, MATRIX(C(r,c) += A(s) B(s)), signal done(s)
 *  thread 1 A comm  : [s>=2: wait done(s-2)]; [not owner: credit upstream];
 *                     [downstream not owner: wait its credit]; per 2 KB chunk of A(s):
 *                     recv it (not owner), send it downstream (downstream not owner); signal ready
 *  thread 2 B comm  : the same along the column
 * </pre>
 * Panel buffers are double-buffered; a credit (one 8 B message) tells the upstream node that the
 * slot for step s is free, so a node never overwrites a panel in use.
 *
 * <p>Semaphores: 0 A arrivals, 1 B arrivals, 2 A ready, 3 B ready, 4 A credits, 5 B credits,
 * 6 compute done (A side), 7 compute done (B side); 8 all-to-all arrivals.
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
                           long usefulFlops) {
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

    /** @return the plan of a chip GEMM without building programs */
    public static GemmPlan plan(NodeParams p, int activeNodes, int meshWidth, int meshHeight, long m, long n, long k, DType t, int panelK) {
        Check.require(m >= 1 && n >= 1 && k >= 1, "gemm: m, n and k must be >= 1, were " + m + ", " + n + ", " + k);
        int[] g = grid(activeNodes, meshWidth, meshHeight, m, n);
        int pr = g[0], pc = g[1];
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
        return new GemmPlan(pr, pc, pr * pc, steps, panelK, maxOps, total, 2L * m * n * k);
    }

    /** Builds the SUMMA programs, one per active node (unused nodes get none). */
    public static NodeProgram[] gemm(NodeParams p, int activeNodes, int meshWidth, int meshHeight, long m, long n, long k, DType t, int panelK) {
        GemmPlan plan = plan(p, activeNodes, meshWidth, meshHeight, m, n, k, t, panelK);
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
                int right = r * pc + (c + 1) % pc;
                int left = r * pc + (c - 1 + pc) % pc;
                int down = ((r + 1) % pr) * pc + c;
                int up = ((r - 1 + pr) % pr) * pc + c;
                for (int s = 0; s < steps; s++) {
                    long ks = Math.min(panelK, k - (long) s * panelK);
                    // A along the row
                    boolean ownerA = s % pc == c;
                    boolean rightOwnsA = (c + 1) % pc == s % pc;
                    if (s >= 2) ta.waitSem(6, 1);
                    if (!ownerA) ta.send(left, CREDIT_BYTES, 4);
                    if (!rightOwnsA) ta.waitSem(4, 1);
                    chain(ta, !ownerA, !rightOwnsA, right, mr * ks * e, 0);
                    ta.signal(2, 1);
                    // B along the column
                    boolean ownerB = s % pr == r;
                    boolean downOwnsB = (r + 1) % pr == s % pr;
                    if (s >= 2) tb.waitSem(7, 1);
                    if (!ownerB) tb.send(up, CREDIT_BYTES, 5);
                    if (!downOwnsB) tb.waitSem(5, 1);
                    chain(tb, !ownerB, !downOwnsB, down, ks * nc * e, 1);
                    tb.signal(3, 1);
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
                out[self] = b.build();
            }
        }
        return out;
    }

    /** Receives (if not the owner) and forwards (if the next node is not the owner) a panel chunk by chunk. */
    private static void chain(NodeProgram.ThreadBuilder th, boolean receive, boolean forward, int next, long bytes, int sem) {
        for (long off = 0; off < bytes; off += CHUNK_BYTES) {
            long b = Math.min(CHUNK_BYTES, bytes - off);
            if (receive) th.recv(sem, 1);
            if (forward) th.send(next, b, sem);
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
