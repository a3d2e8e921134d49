package io.dojosim.noc;

import io.dojosim.core.config.Check;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.Clocked;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.stats.Counter;
import io.dojosim.core.stats.Distribution;
import io.dojosim.core.stats.StatDef;
import io.dojosim.core.stats.StatGroup;
import io.dojosim.core.stats.StatsRegistry;
import io.dojosim.core.stats.Unit;
import io.dojosim.core.util.SlotPool;
import io.dojosim.noc.internal.FlitEngine;
import io.dojosim.noc.internal.NetworkEngine;
import io.dojosim.noc.internal.PacketEngine;
import java.util.Arrays;

/**
 * The network of one mesh (one D1 die, or any W x H study mesh) as other models use it: move
 * {@code bytes} from one terminal to another and be told when the last byte has arrived.
 *
 * <p>A message is split into packets of {@code noc.packetFlits} flits of {@code noc.flitBytes}
 * bytes (the last packet may be shorter, never empty); packets enter the source's injection
 * queue in order behind earlier messages of the same source (the queue is unbounded) and may
 * arrive out of order. The {@link DeliveryListener} is called once per message, at the cycle
 * the tail flit of its last packet is ejected. Behind the facade is either fidelity of
 * {@code noc.fidelity}: {@code flit} (router pipeline, VCs, credits, cycle-accurate) or
 * {@code packet} (link reservation per packet, no per-flit state).
 *
 * <p>Terminals: node {@code n} (id {@code y * width + x}, see {@link MeshShape}) is terminal
 * {@code n}. Every router on the mesh boundary also has an <em>edge port</em> on its outward
 * side, terminal {@link #edgePort(int, int)}: a message sent to an edge port leaves the mesh
 * there (delivered when its last byte is out), and a message sent from an edge port enters
 * the mesh there. A chip model joins two meshes through a die-to-die link of its own
 * (its latency and bandwidth are the caller's): on delivery at mesh A's edge port it models the
 * link, then sends from mesh B's facing edge port to the final destination.
 *
 * <p>An optional {@link InjectionListener} is told once per message when the tail flit of its
 * last packet has left the source terminal into the first router (at the cycle edge after the
 * cycle it was injected in; on an idle mesh, creation cycle + flits), always before delivery.
 * A sender that starts its next message then keeps its injection channel busy without waiting
 * for the previous message to arrive (collective pipelining, docs/adr/0064-collective-injection-pipelining.md).
 *
 * <p>The whole mesh is one {@link Clocked} member of a sim-core {@link Clock}: it leaves the
 * clock when no packet is queued or in flight and is woken by {@link #send}. Inside, routers
 * communicate only through modelled channels of at least one cycle (docs/adr/0010-noc-one-clocked-mesh.md).
 *
 * <p>Statistics under {@code path}: {@code messages}, {@code bytesDelivered},
 * {@code messageLatencyPs}, {@code packetLatencyCycles}, {@code networkLatencyCycles},
 * {@code hops}; per-link flit counts through {@link #linkFlits} and {@link #linkUtilization}.
 *
 * <p>Source: docs/model/noc.md. Caveats: a disabled site has no router; sending to or from it,
 * or between sites that the routing cannot connect, throws a {@link ConfigException}. The
 * listener runs inside the network's clock tick: it may call {@link #send} (the new message is
 * injected from the next cycle) but must not block.
 */
public final class MeshNetwork implements Clocked {
    private final Simulator sim;
    private final Clock clock;
    private final int clockId;
    private final String path;
    private final MeshShape shape;
    private final NocParams params;
    private final NetworkEngine engine;
    private final long periodPs;
    private DeliveryListener listener;
    private InjectionListener injectionListener;
    private long lastTicked = -1;
    private long statsSinceCycle;

    // message pool
    private long[] msgTag = new long[64];
    private long[] msgStartPs = new long[64];
    private long[] msgBytes = new long[64];
    private int[] msgLeft = new int[64];
    private int[] msgInjLeft = new int[64]; // packets whose tail has not yet left the source
    private int[] msgGen = new int[64]; // bumped when the slot is freed: stale injection notices are dropped
    private boolean[] msgInjPending = new boolean[64]; // all tails out, notice not yet given
    private final SlotPool msgSlots = new SlotPool(64, this::growMessages);
    private int messagesInFlight;
    private long messagesInjected;

    // injection notices not yet due: a binary min-heap ordered by (cycle, message slot)
    private long[] injDue = new long[64];
    private int[] injMsg = new int[64];
    private int[] injGen = new int[64];
    private int injCount;

    private final Counter messages;
    private final Counter bytesDelivered;
    private final Distribution messageLatencyPs;
    private final Distribution packetLatencyCycles;
    private final Distribution networkLatencyCycles;
    private final Distribution hops;

    /**
     * Builds the network and registers it on {@code clock}, which must run at {@code noc.clockHz}.
     *
     * @param path hierarchical name for statistics, for example {@code chip[0,0].noc}
     */
    public MeshNetwork(Simulator sim, Clock clock, String path, MeshShape shape, NocParams params) {
        Check.require(clock.domain().frequencyHz() == params.clockHz(), "mesh " + path + ": clock runs at "
                + clock.domain().frequencyHz() + " Hz but noc.clockHz is " + params.clockHz());
        this.sim = sim;
        this.clock = clock;
        this.path = path;
        this.params = params;
        this.periodPs = clock.domain().periodPs();
        this.engine = params.fidelity() == NocParams.Fidelity.FLIT ? new FlitEngine(shape, params) : new PacketEngine(shape, params);
        this.shape = engine.shape(); // with noc.deadLinks
        this.engine.setSink(this::retired);
        this.engine.setInjectionSink(this::tailOut);
        if (engine instanceof FlitEngine fe) fe.useWorkers(sim.workers());
        this.clockId = clock.register(this);
        StatsRegistry st = sim.stats();
        messages = st.counter(STAT_MESSAGES, STAT_MESSAGES.name(path));
        bytesDelivered = st.counter(STAT_BYTES, STAT_BYTES.name(path));
        messageLatencyPs = st.distribution(STAT_MESSAGE_LATENCY, STAT_MESSAGE_LATENCY.name(path));
        packetLatencyCycles = st.distribution(STAT_PACKET_LATENCY, STAT_PACKET_LATENCY.name(path));
        networkLatencyCycles = st.distribution(STAT_NETWORK_LATENCY, STAT_NETWORK_LATENCY.name(path));
        hops = st.distribution(STAT_HOPS, STAT_HOPS.name(path));
    }

    private static final StatDef STAT_MESSAGES = StatDef.counter("<mesh>.messages", Unit.MESSAGES, "messages delivered");
    private static final StatDef STAT_BYTES = StatDef.counter("<mesh>.bytesDelivered", Unit.BYTES, "payload bytes delivered");
    private static final StatDef STAT_MESSAGE_LATENCY = StatDef.distribution("<mesh>.messageLatencyPs", Unit.PS,
            "send to delivery of the last byte");
    private static final StatDef STAT_PACKET_LATENCY = StatDef.distribution("<mesh>.packetLatencyCycles", Unit.CYCLES,
            "packet creation to tail ejection, source queue included");
    private static final StatDef STAT_NETWORK_LATENCY = StatDef.distribution("<mesh>.networkLatencyCycles", Unit.CYCLES,
            "head entering the injection channel to tail ejection");
    private static final StatDef STAT_HOPS = StatDef.distribution("<mesh>.hops", Unit.HOPS, "routers traversed per packet");

    /**
     * The statistics every mesh writes below its path ({@code <mesh>}: {@code chip.noc} in a chip
     * kernel, {@code pod.roi.chip[c].noc} or {@code pod.packet.chip[c].noc} in a run's region).
     */
    public static final StatGroup STATS = new StatGroup("MeshNetwork",
            "one chip's 2D-mesh network-on-chip (chip kernels, a run's region of interest)",
            java.util.List.of(STAT_MESSAGES, STAT_BYTES, STAT_MESSAGE_LATENCY, STAT_PACKET_LATENCY, STAT_NETWORK_LATENCY, STAT_HOPS));

    public MeshShape shape() {
        return shape;
    }

    public NocParams params() {
        return params;
    }

    public String path() {
        return path;
    }

    /** Sets the listener told of every delivered message (one listener; null for none). */
    /**
     * The threads the flit engine may split a cycle's routers over ({@code Workers.single()} to
     * keep each cycle on one thread, as when meshes themselves are ticked in parallel); the
     * simulator's team by default.
     */
    public void useWorkers(io.dojosim.core.engine.Workers w) {
        if (engine instanceof FlitEngine fe) fe.useWorkers(w);
    }

    public void setDeliveryListener(DeliveryListener l) {
        this.listener = l;
    }

    /**
     * Sets the listener told when a message's last tail flit has left its source terminal (one
     * listener; null for none). It is told at the cycle edge after the tail entered the injection
     * channel, from the network's tick of that cycle and before the engine steps it, so a message
     * it sends is created, and may be injected, on that very cycle: a source that sends its next
     * message on this notice keeps its injection channel busy.
     */
    public void setInjectionListener(InjectionListener l) {
        this.injectionListener = l;
    }

    /**
     * @param side  {@link MeshShape#NORTH}, {@link MeshShape#EAST}, {@link MeshShape#SOUTH} or {@link MeshShape#WEST}
     * @param index x along the north and south sides, y along the east and west sides
     * @return the terminal id of that edge port, usable as source or destination of {@link #send}
     */
    public int edgePort(int side, int index) {
        return shape.edgeTerminal(side, index);
    }

    /**
     * Sends a message. It is created at the next cycle edge of the network clock not yet ticked.
     *
     * @param src   source terminal (a node id or an edge port)
     * @param dst   destination terminal (a node id or an edge port)
     * @param bytes payload, at least 1
     * @param tag   returned to the listener on delivery
     * @throws ConfigException for a disabled or unknown terminal, or a pair the routing cannot connect
     */
    public void send(int src, int dst, long bytes, long tag) {
        if (!shape.terminalUsable(src)) throw new ConfigException(path + ": source terminal " + src + " is not usable on mesh " + shape);
        if (!shape.terminalUsable(dst)) throw new ConfigException(path + ": destination terminal " + dst + " is not usable on mesh " + shape);
        if (bytes < 1) throw new ConfigException(path + ": a message needs at least 1 byte, was " + bytes);
        long packetBytes = (long) params.packetFlits() * params.flitBytes();
        long nPackets = (bytes + packetBytes - 1) / packetBytes;
        if (nPackets > Integer.MAX_VALUE / 2) throw new ConfigException(path + ": message of " + bytes + " bytes is too large");
        long cycle = Math.max(lastTicked + 1, (sim.now() + periodPs - 1) / periodPs);
        int m = msgSlots.take();
        msgTag[m] = tag;
        msgStartPs[m] = sim.now();
        msgBytes[m] = bytes;
        msgLeft[m] = (int) nPackets;
        msgInjLeft[m] = (int) nPackets;
        msgInjPending[m] = false;
        messagesInFlight++;
        long left = bytes;
        for (long i = 0; i < nPackets; i++) {
            long b = Math.min(left, packetBytes);
            left -= b;
            int flits = (int) ((b + params.flitBytes() - 1) / params.flitBytes());
            engine.enqueue(engine.newPacket(src, dst, flits, cycle, m));
        }
        clock.wake(clockId);
    }

    @Override
    public boolean tick(long cycle) {
        // due injection notices first, while this cycle is not yet ticked: what they send is
        // created on this cycle and may be injected by the step below
        while (injCount > 0 && injDue[0] <= cycle) {
            int m = injMsg[0];
            int g = injGen[0];
            injPop();
            if (msgGen[m] == g && msgInjPending[m]) notifyInjected(m, cycle * periodPs);
        }
        lastTicked = cycle;
        engine.step(cycle);
        return engine.busy() || injCount > 0;
    }

    /** The engine's notice that a packet's tail has left its source at {@code leftCycle}. */
    private void tailOut(NetworkEngine e, int pkt, long leftCycle) {
        int m = (int) e.packetUser(pkt);
        if (--msgInjLeft[m] > 0) return;
        msgInjPending[m] = true;
        injPush(leftCycle, m, msgGen[m]);
    }

    private void notifyInjected(int m, long nowPs) {
        msgInjPending[m] = false;
        messagesInjected++;
        if (injectionListener != null) injectionListener.injected(nowPs, msgTag[m]);
    }

    private void injPush(long due, int m, int g) {
        if (injCount == injDue.length) {
            int c = injCount * 2;
            injDue = Arrays.copyOf(injDue, c);
            injMsg = Arrays.copyOf(injMsg, c);
            injGen = Arrays.copyOf(injGen, c);
        }
        int i = injCount++;
        while (i > 0) {
            int par = (i - 1) >>> 1;
            if (!injBefore(due, m, injDue[par], injMsg[par])) break;
            injDue[i] = injDue[par];
            injMsg[i] = injMsg[par];
            injGen[i] = injGen[par];
            i = par;
        }
        injDue[i] = due;
        injMsg[i] = m;
        injGen[i] = g;
    }

    private void injPop() {
        int n = --injCount;
        long due = injDue[n];
        int m = injMsg[n];
        int g = injGen[n];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) break;
            int c = l + 1 < n && injBefore(injDue[l + 1], injMsg[l + 1], injDue[l], injMsg[l]) ? l + 1 : l;
            if (!injBefore(injDue[c], injMsg[c], due, m)) break;
            injDue[i] = injDue[c];
            injMsg[i] = injMsg[c];
            injGen[i] = injGen[c];
            i = c;
        }
        if (n > 0) {
            injDue[i] = due;
            injMsg[i] = m;
            injGen[i] = g;
        }
    }

    private static boolean injBefore(long d1, int m1, long d2, int m2) {
        return d1 < d2 || (d1 == d2 && m1 < m2);
    }

    private void retired(NetworkEngine e, int pkt, long atime) {
        packetLatencyCycles.record(atime - e.packetCtime(pkt));
        networkLatencyCycles.record(atime - e.packetItime(pkt));
        hops.record(e.packetHops(pkt));
        int m = (int) e.packetUser(pkt);
        if (--msgLeft[m] == 0) {
            long nowPs = atime * periodPs;
            messages.inc();
            bytesDelivered.add(msgBytes[m]);
            messageLatencyPs.record(Math.max(0, nowPs - msgStartPs[m]));
            // a slower injection channel than ejection (packet fidelity) can see the tail arrive
            // before its notice fell due: give the notice now, never after the delivery
            if (msgInjPending[m] || msgInjLeft[m] > 0) {
                msgInjLeft[m] = 0;
                notifyInjected(m, nowPs);
            }
            long tag = msgTag[m];
            freeMsg(m);
            messagesInFlight--;
            if (listener != null) listener.delivered(nowPs, tag);
        }
    }

    /** @return messages whose injection notice has been given (every delivered message has had one) */
    public long messagesInjected() {
        return messagesInjected;
    }

    /** @return messages sent and not yet delivered */
    public int messagesInFlight() {
        return messagesInFlight;
    }

    /** @return flits sent on the output of router {@code node} in direction {@code port} since the last reset */
    public long linkFlits(int node, int port) {
        return engine.linkFlits[node * MeshShape.PORTS + port];
    }

    /**
     * @return flits per cycle on that output since {@link #resetLinkStats} (or time zero), in [0, 1];
     * {@code port} LOCAL is the ejection channel
     */
    public double linkUtilization(int node, int port) {
        long cycles = Math.max(1, lastTicked + 1 - statsSinceCycle);
        return (double) linkFlits(node, port) / cycles;
    }

    /** Clears per-link counters (for example at the end of a warm-up). */
    public void resetLinkStats() {
        Arrays.fill(engine.linkFlits, 0);
        statsSinceCycle = lastTicked + 1;
    }

    /** @return router-cycles the engine evaluated (routers holding flits), a measure of work */
    public long routerCyclesEvaluated() {
        return engine.routerCyclesEvaluated();
    }

    /** Router evaluations, the measure of work a clock's thread team weighs its rounds by. */
    @Override
    public long workDone() {
        return engine.routerCyclesEvaluated();
    }

    /** @return cycles whose routers were evaluated on more than one host lane */
    public long parallelCycles() {
        return engine instanceof FlitEngine fe ? fe.parallelCycles() : 0;
    }

    private void growMessages(int c) {
        msgTag = Arrays.copyOf(msgTag, c);
        msgStartPs = Arrays.copyOf(msgStartPs, c);
        msgBytes = Arrays.copyOf(msgBytes, c);
        msgLeft = Arrays.copyOf(msgLeft, c);
        msgInjLeft = Arrays.copyOf(msgInjLeft, c);
        msgGen = Arrays.copyOf(msgGen, c);
        msgInjPending = Arrays.copyOf(msgInjPending, c);
    }

    private void freeMsg(int m) {
        msgGen[m]++;
        msgSlots.release(m);
    }
}
