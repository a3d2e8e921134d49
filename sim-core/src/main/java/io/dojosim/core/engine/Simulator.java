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
 * <p>Event state lives in one slot array reused through a free list, so steady-state scheduling
 * allocates nothing. A slot is three adjacent longs, so a dispatch reads one cache line of it
 * (ADR 0002; the handler is an index into a table of the handlers seen so far):
 *
 * <pre>
 *   slot[3s]     generation (high 32 bits) | handler index + 1 (low 32; 0 = free or cancelled)
 *   slot[3s + 1] priority + 1024 (high 32 bits) | kind (low 32)
 *   slot[3s + 2] argument
 * </pre>
 *
 * Handlers are meant to be components, a few objects scheduling many events each: every distinct
 * handler object stays in the table for the simulator's lifetime. A handle (slot and generation) cancels or reschedules an event; cancelled
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
    private static final long GEN_MASK = 0xFFFF_FFFF_0000_0000L;
    private static final int HANDLER_CACHE = 256;

    private final PendingEventSet queue;
    private final StatsRegistry stats;
    private Workers workers = Workers.single();
    private final RandomStreams random;

    /** Per slot s: {@code slotData[3s .. 3s+2]}, see the class comment. */
    private long[] slotData;
    private int slotCapacity;
    private int[] freeSlots;
    private EventHandler[] handlers = new EventHandler[16];
    private int handlerCount;
    private final java.util.IdentityHashMap<EventHandler, Integer> handlerIds = new java.util.IdentityHashMap<>();
    private final EventHandler[] cachedHandler = new EventHandler[HANDLER_CACHE];
    private final int[] cachedHandlerId = new int[HANDLER_CACHE];
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
        slotCapacity = c;
        slotData = new long[3 * c];
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
        int hid = handlerId(handler);
        int s = allocSlot();
        long[] d = slotData;
        int b = 3 * s;
        long gen = d[b] & GEN_MASK;
        d[b] = gen | hid;
        d[b + 1] = ((long) (priority - MIN_PRIORITY) << 32) | (kind & 0xFFFF_FFFFL);
        d[b + 2] = arg;
        live++;
        queue.add(timePs, order, s);
        return gen | s;
    }

    /** Schedules an event {@code delayPs} after now. */
    public long scheduleIn(long delayPs, int priority, EventHandler handler, int kind, long arg) {
        return schedule(nowPs + delayPs, priority, handler, kind, arg);
    }

    /** @return the handler's index in the table plus one (never 0), registering it on first use */
    private int handlerId(EventHandler h) {
        int c = System.identityHashCode(h) & (HANDLER_CACHE - 1);
        if (cachedHandler[c] == h) {
            return cachedHandlerId[c];
        }
        Integer id = handlerIds.get(h);
        if (id == null) {
            if (handlerCount == handlers.length) {
                handlers = Arrays.copyOf(handlers, handlerCount * 2);
            }
            handlers[handlerCount++] = h;
            id = handlerCount;
            handlerIds.put(h, id);
        }
        cachedHandler[c] = h;
        cachedHandlerId[c] = id;
        return id;
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
        if (s < 0 || s >= slotsUsed) {
            return false;
        }
        long head = slotData[3 * s];
        return (head >>> 32) == (handle >>> 32) && (int) head != 0;
    }

    /** Cancels a pending event. @return true if it was pending, false if it already ran or was cancelled */
    public boolean cancel(long handle) {
        if (!isLive(handle)) {
            return false;
        }
        slotData[3 * (int) handle] &= GEN_MASK; // no handler: dropped when it surfaces
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
        EventHandler h = handlers[(int) slotData[3 * s] - 1];
        long meta = slotData[3 * s + 1];
        int kind = (int) meta;
        long arg = slotData[3 * s + 2];
        int priority = (int) (meta >>> 32) + MIN_PRIORITY;
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
        if (slotsUsed == slotCapacity) {
            int c = slotCapacity * 2;
            slotCapacity = c;
            slotData = Arrays.copyOf(slotData, 3 * c);
            freeSlots = Arrays.copyOf(freeSlots, c);
        }
        return slotsUsed++;
    }

    private void freeSlot(int s) {
        int b = 3 * s;
        slotData[b] = (slotData[b] & GEN_MASK) + GEN_ONE;
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
            long[] d = slotData;
            int b = 3 * s;
            long head = d[b];
            long meta = d[b + 1];
            long arg = d[b + 2];
            d[b] = (head & GEN_MASK) + GEN_ONE; // free: a new generation, no handler
            freeSlots[freeCount++] = s;
            int hid = (int) head;
            if (hid == 0) {
                continue; // cancelled
            }
            live--;
            nowPs = t;
            executed++;
            handlers[hid - 1].onEvent(t, (int) meta, arg);
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
            if ((int) slotData[3 * s] != 0) {
                return q.minTime();
            }
            q.pollMin();
            freeSlot(s); // a cancelled event at the front: drop it now
        }
        return Long.MAX_VALUE;
    }
}
