package io.dojosim.core.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A fixed team of host threads that runs one piece of work split into lanes: lane 0 on the
 * calling thread, lane {@code i} on worker thread {@code i}; {@link #run} returns when every lane
 * is done (one barrier per round). Models use it inside a single simulation step for work whose
 * lanes touch disjoint state and whose cross-lane effects the model merges afterwards in a fixed
 * order, so results do not depend on the number of threads (docs/adr/0070-parallel-flit-engine.md).
 *
 * <p>Waiting threads spin ({@link Thread#onSpinWait()}), then yield, then park for short
 * periods: rounds are a few microseconds of work apart, and blocking primitives cost as much.
 * While the split policy ({@link #lanesFor}) keeps rounds on the caller they park at once, so they
 * leave the other core to the JIT compilers, the garbage collector and other processes. Give a
 * team no more threads than cores.
 *
 * <p>Host facts (rounds, work items and busy time per lane, the caller's waiting time) are counted for the
 * results' {@code host} key; they never feed back into a model.
 *
 * <p>Caveats: not re-entrant (a lane must not call {@link #run}); one caller thread at a time.
 */
public final class Workers implements AutoCloseable {
    /** The work of one round. */
    @FunctionalInterface
    public interface Task {
        /** Runs lane {@code lane} of {@code lanes}; lanes must touch disjoint state. */
        void run(int lane, int lanes);
    }

    private static final int SPINS = 2_000;
    private static final int YIELDS = 20;
    private static final long PARK_NS = 10_000_000; // a safety net: the caller unparks parked workers

    /** A team of one: every round runs on the caller, no thread is started. */
    public static Workers single() {
        return new Workers(1);
    }

    /**
     * A team whose {@link #lanesFor} always grants the lanes asked for, without probing: for tests
     * that must run a model's split path (results must not depend on it), and for measuring the
     * split alone. Not for commands: on a host where splitting does not pay it only costs.
     */
    public static Workers splittingAlways(int threads) {
        Workers w = new Workers(threads, () -> 0);
        w.alwaysSplit = true;
        w.setPolicy(EXPLOIT);
        return w;
    }

    private boolean alwaysSplit;

    private final int threads;
    private final Thread[] pool;
    // round number times LANE_SPAN plus the round's lanes, read in one volatile read, so a worker
    // never combines one round's lane count with another's
    private static final int LANE_SPAN = 1024;
    private volatile long round;
    private volatile boolean closed;
    private volatile Task task; // written before the round that uses it is published
    private final PaddedLong[] done;
    private final PaddedLong[] parked; // 1 while a worker is (about to be) parked
    private volatile Throwable failure;

    private long rounds;
    private final long[] busyNs;
    private final long[] items; // per lane, in split rounds
    private long serialItems; // in rounds run on the caller alone
    private int currentLanes;

    // whether splitting pays on this host now: wait until the JIT has settled, probe unsplit, then
    // split (given up early when it is clearly slower), then keep the faster for a while
    private static final int PROBE_ROUNDS = 64;
    private static final int ABORT_AFTER = 8; // split rounds before a losing split probe is given up
    // rounds at the start of each probe half that run but are not charged: the first split rounds
    // after unsplit ones wake the parked workers and move the lanes' data into the other core's
    // caches (and the first unsplit ones move it back), a cost paid once per change of kind, not
    // per round kept (docs/adr/0117)
    private static final int WARM_ROUNDS = 8;
    private int warmLeft;
    private static final int SETTLE_ROUNDS = 512; // decisions kept unsplit before the first probe
    private static final long SETTLE_MIN_NS = 20_000_000; // and at least this long between two looks at the JIT
    private static final double JIT_BUSY = 0.05; // JIT time per wall time above which the host's other core is taken
    private static final int MAX_BACKOFF = 10;
    private static final double MIN_GAIN = 1.15; // below this the two are within the host's noise
    private static final int PROBE_PARALLEL = 0, PROBE_SERIAL = 1, EXPLOIT = 2;
    private int policy = EXPLOIT; // unsplit until the first probe
    private long policyRounds;
    private long exploitRounds = SETTLE_ROUNDS;
    private final long[] probeNs = new long[2];
    private final long[] probeItems = new long[2];
    private boolean exploitParallel;
    private int backoff;
    private long declined;
    private static final long MAX_INTERVAL_NS = 200_000;
    private long lastDecisionNs;
    private int lastKind = -1;
    private long waitNs;
    private final LongSupplier jitMillis;
    private long jitSeenMs;
    private long jitSeenNs;
    private long postponed;
    private long abandoned;
    // set while the policy keeps rounds on the caller: idle workers park at once instead of spinning
    private volatile boolean parkSoon = true;

    /** @param threads lanes of the team, the caller included: at least 1 */
    public Workers(int threads) {
        this(threads, Workers::jitMillisOfThisJvm);
    }

    /**
     * @param threads   lanes of the team, the caller included: at least 1
     * @param jitMillis the JIT compilers' accumulated time so far, ms (the policy splits no round
     *                  while it grows faster than {@value #JIT_BUSY} of wall time)
     */
    Workers(int threads, LongSupplier jitMillis) {
        if (threads < 1 || threads >= LANE_SPAN) {
            throw new IllegalArgumentException("threads must be in [1, " + (LANE_SPAN - 1) + "], got " + threads);
        }
        this.threads = threads;
        this.jitMillis = jitMillis;
        // a one-thread team never splits, so it never asks the JIT (nor loads the management beans)
        this.jitSeenMs = threads > 1 ? jitMillis.getAsLong() : 0;
        this.jitSeenNs = System.nanoTime();
        this.pool = new Thread[threads];
        this.done = new PaddedLong[threads];
        this.parked = new PaddedLong[threads];
        this.busyNs = new long[threads];
        this.items = new long[threads];
        for (int t = 0; t < threads; t++) {
            done[t] = new PaddedLong();
            parked[t] = new PaddedLong();
        }
        for (int t = 1; t < threads; t++) {
            final int lane = t;
            Thread th = new Thread(() -> loop(lane), "dojosim-worker-" + t);
            th.setDaemon(true);
            pool[t] = th;
            th.start();
        }
    }

    /** @return the number of lanes (threads, the caller included) */
    public int threads() {
        return threads;
    }

    /**
     * How many lanes a caller with work for {@code wanted} lanes should use now: {@code wanted},
     * or 1 when splitting does not pay on this host at the moment. A barrier costs little when
     * every thread has a core, and more than the work when the host is loaded, when the JIT
     * compilers are using the other core, or when the data the lanes touch must first move
     * between the cores' caches. So the team starts unsplit ({@value #SETTLE_ROUNDS} decisions),
     * and probes only while the JIT has settled (its compile time grew by less than
     * {@value #JIT_BUSY} of the wall time since the last look, at least {@value #SETTLE_MIN_NS} ns
     * ago; else it looks again {@value #SETTLE_ROUNDS} decisions later). A probe is
     * {@value #PROBE_ROUNDS} decisions unsplit, then as many split, each half after
     * {@value #WARM_ROUNDS} rounds run but not charged (the first rounds of a kind pay once for
     * waking the workers and moving the lanes' data between the cores' caches), each charged the wall time
     * until the next decision (its round, what the caller does with the lanes' results, and the
     * simulation in between, up to {@value #MAX_INTERVAL_NS} ns), per work item the lanes counted;
     * the split half is given up after {@value #ABORT_AFTER} rounds once it is no faster per item
     * than unsplit, and splitting must be at least {@value #MIN_GAIN} times faster to be kept. The
     * team keeps the chosen kind for a period that doubles while the verdict repeats, then looks
     * again. Callers must produce identical results either way: this decides only how fast they
     * get there.
     */
    public int lanesFor(int wanted) {
        if (threads == 1 || wanted <= 1) return 1;
        if (alwaysSplit) return Math.min(wanted, threads);
        long now = System.nanoTime();
        if (lastKind >= 0 && lastKind == policy) probeNs[lastKind] += Math.min(now - lastDecisionNs, MAX_INTERVAL_NS);
        lastDecisionNs = now;
        int n = Math.min(wanted, threads);
        switch (policy) {
            case PROBE_PARALLEL:
                lastKind = warmLeft > 0 ? -1 : PROBE_PARALLEL;
                return n;
            case PROBE_SERIAL:
                lastKind = warmLeft > 0 ? -1 : PROBE_SERIAL;
                declined++;
                return 1;
            default:
                lastKind = -1;
                if (exploitParallel) return n;
                declined++;
                return 1;
        }
    }

    private void account(int lanes, long itemsDone) {
        if (threads == 1) return; // nothing to decide
        int kind = lanes > 1 ? PROBE_PARALLEL : PROBE_SERIAL;
        switch (policy) {
            case PROBE_SERIAL:
                if (kind != policy) return; // a round too small to be split does not count
                if (warmLeft > 0) {
                    warmLeft--;
                    return;
                }
                probeItems[kind] += itemsDone;
                if (++policyRounds < PROBE_ROUNDS) return;
                policyRounds = 0;
                setPolicy(PROBE_PARALLEL);
                return;
            case PROBE_PARALLEL: {
                if (kind != policy) return;
                if (warmLeft > 0) {
                    warmLeft--;
                    return;
                }
                probeItems[kind] += itemsDone;
                policyRounds++;
                // the split rounds charged so far (a round is charged at the next decision) against unsplit, per item
                double splitCost = probeNs[PROBE_PARALLEL] * (double) Math.max(1, probeItems[PROBE_SERIAL]);
                double serialCost = probeNs[PROBE_SERIAL] * (double) Math.max(1, probeItems[PROBE_PARALLEL] - itemsDone);
                boolean losing = policyRounds > ABORT_AFTER && splitCost >= serialCost;
                if (!losing && policyRounds < PROBE_ROUNDS) return;
                if (losing) abandoned++;
                // splitting wins only when its time per item is clearly below the unsplit one
                decide(!losing && MIN_GAIN * probeNs[PROBE_PARALLEL] * (double) Math.max(1, probeItems[PROBE_SERIAL])
                        < probeNs[PROBE_SERIAL] * (double) Math.max(1, probeItems[PROBE_PARALLEL]));
                return;
            }
            default:
                if (--exploitRounds <= 0 && !alwaysSplit) probeOrPostpone();
        }
    }

    private void decide(boolean parallel) {
        backoff = parallel == exploitParallel ? Math.min(backoff + 1, MAX_BACKOFF) : 0;
        exploitParallel = parallel;
        exploitRounds = (long) PROBE_ROUNDS << (backoff + 3); // at least 8 probes' worth
        probeNs[0] = probeNs[1] = probeItems[0] = probeItems[1] = 0;
        policyRounds = 0;
        setPolicy(EXPLOIT);
    }

    /** At the end of a period kept: probe if the JIT has settled, else stay unsplit a while longer. */
    private void probeOrPostpone() {
        long now = System.nanoTime();
        if (now - jitSeenNs < SETTLE_MIN_NS) {
            exploitRounds = PROBE_ROUNDS; // too soon to tell the JIT's rate: look again shortly
            return;
        }
        long jit = jitMillis.getAsLong();
        boolean busy = (jit - jitSeenMs) * 1e6 > JIT_BUSY * (now - jitSeenNs);
        jitSeenMs = jit;
        jitSeenNs = now;
        if (busy) {
            postponed++;
            exploitParallel = false;
            exploitRounds = SETTLE_ROUNDS;
            setPolicy(EXPLOIT);
            return;
        }
        policyRounds = 0;
        setPolicy(PROBE_SERIAL);
    }

    private void setPolicy(int p) {
        policy = p;
        warmLeft = p == EXPLOIT || alwaysSplit ? 0 : WARM_ROUNDS;
        parkSoon = !alwaysSplit && (p == PROBE_SERIAL || (p == EXPLOIT && !exploitParallel));
    }

    private static long jitMillisOfThisJvm() {
        java.lang.management.CompilationMXBean c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }

    /**
     * Runs {@code task} on lanes {@code 0 .. lanes-1} (lane 0 on the caller) and waits for all.
     *
     * @param lanes at most {@link #threads()}
     */
    public void run(Task task, int lanes) {
        if (lanes < 1 || lanes > threads) throw new IllegalArgumentException("lanes must be in [1, " + threads + "], got " + lanes);
        if (closed) throw new IllegalStateException("workers closed");
        currentLanes = lanes;
        long t0 = System.nanoTime();
        if (lanes == 1) {
            long before = serialItems;
            task.run(0, 1);
            long t1 = System.nanoTime();
            account(1, serialItems - before);
            return;
        }
        long before = 0;
        for (long i : items) before += i;
        rounds++;
        this.task = task;
        long r = (round / LANE_SPAN + 1) * LANE_SPAN + lanes;
        round = r; // publishes the task, the lanes and the caller's model state
        for (int t = 1; t < lanes; t++) {
            if (parked[t].value != 0) LockSupport.unpark(pool[t]);
        }
        Throwable mine = null;
        try {
            task.run(0, lanes);
        } catch (Throwable e) {
            mine = e;
        }
        long t1 = System.nanoTime();
        busyNs[0] += t1 - t0;
        for (int t = 1; t < lanes; t++) {
            int spins = 0;
            while (done[t].value != r) {
                if (++spins < SPINS) Thread.onSpinWait();
                else Thread.yield();
            }
        }
        long t2 = System.nanoTime();
        waitNs += t2 - t1;
        long after = 0;
        for (long i : items) after += i;
        account(lanes, after - before);
        Throwable f = mine != null ? mine : failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            throw new IllegalStateException(f);
        }
    }

    private void loop(int lane) {
        long seen = 0;
        while (true) {
            int spins = 0;
            long r;
            while ((r = round) == seen) {
                if (closed) return;
                boolean spin = !parkSoon; // the policy keeps rounds on the caller: leave the core to others
                if (spin && spins < SPINS) {
                    spins++;
                    Thread.onSpinWait();
                } else if (spin && spins < SPINS + YIELDS) {
                    spins++;
                    Thread.yield();
                } else {
                    // the caller reads the flag after publishing a round: one of us sees the other
                    parked[lane].value = 1;
                    if (round == seen && !closed) LockSupport.parkNanos(this, PARK_NS);
                    parked[lane].value = 0;
                }
            }
            seen = r;
            int k = (int) (r % LANE_SPAN);
            if (lane < k) {
                // a lane of this round: the caller waits for it, so the task is still this round's
                long t0 = System.nanoTime();
                try {
                    task.run(lane, k);
                } catch (Throwable e) {
                    failure = e;
                }
                busyNs[lane] += System.nanoTime() - t0;
            }
            done[lane].value = r;
        }
    }

    /**
     * Counts work items (events, router evaluations) a lane did in the current round; call from
     * that lane only.
     */
    public void countItems(int lane, long n) {
        if (currentLanes > 1) items[lane] += n;
        else serialItems += n;
    }

    /**
     * @return what the team did since it was made: split rounds, work items and busy time per
     * lane in them, the caller's waiting time; and the rounds and items run on the caller alone
     */
    public Report report() {
        return new Report(threads, rounds, declined, items.clone(), busyNs.clone(), waitNs, serialItems, postponed, abandoned);
    }

    @Override
    public void close() {
        closed = true;
        for (int t = 1; t < threads; t++) LockSupport.unpark(pool[t]);
    }


    /**
     * Host facts of a team.
     *
     * @param rounds calls of {@link #run} split over more than one lane (windows)
     * @param declined rounds {@link #lanesFor} kept on one lane to probe or because splitting did not pay
     * @param items  work items each lane counted ({@link #countItems}) in split rounds
     * @param busyNs wall time each lane spent in the task in split rounds
     * @param waitNs wall time the caller waited at the barrier for the other lanes after its own
     * @param serialItems work items of rounds run on the caller alone
     * @param postponedProbes probes of {@link #lanesFor} put off because the JIT compilers were busy
     * @param abandonedProbes probes whose split half was given up early as slower than unsplit
     */
    public record Report(int threads, long rounds, long declined, long[] items, long[] busyNs, long waitNs, long serialItems,
                         long postponedProbes, long abandonedProbes) {
        /** @return mean work items per round of lane {@code t} */
        public double itemsPerRound(int t) {
            return rounds == 0 ? 0 : (double) items[t] / rounds;
        }
    }

    /** A volatile long on its own cache line, so lanes do not share the line they write. */
    private static final class PaddedLong {
        @SuppressWarnings("unused")
        long p1, p2, p3, p4, p5, p6, p7;
        volatile long value;
        @SuppressWarnings("unused")
        long q1, q2, q3, q4, q5, q6, q7;
    }
}
