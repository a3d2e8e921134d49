package io.dojosim.d1.node;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.stats.Counter;
import io.dojosim.core.stats.StatDef;
import io.dojosim.core.stats.StatGroup;
import io.dojosim.core.stats.Unit;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import java.util.Arrays;

/**
 * One D1 training node at {@code cycle} fidelity: four hardware threads issuing the micro-operations
 * of a {@link NodeProgram} onto the matrix pipe (one 8x8x4 block per cycle), the SIMD pipe (one
 * 64 B instruction per cycle), a 2-wide vector issue, two 64 B SRAM load ports, one 64 B store port,
 * the router's 64 B read and write ports and a DMA engine.
 *
 * <p>Timing is exact in cycles and event-driven: one event per micro-operation boundary and one per
 * resource conflict (a retry at the cycle the blocking resource frees), never a tick per idle cycle.
 * Each resource is a set of lanes holding the cycle at which it becomes free. A compute micro-op
 * takes {@code d = max(pipe cycles, ceil(load slots / k_load), ceil(store slots / k_store))} cycles,
 * where {@code k} is the smallest number of ports that keeps the pipe busy, and holds its pipe, one
 * issue lane and its ports for all {@code d} cycles. When resources conflict, the thread whose event
 * comes first wins; at equal cycles the lower thread index wins. ADR 0030 argues this arbitration.
 *
 * <p>Sources: dojo-facts 2.1-2.3 (HC34-U, CNC22, AID21); assumptions in docs/model/d1-node.md.
 *
 * <p>Caveats: a micro-op reserves its ports for its whole duration, so another thread cannot use
 * the gaps of a port that a micro-op uses at less than full rate; messages arriving from the network
 * write through the router write port at the rate the network delivers them and are only delayed by
 * a local DMA copy holding that port.
 */
public final class D1Node implements EventHandler {
    /** Resources (lane sets). */
    public static final int R_ISSUE = 0, R_MATRIX = 1, R_SIMD = 2, R_LOAD = 3, R_STORE = 4, R_RREAD = 5, R_RWRITE = 6,
            RESOURCES = 7;
    private static final StatDef STAT_BUSY = StatDef.counter("<node>.{resource}.busyCycles", Unit.CYCLES,
            "lane-cycles the resource did work (a lane is one port or pipe slot per cycle)");
    private static final StatDef STAT_FLOPS = StatDef.counter("<node>.flops.{dtype}", Unit.FLOPS,
            "floating-point operations executed, 2 per multiply-accumulate, padding included");
    private static final StatDef STAT_SRAM_LOAD = StatDef.counter("<node>.sram.loadBytes", Unit.BYTES, "bytes read through the vector load ports");
    private static final StatDef STAT_SRAM_STORE = StatDef.counter("<node>.sram.storeBytes", Unit.BYTES, "bytes written through the vector store port");
    private static final StatDef STAT_ROUTER_READ = StatDef.counter("<node>.sram.routerReadBytes", Unit.BYTES,
            "bytes read out of SRAM by the router (sends, DMA)");
    private static final StatDef STAT_ROUTER_WRITE = StatDef.counter("<node>.sram.routerWriteBytes", Unit.BYTES,
            "bytes written into SRAM by the router (arrivals, local DMA)");
    private static final StatDef STAT_PORT_STALL = StatDef.counter("<node>.sram.portStallCycles", Unit.CYCLES,
            "thread-cycles lost waiting for an SRAM or router port");
    private static final StatDef STAT_DMA_STALL = StatDef.counter("<node>.dma.portStallCycles", Unit.CYCLES,
            "cycles the DMA engine waited for the router ports");
    private static final StatDef STAT_SENT = StatDef.counter("<node>.messagesSent", Unit.MESSAGES, "messages injected by SEND and DMA");
    private static final StatDef STAT_RECEIVED = StatDef.counter("<node>.messagesReceived", Unit.MESSAGES,
            "messages whose last byte was written into SRAM");
    private static final StatDef STAT_STALL = StatDef.counter("<node>.thread[{t}].stall.{reason}", Unit.CYCLES,
            "cycles the thread could not issue, by reason");

    /**
     * The statistics every node writes below its path ({@code <node>}: {@code chip.node[x,y]} in a
     * chip, {@code node} alone); {@code {resource}} is one of {@link #RESOURCE_NAMES}, {@code {reason}}
     * one of {@link #REASON_NAMES}, {@code {dtype}} a {@link DType} key.
     */
    public static final StatGroup STATS = new StatGroup("D1Node",
            "one D1 node's cores, SRAM ports and DMA (cycle-level kernels and regions)",
            java.util.List.of(STAT_BUSY, STAT_FLOPS, STAT_SRAM_LOAD, STAT_SRAM_STORE, STAT_ROUTER_READ, STAT_ROUTER_WRITE,
                    STAT_PORT_STALL, STAT_DMA_STALL, STAT_SENT, STAT_RECEIVED, STAT_STALL));

    /** Names of the resources in statistics and reports. */
    public static final String[] RESOURCE_NAMES = {"vectorIssue", "matrixPipe", "simdPipe", "sramLoadPorts",
            "sramStorePort", "routerReadPort", "routerWritePort"};
    /** Stall reasons of a thread. */
    public static final int S_ISSUE = 0, S_MATRIX = 1, S_SIMD = 2, S_LOAD = 3, S_STORE = 4, S_RREAD = 5, S_DRAIN = 6,
            S_SEMAPHORE = 7, S_RECV = 8, S_BARRIER = 9, REASONS = 10;
    /** Names of the stall reasons in statistics and reports. */
    public static final String[] REASON_NAMES = {"vectorIssue", "matrixPipe", "simdPipe", "sramLoadPort", "sramStorePort",
            "routerReadPort", "drain", "semaphore", "recv", "barrier"};

    private static final int K_THREAD = 0, K_DMA = 1, K_SEMADD = 2, K_RELEASE = 3;
    private static final int PRIO_SEMADD = -50, PRIO_DMA = 32;

    private final Simulator sim;
    private final String path;
    private final NodeParams p;
    private final int nodeIndex;
    private final long periodPs;
    private final NodeProgram prog;
    private final NodeNetwork net;
    private final ChipSync sync;
    private final int threads;

    private final long[][] laneFree = new long[RESOURCES][];
    private final long[] scratch = new long[32];
    private final Counter[] busy = new Counter[RESOURCES];
    private final Counter[] flops = new Counter[DType.count()];
    private final Counter sramLoadBytes, sramStoreBytes, routerReadBytes, routerWriteBytes, portStallCycles,
            dmaPortStallCycles, messagesSent, messagesReceived;
    private final Counter[][] stall;

    private final int[] pc;
    private final long[] outstanding;
    private final boolean[] scheduled;
    private final int[] blockReason;
    private final long[] blockedSince;
    private final long[] finishCycle;
    private final int[] waitingSem;
    private final int[] waitingBarrier;
    private final long[] sem;
    private final int[] barrierArrivals = new int[64];
    private int unfinished;

    // DMA engine: FIFO of (thread, pc) descriptors
    private int[] dmaThread = new int[16];
    private int[] dmaPc = new int[16];
    private int dmaHead, dmaSize;
    private int dmaState; // 0 idle, 1 set-up, 2 waiting for ports, 3 transfer
    private long dmaWaitSince;
    private long dmaLastEnd;

    /**
     * @param nodeIndex active-node index on the chip (0 for a lone node)
     * @param net       the network, or null for a lone node (SEND and DMA to another node then fail)
     * @param sync      chip barriers, or null for a lone node
     * @throws ConfigException when the program does not fit the SRAM or uses more threads than the node has
     */
    public D1Node(Simulator sim, String path, NodeParams p, int nodeIndex, NodeProgram prog, NodeNetwork net, ChipSync sync) {
        this.sim = sim;
        this.path = path;
        this.p = p;
        this.nodeIndex = nodeIndex;
        this.periodPs = p.clock().periodPs();
        this.prog = prog;
        this.net = net;
        this.sync = sync;
        if (prog.threads() > p.threads()) {
            throw new ConfigException(path + ": program '" + prog.name() + "' uses " + prog.threads()
                    + " threads but d1.node.threads is " + p.threads());
        }
        prog.checkFits(path, p.sramBytes(), p.codeReserveBytes());
        this.threads = prog.threads();
        int[] lanes = {p.vectorIssueWidth(), 1, 1, p.sramLoadPorts(), p.sramStorePorts(), 1, 1};
        for (int r = 0; r < RESOURCES; r++) {
            laneFree[r] = new long[lanes[r]];
            busy[r] = counter(STAT_BUSY, RESOURCE_NAMES[r]);
        }
        for (int d = 0; d < DType.count(); d++) {
            flops[d] = counter(STAT_FLOPS, DType.of(d).key());
        }
        sramLoadBytes = counter(STAT_SRAM_LOAD);
        sramStoreBytes = counter(STAT_SRAM_STORE);
        routerReadBytes = counter(STAT_ROUTER_READ);
        routerWriteBytes = counter(STAT_ROUTER_WRITE);
        portStallCycles = counter(STAT_PORT_STALL);
        dmaPortStallCycles = counter(STAT_DMA_STALL);
        messagesSent = counter(STAT_SENT);
        messagesReceived = counter(STAT_RECEIVED);
        stall = new Counter[threads][REASONS];
        pc = new int[threads];
        outstanding = new long[threads];
        scheduled = new boolean[threads];
        blockReason = new int[threads];
        blockedSince = new long[threads];
        finishCycle = new long[threads];
        waitingSem = new int[threads];
        waitingBarrier = new int[threads];
        for (int t = 0; t < threads; t++) {
            for (int r = 0; r < REASONS; r++) {
                stall[t][r] = counter(STAT_STALL, Integer.toString(t), REASON_NAMES[r]);
            }
            blockReason[t] = -1;
            waitingSem[t] = -1;
            waitingBarrier[t] = -1;
        }
        sem = new long[Math.max(1, prog.semaphores())];
    }

    /** @return the hierarchical name of this node, e.g. {@code chip.node[3,4]} */
    public String path() {
        return path;
    }

    /** A counter of declaration {@code d} below this node's path; {@code values} fill its {@code {x}} placeholders. */
    private Counter counter(StatDef d, String... values) {
        String[] all = new String[values.length + 1];
        all[0] = path;
        System.arraycopy(values, 0, all, 1, values.length);
        return sim.stats().counter(d, d.name(all));
    }

    /** Schedules every thread with work to start at the current time. */
    public void start() {
        long c = cycleNow();
        for (int t = 0; t < threads; t++) {
            if (prog.length(t) > 0) {
                unfinished++;
                wake(t, c);
            }
        }
    }

    /** @return true when every thread has run its last micro-operation */
    public boolean finished() {
        return unfinished == 0;
    }

    /** @return the cycle at which the node's last result was written or its last DMA ended */
    public long finishCycle() {
        long m = dmaLastEnd;
        for (int t = 0; t < threads; t++) {
            m = Math.max(m, finishCycle[t]);
        }
        return m;
    }

    public int nodeIndex() {
        return nodeIndex;
    }

    public NodeParams params() {
        return p;
    }

    public NodeProgram program() {
        return prog;
    }

    /** @return number of lanes of a resource */
    public int lanes(int resource) {
        return laneFree[resource].length;
    }

    /** @return lane-cycles of work done by a resource */
    public long busyCycles(int resource) {
        return busy[resource].get();
    }

    public long flops(DType t) {
        return flops[t.ordinal()].get();
    }

    public long stallCycles(int thread, int reason) {
        return stall[thread][reason].get();
    }

    public long portStallCycles() {
        return portStallCycles.get();
    }

    public long sramLoadBytes() {
        return sramLoadBytes.get();
    }

    public long sramStoreBytes() {
        return sramStoreBytes.get();
    }

    public long routerReadBytes() {
        return routerReadBytes.get();
    }

    public long routerWriteBytes() {
        return routerWriteBytes.get();
    }

    /** @return a description of what each unfinished thread waits for, for deadlock reports */
    public String blockedDescription() {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < threads; t++) {
            if (pc[t] < prog.length(t)) {
                byte o = prog.op(t, pc[t]);
                sb.append(path()).append(" thread ").append(t).append(" at op ").append(pc[t]).append(" (")
                        .append(NodeProgram.opName(o));
                if (o == NodeProgram.WAIT || o == NodeProgram.RECV) {
                    int s = prog.x(t, pc[t]);
                    sb.append(" semaphore ").append(s).append(" holds ").append(sem[s]).append(", needs ").append(prog.n(t, pc[t]));
                }
                sb.append("); ");
            }
        }
        return sb.toString();
    }

    private long cycleNow() {
        return (sim.now() + periodPs - 1) / periodPs;
    }

    private void wake(int t, long cycle) {
        if (!scheduled[t]) {
            scheduled[t] = true;
            sim.schedule(cycle * periodPs, t, this, K_THREAD, t);
        }
    }

    @Override
    public void onEvent(long nowPs, int kind, long arg) {
        long c = cycleNow();
        switch (kind) {
            case K_THREAD:
                scheduled[(int) arg] = false;
                step((int) arg, c);
                break;
            case K_DMA:
                dmaStep(c);
                break;
            case K_SEMADD:
                semAdd((int) arg, 1, c);
                messagesReceived.inc();
                break;
            case K_RELEASE:
                release((int) arg, c);
                break;
            default:
                throw new SimulationError(path(), nowPs, "unknown event kind " + kind);
        }
    }

    private void block(int t, int reason, long c) {
        if (blockReason[t] < 0) {
            blockReason[t] = reason;
            blockedSince[t] = c;
        }
    }

    private void unblock(int t, long c) {
        int r = blockReason[t];
        if (r >= 0) {
            long d = c - blockedSince[t];
            stall[t][r].add(d);
            if (r == S_LOAD || r == S_STORE || r == S_RREAD) {
                portStallCycles.add(d);
            }
            blockReason[t] = -1;
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** @return the cycle at which {@code k} lanes of the resource are free (k-th smallest free time) */
    private long kFree(int r, int k) {
        long[] lf = laneFree[r];
        if (k == 1 && lf.length == 1) {
            return lf[0];
        }
        System.arraycopy(lf, 0, scratch, 0, lf.length);
        Arrays.sort(scratch, 0, lf.length);
        return scratch[k - 1];
    }

    /** Occupies {@code k} lanes that are free at {@code c} until {@code until}. */
    private void take(int r, int k, long c, long until) {
        long[] lf = laneFree[r];
        for (int i = 0; i < lf.length && k > 0; i++) {
            if (lf[i] <= c) {
                lf[i] = until;
                k--;
            }
        }
        if (k > 0) {
            throw new SimulationError(path(), c * periodPs, "resource " + RESOURCE_NAMES[r] + " over-committed");
        }
    }

    private void step(int t, long c) {
        if (pc[t] >= prog.length(t)) {
            return;
        }
        int i = pc[t];
        byte o = prog.op(t, i);
        switch (o) {
            case NodeProgram.MATRIX:
            case NodeProgram.VECTOR:
            case NodeProgram.LOAD:
                compute(t, i, o, c);
                return;
            case NodeProgram.STORE:
                if (outstanding[t] > c) {
                    block(t, S_DRAIN, c);
                    wake(t, outstanding[t]);
                } else {
                    compute(t, i, o, c);
                }
                return;
            default:
                break;
        }
        // every other operation first waits for the thread's earlier results
        if (outstanding[t] > c) {
            block(t, S_DRAIN, c);
            wake(t, outstanding[t]);
            return;
        }
        switch (o) {
            case NodeProgram.SEND: {
                if (laneFree[R_RREAD][0] > c) {
                    block(t, S_RREAD, c);
                    wake(t, laneFree[R_RREAD][0]);
                    return;
                }
                unblock(t, c);
                int bytes = prog.n(t, i);
                int dst = prog.x(t, i);
                if (net == null || dst == nodeIndex) {
                    throw new ConfigException(path() + " thread " + t + " op " + i + ": SEND to node " + dst
                            + " needs a network and another node (use DMA for a local copy)");
                }
                long slots = ceilDiv(bytes, p.routerReadBytesPerCycle());
                laneFree[R_RREAD][0] = c + slots;
                busy[R_RREAD].add(slots);
                routerReadBytes.add(bytes);
                messagesSent.inc();
                net.send(nodeIndex, dst, bytes, prog.y(t, i));
                advance(t, c, c + slots);
                return;
            }
            case NodeProgram.DMA:
                unblock(t, c);
                dmaEnqueue(t, i, c);
                advance(t, c, c + 1);
                return;
            case NodeProgram.RECV:
            case NodeProgram.WAIT: {
                int s = prog.x(t, i);
                long need = prog.n(t, i);
                if (sem[s] >= need) {
                    sem[s] -= need;
                    waitingSem[t] = -1;
                    unblock(t, c);
                    advance(t, c, c + p.semaphoreCycles());
                } else {
                    waitingSem[t] = s;
                    block(t, o == NodeProgram.RECV ? S_RECV : S_SEMAPHORE, c);
                }
                return;
            }
            case NodeProgram.SIGNAL:
                unblock(t, c);
                advance(t, c, c + p.semaphoreCycles());
                semAdd(prog.x(t, i), prog.n(t, i), c);
                return;
            case NodeProgram.BARRIER: {
                int id = prog.x(t, i);
                waitingBarrier[t] = id;
                block(t, S_BARRIER, c);
                if (++barrierArrivals[id] == prog.n(t, i)) {
                    barrierArrivals[id] = 0;
                    for (int u = 0; u < threads; u++) {
                        if (waitingBarrier[u] == id) {
                            waitingBarrier[u] = -1;
                            unblock(u, c);
                            advance(u, c, c + p.semaphoreCycles());
                        }
                    }
                }
                return;
            }
            case NodeProgram.CHIP_BARRIER:
                if (sync == null) {
                    throw new ConfigException(path() + " thread " + t + " op " + i + ": a chip barrier needs a chip");
                }
                block(t, S_BARRIER, c);
                sync.arrive(nodeIndex, t, prog.x(t, i), prog.n(t, i));
                return;
            default:
                throw new SimulationError(path(), c * periodPs, "unknown opcode " + o);
        }
    }

    /** Moves thread t past its current operation and schedules its next step at {@code next}. */
    private void advance(int t, long c, long next) {
        pc[t]++;
        if (pc[t] >= prog.length(t)) {
            finishCycle[t] = Math.max(next, outstanding[t]);
            unfinished--;
            return;
        }
        wake(t, next);
    }

    private void compute(int t, int i, byte o, long c) {
        int count = prog.n(t, i);
        long loadB = prog.x(t, i);
        long storeB = prog.y(t, i);
        int pipe = o == NodeProgram.MATRIX ? R_MATRIX : o == NodeProgram.VECTOR ? R_SIMD : -1;
        long pipeCycles = pipe == R_MATRIX ? ceilDiv(count, p.matrixBlocksPerCycle()) : pipe == R_SIMD ? count : 0;
        long ls = ceilDiv(loadB, p.sramPortBytes());
        long ss = ceilDiv(storeB, p.sramPortBytes());
        int kl = ls == 0 ? 0 : (int) Math.min(laneFree[R_LOAD].length, ceilDiv(ls, Math.max(1, pipeCycles)));
        int ks = ss == 0 ? 0 : (int) Math.min(laneFree[R_STORE].length, ceilDiv(ss, Math.max(1, pipeCycles)));
        long dur = Math.max(1, pipeCycles);
        if (kl > 0) dur = Math.max(dur, ceilDiv(ls, kl));
        if (ks > 0) dur = Math.max(dur, ceilDiv(ss, ks));

        long ready = c;
        int reason = -1;
        if (pipe >= 0) {
            long f = kFree(R_ISSUE, 1);
            if (f > c) {
                reason = S_ISSUE;
                ready = f;
            }
            f = laneFree[pipe][0];
            if (f > c) {
                if (f > ready || reason < 0) reason = pipe == R_MATRIX ? S_MATRIX : S_SIMD;
                ready = Math.max(ready, f);
            }
        }
        if (kl > 0) {
            long f = kFree(R_LOAD, kl);
            if (f > c) {
                if (f > ready || reason < 0) reason = S_LOAD;
                ready = Math.max(ready, f);
            }
        }
        if (ks > 0) {
            long f = kFree(R_STORE, ks);
            if (f > c) {
                if (f > ready || reason < 0) reason = S_STORE;
                ready = Math.max(ready, f);
            }
        }
        if (reason >= 0) {
            block(t, reason, c);
            wake(t, ready);
            return;
        }
        unblock(t, c);
        long end = c + dur;
        long latency = 0;
        if (pipe >= 0) {
            take(R_ISSUE, 1, c, end);
            take(pipe, 1, c, end);
            busy[R_ISSUE].add(pipeCycles);
            busy[pipe].add(pipeCycles);
            latency = pipe == R_MATRIX ? p.matrixLatencyCycles() : p.simdLatencyCycles();
            DType dt = prog.dtype(t, i);
            long f = pipe == R_MATRIX ? 2L * p.macsPerMatrixBlock() * count : 2L * p.simdFmaPerInstruction(dt) * count;
            flops[dt.ordinal()].add(f);
        }
        if (kl > 0) {
            take(R_LOAD, kl, c, end);
            busy[R_LOAD].add(ls);
            sramLoadBytes.add(loadB);
            latency += p.sramLatencyCycles();
        }
        if (ks > 0) {
            take(R_STORE, ks, c, end);
            busy[R_STORE].add(ss);
            sramStoreBytes.add(storeB);
        }
        outstanding[t] = Math.max(outstanding[t], end + latency);
        advance(t, c, end);
    }

    private void semAdd(int s, long amount, long c) {
        sem[s] += amount;
        for (int u = 0; u < threads; u++) {
            if (waitingSem[u] == s) {
                wake(u, c);
            }
        }
    }

    /**
     * A message from the network has fully arrived at this node's router: its bytes are written
     * through the router write port, then the semaphore counts it.
     */
    public void deliver(int srcNode, int bytes, int semaphore) {
        long c = cycleNow();
        if (semaphore < 0 || semaphore >= sem.length) {
            throw new ConfigException(path() + ": a message from node " + srcNode + " targets semaphore " + semaphore
                    + " but the program declares semaphores 0.." + (sem.length - 1));
        }
        long slots = ceilDiv(bytes, p.routerWriteBytesPerCycle());
        busy[R_RWRITE].add(slots);
        routerWriteBytes.add(bytes);
        long done = Math.max(c, laneFree[R_RWRITE][0]);
        if (done == c) {
            messagesReceived.inc();
            semAdd(semaphore, 1, c);
        } else {
            sim.schedule(done * periodPs, PRIO_SEMADD, this, K_SEMADD, semaphore);
        }
    }

    /** Called by the chip when a chip barrier this node's thread waits on is released (now). */
    public void releaseBarrier(int thread) {
        sim.schedule(sim.now(), thread, this, K_RELEASE, thread);
    }

    private void release(int t, long c) {
        unblock(t, c);
        advance(t, c, c + p.semaphoreCycles());
    }

    // ---------------------------------------------------------------- DMA engine

    private void dmaEnqueue(int t, int i, long c) {
        if (dmaSize == dmaThread.length) {
            int[] nt = new int[dmaSize * 2];
            int[] np = new int[dmaSize * 2];
            for (int k = 0; k < dmaSize; k++) {
                nt[k] = dmaThread[(dmaHead + k) % dmaSize];
                np[k] = dmaPc[(dmaHead + k) % dmaSize];
            }
            dmaThread = nt;
            dmaPc = np;
            dmaHead = 0;
        }
        int slot = (dmaHead + dmaSize) % dmaThread.length;
        dmaThread[slot] = t;
        dmaPc[slot] = i;
        dmaSize++;
        if (dmaState == 0) {
            dmaState = 1;
            sim.schedule((c + p.dmaSetupCycles()) * periodPs, PRIO_DMA, this, K_DMA, 0);
        }
    }

    private void dmaStep(long c) {
        int t = dmaThread[dmaHead];
        int i = dmaPc[dmaHead];
        int bytes = prog.n(t, i);
        int dst = prog.x(t, i);
        boolean local = dst == nodeIndex;
        if (dmaState == 1 || dmaState == 2) {
            long f = laneFree[R_RREAD][0];
            if (local) f = Math.max(f, laneFree[R_RWRITE][0]);
            if (f > c) {
                if (dmaState == 1) {
                    dmaWaitSince = c;
                }
                dmaState = 2;
                sim.schedule(f * periodPs, PRIO_DMA, this, K_DMA, 0);
                return;
            }
            if (dmaState == 2) {
                dmaPortStallCycles.add(c - dmaWaitSince);
            }
            long slots = ceilDiv(bytes, p.routerReadBytesPerCycle());
            laneFree[R_RREAD][0] = c + slots;
            busy[R_RREAD].add(slots);
            routerReadBytes.add(bytes);
            if (local) {
                long ws = ceilDiv(bytes, p.routerWriteBytesPerCycle());
                laneFree[R_RWRITE][0] = c + Math.max(slots, ws);
                busy[R_RWRITE].add(ws);
                routerWriteBytes.add(bytes);
                slots = Math.max(slots, ws);
            } else {
                if (net == null) {
                    throw new ConfigException(path() + " thread " + t + " op " + i + ": DMA to node " + dst + " needs a network");
                }
                messagesSent.inc();
                net.send(nodeIndex, dst, bytes, prog.y(t, i));
            }
            dmaState = 3;
            sim.schedule((c + slots) * periodPs, PRIO_DMA, this, K_DMA, 0);
            return;
        }
        // transfer finished
        dmaLastEnd = Math.max(dmaLastEnd, c);
        if (local) {
            semAdd(prog.y(t, i), 1, c);
        }
        int localSem = prog.z(t, i);
        if (localSem >= 0) {
            semAdd(localSem, 1, c);
        }
        dmaHead = (dmaHead + 1) % dmaThread.length;
        dmaSize--;
        if (dmaSize > 0) {
            dmaState = 1;
            sim.schedule((c + p.dmaSetupCycles()) * periodPs, PRIO_DMA, this, K_DMA, 0);
        } else {
            dmaState = 0;
        }
    }
}
