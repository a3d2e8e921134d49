package io.dojosim.noc.internal;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import java.util.Arrays;

/**
 * Packet-level model: no per-flit state. A packet's head moves router by router; at each router it
 * asks for its output link at the cycle the flit model would do switch allocation (arrival + RC +
 * VA) and holds the link for its serialization time (one cycle per flit), first come first served
 * (cut-through: the head goes on as soon as it has the link; contention is per link only).
 * Injection and ejection channels are links of the same kind. With no contention the timing is
 * that of {@link FlitEngine} exactly.
 *
 * <p>Caveats: buffers are unbounded, so there is no back-pressure, no head-of-line blocking and no
 * VC limit; the model agrees with the flit model below about half of saturation
 * ({@code FidelityAgreementTest}) and overestimates throughput past it.
 */
public final class PacketEngine extends NetworkEngine {
    private static final int P = MeshShape.PORTS;
    private final int R, VD, S, X, D;
    private final long[] linkFree;
    private final long[] injFree;
    private final int[] outTarget; // neighbour router, or -1 - terminal, or NONE
    private static final int NONE = Integer.MIN_VALUE;
    private final double injInterval;
    private final double ejInterval;
    private int[] at; // router the head is at, or -1 when the next event is the retirement
    private long[] heap = new long[256];
    private int heapLen;
    private long hopsProcessed;

    public PacketEngine(MeshShape shape, NocParams p) {
        super(shape, p);
        R = p.routingDelayCycles();
        VD = p.vaToSaCycles(); // VA grant to SA request (one less with speculative SA)
        S = p.swAllocDelayCycles();
        X = p.stDelayCycles();
        D = p.linkLatencyCycles();
        linkFree = new long[sites * P];
        injFree = new long[terminals];
        at = new int[256];
        outTarget = new int[sites * P];
        Arrays.fill(outTarget, NONE);
        for (int r = 0; r < sites; r++) {
            if (shape.isDisabled(r)) continue;
            for (int d = MeshShape.NORTH; d <= MeshShape.WEST; d++) {
                int nb = shape.neighbour(r, d);
                if (nb >= 0 && !shape.isDisabled(nb)) outTarget[r * P + d] = nb;
            }
        }
        for (int t = 0; t < terminals; t++) {
            int r = termRouter[t];
            if (shape.isDisabled(r)) continue;
            int port = termPort[t];
            if (port != MeshShape.LOCAL && shape.neighbour(r, port) >= 0) continue;
            outTarget[r * P + port] = -1 - t;
        }
        injInterval = 1.0 / p.injectionFlitsPerCycle();
        ejInterval = 1.0 / p.ejectionFlitsPerCycle();
    }

    @Override
    public boolean busy() {
        return heapLen > 0 || pendingCount > 0;
    }

    @Override
    public long routerCyclesEvaluated() {
        return hopsProcessed;
    }

    @Override
    public void step(long c) {
        while (heapLen > 0 && (heap[0] >>> 21) <= c) {
            long key = pop();
            int pkt = (int) (key & ((1 << 21) - 1));
            long time = key >>> 21;
            int r = at[pkt];
            if (r < 0) {
                ejectedFlits[pktDst[pkt]] += pktSize[pkt];
                retire(pkt, time);
            } else {
                hop(pkt, r, time);
            }
        }
        runGenerator(c);
        int n = pendingCount;
        int k = 0;
        for (int i = 0; i < n; i++) {
            int t = pending[i];
            if (injFree[t] <= c) inject(t, c);
            if (fifoHead[t] >= 0) pending[k++] = t; else isPending[t] = false;
        }
        for (int i = n; i < pendingCount; i++) pending[k++] = pending[i];
        pendingCount = k;
    }

    private void inject(int t, long c) {
        int pkt = popFifo(t);
        int len = pktSize[pkt];
        pktItime[pkt] = c;
        injectedFlits[t] += len;
        injFree[t] = c + (long) Math.ceil(len * injInterval);
        tailInjected(pkt, injFree[t]);
        ensureAt(pkt);
        int r = termRouter[t];
        at[pkt] = r;
        push(c + D + 1 + R + VD, pkt);
    }

    private void hop(int pkt, int r, long s) {
        hopsProcessed++;
        int o = nextPort(pkt, r);
        int lk = r * P + o;
        int len = pktSize[pkt];
        long start = Math.max(s, linkFree[lk]);
        int tgt = outTarget[lk];
        pktHops[pkt]++;
        linkFlits[lk] += len;
        long arrive = start + S + X + D;
        if (tgt >= 0) {
            linkFree[lk] = start + len;
            at[pkt] = tgt;
            push(arrive + R + VD, pkt);
        } else {
            linkFree[lk] = start + (long) Math.ceil(len * ejInterval);
            at[pkt] = -1;
            push(arrive + (long) Math.ceil((len - 1) * ejInterval), pkt);
        }
    }

    private void ensureAt(int pkt) {
        if (pkt >= at.length) at = Arrays.copyOf(at, Math.max(at.length * 2, pkt + 1));
    }

    private void push(long time, int pkt) {
        if (pkt >= 1 << 21) {
            // the key holds 21 bits of packet id: more packets live at once would corrupt the heap
            // (unbounded queues past saturation, for example a source that sends on every injection
            // notice with no window of its own)
            throw new IllegalStateException("packet engine on mesh " + shape + ": more than " + (1 << 21)
                    + " packets live at once at cycle " + time + "; the packet fidelity has no back-pressure");
        }
        if (heapLen == heap.length) heap = Arrays.copyOf(heap, heap.length * 2);
        long key = (time << 21) | pkt;
        int i = heapLen++;
        while (i > 0) {
            int par = (i - 1) >>> 1;
            if (heap[par] <= key) break;
            heap[i] = heap[par];
            i = par;
        }
        heap[i] = key;
    }

    private long pop() {
        long top = heap[0];
        long last = heap[--heapLen];
        int i = 0;
        int n = heapLen;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) break;
            int m = l + 1 < n && heap[l + 1] < heap[l] ? l + 1 : l;
            if (heap[m] >= last) break;
            heap[i] = heap[m];
            i = m;
        }
        if (n > 0) heap[i] = last;
        return top;
    }
}
