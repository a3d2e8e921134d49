package io.dojosim.core.engine;

import io.dojosim.core.random.RandomStreams;
import io.dojosim.core.stats.StatsRegistry;
import java.util.Arrays;

/**
 * The discrete-event kernel: one pending-event set, run on the calling thread. Host threads
 * inside one event come from {@link Workers} (ADR 0070, 0076).
 *
 * <p>Events are ordered totally by {@code (timePs, priority, sequence)}: two runs of the same
 * model and seed execute the same events in the same order. Priority is an int in
 * [{@value #MIN_PRIORITY}, {@value #MAX_PRIORITY}], lower first. The order key packs the priority
 * (11 bits) and the insertion sequence (52 bits) into one {@code long}:
 *
 * <pre>
 *   63  62.......52  51..............0
 *   0   prio+1024    sequence (52 bits)
 * </pre>
 *
 * <p>An event's handler, kind and argument travel in its entry of the pending-event set, which
 * streams them out with the key; the kernel keeps per slot only a live bit, a cancelled bit and a
 * generation, and takes slots in rising order, so a dispatch touches no per-event line outside the
 * set (ADR 0108). Steady-state scheduling allocates nothing. A handle (slot and generation) cancels
 * an event; cancelled events stay in the pending-event set and are dropped when they reach the
 * front (lazy cancel).
 *
 * <p>Caveats: a handle of an event that has already run or been cancelled is stale:
 * {@link #cancel} returns false. No valid handle is -1, so -1 can mean "no handle". There is no
 * reschedule (the kernel does not keep an event's payload outside the set): cancel and schedule
 * anew.
 */
public final class Simulator {
    public static final int MIN_PRIORITY = -1024;
    public static final int MAX_PRIORITY = 1023;
    /** Priority of deliveries between models: before clock ticks at the same time. */
    public static final int PRIORITY_DELIVERY = -100;
    /** Priority of clock ticks. */
    public static final int PRIORITY_CLOCK = 0;

    static final int KEY_BITS = 52;
    private static final long SEQ_LIMIT = 1L << KEY_BITS;

    private final PendingEventSet queue;
    private final StatsRegistry stats;
    private Workers workers = Workers.single();
    private final RandomStreams random;

    /**
     * Per slot, one bit: set while the slot's event is pending and not cancelled, so the one
     * per-slot read of a dispatch is a bit in an array of {@code capacity / 8} bytes (256 KB for a
     * million pending events), not a line of a per-event record.
     */
    private long[] liveBits;
    /** Per slot, one bit: set while the slot's event is cancelled but its entry is still in the set. */
    private long[] cancelledBits;
    /** Per slot, the generation of its current event, advanced when the slot is taken: what makes old handles stale. */
    private int[] slotGen;
    /** Slots whose entry is in the set (live or cancelled); at most half the capacity. */
    private int occupied;
    /** Where the search for a free slot resumes: slots are taken in rising order, round the capacity. */
    private int cursor;
    private int live;

    private long nowPs;
    private long seq;
    private long executed;
    private long stopAtPs = Long.MAX_VALUE;
    private boolean stopRequested;
    private boolean idleSkipping = true;

    /** A simulator on the default pending-event set, a {@link ChunkedTimingWheelEventSet}. */
    public Simulator(long seed) {
        this(seed, new ChunkedTimingWheelEventSet());
    }

    public Simulator(long seed, PendingEventSet queue) {
        this.queue = queue;
        this.stats = new StatsRegistry();
        this.random = new RandomStreams(seed);
        int c = 1024;
        liveBits = new long[c >>> 6];
        cancelledBits = new long[c >>> 6];
        slotGen = new int[c];
        latest = new java.lang.ref.WeakReference<>(this);
    }

    /** The simulator created last, for a progress line (a weak reference: it never keeps one alive). */
    private static volatile java.lang.ref.WeakReference<Simulator> latest = new java.lang.ref.WeakReference<>(null);

    /**
     * @return the simulator created last in this process, or null; for display only (its clock and
     * event count are read without synchronisation)
     */
    public static Simulator latest() {
        return latest.get();
    }

    /** Sets whether the clocks built on this simulator from now on skip idle members (default true; {@code sim.idleSkipping}). */
    public void setIdleSkipping(boolean on) {
        this.idleSkipping = on;
    }

    /** @return whether new clocks skip idle members */
    public boolean idleSkipping() {
        return idleSkipping;
    }

    /** @return the current simulated time in picoseconds */
    public long now() {
        return nowPs;
    }

    /**
     * Host threads that models may use inside one event for work they split into lanes with
     * results independent of the number of lanes ({@link Workers}); a team of one by default.
     * A host setting, never a model parameter: it must not change any result.
     */
    public Workers workers() {
        return workers;
    }

    /** Sets the team {@link #workers()} returns; call before building models on this simulator. */
    public void useWorkers(Workers w) {
        this.workers = java.util.Objects.requireNonNull(w, "workers");
    }

    public StatsRegistry stats() {
        return stats;
    }

    public RandomStreams random() {
        return random;
    }

    /** @return events executed so far (cancelled events excluded) */
    public long eventsExecuted() {
        return executed;
    }

    /** @return live (scheduled, not cancelled, not yet run) events */
    public int pending() {
        return live;
    }

    /** @return the name of the pending-event set in use */
    public String queueName() {
        return queue.name();
    }

    /**
     * Schedules an event.
     *
     * @return a handle for {@link #cancel}
     * @throws SimulationError when the time is in the past or the priority is out of range
     */
    public long schedule(long timePs, int priority, EventHandler handler, int kind, long arg) {
        long order = nextOrder(priority);
        if (timePs < nowPs) {
            throw new SimulationError("kernel", nowPs, "event scheduled in the past at " + timePs + " ps");
        }
        if (handler == null) {
            throw new SimulationError("kernel", nowPs, "event scheduled without a handler");
        }
        int s = takeSlot();
        long h = ((long) ++slotGen[s] << 32) | s;
        live++;
        queue.add(timePs, order, h, handler, kind, arg);
        return h;
    }

    /** Schedules an event {@code delayPs} after now. */
    public long scheduleIn(long delayPs, int priority, EventHandler handler, int kind, long arg) {
        return schedule(nowPs + delayPs, priority, handler, kind, arg);
    }

    /** @return the order key of a new event with the given priority */
    private long nextOrder(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new SimulationError("kernel", nowPs, "priority out of range: " + priority);
        }
        if (seq == SEQ_LIMIT) {
            throw new SimulationError("kernel", nowPs, "event sequence exhausted after " + seq + " events");
        }
        return ((long) (priority - MIN_PRIORITY) << KEY_BITS) | seq++;
    }

    private boolean isLive(long handle) {
        int s = (int) handle;
        return s >= 0 && s < slotGen.length && (liveBits[s >>> 6] & (1L << s)) != 0 && slotGen[s] == (int) (handle >>> 32);
    }

    /** Cancels a pending event. @return true if it was pending, false if it already ran or was cancelled */
    public boolean cancel(long handle) {
        if (!isLive(handle)) {
            return false;
        }
        int s = (int) handle;
        liveBits[s >>> 6] &= ~(1L << s);
        cancelledBits[s >>> 6] |= 1L << s;
        live--;
        return true;
    }

    /**
     * Takes the first free slot at or after the cursor (round the capacity) and marks it live.
     * Slots are taken in rising order, so the generations written here stream through memory
     * whatever order events run in; the capacity doubles to keep at least half the slots free, so
     * the search stops within a word or two.
     */
    private int takeSlot() {
        int cap = slotGen.length;
        if (2 * occupied >= cap) {
            cap *= 2;
            liveBits = Arrays.copyOf(liveBits, cap >>> 6);
            cancelledBits = Arrays.copyOf(cancelledBits, cap >>> 6);
            slotGen = Arrays.copyOf(slotGen, cap);
        }
        long[] lb = liveBits;
        long[] cb = cancelledBits;
        int words = lb.length;
        int w = cursor >>> 6;
        long free = ~(lb[w] | cb[w]) & (-1L << cursor);
        while (free == 0) {
            w = w + 1 == words ? 0 : w + 1;
            free = ~(lb[w] | cb[w]);
        }
        int s = (w << 6) + Long.numberOfTrailingZeros(free);
        cursor = s + 1 == cap ? 0 : s + 1;
        lb[w] |= 1L << s;
        occupied++;
        return s;
    }

    /**
     * Frees the slot of a polled entry. @return true if its event is live (it clears the bit),
     * false if it was cancelled
     */
    private boolean release(long tag) {
        int s = (int) tag;
        int w = s >>> 6;
        long bit = 1L << s;
        long word = liveBits[w];
        occupied--;
        if ((word & bit) != 0) {
            liveBits[w] = word & ~bit;
            return true;
        }
        cancelledBits[w] &= ~bit;
        return false;
    }

    /**
     * Runs the next live event, if any and if it is not after the stop time of a running
     * {@link #runUntil}.
     *
     * @return false when nothing was run
     */
    public boolean step() {
        PendingEventSet q = queue;
        while (!q.isEmpty()) {
            long t = q.minTime();
            if (t > stopAtPs) {
                return false;
            }
            long tag = q.pollMin();
            if (!release(tag)) {
                continue; // cancelled
            }
            live--;
            nowPs = t;
            executed++;
            q.polledHandler().onEvent(t, q.polledKind(), q.polledArg());
            return true;
        }
        return false;
    }

    /** Runs until no event is pending or {@link #stop} is called. */
    public void run() {
        runUntil(Long.MAX_VALUE);
    }

    /**
     * Runs every event at or before {@code endPs}, including events those events schedule at or
     * before {@code endPs}. Afterwards {@link #now()} is {@code endPs} if the run was not stopped
     * early and {@code endPs} is finite, so a later event may be scheduled at {@code endPs} or after.
     *
     * @throws SimulationError when {@code endPs} is before now
     */
    public void runUntil(long endPs) {
        if (endPs < nowPs) {
            throw new SimulationError("kernel", nowPs, "runUntil(" + endPs + " ps) is before now");
        }
        stopAtPs = endPs;
        stopRequested = false;
        try {
            while (!stopRequested && step()) {
                if ((executed & 0xFFF) == 0 && SimulationInterrupted.requested()) {
                    throw new SimulationInterrupted(nowPs);
                }
            }
        } finally {
            stopAtPs = Long.MAX_VALUE;
        }
        if (!stopRequested && endPs != Long.MAX_VALUE) {
            nowPs = endPs;
        }
    }

    /** Stops {@link #run}/{@link #runUntil} after the current event. */
    public void stop() {
        stopRequested = true;
    }

    /** @return the time of the next live event, or {@link Long#MAX_VALUE} when none is pending */
    public long nextEventTime() {
        PendingEventSet q = queue;
        while (!q.isEmpty()) {
            int s = (int) q.minTag();
            if ((liveBits[s >>> 6] & (1L << s)) != 0) {
                return q.minTime();
            }
            release(q.pollMin()); // a cancelled event at the front: drop it now
        }
        return Long.MAX_VALUE;
    }
}
