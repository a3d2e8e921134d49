package io.dojosim.noc.internal;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.util.SlotPool;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import java.util.Arrays;

/**
 * Shared state of both network fidelities: the packet pool (struct of arrays), per-terminal source
 * queues, an optional synthetic packet generator, routing and per-link counters. A subclass
 * advances the network one cycle at a time in {@link #step(long)}.
 *
 * <p>Packets live in primitive arrays indexed by a packet id taken from a free list; nothing is
 * allocated per packet or flit once the pool has grown to the working set.
 *
 * <p>Caveats: not thread-safe; one engine belongs to one simulation.
 */
public abstract class NetworkEngine {
    /** Receives every packet whose tail flit has been ejected. */
    public interface Sink {
        /**
         * @param engine the engine, for reading the packet's fields
         * @param pkt    the packet id, valid only during this call
         * @param atime  the cycle the tail flit was ejected
         */
        void retired(NetworkEngine engine, int pkt, long atime);
    }

    /** Receives every packet whose tail flit has left its source terminal into the first router. */
    public interface InjectionSink {
        /**
         * @param engine    the engine, for reading the packet's fields
         * @param pkt       the packet id (still live: it retires later)
         * @param leftCycle the first cycle edge at which the tail is out of the source's injection
         *                  channel (the cycle after the one it was injected in, at one flit per cycle)
         */
        void injected(NetworkEngine engine, int pkt, long leftCycle);
    }

    /** Creates synthetic packets lazily, as BookSim2's source queue does. */
    public interface Generator {
        /** Creates and enqueues one packet at terminal {@code t} created at {@code ctime}; returns the next creation cycle. */
        long generate(NetworkEngine engine, int t, long ctime);
    }

    protected final MeshShape shape;
    protected final NocParams p;
    protected final int sites;
    protected final int terminals;
    protected final int vcs;
    protected final RouteTable routes;
    private final boolean upDown; // dead links: up*/down* routes, phase 1 once a packet has gone down
    private final boolean plainMesh; // no disabled site and no dead link: every route exists, no midpoint
    protected final int[] termRouter;
    protected final int[] termPort;

    // packet pool
    protected int[] pktSrc = new int[256];
    protected int[] pktDst = new int[256];
    protected int[] pktSize = new int[256];
    protected int[] pktHops = new int[256];
    protected int[] pktNext = new int[256];
    protected int[] pktMid = new int[256];
    protected byte[] pktPhase = new byte[256];
    protected long[] pktCtime = new long[256];
    protected long[] pktItime = new long[256];
    protected long[] pktUser = new long[256];
    private final SlotPool packets = new SlotPool(256, this::growPkts);
    protected int packetsLive;

    // source queues (FIFO of packets per terminal) and the list of terminals with a non-empty queue
    protected final int[] fifoHead;
    protected final int[] fifoTail;
    protected final int[] pending;
    protected final boolean[] isPending;
    protected int pendingCount;

    // generator
    protected Generator generator;
    protected final long[] nextCreate;
    // no terminal's creation is due before this cycle: the generator's scan is skipped until then
    private long genNextDue = Long.MIN_VALUE;
    protected int[] genTerms = new int[0];

    protected Sink sink;
    private InjectionSink injectionSink;

    // statistics (plain numbers; reset by the owner)
    /** Flits sent on each router output, index router * 5 + port. */
    public final long[] linkFlits;
    /** Flits ejected per terminal. */
    public final long[] ejectedFlits;
    /** Flits injected per terminal. */
    public final long[] injectedFlits;
    /** Flits created and not yet ejected (source queue included). */
    public long flitsInFlight;
    /** Sum of creation cycles of flits in flight, for BookSim's in-flight latency estimate. */
    public long ctimeSumInFlight;

    protected NetworkEngine(MeshShape shape, NocParams p) {
        this.shape = shape.withDeadLinks(p.deadLinks());
        this.p = p;
        this.sites = shape.sites();
        this.terminals = shape.terminals();
        this.vcs = p.vcs();
        this.routes = new RouteTable(this.shape, p.routing());
        this.upDown = routes.upDown();
        this.plainMesh = !upDown && this.shape.activeNodes() == sites;
        termRouter = new int[terminals];
        termPort = new int[terminals];
        for (int t = 0; t < terminals; t++) {
            termRouter[t] = shape.terminalRouter(t);
            termPort[t] = shape.terminalPort(t);
        }
        fifoHead = new int[terminals];
        fifoTail = new int[terminals];
        Arrays.fill(fifoHead, -1);
        Arrays.fill(fifoTail, -1);
        pending = new int[terminals];
        isPending = new boolean[terminals];
        nextCreate = new long[terminals];
        Arrays.fill(nextCreate, Long.MAX_VALUE);
        linkFlits = new long[sites * MeshShape.PORTS];
        ejectedFlits = new long[terminals];
        injectedFlits = new long[terminals];
    }

    public MeshShape shape() {
        return shape;
    }

    public NocParams params() {
        return p;
    }

    public void setSink(Sink s) {
        this.sink = s;
    }

    /** Sets the receiver of tail-injection notices (null for none; the synthetic experiments use none). */
    public void setInjectionSink(InjectionSink s) {
        this.injectionSink = s;
    }

    /** Called by the subclass when the tail flit of {@code pkt} has entered the injection channel. */
    protected final void tailInjected(int pkt, long leftCycle) {
        if (injectionSink != null) injectionSink.injected(this, pkt, leftCycle);
    }

    /** Installs a synthetic generator on the given terminals, first creations at {@code first[i]}. */
    public void setGenerator(Generator g, int[] terms, long[] first) {
        this.generator = g;
        this.genTerms = terms.clone();
        for (int i = 0; i < terms.length; i++) {
            nextCreate[terms[i]] = first[i];
        }
        genNextDue = Long.MIN_VALUE;
    }

    /** Stops the generator (the drain of throughput runs, or the end of an experiment). */
    public void stopGenerator() {
        this.generator = null;
        Arrays.fill(nextCreate, Long.MAX_VALUE);
    }

    /**
     * Takes a packet from the pool and computes its route.
     *
     * @throws ConfigException when a terminal is disabled or no route exists
     */
    public int newPacket(int src, int dst, int flits, long ctime, long user) {
        int r = plainMesh ? -1 : routes.midpoint(termRouter[src], termRouter[dst]);
        if (r == RouteTable.UNREACHABLE) {
            throw new ConfigException("no route from terminal " + src + " to terminal " + dst + " on mesh " + shape
                    + " with routing " + p.routing().name().toLowerCase(java.util.Locale.ROOT)
                    + (p.routing() == NocParams.Routing.TABLE ? "" : " (use noc.routing = table to route around disabled sites)"));
        }
        int pkt = packets.take();
        pktSrc[pkt] = src;
        pktDst[pkt] = dst;
        pktSize[pkt] = flits;
        pktHops[pkt] = 0;
        pktNext[pkt] = -1;
        pktMid[pkt] = r;
        pktPhase[pkt] = (byte) (r == termRouter[src] ? 1 : 0);
        pktCtime[pkt] = ctime;
        pktItime[pkt] = -1;
        pktUser[pkt] = user;
        packetsLive++;
        flitsInFlight += flits;
        ctimeSumInFlight += flits * ctime;
        return pkt;
    }

    /** Appends a packet to the source queue of its source terminal. */
    public void enqueue(int pkt) {
        int t = pktSrc[pkt];
        if (fifoTail[t] < 0) {
            fifoHead[t] = pkt;
        } else {
            pktNext[fifoTail[t]] = pkt;
        }
        fifoTail[t] = pkt;
        if (!isPending[t]) {
            isPending[t] = true;
            pending[pendingCount++] = t;
        }
    }

    protected final int popFifo(int t) {
        int pkt = fifoHead[t];
        int nx = pktNext[pkt];
        fifoHead[t] = nx;
        if (nx < 0) fifoTail[t] = -1;
        return pkt;
    }

    /** Runs the generator for terminals whose queue is empty and whose next packet is due. */
    protected final void runGenerator(long cycle) {
        if (generator == null || cycle < genNextDue) return;
        int[] gt = genTerms;
        long due = Long.MAX_VALUE; // the earliest creation of any terminal after this scan
        for (int i = 0; i < gt.length; i++) {
            int t = gt[i];
            long nc = nextCreate[t];
            if (fifoHead[t] < 0 && nc <= cycle) {
                nc = generator.generate(this, t, nc);
                nextCreate[t] = nc;
            }
            if (nc < due) due = nc;
        }
        genNextDue = due;
    }

    /**
     * Route computation for the head of {@code pkt} at router {@code r}: switches a table route to
     * its second phase at the midpoint (an up*&#47;down* route at its first down hop) and returns the output port (LOCAL or the edge side at the
     * destination router).
     */
    protected final int nextPort(int pkt, int r) {
        int dst = pktDst[pkt];
        int dstR = termRouter[dst];
        if (upDown) {
            if (r == dstR) return termPort[dst];
            int ph = pktPhase[pkt];
            int o = routes.upDownPort(r, dstR, ph);
            if (ph == 0 && !routes.upHop(r, o)) pktPhase[pkt] = 1;
            return o;
        }
        switch (p.routing()) {
            case XY:
                return r == dstR ? termPort[dst] : routes.dimOrderPort(r, dstR, true);
            case YX:
                return r == dstR ? termPort[dst] : routes.dimOrderPort(r, dstR, false);
            default: {
                int mid = pktMid[pkt];
                if (pktPhase[pkt] == 0 && mid >= 0 && r == mid) pktPhase[pkt] = 1;
                boolean phase1 = pktPhase[pkt] == 1;
                int target = !phase1 && mid >= 0 ? mid : dstR;
                return r == target ? termPort[dst] : routes.dimOrderPort(r, target, phase1 != routes.firstPhaseXy());
            }
        }
    }

    /**
     * Traces the route of a packet from terminal src to terminal dst with the same route computation
     * the network uses, without sending anything.
     *
     * @param ports   filled with the output port taken at each router, in order
     * @param routers filled with the router at each step
     * @param phase1  filled with true where the hop leaves on VC class 1 (table routing)
     * @return the number of routers on the route
     */
    public int traceRoute(int src, int dst, int[] ports, int[] routers, boolean[] phase1) {
        int pkt = newPacket(src, dst, 1, 0, 0);
        int r = termRouter[src];
        int n = 0;
        while (true) {
            int port = nextPort(pkt, r);
            ports[n] = port;
            routers[n] = r;
            phase1[n] = pktPhase[pkt] == 1;
            n++;
            if (r == termRouter[dst] && port == termPort[dst]) break;
            r = shape.neighbour(r, port);
            if (r < 0 || shape.isDisabled(r) || n >= ports.length) {
                throw new IllegalStateException("route from " + src + " to " + dst + " leaves the mesh or loops");
            }
        }
        flitsInFlight -= 1; // undo newPacket's accounting (creation time 0)
        freePkt(pkt);
        return n;
    }

    /** Called by the subclass when the tail of a packet is ejected; frees the packet. */
    protected final void retire(int pkt, long atime) {
        flitsInFlight -= pktSize[pkt];
        ctimeSumInFlight -= pktSize[pkt] * pktCtime[pkt];
        if (sink != null) sink.retired(this, pkt, atime);
        freePkt(pkt);
    }

    private void freePkt(int pkt) {
        packetsLive--;
        packets.release(pkt);
    }

    private void growPkts(int c) {
        pktSrc = Arrays.copyOf(pktSrc, c);
        pktDst = Arrays.copyOf(pktDst, c);
        pktSize = Arrays.copyOf(pktSize, c);
        pktHops = Arrays.copyOf(pktHops, c);
        pktNext = Arrays.copyOf(pktNext, c);
        pktMid = Arrays.copyOf(pktMid, c);
        pktPhase = Arrays.copyOf(pktPhase, c);
        pktCtime = Arrays.copyOf(pktCtime, c);
        pktItime = Arrays.copyOf(pktItime, c);
        pktUser = Arrays.copyOf(pktUser, c);
    }

    public int packetSrc(int pkt) { return pktSrc[pkt]; }
    public int packetDst(int pkt) { return pktDst[pkt]; }
    public int packetFlits(int pkt) { return pktSize[pkt]; }
    /** Routers the head traversed (Manhattan distance + 1 on a minimal route). */
    public int packetHops(int pkt) { return pktHops[pkt]; }
    public long packetCtime(int pkt) { return pktCtime[pkt]; }
    /** Cycle the head entered the injection channel. */
    public long packetItime(int pkt) { return pktItime[pkt]; }
    public long packetUser(int pkt) { return pktUser[pkt]; }
    public void setPacketUser(int pkt, long v) { pktUser[pkt] = v; }

    /** @return packets created and not yet retired */
    public int packetsLive() {
        return packetsLive;
    }

    /** Advances the network by one cycle. Cycles must be stepped in increasing order. */
    public abstract void step(long cycle);

    /** @return true when any packet is queued, in the network or being ejected */
    public abstract boolean busy();

    /** @return the next cycle at which the generator creates a packet, or Long.MAX_VALUE */
    public long nextGeneratorCycle() {
        if (generator == null) return Long.MAX_VALUE;
        long m = Long.MAX_VALUE;
        for (int t : genTerms) m = Math.min(m, nextCreate[t]);
        return m;
    }

    /** @return time-integrated buffer occupancy of each router in flit-cycles (flit engine), or null */
    public long[] occupancyFlitCycles() {
        return null;
    }

    /** @return router-cycles evaluated (a router ticked in a cycle because it held flits) */
    public abstract long routerCyclesEvaluated();
}
