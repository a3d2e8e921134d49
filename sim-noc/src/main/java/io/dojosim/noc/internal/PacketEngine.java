package io.dojosim.noc.internal;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import java.util.Arrays;

/**
 * Packet-level model: no per-flit state and no per-cycle router evaluation. Each packet is one
 * event at a time: the cycle its head asks for an output VC or the switch at the router it is at. The resources
 * the flit model arbitrates are kept as "free from" cycles and small counters:
 *
 * <pre>
 *   input VC   (router, input port, VC): FIFO of packets; only its head packet asks for the
 *              switch; the next head may ask S + R + V' cycles after the previous tail left
 *              (the flit model's VC turnaround: one packet per R + V' + S cycles per VC)
 *   input port one flit per cycle through the crossbar, whatever the VC
 *   output     one flit per cycle on the link (ejection: at the ejection rate)
 *   output VC  held by one packet until its tail leaves (wait_for_tail_credit = 0), needed
 *              V' cycles before the switch (VC allocation)
 *   credits    bufferFlits per downstream input VC; a packet leaves only when the VC it goes
 *              to has room for all its flits (up to the buffer), a slot's credit returning
 *              S + d + creditDelay cycles after the flit in it left (ring of departure cycles)
 * </pre>
 *
 * When every resource is free at the asking cycle the packet takes them all for its serialization
 * time (one cycle per flit); otherwise it asks again at the earliest cycle the known reservations
 * allow (or the next cycle while a credit waits on a departure not yet decided). The requests of
 * one router in one cycle are decided together, as the flit model decides them: VC allocation by
 * separable iSLIP (a grant pointer per output VC over the router's input VCs, an accept pointer
 * per input VC), then switch allocation by separable iSLIP. With no contention the timing is that
 * of {@link FlitEngine} exactly (same pipeline: arrival + R + V' to the switch, + S + X + d to the
 * next router).
 *
 * <p>Caveats: a packet needs credits for all its flits at once (virtual cut-through; wormhole in
 * the flit model moves a head on one credit); VC allocation and switch allocation are decided in
 * the same cycle, and a head granted its VC in that cycle is not given the flit model's lower
 * (speculative) switch priority. The round-robin VA grant matters on long streams merging at a
 * router (ADR 0106: without it a row's nodes shared an edge port evenly instead of nearest first,
 * and region crossings came out 11 % slow along a column and 43 % fast through a turn). The
 * agreement with the flit model is measured in docs/validation.md and held by
 * {@code FidelityAgreementTest} and {@code EdgeStreamAgreementTest}.
 */
public final class PacketEngine extends NetworkEngine {
    private static final int P = MeshShape.PORTS;
    private static final int NONE = Integer.MIN_VALUE;
    private static final long UNKNOWN = Long.MAX_VALUE;
    private final int R, VD, S, X, D, B, CRL;
    private final boolean table;
    private final int split;

    // per router output (r * P + port)
    private final long[] linkFree;
    private final int[] outTarget; // neighbour router, or -1 - terminal, or NONE
    private final int[] outIvBase; // base input-VC index at the neighbour, or -1
    // per router input port (r * P + port)
    private final long[] inFree;
    // per input VC iv = (r * P + port) * vcs + vc; the output VC feeding it is the same index
    private final int[] ivFirst; // packet queue
    private final int[] ivLast;
    private final long[] ivReady; // earliest cycle the next head may ask for the switch
    private final int[] vaAptr; // VA accept pointer over the router's output VCs
    private final int[] vaGptr; // per output VC (indexed as the input VC it feeds): VA grant pointer over the router's input VCs
    private final long[] ovFree; // the output VC feeding iv is free from this cycle
    private final long[] ring; // B departure cycles per iv (UNKNOWN until decided)
    private final int[] ringHead;
    private final int[] ringLen;
    private final int[] ringKnown;
    // per terminal
    private final long[] injFree;
    private final int[] injLastVc;
    private final double injInterval;
    private final double ejInterval;

    // per packet
    private int[] at = new int[256]; // router the head is at, or -1 when the next event is the retirement
    private int[] pIv = new int[256]; // input VC it waits in
    private int[] pOut = new int[256]; // output port it asks for there
    private int[] pNext = new int[256]; // next packet in the same input VC
    private int[] pOv = new int[256]; // output VC it holds at the router it is at, or -1
    private long[] pArr = new long[256]; // head arrival at the router

    private int[] pReqNext = new int[256]; // next switch (or VC) request of the same router this cycle
    private long[] pAsk = new long[256]; // cycle of its switch request

    // switch allocation (per router: rp = r * P)
    private final int[] rReq; // first switch request of this cycle per router, or -1
    private final int[] rVaReq; // first VC allocation request of this cycle per router, or -1
    private final int[] touched; // routers with requests this cycle
    private int touchedCount;
    private final int[] swRr; // per input: round-robin VC offset
    private final int[] swGptr; // per output: grant pointer (input)
    private final int[] swAptr; // per input: accept pointer (output)
    private final int[] swReq = new int[P * P]; // (input, output) -> requesting packet, or -1
    private final int[] swInMask = new int[P];
    private final int[] swGrantOut = new int[P];
    private final int[] won = new int[P];
    private final int[] vaPkt; // this cycle's VC requests of one router
    private final int[] vaGrant; // for each: the VCs (bit v) that grant it

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
        B = p.bufferFlits();
        CRL = S + D + p.creditDelayCycles();
        table = p.routing() == NocParams.Routing.TABLE;
        split = RouteTable.classSplit(vcs);
        int ports = sites * P;
        linkFree = new long[ports];
        inFree = new long[ports];
        outTarget = new int[ports];
        outIvBase = new int[ports];
        Arrays.fill(outTarget, NONE);
        Arrays.fill(outIvBase, -1);
        for (int r = 0; r < sites; r++) {
            if (shape.isDisabled(r)) continue;
            for (int d = MeshShape.NORTH; d <= MeshShape.WEST; d++) {
                int nb = shape.neighbour(r, d);
                if (nb >= 0 && !shape.isDisabled(nb)) {
                    outTarget[r * P + d] = nb;
                    outIvBase[r * P + d] = (nb * P + MeshShape.opposite(d)) * vcs;
                }
            }
        }
        for (int t = 0; t < terminals; t++) {
            int r = termRouter[t];
            if (shape.isDisabled(r)) continue;
            int port = termPort[t];
            if (port != MeshShape.LOCAL && shape.neighbour(r, port) >= 0) continue;
            outTarget[r * P + port] = -1 - t;
        }
        int nIv = ports * vcs;
        ivFirst = new int[nIv];
        ivLast = new int[nIv];
        Arrays.fill(ivFirst, -1);
        Arrays.fill(ivLast, -1);
        ivReady = new long[nIv];
        vaAptr = new int[nIv];
        vaGptr = new int[nIv];
        vaPkt = new int[P * vcs];
        vaGrant = new int[P * vcs];
        ovFree = new long[nIv];
        ring = new long[nIv * B];
        ringHead = new int[nIv];
        ringLen = new int[nIv];
        ringKnown = new int[nIv];
        rReq = new int[sites];
        Arrays.fill(rReq, -1);
        rVaReq = new int[sites];
        Arrays.fill(rVaReq, -1);
        touched = new int[sites];
        swRr = new int[ports];
        swGptr = new int[ports];
        swAptr = new int[ports];
        Arrays.fill(swReq, -1);
        injFree = new long[terminals];
        injLastVc = new int[terminals];
        Arrays.fill(injLastVc, -1);
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
                ask(pkt, r, time);
            }
        }
        for (int i = 0; i < touchedCount; i++) allocate(touched[i]);
        touchedCount = 0;
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

    /** VC class range of the packet's next hop: lo in the low 8 bits, hi above. */
    private int vcRange(int pkt) {
        if (!table) return (vcs - 1) << 8;
        return pktPhase[pkt] == 1 ? ((vcs - 1) << 8) | split : (split - 1) << 8;
    }

    private void inject(int t, long c) {
        int pkt = fifoHead[t];
        int len = pktSize[pkt];
        int need = Math.min(len, B);
        int r = termRouter[t];
        int base = (r * P + termPort[t]) * vcs;
        int range = vcRange(pkt);
        int lo = range & 0xff;
        int cnt = (range >>> 8) - lo + 1;
        int last = injLastVc[t];
        int vc = -1;
        for (int i = 1; i <= cnt; i++) {
            int v = (last < lo || last > lo + cnt - 1) ? lo + i - 1 : lo + (last - lo + i) % cnt;
            int iv = base + v;
            if (ovFree[iv] <= c && creditsAt(iv, need, c) <= c) {
                vc = v;
                break;
            }
        }
        if (vc < 0) return;
        popFifo(t);
        injLastVc[t] = vc;
        int iv = base + vc;
        pktItime[pkt] = c;
        injectedFlits[t] += len;
        injFree[t] = c + (long) Math.ceil(len * injInterval);
        ovFree[iv] = c + len;
        tailInjected(pkt, injFree[t]);
        ensure(pkt);
        enter(pkt, r, iv, c + D + 1, need);
    }

    /** The head of pkt arrives at router r into input VC iv at cycle arr; it holds need credits there. */
    private void enter(int pkt, int r, int iv, long arr, int need) {
        for (int i = 0; i < need; i++) {
            int pos = ringHead[iv] + ringLen[iv];
            if (pos >= B) pos -= B;
            ring[iv * B + pos] = UNKNOWN;
            ringLen[iv]++;
        }
        at[pkt] = r;
        pIv[pkt] = iv;
        pArr[pkt] = arr;
        pOut[pkt] = nextPort(pkt, r);
        pNext[pkt] = -1;
        pOv[pkt] = -1;
        if (ivFirst[iv] < 0) {
            ivFirst[iv] = pkt;
            push(Math.max(arr, ivReady[iv]) + R + VD, pkt);
        } else {
            pNext[ivLast[iv]] = pkt;
        }
        ivLast[iv] = pkt;
    }

    /**
     * Earliest cycle at which input VC iv has room for need more flits, as far as decided
     * departures tell; UNKNOWN when it waits on a departure not decided yet. Drops the slots whose
     * credits are back by cycle now.
     */
    private long creditsAt(int iv, int need, long now) {
        int rb = iv * B;
        int h = ringHead[iv];
        int len = ringLen[iv];
        int known = ringKnown[iv];
        while (known > 0 && ring[rb + h] + CRL <= now) {
            h = h + 1 == B ? 0 : h + 1;
            len--;
            known--;
        }
        ringHead[iv] = h;
        ringLen[iv] = len;
        ringKnown[iv] = known;
        int over = len + need - B; // slots that must free first
        if (over <= 0) return now;
        if (over > known) return UNKNOWN;
        int pos = h + over - 1;
        if (pos >= B) pos -= B;
        return ring[rb + pos] + CRL;
    }

    private void ask(int pkt, int r, long s) {
        hopsProcessed++;
        int lk = r * P + pOut[pkt];
        if (outTarget[lk] >= 0 && pOv[pkt] < 0) {
            // VC allocation, VD cycles before this switch request: the packet asks for every free
            // output VC of its class (credits are not asked, as in the flit model's VA); the
            // router's requests of this cycle are decided together in allocate(), as the flit
            // model's separable iSLIP VA (grant pointer per output VC, accept pointer per input VC)
            int base = outIvBase[lk];
            int range = vcRange(pkt);
            int lo = range & 0xff;
            int hi = range >>> 8;
            long vaAt = s - VD;
            long earliest = UNKNOWN;
            boolean any = false;
            for (int v = lo; v <= hi; v++) {
                long f = ovFree[base + v];
                if (f <= vaAt) {
                    any = true;
                    break;
                }
                if (f < earliest) earliest = f;
            }
            if (!any) {
                // every VC of the class is held: ask again once one is free (or next cycle
                // while their holders have not left)
                push(earliest == UNKNOWN ? s + 1 : Math.max(s + 1, earliest + VD), pkt);
                return;
            }
            pAsk[pkt] = s;
            if (rReq[r] < 0 && rVaReq[r] < 0) touched[touchedCount++] = r;
            pReqNext[pkt] = rVaReq[r];
            rVaReq[r] = pkt;
            return;
        }
        saRequest(pkt, r, s, false);
    }

    /**
     * The packet holds its output VC (or goes to an ejection port): it requests the switch at s
     * when its input, the link and the downstream credits allow, else asks again when they do.
     * With {@code late} (VC allocated in this same cycle by {@link #allocateVcs}) the request is
     * not queued: the caller adds it to this cycle's switch allocation.
     *
     * @return true when the packet requests the switch at s
     */
    private boolean saRequest(int pkt, int r, long s, boolean late) {
        int o = pOut[pkt];
        int lk = r * P + o;
        int in = pIv[pkt] / vcs;
        int tgt = outTarget[lk];
        int need = Math.min(pktSize[pkt], B);
        int ov = pOv[pkt];
        long ready = Math.max(s, Math.max(linkFree[lk], inFree[in]));
        if (tgt >= 0) {
            long cr = creditsAt(ov, need, s);
            ready = cr == UNKNOWN ? Math.max(ready, s + 1) : Math.max(ready, cr);
        }
        if (ready > s) {
            push(ready, pkt); // ask again when the known reservations allow
            return false;
        }
        // a switch request of this cycle, decided with the router's other requests in allocate()
        pAsk[pkt] = s;
        if (late) return true;
        if (rReq[r] < 0 && rVaReq[r] < 0) touched[touchedCount++] = r;
        pReqNext[pkt] = rReq[r];
        rReq[r] = pkt;
        return true;
    }

    /**
     * VC allocation of one router over this cycle's requests, as the flit model's separable iSLIP
     * VA with one iteration: each free output VC grants the requesting input VC at or after its
     * grant pointer, each input VC accepts the granting output VC at or after its accept pointer.
     * Winners hold their VC and go on to switch allocation (in this same cycle: the request stands
     * for VA at s - V', SA at s); losers ask again next cycle.
     *
     * @return the winners whose switch request stands this cycle, linked through pReqNext
     */
    private int allocateVcs(int r) {
        int rp = r * P;
        int pv = P * vcs;
        int n = 0;
        for (int pkt = rVaReq[r]; pkt >= 0; pkt = pReqNext[pkt]) vaPkt[n++] = pkt;
        rVaReq[r] = -1;
        // grants: a bit per VC of the packet's class that grants it
        for (int i = 0; i < n; i++) {
            int pkt = vaPkt[i];
            int lk = rp + pOut[pkt];
            int base = outIvBase[lk];
            int range = vcRange(pkt);
            int lo = range & 0xff;
            int hi = range >>> 8;
            long vaAt = pAsk[pkt] - VD;
            int li = pIv[pkt] - rp * vcs;
            int g = 0;
            for (int v = lo; v <= hi; v++) {
                int ov = base + v;
                if (ovFree[ov] > vaAt) continue;
                int ptr = vaGptr[ov];
                int mine = li - ptr;
                if (mine < 0) mine += pv;
                boolean best = true;
                for (int j = 0; j < n && best; j++) {
                    if (j == i) continue;
                    int q = vaPkt[j];
                    if (pOut[q] != pOut[pkt]) continue;
                    int qr = vcRange(q);
                    if (v < (qr & 0xff) || v > (qr >>> 8)) continue;
                    int d = pIv[q] - rp * vcs - ptr;
                    if (d < 0) d += pv;
                    if (d < mine) best = false;
                }
                if (best) g |= 1 << v;
            }
            vaGrant[i] = g;
        }
        int head = -1;
        for (int i = n - 1; i >= 0; i--) {
            int pkt = vaPkt[i];
            int g = vaGrant[i];
            long s = pAsk[pkt];
            if (g == 0) {
                push(s + 1, pkt);
                continue;
            }
            // accept: the first granting VC at or after the input VC's pointer over the router's
            // output VCs (o * vcs + v), wrapping round
            int iv = pIv[pkt];
            int o = pOut[pkt];
            int first = o * vcs;
            int ptr = vaAptr[iv];
            int startV = ptr <= first ? 0 : ptr >= first + vcs ? 0 : ptr - first;
            int v = -1;
            for (int k = 0; k < vcs; k++) {
                int c = startV + k;
                if (c >= vcs) c -= vcs;
                if ((g >> c & 1) != 0) {
                    v = c;
                    break;
                }
            }
            int ov = outIvBase[rp + o] + v;
            ovFree[ov] = UNKNOWN;
            int nextA = first + v + 1;
            vaAptr[iv] = nextA == pv ? 0 : nextA;
            int li = iv - rp * vcs;
            vaGptr[ov] = li + 1 == pv ? 0 : li + 1;
            pOv[pkt] = ov;
            if (saRequest(pkt, r, s, true)) {
                pReqNext[pkt] = head;
                head = pkt;
            }
        }
        return head;
    }

    /**
     * Switch allocation of one router over this cycle's requests, as the flit model's separable
     * iSLIP allocator with one iteration: one VC per (input, output) pair by a round-robin offset
     * per input, each output grants the first requesting input at or after its pointer, each input
     * accepts the first granting output at or after its pointer. Losers ask again next cycle.
     */
    private void allocate(int r) {
        int rp = r * P;
        if (rVaReq[r] >= 0) {
            int late = allocateVcs(r);
            if (late >= 0) {
                int tail = late;
                while (pReqNext[tail] >= 0) tail = pReqNext[tail];
                pReqNext[tail] = rReq[r];
                rReq[r] = late;
            }
            if (rReq[r] < 0) return;
        }
        int outMask = 0;
        for (int pkt = rReq[r]; pkt >= 0; pkt = pReqNext[pkt]) {
            int iv = pIv[pkt];
            int in = iv / vcs - rp;
            int v = iv % vcs;
            int o = pOut[pkt];
            int slot = in * P + o;
            int cur = swReq[slot];
            if (cur < 0) {
                swReq[slot] = pkt;
                swInMask[o] |= 1 << in;
                outMask |= 1 << o;
            } else {
                int off = swRr[rp + in];
                int dv = v - off;
                if (dv < 0) dv += vcs;
                int dc = pIv[cur] % vcs - off;
                if (dc < 0) dc += vcs;
                if (dv < dc) swReq[slot] = pkt;
            }
        }
        int grantIn = SwitchGrant.grant(outMask, swInMask, swGptr, rp, swGrantOut);
        int nWon = 0;
        for (int gm = grantIn; gm != 0; gm &= gm - 1) {
            int in = Integer.numberOfTrailingZeros(gm);
            int outs = swGrantOut[in];
            swGrantOut[in] = 0;
            int hi = outs & (-1 << swAptr[rp + in]);
            int o = Integer.numberOfTrailingZeros(hi != 0 ? hi : outs);
            int pkt = swReq[in * P + o];
            swGptr[rp + o] = in + 1 == P ? 0 : in + 1;
            swAptr[rp + in] = o + 1 == P ? 0 : o + 1;
            int v = pIv[pkt] % vcs;
            swRr[rp + in] = v + 1 == vcs ? 0 : v + 1;
            won[nWon++] = pkt;
        }
        for (int om = outMask; om != 0; om &= om - 1) {
            int o = Integer.numberOfTrailingZeros(om);
            for (int ins = swInMask[o]; ins != 0; ins &= ins - 1) swReq[Integer.numberOfTrailingZeros(ins) * P + o] = -1;
            swInMask[o] = 0;
        }
        int pkt = rReq[r];
        rReq[r] = -1;
        while (pkt >= 0) {
            int nx = pReqNext[pkt];
            boolean w = false;
            for (int i = 0; i < nWon; i++) if (won[i] == pkt) w = true;
            if (w) grant(pkt, r, pAsk[pkt]); else push(pAsk[pkt] + 1, pkt);
            pkt = nx;
        }
    }

    /** The packet at router r wins the switch at cycle s: it leaves in cycles s .. s + len - 1. */
    private void grant(int pkt, int r, long s) {
        int o = pOut[pkt];
        int lk = r * P + o;
        int iv = pIv[pkt];
        int in = iv / vcs;
        int len = pktSize[pkt];
        int tgt = outTarget[lk];
        int need = Math.min(len, B);
        int ov = pOv[pkt];
        long tailLeaves = s + len - 1;
        pktHops[pkt]++;
        linkFlits[lk] += len;
        inFree[in] = s + len;
        // the slots it held in iv free as its flits leave
        int rb = iv * B;
        int held = Math.min(len, B);
        for (int i = 0; i < held; i++) {
            int pos = ringHead[iv] + ringKnown[iv];
            if (pos >= B) pos -= B;
            ring[rb + pos] = s + Math.max(0, len - held) + i;
            ringKnown[iv]++;
        }
        // the next packet in the VC becomes its head
        ivReady[iv] = tailLeaves + S;
        int nx = pNext[pkt];
        ivFirst[iv] = nx;
        if (nx < 0) {
            ivLast[iv] = -1;
        } else {
            push(Math.max(pArr[nx], ivReady[iv]) + R + VD, nx);
        }
        long arrive = s + S + X + D;
        if (tgt >= 0) {
            linkFree[lk] = s + len;
            ovFree[ov] = s + len;
            pOv[pkt] = -1;
            enter(pkt, tgt, ov, arrive, need);
        } else {
            linkFree[lk] = s + (long) Math.ceil(len * ejInterval);
            at[pkt] = -1;
            push(arrive + (long) Math.ceil((len - 1) * ejInterval), pkt);
        }
    }

    private void ensure(int pkt) {
        if (pkt >= at.length) {
            int n = Math.max(at.length * 2, pkt + 1);
            at = Arrays.copyOf(at, n);
            pIv = Arrays.copyOf(pIv, n);
            pOut = Arrays.copyOf(pOut, n);
            pNext = Arrays.copyOf(pNext, n);
            pOv = Arrays.copyOf(pOv, n);
            pReqNext = Arrays.copyOf(pReqNext, n);
            pAsk = Arrays.copyOf(pAsk, n);
            pArr = Arrays.copyOf(pArr, n);
        }
    }

    private void push(long time, int pkt) {
        if (pkt >= 1 << 21) {
            // the key holds 21 bits of packet id: more packets live at once would corrupt the heap
            throw new IllegalStateException("packet engine on mesh " + shape + ": more than " + (1 << 21)
                    + " packets live at once at cycle " + time);
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
