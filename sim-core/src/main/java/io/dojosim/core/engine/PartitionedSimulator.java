package io.dojosim.core.engine;

import io.dojosim.core.stats.StatsRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The conservative parallel kernel: a model split into partitions, each a {@link Simulator} with
 * its own pending-event set, run on a fixed pool of threads in windows no longer than the
 * lookahead (the smallest latency of a link between two partitions).
 *
 * <pre>
 *   window k:  [t_k, t_k + lookahead - 1]      t_k = global minimum next event time (idle time is skipped)
 *
 *   thread 0: drain inboxes(p0,p2) | run p0, p2 to the window end | min next time -\
 *   thread 1: drain inboxes(p1,p3) | run p1, p3 to the window end | min next time --+- barrier: t_k+1
 *
 *   event sent from partition s to d during window k: appended to mailbox[k % 2][s][d],
 *   drained by d's thread at the start of window k + 1, sources in order 0, 1, ..., P-1
 * </pre>
 *
 * <p><b>Identical results for any thread count.</b> Every event carries the order key
 * {@code (time, priority, source partition, source sequence)}, where the sequence is counted by
 * the partition that scheduled the event (see {@link Simulator}). A partition's events therefore
 * run in the same order whichever thread runs it and whenever a remote event was merged: the key,
 * not the arrival, decides. A remote event is at least one lookahead ahead of its sender, and a
 * window is one lookahead long, so it is always merged before its window starts. The sequential
 * reference ({@link #runSequential}) executes all partitions' events one at a time in the global
 * order of those keys, delivering remote events at once; windowed runs on 1, 2 or 4 threads must
 * give the same statistics, which the tests check.
 *
 * <p>Caveats: components of different partitions may interact only through
 * {@link Simulator#scheduleRemote} (which {@code Link} uses for links between partitions); touching
 * another partition's state directly is a data race. {@link Simulator#stop()} is not supported in a
 * partitioned run. Threads spin, then yield, at the barrier: give it no more threads than cores.
 */
public final class PartitionedSimulator implements AutoCloseable {
    /** How a run was executed. */
    public enum Mode { WINDOWED, SEQUENTIAL_REFERENCE }

    private final Simulator[] parts;
    private final int threads;
    private final Mailbox[][][] mail; // [parity][source][destination]
    private final long[] minSentPs;   // per source partition, in the current window
    private long lookaheadPs = Long.MAX_VALUE;
    private boolean running;
    private Mode mode;
    private int parity;
    private ExecutorService pool;
    private long nowPs;

    // barrier and window state
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile boolean broken;
    private final long[] threadMin;
    private long windowEndPs;
    private boolean done;
    private long endPs;

    // report
    private long windows;
    private final long[] eventsByThread;
    private final long[] barrierWaitNs;
    private final long[] busyNs;
    private long wallNs;

    /** A parallel kernel of {@code partitions} partitions on {@code threads} threads, with timing wheels. */
    public PartitionedSimulator(long seed, int partitions, int threads) {
        this(seed, partitions, threads, TimingWheelEventSet::new);
    }

    /**
     * @param seed       the run seed; every partition derives the same per-path random streams
     * @param partitions number of partitions, 1 to 1,048,576
     * @param threads    number of threads, 1 to {@code partitions}; partition p runs on thread p mod threads
     * @param sets       makes each partition's pending-event set
     */
    public PartitionedSimulator(long seed, int partitions, int threads, Supplier<PendingEventSet> sets) {
        if (partitions < 1 || partitions > (1 << 20)) {
            throw new IllegalArgumentException("partitions must be in [1, 2^20], was " + partitions);
        }
        if (threads < 1 || threads > partitions) {
            throw new IllegalArgumentException("threads must be in [1, partitions=" + partitions + "], was " + threads);
        }
        int bits = 32 - Integer.numberOfLeadingZeros(partitions - 1);
        parts = new Simulator[partitions];
        for (int p = 0; p < partitions; p++) {
            parts[p] = new Simulator(seed, sets.get(), p, bits);
            parts[p].owner = this;
        }
        this.threads = threads;
        mail = new Mailbox[2][partitions][partitions];
        minSentPs = new long[partitions];
        threadMin = new long[threads];
        eventsByThread = new long[threads];
        barrierWaitNs = new long[threads];
        busyNs = new long[threads];
    }

    /** @return the kernel of partition {@code p}: build that partition's components on it */
    public Simulator partition(int p) {
        return parts[p];
    }

    public int partitions() {
        return parts.length;
    }

    public int threads() {
        return threads;
    }

    /** @return the smallest latency declared between two partitions, {@link Long#MAX_VALUE} if none */
    public long lookaheadPs() {
        return lookaheadPs;
    }

    /** @return the simulated time reached by the last run */
    public long now() {
        return nowPs;
    }

    /** @return events executed by all partitions */
    public long eventsExecuted() {
        long n = 0;
        for (Simulator s : parts) {
            n += s.eventsExecuted();
        }
        return n;
    }

    /** @return the statistics of every partition as one tree (names must be unique across partitions) */
    public Map<String, Object> snapshot(long nowPs) {
        List<StatsRegistry> regs = new ArrayList<>();
        for (Simulator s : parts) {
            regs.add(s.stats());
        }
        return StatsRegistry.union(regs).snapshot(nowPs);
    }

    /** Resets the statistics of every partition: the end of a warm-up. */
    public void resetStats(long nowPs) {
        for (Simulator s : parts) {
            s.stats().resetAll(nowPs);
        }
    }

    // ---- wiring and remote events (called through Simulator) ----

    void declareLatency(long latencyPs) {
        if (latencyPs < 1) {
            throw new SimulationError("kernel", nowPs, "a link between partitions needs a latency of at least 1 ps");
        }
        if (running && latencyPs < lookaheadPs) {
            throw new SimulationError("kernel", nowPs, "a link of " + latencyPs
                    + " ps between partitions was added during a run with a lookahead of " + lookaheadPs + " ps");
        }
        lookaheadPs = Math.min(lookaheadPs, latencyPs);
    }

    void post(Simulator from, Simulator to, long timePs, long order, EventHandler handler, int kind, long arg) {
        if (to.owner != this) {
            throw new SimulationError("kernel", from.now(), "remote event to a simulator of another run");
        }
        if (!running) {
            to.scheduleOrdered(timePs, order, handler, kind, arg); // wiring time: no window yet
            return;
        }
        if (timePs - from.now() < lookaheadPs) {
            throw new SimulationError("partition " + from.partition(), from.now(), "remote event only "
                    + (timePs - from.now()) + " ps ahead, below the lookahead of " + lookaheadPs + " ps");
        }
        if (mode == Mode.SEQUENTIAL_REFERENCE) {
            to.scheduleOrdered(timePs, order, handler, kind, arg);
            return;
        }
        int s = from.partition();
        int d = to.partition();
        Mailbox m = mail[parity][s][d];
        if (m == null) {
            m = new Mailbox();
            mail[parity][s][d] = m;
        }
        m.add(timePs, order, handler, kind, arg);
        if (timePs < minSentPs[s]) {
            minSentPs[s] = timePs;
        }
    }

    // ---- the sequential reference ----

    /**
     * Runs all partitions on the calling thread, one event at a time in the global order of the
     * keys {@code (time, priority, partition, sequence)}, delivering remote events immediately.
     * This is the sequential kernel that windowed runs must reproduce.
     */
    public void runSequential(long endPs) {
        startRun(Mode.SEQUENTIAL_REFERENCE);
        long t0 = System.nanoTime();
        try {
            while (true) {
                int best = -1;
                long bt = Long.MAX_VALUE;
                long bo = Long.MAX_VALUE;
                for (int p = 0; p < parts.length; p++) {
                    long t = parts[p].nextEventTime();
                    if (t == Long.MAX_VALUE) {
                        continue;
                    }
                    long o = parts[p].nextEventOrder();
                    if (t < bt || (t == bt && o < bo)) {
                        best = p;
                        bt = t;
                        bo = o;
                    }
                }
                if (best < 0 || bt > endPs) {
                    break;
                }
                parts[best].step();
            }
            finish(endPs);
            eventsByThread[0] = eventsExecuted();
        } finally {
            wallNs = System.nanoTime() - t0;
            running = false;
        }
    }

    // ---- the windowed run ----

    /** Runs until no event is pending anywhere. */
    public void run() {
        runUntil(Long.MAX_VALUE);
    }

    /** Runs every event at or before {@code endPs} in windows, on the thread pool. */
    public void runUntil(long endPs) {
        startRun(Mode.WINDOWED);
        this.endPs = endPs;
        long t0 = System.nanoTime();
        try {
            // The first window: the global minimum before anything ran.
            long min = Long.MAX_VALUE;
            for (Simulator s : parts) {
                min = Math.min(min, s.nextEventTime());
            }
            planWindow(min);
            if (threads == 1) {
                worker(0);
            } else {
                if (pool == null) {
                    pool = Executors.newFixedThreadPool(threads - 1, new WorkerFactory());
                }
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 1; t < threads; t++) {
                    final int id = t;
                    futures.add(pool.submit(() -> worker(id)));
                }
                Throwable failure = null;
                try {
                    worker(0);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (failure == null || failure instanceof BrokenBarrier) {
                            failure = e.getCause();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failure = e;
                    }
                }
                if (failure != null) {
                    if (failure instanceof RuntimeException) {
                        throw (RuntimeException) failure;
                    }
                    if (failure instanceof Error) {
                        throw (Error) failure;
                    }
                    throw new SimulationError("kernel", nowPs, "parallel run interrupted: " + failure);
                }
            }
            finish(endPs);
        } finally {
            wallNs = System.nanoTime() - t0;
            running = false;
        }
    }

    private void startRun(Mode m) {
        if (running) {
            throw new SimulationError("kernel", nowPs, "run called during a run");
        }
        running = true;
        mode = m;
        broken = false;
        done = false;
        windows = 0;
        java.util.Arrays.fill(eventsByThread, 0);
        java.util.Arrays.fill(barrierWaitNs, 0);
        java.util.Arrays.fill(busyNs, 0);
        java.util.Arrays.fill(minSentPs, Long.MAX_VALUE);
    }

    /**
     * Ends a run: delivers remote events still in the mailboxes (sent in the last window, due after
     * the end time) and moves every partition's clock to the same time, the later of the last event
     * and a finite end time, so that both modes leave the same state behind.
     */
    private void finish(long endPs) {
        for (Mailbox[][] byParity : mail) {
            for (int src = 0; src < parts.length; src++) {
                for (int dst = 0; dst < parts.length; dst++) {
                    Mailbox m = byParity[src][dst];
                    if (m != null && m.size > 0) {
                        m.drainInto(parts[dst]);
                    }
                }
            }
        }
        long t = nowPs;
        for (Simulator s : parts) {
            t = Math.max(t, s.now());
        }
        if (endPs != Long.MAX_VALUE) {
            t = Math.max(t, endPs);
        }
        for (Simulator s : parts) {
            if (s.now() < t) {
                s.runUntil(t); // nothing is pending at or before t: only moves the clock
            }
        }
        nowPs = t;
    }

    /** Sets the next window from the global minimum next event time; called by one thread only. */
    private void planWindow(long minPs) {
        if (minPs == Long.MAX_VALUE || minPs > endPs) {
            done = true;
            return;
        }
        long la = lookaheadPs;
        long end = la == Long.MAX_VALUE || minPs > Long.MAX_VALUE - la ? Long.MAX_VALUE : minPs + la - 1;
        windowEndPs = Math.min(end, endPs);
        windows++;
    }

    private void worker(int t) {
        try {
            windowLoop(t);
        } catch (RuntimeException | Error e) {
            broken = true; // releases the threads waiting at the barrier
            throw e;
        }
    }

    private void windowLoop(int t) {
        Simulator[] ps = parts;
        int n = ps.length;
        while (true) {
            if (done) {
                return;
            }
            long busyStart = System.nanoTime();
            int readParity = parity ^ 1; // mail written in the previous window
            long localMin = Long.MAX_VALUE;
            long events = 0;
            for (int p = t; p < n; p += threads) {
                Simulator s = ps[p];
                for (int src = 0; src < n; src++) {
                    Mailbox m = mail[readParity][src][p];
                    if (m != null && m.size > 0) {
                        m.drainInto(s);
                    }
                }
                long before = s.eventsExecuted();
                s.runEventsUntil(windowEndPs);
                if (s.wasStopped()) {
                    throw new SimulationError("partition " + p, s.now(),
                            "stop() is not supported in a partitioned run; run to an end time instead");
                }
                events += s.eventsExecuted() - before;
                localMin = Math.min(localMin, s.nextEventTime());
                localMin = Math.min(localMin, minSentPs[p]);
                minSentPs[p] = Long.MAX_VALUE;
            }
            threadMin[t] = localMin;
            eventsByThread[t] += events;
            long waitStart = System.nanoTime();
            busyNs[t] += waitStart - busyStart;
            await(t);
            barrierWaitNs[t] += System.nanoTime() - waitStart;
        }
    }

    /** The window barrier: the last thread to arrive plans the next window and flips the mailboxes. */
    private void await(int t) {
        int gen = generation;
        if (arrived.incrementAndGet() == threads) {
            long min = Long.MAX_VALUE;
            for (long m : threadMin) {
                min = Math.min(min, m);
            }
            parity ^= 1;
            planWindow(min);
            arrived.set(0);
            generation = gen + 1; // volatile write: publishes the plan and every thread's writes
            return;
        }
        int spins = 0;
        while (generation == gen) {
            if (broken) {
                throw new BrokenBarrier();
            }
            if (++spins < 2_000) {
                Thread.onSpinWait();
            } else if (spins < 50_000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** Thrown in the threads still waiting when another thread failed. */
    private static final class BrokenBarrier extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BrokenBarrier() {
            super("another partition thread failed", null, false, false);
        }
    }

    private static final class WorkerFactory implements ThreadFactory {
        private int n;

        @Override
        public Thread newThread(Runnable r) {
            Thread th = new Thread(r, "dojosim-partition-" + (++n));
            th.setDaemon(true);
            return th;
        }
    }

    // ---- report ----

    /** @return how the last run went: windows, events and barrier waits per thread */
    public Report report() {
        return new Report(mode == null ? Mode.WINDOWED : mode, parts.length, threads, lookaheadPs, windows,
                eventsByThread.clone(), busyNs.clone(), barrierWaitNs.clone(), wallNs);
    }

    /**
     * Host measurements of the last run. Events and windows are deterministic; times are not.
     *
     * @param eventsByThread events executed by each thread
     * @param busyNs         wall time each thread spent merging and running events
     * @param barrierWaitNs  wall time each thread spent waiting at window barriers
     */
    public record Report(Mode mode, int partitions, int threads, long lookaheadPs, long windows,
                         long[] eventsByThread, long[] busyNs, long[] barrierWaitNs, long wallNs) {
        /** @return mean events per window executed by thread {@code t} */
        public double eventsPerWindow(int t) {
            return windows == 0 ? 0 : (double) eventsByThread[t] / windows;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(mode).append(": ").append(partitions).append(" partitions, ").append(threads)
                    .append(" threads, lookahead ").append(lookaheadPs).append(" ps, ").append(windows)
                    .append(" windows, wall ").append(wallNs / 1_000_000).append(" ms");
            for (int t = 0; t < threads; t++) {
                sb.append(String.format(java.util.Locale.ROOT, "%n  thread %d: %d events, %.1f events/window, busy %d ms, barrier wait %d ms",
                        t, eventsByThread[t], eventsPerWindow(t), busyNs[t] / 1_000_000, barrierWaitNs[t] / 1_000_000));
            }
            return sb.toString();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }

    /** Remote events from one partition to another during one window, in send order. */
    private static final class Mailbox {
        long[] time = new long[16];
        long[] order = new long[16];
        long[] arg = new long[16];
        int[] kind = new int[16];
        EventHandler[] handler = new EventHandler[16];
        int size;

        void add(long t, long o, EventHandler h, int k, long a) {
            if (size == time.length) {
                int c = size * 2;
                time = java.util.Arrays.copyOf(time, c);
                order = java.util.Arrays.copyOf(order, c);
                arg = java.util.Arrays.copyOf(arg, c);
                kind = java.util.Arrays.copyOf(kind, c);
                handler = java.util.Arrays.copyOf(handler, c);
            }
            time[size] = t;
            order[size] = o;
            handler[size] = h;
            kind[size] = k;
            arg[size] = a;
            size++;
        }

        void drainInto(Simulator s) {
            for (int i = 0; i < size; i++) {
                s.scheduleOrdered(time[i], order[i], handler[i], kind[i], arg[i]);
                handler[i] = null;
            }
            size = 0;
        }
    }
}
