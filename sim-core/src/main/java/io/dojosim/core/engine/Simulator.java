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
 * <p>Event state lives in slot arrays reused through a free list, so steady-state scheduling
 * allocates nothing. A handle (slot and generation) cancels or reschedules an event; cancelled
 * events stay in the pending-event set and are dropped when they reach the front (lazy cancel).
 *
 * <p>Caveats: a handle of an event that has already run or been cancelled is stale:
 * {@link #cancel} returns false and {@link #reschedule} returns -1. No valid handle is -1, so -1
 * can mean "no handle".
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
    private static final long GEN_ONE = 1L << 32;

    private final PendingEventSet queue;
    private final StatsRegistry stats;
    private Workers workers = Workers.single();
    private final RandomStreams random;

    private EventHandler[] slotHandler;
    /**
     * Per slot s: {@code slotData[2s]} = generation (high 32 bits) and kind (low 32 bits),
     * {@code slotData[2s+1]} = argument; one cache line serves a dispatch.
     */
    private long[] slotData;
    private long[] slotOrder;
    private int[] freeSlots;
    private int freeCount;
    private int slotsUsed;
    private int live;

    private long nowPs;
    private long seq;
    private long executed;
    private long stopAtPs = Long.MAX_VALUE;
    private boolean stopRequested;

    /** A simulator on the default pending-event set, a {@link ChunkedTimingWheelEventSet}. */
    public Simulator(long seed) {
        this(seed, new ChunkedTimingWheelEventSet());
    }

    public Simulator(long seed, PendingEventSet queue) {
        this.queue = queue;
        this.stats = new StatsRegistry();
        this.random = new RandomStreams(seed);
        int c = 1024;
        slotHandler = new EventHandler[c];
        slotData = new long[2 * c];
        slotOrder = new long[c];
        freeSlots = new int[c];
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
     * @return a handle for {@link #cancel} and {@link #reschedule}
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
        int s = allocSlot();
        slotHandler[s] = handler;
        long[] d = slotData;
        long gen = d[2 * s] & 0xFFFF_FFFF_0000_0000L;
        d[2 * s] = gen | (kind & 0xFFFF_FFFFL);
        d[2 * s + 1] = arg;
        slotOrder[s] = order;
        live++;
        queue.add(timePs, order, s);
        return gen | s;
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
        return s >= 0 && s < slotsUsed && (slotData[2 * s] >>> 32) == (handle >>> 32) && slotHandler[s] != null;
    }

    /** Cancels a pending event. @return true if it was pending, false if it already ran or was cancelled */
    public boolean cancel(long handle) {
        if (!isLive(handle)) {
            return false;
        }
        slotHandler[(int) handle] = null;
        live--;
        return true;
    }

    /**
     * Moves a pending event to a new time, keeping its handler, kind, argument and priority; it is
     * ordered as if newly scheduled.
     *
     * @return the new handle, or -1 when the handle was stale
     */
    public long reschedule(long handle, long newTimePs) {
        if (!isLive(handle)) {
            return -1;
        }
        int s = (int) handle;
        EventHandler h = slotHandler[s];
        int kind = (int) slotData[2 * s];
        long arg = slotData[2 * s + 1];
        int priority = (int) (slotOrder[s] >>> KEY_BITS) + MIN_PRIORITY;
        if (newTimePs < nowPs) {
            throw new SimulationError("kernel", nowPs, "event rescheduled into the past at " + newTimePs + " ps");
        }
        cancel(handle);
        return schedule(newTimePs, priority, h, kind, arg);
    }

    private int allocSlot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (slotsUsed == slotHandler.length) {
            int c = slotHandler.length * 2;
            slotHandler = Arrays.copyOf(slotHandler, c);
            slotData = Arrays.copyOf(slotData, 2 * c);
            slotOrder = Arrays.copyOf(slotOrder, c);
            freeSlots = Arrays.copyOf(freeSlots, c);
        }
        return slotsUsed++;
    }

    private void freeSlot(int s) {
        slotHandler[s] = null;
        slotData[2 * s] += GEN_ONE;
        freeSlots[freeCount++] = s;
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
            int s = q.pollMin();
            EventHandler h = slotHandler[s];
            long[] d = slotData;
            long meta = d[2 * s];
            long arg = d[2 * s + 1];
            freeSlot(s);
            if (h == null) {
                continue; // cancelled
            }
            live--;
            nowPs = t;
            executed++;
            h.onEvent(t, (int) meta, arg);
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
                // the event ran in step()
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
            int s = q.minSlot();
            if (slotHandler[s] != null) {
                return q.minTime();
            }
            q.pollMin();
            freeSlot(s); // a cancelled event at the front: drop it now
        }
        return Long.MAX_VALUE;
    }
}
