package io.dojosim.noc.internal;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.noc.NocParams.Routing;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Workers;
import java.util.Arrays;

/**
 * Flit-level model of every router of a mesh, in struct-of-arrays form: input-queued routers with
 * virtual channels, credit-based flow control, wormhole switching and a pipeline of route
 * computation (RC), VC allocation (VA), switch allocation (SA) and switch traversal (ST), each with
 * a configurable delay. VA and SA are separable iSLIP allocators with one iteration and
 * round-robin pointers, as BookSim2's {@code iq} router with {@code islip} allocators; SA first
 * picks one VC per (input, output) pair with a round-robin offset per input.
 *
 * <p>Timing (cycle numbers; R, V, S, X the stage delays, d the channel latency):
 * <pre>
 *   head arrives at a      -> VA eligible at a + R        (RC)
 *   VA granted at c        -> SA eligible at c + V, or c + V - 1 with speculative SA (with V = 1
 *                             the head requests the switch in its VA cycle, after every
 *                             non-speculative request: only inputs and outputs they left free)
 *   SA granted at c        -> arrives downstream at c + S + X + d, its slot's credit is usable
 *                             upstream at c + S + d + creditDelay
 *   injected at t          -> arrives at the first router at t + d + 1
 *   SA granted to ejection -> ejected (tail: packet done) at c + S + X + d
 * </pre>
 * Every effect lands at least one cycle later, so routers are evaluated independently in any order
 * (they communicate only through these modelled channels). A flit is written into the downstream
 * buffer with its arrival cycle when it is sent; the slot was reserved by the credit.
 *
 * <p>Only routers holding flits are evaluated (the active set); idle routers cost nothing. A
 * VC waiting for a stage has its bit in a ring of per-router masks at the slot of the cycle it
 * becomes eligible; each cycle's slot is ORed into the routers' ready masks and wakes them, so
 * neither allocator scans per-VC cycles (docs/adr/0116). A cycle's routers may be split over host
 * threads ({@link #useWorkers}) without changing any result.
 *
 * <p>Caveats: with VA or SA delays above one cycle the grant is committed at once (BookSim2
 * re-checks it at the end of the stage). Ejection channels accept a flit whenever their
 * bandwidth allows (an ejection buffer never fills: the sink always drains, and with buffers of
 * at least 2d + S + X + 1 flits BookSim2's ejection credits never bind either). A buffer slot
 * keeps the low 32 bits of its flit's arrival cycle: a flit that waited 2^31 cycles or more in one
 * buffer (only in a deadlock) would have its occupancy mis-counted (docs/adr/0113). The ring
 * holds W x routers longs, W the power of two above the longest stage-plus-link lead: a link
 * latency of thousands of cycles makes it large.
 */
public final class FlitEngine extends NetworkEngine {
    private static final int P = MeshShape.PORTS;
    private static final byte IDLE = 0, VA = 1, ACTIVE = 2;
    // a flit is its packet id shifted past two flags: head (first flit) and tail (last flit)
    private static final int FLAG_BITS = 2;
    private static final int HEAD = 2, TAIL = 1;

    private final int B;
    private final int R, VD, S, X, D, CD;
    private final int PV;
    private final boolean table;
    private final int split;

    // input VCs, index iv = (r * P + port) * V + vc
    // buffer slots: the flit in the low 32 bits, its arrival cycle's low 32 bits in the high ones
    // (a flit's arrival lies within 2^31 cycles of any cycle it is looked at: see arrival())
    private final long[] buf;
    private final int[] ivHead;
    private final int[] ivLen;
    private final byte[] ivState;
    private final byte[] ivOutPort;
    private final byte[] ivOutVc;
    // VA groups: the local output VCs a head may request form fixed groups (its output port; with
    // table routing, the port's VC class of the head's phase), and a head requests every VC of one
    private final byte[] ivGroup; // the group the head of each input VC requests
    private final long[] groupOvs; // local output VCs of each group
    private final byte[] ovGroup; // group of each local output VC
    private final int[] vaAptr;

    // credit state: [0, sites*P*V) router output VCs, then terminals * V injection channels
    private final int[] crAvail;
    // credits on their way back: every return takes the same S + D + CD cycles, so one FIFO in
    // time order holds them all, and crAvail is exact once the returns due by this cycle are applied
    private final int CR_DELAY;
    private final int crRouterLimit; // credit indices below it belong to router output VCs
    private final TimedFifo crRet = new TimedFifo();
    private final int[] crRouter; // router owning each router output VC credit index (no division per credit)
    private final int[] owner; // terminal holding an injection VC, -1 free (router output VCs: rFreeOv)
    private final int[] vaGptr;

    // per router
    private final int[] rFlits;
    private final long[] rVaMask; // local input VCs in VA state per router
    // eligibility by time: a VC that is waiting for a stage (RC, the VA-to-SA delay, a flit's
    // arrival) has its bit in the ring slot of the cycle it becomes eligible; step() ORs each due
    // slot into rReady and wakes the routers concerned. A VC holds one pending eligibility at most.
    private final long[] rReady; // local input VCs holding flits whose eligibility has come (VA or SA)
    private final int W; // ring slots, a power of two above the longest lead of an eligibility
    private final long[] ring; // at slot * sites + r: local input VCs of router r eligible at that slot's cycle
    private final long[] ringBits; // at slot * words + w: routers with a non-empty ring entry in that slot
    private final int words;
    private static final int MAX_LEAD = 4096; // the ring of an 18 x 20 mesh at most 8192 x 360 longs (24 MB)
    private static final long MAX_RING_LONGS = 1L << 25; // 256 MiB of ring, checked before anything is allocated
    private long folded = -1; // ring slots up to this cycle have been ORed into rReady
    private final long[] rCrIn; // ACTIVE local input VCs whose output VC has a credit (ejection: always)
    private final long[] ovHolderBit; // bit of the local input VC holding each router output VC, 0 if free
    private final long[] rFreeOv; // local output VCs no packet holds (owner < 0), per router
    private final long[] rWake; // no VC of the router can act before this cycle
    private final long[] rMask;
    private final int[] swGptr;
    private final int[] swAptr;
    private final int[] swRr;
    private final long[] occupancy;
    private final long[] activeBits; // routers holding flits, one bit per site
    private int[] evalList; // routers evaluated this cycle, ascending

    // wiring
    private final int[] outTarget; // base iv of downstream input, or -1 - terminal (sink), or NONE
    private final int[] inUpCredit; // base credit index of upstream, or -1
    private final int[] outRouter; // downstream router of each output, or -1
    private static final int NONE = Integer.MIN_VALUE;

    // sources
    private final int[] srcSeq;
    private final int[] srcVc;
    private final int[] srcLastVc;
    private final double injInterval;
    private final double ejInterval;
    private final boolean injThrottled; // injection below one flit per cycle
    private final boolean ejThrottled; // ejection below one flit per cycle
    private final double[] injNext;
    private final double[] ejNext;

    // ejection FIFO (times are non-decreasing): flits with the cycle their ejection channel delivers them
    private final TimedFifo ej = new TimedFifo();

    private final int[] inOf; // local input VC index -> input port
    private final long[] inVcs; // input port -> its local input VCs
    private static final int PORT_BITS = (1 << P) - 1;
    // XY or YX routing on a mesh without dead links: the output port of a head at router r bound for
    // terminal t, at r * terminals + t (the route computation as one load); null otherwise
    private final byte[] portTo;
    private static final long PORT_TABLE_MAX = 1L << 22;

    // host threads: lanes evaluate disjoint ranges of routers (docs/adr/0070-parallel-flit-engine.md)
    private static final int MIN_ROUTERS_PER_LANE = 24;
    private Workers workers;
    private Lane[] lanes;
    private long parallelCycles;
    private final Workers.Task evaluateLanes = this::evaluateLane;
    private final Workers.Task evaluateAll = this::evaluateAll;
    private int evalCount;
    private long evalCycle;

    public FlitEngine(MeshShape shape, NocParams p) {
        super(shape, p);
        this.B = p.bufferFlits();
        this.R = p.routingDelayCycles();
        this.VD = p.vaToSaCycles(); // VA grant to SA request: one less with speculative SA
        this.S = p.swAllocDelayCycles();
        this.X = p.stDelayCycles();
        this.D = p.linkLatencyCycles();
        this.CD = p.creditDelayCycles();
        this.PV = P * vcs;
        this.table = p.routing() == Routing.TABLE;
        this.split = RouteTable.classSplit(vcs);
        W = ringSlots(p, sites); // may refuse the configuration: before the engine's arrays
        int nIv = sites * PV;
        buf = new long[nIv * B];
        ivHead = new int[nIv];
        ivLen = new int[nIv];
        ivState = new byte[nIv];
        ivOutPort = new byte[nIv];
        ivOutVc = new byte[nIv];
        ivGroup = new byte[nIv];
        groupOvs = new long[2 * P];
        ovGroup = new byte[PV];
        for (int ovl = 0; ovl < PV; ovl++) {
            int o = ovl / vcs;
            int g = table ? 2 * o + (ovl % vcs >= split ? 1 : 0) : o;
            ovGroup[ovl] = (byte) g;
            groupOvs[g] |= 1L << ovl;
        }
        vaAptr = new int[nIv];
        int nCr = nIv + terminals * vcs;
        crAvail = new int[nCr];
        Arrays.fill(crAvail, B);
        CR_DELAY = S + D + CD;
        crRouterLimit = nIv;
        crRouter = new int[nIv];
        for (int i = 0; i < nIv; i++) crRouter[i] = i / PV;
        owner = new int[nCr];
        Arrays.fill(owner, -1);
        vaGptr = new int[nIv];
        rFlits = new int[sites];
        rVaMask = new long[sites];
        rReady = new long[sites];
        words = (sites + 63) >>> 6;
        ring = new long[W * sites];
        ringBits = new long[W * words];
        rCrIn = new long[sites];
        ovHolderBit = new long[nIv];
        rFreeOv = new long[sites];
        Arrays.fill(rFreeOv, PV == 64 ? -1L : (1L << PV) - 1);
        rWake = new long[sites];
        rMask = new long[sites];
        swGptr = new int[sites * P];
        swAptr = new int[sites * P];
        swRr = new int[sites * P];
        occupancy = new long[sites];
        activeBits = new long[(sites + 63) >>> 6];
        evalList = new int[sites];
        outTarget = new int[sites * P];
        inUpCredit = new int[sites * P];
        Arrays.fill(outTarget, NONE);
        Arrays.fill(inUpCredit, -1);
        outRouter = new int[sites * P];
        Arrays.fill(outRouter, -1);
        for (int r = 0; r < sites; r++) {
            if (shape.isDisabled(r)) continue;
            for (int d = MeshShape.NORTH; d <= MeshShape.WEST; d++) {
                int nb = shape.neighbour(r, d);
                if (nb >= 0 && !shape.isDisabled(nb)) {
                    int opp = MeshShape.opposite(d);
                    outTarget[r * P + d] = (nb * P + opp) * vcs;
                    outRouter[r * P + d] = nb;
                    inUpCredit[nb * P + opp] = (r * P + d) * vcs;
                }
            }
        }
        for (int t = 0; t < terminals; t++) {
            int r = termRouter[t];
            if (shape.isDisabled(r)) continue;
            int port = termPort[t];
            if (port != MeshShape.LOCAL && shape.neighbour(r, port) >= 0) continue; // not on that edge
            outTarget[r * P + port] = -1 - t;
            inUpCredit[r * P + port] = nIv + t * vcs;
        }
        srcSeq = new int[terminals];
        srcVc = new int[terminals];
        srcLastVc = new int[terminals];
        Arrays.fill(srcLastVc, vcs - 1);
        injInterval = 1.0 / p.injectionFlitsPerCycle();
        ejInterval = 1.0 / p.ejectionFlitsPerCycle();
        injThrottled = injInterval != 1.0;
        ejThrottled = ejInterval != 1.0;
        injNext = new double[terminals];
        ejNext = new double[terminals];
        inOf = new int[PV];
        for (int i = 0; i < PV; i++) inOf[i] = i / vcs;
        inVcs = new long[P];
        for (int in = 0; in < P; in++) inVcs[in] = ((1L << vcs) - 1) << (in * vcs);
        portTo = portTable();
        useWorkers(Workers.single());
    }

    /**
     * The eligibility ring's slots: a power of two above the longest lead of an eligibility (a flit's
     * switch allocation, traversal and link, plus route computation; or the VA-to-SA delay).
     *
     * @throws ConfigException naming the keys when the lead passes {@value #MAX_LEAD} cycles or the ring
     * of {@code sites} routers would pass {@value #MAX_RING_LONGS} longs (256 MiB), before any array
     * of the engine is allocated
     */
    private static int ringSlots(NocParams p, int sites) {
        long lead = Math.max(Math.max((long) p.swAllocDelayCycles() + p.stDelayCycles() + p.linkLatencyCycles(),
                p.linkLatencyCycles() + 1L) + p.routingDelayCycles(), p.vaToSaCycles());
        if (lead > MAX_LEAD) {
            throw new ConfigException("noc: routingDelayCycles + swAllocDelayCycles + stDelayCycles + linkLatencyCycles = "
                    + lead + " cycles is too long for fidelity flit (its eligibility ring would hold more than "
                    + MAX_LEAD + " cycles); allowed: at most " + MAX_LEAD + ", or noc.fidelity packet");
        }
        int w = Integer.highestOneBit((int) lead) << 1;
        if ((long) w * sites > MAX_RING_LONGS) {
            throw new ConfigException("noc: fidelity flit keeps an eligibility ring of " + w + " cycles (a power of two above the "
                    + lead + "-cycle lead of routingDelayCycles + swAllocDelayCycles + stDelayCycles + linkLatencyCycles) for each of "
                    + sites + " routers: " + ((long) w * sites * 8 >> 20) + " MiB, more than " + (MAX_RING_LONGS * 8 >> 20)
                    + " MiB; allowed: a smaller mesh or shorter delays, or noc.fidelity packet");
        }
        return w;
    }

    /** Precomputes {@link #nextPort} where it depends on the router and destination only (dimension-order routes). */
    private byte[] portTable() {
        Routing rt = p.routing();
        if (rt == Routing.TABLE || routes.upDown() || (long) sites * terminals > PORT_TABLE_MAX) return null;
        byte[] t = new byte[sites * terminals];
        for (int r = 0; r < sites; r++) {
            for (int d = 0; d < terminals; d++) {
                int dr = termRouter[d];
                t[r * terminals + d] = (byte) (r == dr ? termPort[d] : routes.dimOrderPort(r, dr, rt == Routing.XY));
            }
        }
        return t;
    }

    /**
     * Evaluates routers on the lanes of {@code w} when enough of them are busy in a cycle and the
     * team finds that splitting pays. Results are identical for every team size: within a cycle a
     * router's writes into other routers become visible a cycle later at the earliest, each lane
     * owns a run of routers and applies writes into them at once, and what it writes into other
     * lanes' routers or ejects is merged after the cycle in lane order, which is ascending router
     * order, the order a single lane evaluates them in (docs/adr/0070-parallel-flit-engine.md).
     */
    public void useWorkers(Workers w) {
        this.workers = w;
        int n = w.threads();
        lanes = new Lane[n];
        for (int i = 0; i < n; i++) {
            lanes[i] = new Lane(PV);
            lanes[i].evaluated = new int[sites];
        }
    }

    /** @return cycles whose routers were split over more than one lane */
    public long parallelCycles() {
        return parallelCycles;
    }

    /**
     * Scratch of one lane's allocators and, in a split cycle, the effects its routers have on other
     * lanes' routers (flits written downstream, credits returned upstream) and the flits they
     * eject, merged by {@link #step} in lane order.
     */
    private static final class Lane {
        int lo, hi; // routers [lo, hi) belong to this lane in the current cycle: writes to others are recorded
        boolean all; // the cycle is not split: every write is applied at once
        int[] evaluated;
        final long[] vaReqByGroup = new long[2 * P]; // per VA group: local input VCs requesting it
        final long[] vaGrantByIn; // per local input VC: local output VCs granting it
        final int[] swReq = new int[P * P]; // VC an input puts forward for an output (read only where requested)
        long specMask; // local input VCs of the router being evaluated granted VA this cycle (speculative SA)
        long evaluations;
        int[] pushIv = new int[64];
        int[] pushFlit = new int[64];
        long[] pushArr = new long[64];
        int pushes;
        final IntLongLog credits = new IntLongLog(64); // credit index, cycle it is usable
        final IntLongLog ejections = new IntLongLog(16); // flit, ejection cycle

        Lane(int pv) {
            vaGrantByIn = new long[pv];
        }

        void deferPush(int iv, int flit, long arr) {
            if (pushes == pushIv.length) {
                int n = pushes * 2;
                pushIv = Arrays.copyOf(pushIv, n);
                pushFlit = Arrays.copyOf(pushFlit, n);
                pushArr = Arrays.copyOf(pushArr, n);
            }
            pushIv[pushes] = iv;
            pushFlit[pushes] = flit;
            pushArr[pushes++] = arr;
        }

    }

    /** A growable list of (int, long) pairs, kept between cycles so steady state allocates nothing. */
    private static final class IntLongLog {
        int[] i;
        long[] l;
        int n;

        IntLongLog(int capacity) {
            i = new int[capacity];
            l = new long[capacity];
        }

        void add(int a, long b) {
            if (n == i.length) {
                i = Arrays.copyOf(i, n * 2);
                l = Arrays.copyOf(l, n * 2);
            }
            i[n] = a;
            l[n++] = b;
        }
    }

    /**
     * A FIFO ring of (cycle, int) entries appended in non-decreasing cycle order: the credits on
     * their way back and the flits in ejection channels. Grows by doubling; nothing allocated in
     * steady state.
     */
    private static final class TimedFifo {
        long[] time = new long[1024];
        int[] val = new int[1024];
        int head;
        int len;

        void add(long at, int v) {
            if (len == time.length) {
                int n = len * 2;
                long[] nt = new long[n];
                int[] nv = new int[n];
                for (int k = 0; k < len; k++) {
                    int j = (head + k) & (time.length - 1);
                    nt[k] = time[j];
                    nv[k] = val[j];
                }
                time = nt;
                val = nv;
                head = 0;
            }
            int pos = (head + len) & (time.length - 1);
            time[pos] = at;
            val[pos] = v;
            len++;
        }

        /** Removes the oldest entry and returns its value. */
        int pop() {
            int v = val[head];
            head = (head + 1) & (time.length - 1);
            len--;
            return v;
        }
    }

    @Override
    public boolean busy() {
        return pendingCount > 0 || ej.len > 0 || anyActive();
    }

    @Override
    public long routerCyclesEvaluated() {
        long n = 0;
        for (Lane l : lanes) n += l.evaluations;
        return n;
    }

    @Override
    public long[] occupancyFlitCycles() {
        return occupancy;
    }

    @Override
    public void step(long c) {
        // 0. credits whose return is due by this cycle become usable (every return was recorded in
        // an earlier cycle: the credit delay is at least S + D >= 2)
        final TimedFifo cr = crRet;
        while (cr.len > 0 && cr.time[cr.head] <= c) {
            int ci = cr.pop();
            crAvail[ci]++;
            // a router asleep on credits (sleepUntilChange) is evaluated again from this cycle
            if (ci < crRouterLimit) {
                int ur = crRouter[ci];
                rWake[ur] = Math.min(rWake[ur], c);
                rCrIn[ur] |= ovHolderBit[ci]; // already set unless the count was 0
            }
        }
        // eligibilities due by this cycle
        foldRing(c);
        // 1. ejection: flits whose ejection channel delivers this cycle
        final TimedFifo e = ej;
        while (e.len > 0 && e.time[e.head] <= c) {
            long at = e.time[e.head];
            int flit = e.pop();
            int pkt = flit >>> FLAG_BITS;
            ejectedFlits[pktDst[pkt]]++;
            if ((flit & TAIL) != 0) {
                retire(pkt, at);
            }
        }
        // 2. synthetic sources
        runGenerator(c);
        // 3. injection, one flit per terminal per cycle at most
        int n = pendingCount;
        int k = 0;
        for (int i = 0; i < n; i++) {
            int t = pending[i];
            inject(t, c);
            if (fifoHead[t] >= 0) {
                pending[k++] = t;
            } else {
                isPending[t] = false;
            }
        }
        // terminals appended during this loop (by a sink or generator) stay after the kept ones
        for (int i = n; i < pendingCount; i++) pending[k++] = pending[i];
        pendingCount = k;
        // 4. routers holding flits whose wake cycle has come, in ascending order
        int ne = 0;
        for (int wd = 0; wd < activeBits.length; wd++) {
            for (long bits = activeBits[wd]; bits != 0; bits &= bits - 1) {
                int r = (wd << 6) | Long.numberOfTrailingZeros(bits);
                if (rWake[r] <= c) evalList[ne++] = r;
            }
        }
        if (ne == 0) return;
        int want = Math.min(ne / MIN_ROUTERS_PER_LANE, activeBits.length);
        int nl = want <= 1 ? 1 : workers.lanesFor(want); // the team decides whether splitting pays on this host now
        if (nl > 1) {
            evalCycle = c;
            workers.run(evaluateLanes, nl);
            parallelCycles++;
            for (int i = 0; i < nl; i++) merge(lanes[i]);
            return;
        }
        evalCount = ne;
        evalCycle = c;
        if (want > 1) workers.run(evaluateAll, 1); // timed: the team compares it with split cycles
        else evaluateAll(0, 0);
    }

    /**
     * Lane {@code lane} of {@code k} in a split cycle: the routers of its own run of 64-router
     * words of the active bitmap, in ascending order. Writes into its own routers (flits passed
     * between them, credits returned to them, their active bits) are applied at once, as a single
     * lane would; writes into another lane's routers and ejections are recorded for the merge. A
     * router's state thus stays with the thread that owns it from cycle to cycle.
     */
    private void evaluateLane(int lane, int k) {
        int words = activeBits.length;
        int w0 = (int) ((long) words * lane / k);
        int w1 = (int) ((long) words * (lane + 1) / k);
        Lane l = lanes[lane];
        l.lo = w0 << 6;
        l.hi = Math.min(sites, w1 << 6);
        l.all = false;
        long c = evalCycle;
        int[] mine = l.evaluated;
        int n = 0;
        for (int wd = w0; wd < w1; wd++) {
            for (long bits = activeBits[wd]; bits != 0; bits &= bits - 1) {
                int r = (wd << 6) | Long.numberOfTrailingZeros(bits);
                if (rWake[r] <= c) mine[n++] = r;
            }
        }
        for (int i = 0; i < n; i++) evaluate(l, mine[i], c);
        for (int i = 0; i < n; i++) {
            int r = mine[i];
            if (rFlits[r] == 0) activeBits[r >>> 6] &= ~(1L << r); // a later merge may set it again
        }
        l.evaluations += n;
        workers.countItems(lane, n);
    }

    /**
     * One lane, every router of this cycle's list in ascending order, every write applied at once;
     * {@code k} is 0 when called directly (a cycle too small to split: not counted by the team).
     */
    private void evaluateAll(int lane, int k) {
        Lane l = lanes[0];
        l.lo = 0;
        l.hi = sites;
        l.all = true;
        long c = evalCycle;
        int n = evalCount;
        // a router is evaluated only while it holds flits, and only its own departures empty it; a
        // later router of this cycle that writes into it sets its bit again
        for (int i = 0; i < n; i++) {
            int r = evalList[i];
            evaluate(l, r, c);
            if (rFlits[r] == 0) activeBits[r >>> 6] &= ~(1L << r);
        }
        l.evaluations += n;
        if (k > 0) workers.countItems(0, n);
    }

    private boolean anyActive() {
        for (long w : activeBits) {
            if (w != 0) return true;
        }
        return false;
    }

    /** Applies a lane's effects on other routers, in the order its routers produced them. */
    private void merge(Lane l) {
        for (int i = 0; i < l.pushes; i++) {
            int iv = l.pushIv[i];
            push(iv, iv / PV, l.pushFlit[i], l.pushArr[i]);
        }
        IntLongLog cr = l.credits;
        for (int i = 0; i < cr.n; i++) crRet.add(cr.l[i], cr.i[i]); // all due at the same cycle
        IntLongLog ej = l.ejections;
        for (int i = 0; i < ej.n; i++) this.ej.add(ej.l[i], ej.i[i]);
        l.pushes = 0;
        cr.n = 0;
        ej.n = 0;
    }

    /**
     * ORs the ring slots of the cycles after the last fold up to {@code c} into rReady and wakes
     * their routers. Every entry was made in a cycle up to the last fold with a lead below W, so a
     * gap of W cycles or more folds every slot once and no entry is folded early.
     */
    private void foldRing(long c) {
        long from = folded + 1;
        if (c - from >= W) from = c - W + 1;
        for (long x = from; x <= c; x++) {
            int s = (int) x & (W - 1);
            int wb = s * words;
            int rb = s * sites;
            for (int wd = 0; wd < words; wd++) {
                long bits = ringBits[wb + wd];
                if (bits == 0) continue;
                ringBits[wb + wd] = 0;
                do {
                    int r = (wd << 6) | Long.numberOfTrailingZeros(bits);
                    rReady[r] |= ring[rb + r];
                    ring[rb + r] = 0;
                    rWake[r] = Math.min(rWake[r], c);
                    bits &= bits - 1;
                } while (bits != 0);
            }
        }
        folded = c;
    }

    /** Local input VC i of router r becomes eligible at cycle {@code e}, after the current one. */
    private void ringAdd(int r, int i, long e) {
        int s = (int) e & (W - 1);
        ring[s * sites + r] |= 1L << i;
        ringBits[s * words + (r >>> 6)] |= 1L << r;
    }

    private void inject(int t, long c) {
        if (injThrottled && injNext[t] > c) return;
        int pkt = fifoHead[t];
        int seq = srcSeq[t];
        int base = sites * PV + t * vcs;
        int vc;
        if (seq == 0) {
            int lo;
            int hi;
            if (table) {
                if (pktPhase[pkt] == 0) { lo = 0; hi = split - 1; } else { lo = split; hi = vcs - 1; }
            } else {
                lo = 0;
                hi = vcs - 1;
            }
            int cnt = hi - lo + 1;
            int lvc = srcLastVc[t];
            vc = -1;
            for (int i = 1; i <= cnt; i++) {
                int v = (lvc < lo || lvc > hi) ? lo + i - 1 : lo + (lvc - lo + i) % cnt;
                if (owner[base + v] < 0 && crAvail[base + v] > 0) {
                    vc = v;
                    break;
                }
            }
            if (vc < 0) return;
            owner[base + vc] = t;
            srcLastVc[t] = vc;
            srcVc[t] = vc;
            pktItime[pkt] = c;
        } else {
            vc = srcVc[t];
            if (crAvail[base + vc] <= 0) return;
        }
        crAvail[base + vc]--;
        boolean tail = seq == pktSize[pkt] - 1;
        if (tail) owner[base + vc] = -1;
        int r = termRouter[t];
        push((r * P + termPort[t]) * vcs + vc, r, (pkt << FLAG_BITS) | (seq == 0 ? HEAD : 0) | (tail ? TAIL : 0), c + D + 1);
        injectedFlits[t]++;
        if (injThrottled) injNext[t] = Math.max(injNext[t], c) + injInterval;
        if (tail) {
            popFifo(t);
            srcSeq[t] = 0;
            // the tail occupies the injection channel this cycle (1 / injection rate cycles)
            tailInjected(pkt, c + (injInterval == 1.0 ? 1 : (long) Math.ceil(injInterval)));
        } else {
            srcSeq[t] = seq + 1;
        }
    }

    /** Writes a flit into input VC iv of router r; it becomes visible at {@code arr}. */
    private void push(int iv, int r, int flit, long arr) {
        int len = ivLen[iv];
        if (len == 0) {
            // a flit sent in cycle c arrives at c + S + X + D or later, after any departure of
            // this cycle has left the switch: the eligibility is the same whether the flit was
            // written before or after this router was evaluated (evaluation order is free)
            long e = arr;
            int i = iv - r * PV;
            if (ivState[iv] == IDLE) {
                routeHead(iv, r, flit >>> FLAG_BITS);
                ivState[iv] = VA;
                rVaMask[r] |= 1L << i;
                e += R;
            }
            ringAdd(r, i, e); // the ring wakes the router then
            rMask[r] |= 1L << i;
        }
        int pos = ivHead[iv] + len;
        if (pos >= B) pos -= B;
        buf[iv * B + pos] = (arr << 32) | (flit & 0xffffffffL);
        ivLen[iv] = len + 1;
        rFlits[r]++;
        activeBits[r >>> 6] |= 1L << r;
    }

    /** Route computation of the head of packet pkt at router r into input VC iv. */
    private void routeHead(int iv, int r, int pkt) {
        int o = portTo != null ? portTo[r * terminals + pktDst[pkt]] : nextPort(pkt, r);
        ivOutPort[iv] = (byte) o;
        // table routing: phase 0 on VCs [0, split), phase 1 on [split, vcs); otherwise every VC
        ivGroup[iv] = (byte) (table ? 2 * o + pktPhase[pkt] : o);
    }

    private void evaluate(Lane lane, int r, long c) {
        long mask = rMask[r];
        if (mask == 0) return;
        int ivBase = r * PV;
        int ovBase = r * PV;
        // ---- VC allocation: iSLIP, one iteration, over bitsets of local VC indices
        long req = 0; // input VCs in VA whose RC is done (none can win while every output VC is held)
        long granted = 0;
        long free = rFreeOv[r];
        if (free != 0) req = rVaMask[r] & rReady[r];
        if (req != 0 && (req & (req - 1)) == 0) {
            // one requester: every free output VC of its group grants it, it accepts the first at
            // or after its pointer
            int i = Long.numberOfTrailingZeros(req);
            int iv = ivBase + i;
            long outs = groupOvs[ivGroup[iv]] & free;
            if (outs != 0) {
                granted = req;
                rVaMask[r] &= ~req;
                rReady[r] &= ~req;
                rFreeOv[r] = free & ~(1L << acceptVc(lane, r, i, iv, ovBase, outs, c));
            }
        } else if (req != 0) {
            granted = allocateVcs(lane, r, req, free, c);
        }
        allocateSwitch(lane, r, c, mask, granted);
    }

    /**
     * VC allocation of router r with two requesters or more ({@code req}, local input VCs) and the
     * free local output VCs {@code free}.
     *
     * @return the requesters granted
     */
    private long allocateVcs(Lane lane, int r, long req, long free, long c) {
        int ivBase = r * PV;
        int ovBase = r * PV;
        long granted = 0;
        int groups = 0; // groups with at least one request
        boolean shared = false; // a group with two requesters or more
        for (long m = req; m != 0; m &= m - 1) {
            int g = ivGroup[ivBase + Long.numberOfTrailingZeros(m)];
            shared |= ((groups >>> g) & 1) != 0;
            groups |= 1 << g;
        }
        if (!shared) {
            // each requester alone in its group (disjoint sets of output VCs): every free output
            // VC of its group grants it, it accepts the first at or after its pointer
            for (long m = req; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                int iv = ivBase + i;
                long outs = groupOvs[ivGroup[iv]] & free;
                if (outs == 0) continue;
                long bit = 1L << i;
                granted |= bit;
                rVaMask[r] &= ~bit;
                rReady[r] &= ~bit;
                free &= ~(1L << acceptVc(lane, r, i, iv, ovBase, outs, c));
            }
            rFreeOv[r] = free;
            return granted;
        }
        final long[] reqByGroup = lane.vaReqByGroup;
        final long[] grantByIn = lane.vaGrantByIn;
        for (long m = req; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            reqByGroup[ivGroup[ivBase + i]] |= 1L << i;
        }
        long ovs = 0; // free output VCs with at least one request
        for (int gm = groups; gm != 0; gm &= gm - 1) ovs |= groupOvs[Integer.numberOfTrailingZeros(gm)];
        ovs &= free;
        // grant: each free output VC picks the first requester of its group at or after its pointer
        for (long m = ovs; m != 0; m &= m - 1) {
            int ovl = Long.numberOfTrailingZeros(m);
            long ins = reqByGroup[ovGroup[ovl]];
            long hi = ins & (-1L << vaGptr[ovBase + ovl]);
            int g = Long.numberOfTrailingZeros(hi != 0 ? hi : ins);
            grantByIn[g] |= 1L << ovl;
            granted |= 1L << g;
        }
        for (int gm = groups; gm != 0; gm &= gm - 1) reqByGroup[Integer.numberOfTrailingZeros(gm)] = 0;
        rVaMask[r] &= ~granted;
        rReady[r] &= ~granted;
        // accept: each requester takes the first granting output VC at or after its pointer
        for (long m = granted; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            int iv = ivBase + i;
            long outs = grantByIn[i];
            grantByIn[i] = 0;
            free &= ~(1L << acceptVc(lane, r, i, iv, ovBase, outs, c));
        }
        rFreeOv[r] = free;
        return granted;
    }

    /**
     * Switch allocation of router r after its VC allocation granted {@code granted}: per (input,
     * output) one VC by round robin, then iSLIP; heads granted VA this cycle request
     * speculatively, on inputs and outputs left unmatched. A router that did nothing sleeps.
     */
    private void allocateSwitch(Lane lane, int r, long c, long mask, long granted) {
        long spec = lane.specMask;
        lane.specMask = 0;
        int matched = switchAlloc(lane, r, c, mask & ~spec, 0, 0);
        if (spec != 0) {
            int busy = matched == -1 ? 0 : matched;
            switchAlloc(lane, r, c, spec, busy & 0xffff, busy >>> 16);
        } else if (matched == -1 && granted == 0) {
            sleepUntilChange(r, c);
        }
    }

    /**
     * VA's accept for local input VC i (global iv) granted the local output VCs {@code outs}: it
     * takes the first at or after its pointer, moves both pointers and enters SA after the VA delay.
     *
     * @return the local output VC taken
     */
    private int acceptVc(Lane lane, int r, int i, int iv, int ovBase, long outs, long c) {
        long hi = outs & (-1L << vaAptr[iv]);
        int best = Long.numberOfTrailingZeros(hi != 0 ? hi : outs);
        ivState[iv] = ACTIVE;
        ivOutVc[iv] = (byte) (best - ivOutPort[iv] * vcs);
        int ov = ovBase + best;
        ovHolderBit[ov] = 1L << i;
        // ejection output VCs are never decremented: they keep their credits
        if (crAvail[ov] > 0) rCrIn[r] |= 1L << i;
        else rCrIn[r] &= ~(1L << i);
        if (VD == 0) {
            rReady[r] |= 1L << i; // eligible for SA in this cycle (speculative)
            lane.specMask |= 1L << i;
        } else {
            ringAdd(r, i, c + VD);
        }
        vaGptr[ovBase + best] = i + 1 == PV ? 0 : i + 1;
        vaAptr[iv] = best + 1 == PV ? 0 : best + 1;
        return best;
    }

    /**
     * One separable iSLIP switch allocation over the input VCs of {@code vcMask} (local indices)
     * whose inputs are not in {@code busyIn} and outputs not in {@code busyOut}.
     *
     * @return -1 if no VC requested; otherwise the matched inputs (low 16 bits) and outputs
     * (high 16 bits), busy ones included
     */
    private int switchAlloc(Lane lane, int r, long c, long vcMask, int busyIn, int busyOut) {
        long st = requests(lane.swReq, r, c, vcMask, busyIn, busyOut);
        int reqs = (int) st & REQ_BITS;
        if (reqs == 0) return -1;
        int inMask = (int) (st >>> 25) & PORT_BITS;
        int outMask = (int) (st >>> 30) & PORT_BITS;
        int inOut = (int) (st >>> 35) & 0x7fff;
        int n = Integer.bitCount(reqs);
        int rp = r * P;
        if ((st & SEVERAL) != 0 || n != Integer.bitCount(outMask) || n != Integer.bitCount(inMask)) {
            long mt = match(rp, reqs); // an input or output requested twice (or possibly so)
            inMask = (int) mt & PORT_BITS;
            outMask = (int) (mt >>> P) & PORT_BITS;
            inOut = (int) (mt >>> 32);
        }
        // otherwise every request is granted and accepted. Each match moves the output's grant
        // pointer past its input and the input's accept and VC pointers past its output and VC
        final int[] swReq = lane.swReq;
        for (int gm = inMask; gm != 0; gm &= gm - 1) {
            int in = Integer.numberOfTrailingZeros(gm);
            int o = (inOut >>> (3 * in)) & 7;
            swGptr[rp + o] = in + 1 == P ? 0 : in + 1;
            swAptr[rp + in] = o + 1 == P ? 0 : o + 1;
            int v = swReq[in * P + o];
            swRr[rp + in] = v + 1 == vcs ? 0 : v + 1;
            depart(lane, r, in, v, o, c);
        }
        return (busyIn | inMask) | ((busyOut | outMask) << 16);
    }

    private static final int REQ_BITS = (1 << (P * P)) - 1;
    private static final long SEVERAL = 1L << 50;

    /**
     * The switch requests of router r's input VCs in {@code vcMask} whose inputs are not in
     * {@code busyIn} and outputs not in {@code busyOut}; the VC each (input, output) pair puts
     * forward goes to swReq[in * P + o].
     *
     * @return the requests (bits 0 to 24, bit o * P + in), the requesting inputs (from bit 25),
     * the requested outputs (from bit 30), each input's output in 3 bits (from bit 35, valid where
     * an input has one VC requesting) and {@link #SEVERAL} if some input has several
     */
    private long requests(int[] swReq, int r, long c, long vcMask, int busyIn, int busyOut) {
        int ivBase = r * PV;
        int rp = r * P;
        // a VC holding flits is in VA or ACTIVE: the ACTIVE ones whose eligibility has come and
        // whose output VC has a credit request, on inputs not busy
        long cand = vcMask & ~rVaMask[r] & rReady[r] & rCrIn[r];
        for (int bm = busyIn; bm != 0; bm &= bm - 1) cand &= ~inVcs[Integer.numberOfTrailingZeros(bm)];
        int reqs = 0; // bit o * P + in: input in requests output o (its VC at swReq[in * P + o])
        long outMask = 0; // outputs with at least one request
        long inMask = 0; // inputs with at least one request
        long inOut = 0; // 3 bits per input: the output it requested
        long several = 0;
        while (cand != 0) {
            int i0 = Long.numberOfTrailingZeros(cand);
            int in = inOf[i0];
            long mine = cand & inVcs[in];
            cand &= ~mine;
            if ((mine & (mine - 1)) == 0) {
                int o = ivOutPort[ivBase + i0];
                if (((busyOut >>> o) & 1) != 0 || ejThrottled && ejectionHeld(rp + o, c)) continue;
                swReq[in * P + o] = i0 - in * vcs;
                reqs |= 1 << (o * P + in);
                outMask |= 1L << o;
                inMask |= 1L << in;
                inOut |= (long) o << (3 * in);
                continue;
            }
            reqs = putForward(swReq, r, in, mine, reqs, busyOut, c);
            several = SEVERAL;
        }
        return reqs | inMask << 25 | outMask << 30 | inOut << 35 | several;
    }

    /**
     * Input {@code in} of router r has several VCs requesting ({@code mine}, local indices): in
     * round-robin order from the input's pointer, the first VC bound for an output is the one the
     * input puts forward for it (written to swReq).
     *
     * @return {@code reqs} with the input's requests (bit o * P + in) added
     */
    private int putForward(int[] swReq, int r, int in, long mine, int reqs, int busyOut, long c) {
        int ivBase = r * PV;
        int rp = r * P;
        long after = mine & (-1L << (in * vcs + swRr[rp + in]));
        long rest = mine & ~after;
        if (after == 0) {
            after = rest;
            rest = 0;
        }
        for (long m = after; m != 0; ) {
            int i = Long.numberOfTrailingZeros(m);
            int o = ivOutPort[ivBase + i];
            int bit = 1 << (o * P + in);
            if ((reqs & bit) == 0 && ((busyOut >>> o) & 1) == 0 && !(ejThrottled && ejectionHeld(rp + o, c))) {
                swReq[in * P + o] = i - in * vcs;
                reqs |= bit;
            }
            m &= m - 1;
            if (m == 0) {
                m = rest;
                rest = 0;
            }
        }
        return reqs;
    }

    /**
     * iSLIP's grant and accept over the switch requests {@code reqs} (bit o * P + in) of the router
     * at port offset rp, pointers read but not moved.
     *
     * @return the matched inputs (bits 0 to P - 1), outputs (bits P to 2P - 1) and, from bit 32,
     * each matched input's output in 3 bits
     */
    private long match(int rp, int reqs) {
        int outMask = 0;
        for (int o = 0; o < P; o++) outMask |= ((reqs >>> (o * P)) & PORT_BITS) != 0 ? 1 << o : 0;
        // grant: each requested output picks the first requesting input at or after its pointer
        int grants = 0; // bit in * P + o: output o grants input in
        int grantIn = 0; // inputs that received at least one grant
        for (int om = outMask; om != 0; om &= om - 1) {
            int o = Integer.numberOfTrailingZeros(om);
            int ins = (reqs >>> (o * P)) & PORT_BITS;
            int hi = ins & (-1 << swGptr[rp + o]);
            int pick = Integer.numberOfTrailingZeros(hi != 0 ? hi : ins);
            grants |= 1 << (pick * P + o);
            grantIn |= 1 << pick;
        }
        // accept: each input takes the first granting output at or after its pointer
        int outs2 = 0;
        long inOut = 0;
        for (int gm = grantIn; gm != 0; gm &= gm - 1) {
            int in = Integer.numberOfTrailingZeros(gm);
            int outs = (grants >>> (in * P)) & PORT_BITS;
            int hi = outs & (-1 << swAptr[rp + in]);
            int o = Integer.numberOfTrailingZeros(hi != 0 ? hi : outs);
            inOut |= (long) o << (3 * in);
            outs2 |= 1 << o;
        }
        return grantIn | (long) outs2 << P | inOut << 32;
    }

    /** @return true when router output {@code ro} (router * P + port) ejects and its ejection channel is still busy at c */
    private boolean ejectionHeld(int ro, long c) {
        int tgt = outTarget[ro];
        return tgt < 0 && ejNext[-1 - tgt] > c;
    }

    /**
     * Router r granted nothing in VA and switched nothing at cycle c, so its evaluation changed no
     * state. Until a credit returns to one of its output VCs ({@link #step} wakes it) or a VC's
     * eligibility comes (a flit written into an empty VC included: {@link #foldRing} wakes it),
     * another evaluation would do the same nothing: a VC eligible for SA lacks a credit, and one
     * eligible for VA wants only output VCs held by packets of this router, freed only by its own
     * departures. The router sleeps until woken.
     * Skipping changes no result: evaluate() is a function of these inputs and of time only through
     * the eligibilities. An eligible VC held back by the ejection bandwidth (a fractional
     * {@code ejectionFlitsPerCycle}) keeps the router evaluated every cycle.
     */
    private void sleepUntilChange(int r, long c) {
        if (ejThrottled) {
            int ivBase = r * PV;
            int rp = r * P;
            for (long m = rMask[r] & rReady[r] & ~rVaMask[r]; m != 0; m &= m - 1) {
                if (outTarget[rp + ivOutPort[ivBase + Long.numberOfTrailingZeros(m)]] < 0) return;
            }
        }
        rWake[r] = Long.MAX_VALUE; // the ring wakes it at the next eligibility (foldRing)
    }

    private void depart(Lane lane, int r, int in, int v, int o, long c) {
        int iv = (r * P + in) * vcs + v;
        int h = ivHead[iv];
        long slot = buf[iv * B + h];
        int flit = (int) slot;
        occupancy[r] += c - arrival(slot, c);
        h = h + 1 == B ? 0 : h + 1;
        ivHead[iv] = h;
        int len = ivLen[iv] - 1;
        ivLen[iv] = len;
        rFlits[r]--;
        int li = iv - r * PV;
        rReady[r] &= ~(1L << li); // its next flit waits for its own eligibility
        if (len == 0) rMask[r] &= ~(1L << li);
        int up = inUpCredit[r * P + in];
        if (up >= 0) returnCredit(lane, up + v, c);
        forward(lane, r, iv, li, o, flit, c);
        if (len > 0) nextFlit(iv, r, li, h, (flit & TAIL) != 0, c);
        else if ((flit & TAIL) != 0) ivState[iv] = IDLE;
    }

    /** The flit leaving input VC iv (local li) of router r through output o at cycle c: on the link downstream, or ejected. */
    private void forward(Lane lane, int r, int iv, int li, int o, int flit, long c) {
        int pkt = flit >>> FLAG_BITS;
        boolean tail = (flit & TAIL) != 0;
        if ((flit & HEAD) != 0) pktHops[pkt]++;
        int ovc = ivOutVc[iv];
        int rp = r * P + o;
        linkFlits[rp]++;
        int tgt = outTarget[rp];
        int ov = rp * vcs + ovc;
        long arrive = c + S + X + D;
        if (tgt >= 0) {
            if (--crAvail[ov] == 0) rCrIn[r] &= ~(1L << li);
            int dr = outRouter[rp];
            if (dr >= lane.lo && dr < lane.hi) push(tgt + ovc, dr, flit, arrive);
            else lane.deferPush(tgt + ovc, flit, arrive);
        } else {
            eject(lane, -1 - tgt, flit, arrive, c);
        }
        if (tail) {
            rFreeOv[r] |= 1L << (o * vcs + ovc);
            ovHolderBit[ov] = 0;
        }
    }

    // depart's less frequent parts, apart so that depart stays small enough to be inlined

    /** Credit index ci is returned upstream by a departure at cycle c. */
    private void returnCredit(Lane lane, int ci, long c) {
        // one FIFO holds every credit in flight: lanes record theirs, merged after the cycle
        if (lane.all) crRet.add(c + CR_DELAY, ci);
        else lane.credits.add(ci, c + CR_DELAY);
    }

    /** A flit enters terminal t's ejection channel at cycle c; it is delivered at {@code arrive}. */
    private void eject(Lane lane, int t, int flit, long arrive, long c) {
        if (ejThrottled) ejNext[t] = Math.max(ejNext[t], c) + ejInterval;
        if (lane.all) ej.add(arrive, flit); // the only lane: at once
        else lane.ejections.add(flit, arrive);
    }

    /** Input VC iv (local i) of router r still holds flits after a departure at c: its next one, at slot h, becomes eligible. */
    private void nextFlit(int iv, int r, int li, int h, boolean tail, long c) {
        long nextSlot = buf[iv * B + h];
        long next = Math.max(c + S, arrival(nextSlot, c));
        if (tail) {
            routeHead(iv, r, (int) nextSlot >>> FLAG_BITS);
            ivState[iv] = VA;
            rVaMask[r] |= 1L << li;
            ringAdd(r, li, next + R);
        } else {
            ringAdd(r, li, next);
        }
    }

    /** The arrival cycle of a buffer slot, from its low 32 bits and the cycle {@code c} it is read in. */
    private static long arrival(long slot, long c) {
        return c + (int) ((int) (slot >>> 32) - (int) c);
    }

    /** @return flits held in router r's input buffers (arrived or still on the link) */
    public int flitsInRouter(int r) {
        return rFlits[r];
    }
}
