package io.dojosim.core.engine;

import io.dojosim.core.config.Check;
import io.dojosim.core.random.RandomStreams;
import io.dojosim.core.stats.StatsRegistry;
import java.util.Arrays;

/**
 * The sequential discrete-event kernel.
 *
 * <p>Events are ordered totally by {@code (timePs, priority, insertion sequence)}: two runs of the
 * same model and seed execute the same events in the same order. Priority is an int in
 * [{@value #MIN_PRIORITY}, {@value #MAX_PRIORITY}], lower first; the key packs it with a 52-bit
 * sequence into one {@code long}. Event state lives in slot arrays reused through a free list, so
 * steady-state scheduling allocates nothing. A handle (slot plus generation) cancels or
 * reschedules an event; cancelled events are dropped lazily when they reach the front.
 *
 * <p>Caveats: a handle of an event that has already run is stale and {@link #cancel} returns false.
 */
public final class Simulator {
    public static final int MIN_PRIORITY = -1024;
    public static final int MAX_PRIORITY = 1023;
    /** Priority of link deliveries: before clock ticks at the same time. */
    public static final int PRIORITY_DELIVERY = -100;
    /** Priority of clock ticks. */
    public static final int PRIORITY_CLOCK = 0;

    private static final int SEQ_BITS = 52;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;

    private final PendingEventSet queue;
    private final StatsRegistry stats;
    private final RandomStreams random;

    private long[] slotTime;
    private long[] slotOrder;
    private EventHandler[] slotHandler;
    private int[] slotKind;
    private long[] slotArg;
    private int[] slotGen;
    private int[] freeSlots;
    private int freeCount;
    private int slotsUsed;
    private int live;

    private long nowPs;
    private long seq;
    private long executed;
    private long stopAtPs = Long.MAX_VALUE;
    private boolean stopRequested;

    public Simulator(long seed) {
        this(seed, new TimingWheelEventSet());
    }

    public Simulator(long seed, PendingEventSet queue) {
        this.queue = queue;
        this.stats = new StatsRegistry();
        this.random = new RandomStreams(seed);
        int c = 1024;
        slotTime = new long[c];
        slotOrder = new long[c];
        slotHandler = new EventHandler[c];
        slotKind = new int[c];
        slotArg = new long[c];
        slotGen = new int[c];
        freeSlots = new int[c];
    }

    /** @return the current simulated time in picoseconds */
    public long now() {
        return nowPs;
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
        if (timePs < nowPs) {
            throw new SimulationError("kernel", nowPs, "event scheduled in the past at " + timePs + " ps");
        }
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new SimulationError("kernel", nowPs, "priority out of range: " + priority);
        }
        int s = allocSlot();
        long order = ((long) (priority - MIN_PRIORITY) << SEQ_BITS) | (seq++ & SEQ_MASK);
        slotTime[s] = timePs;
        slotOrder[s] = order;
        slotHandler[s] = handler;
        slotKind[s] = kind;
        slotArg[s] = arg;
        live++;
        queue.add(timePs, order, s);
        return ((long) slotGen[s] << 32) | s;
    }

    /** Schedules an event {@code delayPs} after now. */
    public long scheduleIn(long delayPs, int priority, EventHandler handler, int kind, long arg) {
        return schedule(nowPs + delayPs, priority, handler, kind, arg);
    }

    /** Cancels a pending event. @return true if it was pending, false if it already ran or was cancelled */
    public boolean cancel(long handle) {
        int s = (int) handle;
        int gen = (int) (handle >>> 32);
        if (s < 0 || s >= slotsUsed || slotGen[s] != gen || slotHandler[s] == null) {
            return false;
        }
        slotHandler[s] = null;
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
        int s = (int) handle;
        int gen = (int) (handle >>> 32);
        if (s < 0 || s >= slotsUsed || slotGen[s] != gen || slotHandler[s] == null) {
            return -1;
        }
        EventHandler h = slotHandler[s];
        int kind = slotKind[s];
        long arg = slotArg[s];
        int priority = (int) (slotOrder[s] >>> SEQ_BITS) + MIN_PRIORITY;
        cancel(handle);
        return schedule(newTimePs, priority, h, kind, arg);
    }

    private int allocSlot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (slotsUsed == slotTime.length) {
            int c = slotTime.length * 2;
            slotTime = Arrays.copyOf(slotTime, c);
            slotOrder = Arrays.copyOf(slotOrder, c);
            slotHandler = Arrays.copyOf(slotHandler, c);
            slotKind = Arrays.copyOf(slotKind, c);
            slotArg = Arrays.copyOf(slotArg, c);
            slotGen = Arrays.copyOf(slotGen, c);
            freeSlots = Arrays.copyOf(freeSlots, c);
        }
        return slotsUsed++;
    }

    private void freeSlot(int s) {
        slotHandler[s] = null;
        slotGen[s]++;
        freeSlots[freeCount++] = s;
    }

    /**
     * Runs the next live event, if any and if it is not after the stop time.
     *
     * @return false when nothing was run
     */
    public boolean step() {
        while (!queue.isEmpty()) {
            if (queue.minTime() > stopAtPs) {
                return false;
            }
            int s = queue.pollMin();
            EventHandler h = slotHandler[s];
            long t = slotTime[s];
            int kind = slotKind[s];
            long arg = slotArg[s];
            freeSlot(s);
            if (h == null) {
                continue; // cancelled
            }
            live--;
            nowPs = t;
            executed++;
            h.onEvent(t, kind, arg);
            return true;
        }
        return false;
    }

    /** Runs until no event is pending or {@link #stop} is called. */
    public void run() {
        runUntil(Long.MAX_VALUE);
    }

    /**
     * Runs every event at or before {@code endPs}; afterwards {@link #now()} is {@code endPs} if the
     * run was not stopped early and {@code endPs} is finite.
     */
    public void runUntil(long endPs) {
        Check.require(endPs >= nowPs, "runUntil: end time before now");
        stopAtPs = endPs;
        stopRequested = false;
        while (!stopRequested && step()) {
            // the event ran in step()
        }
        if (!stopRequested && endPs != Long.MAX_VALUE) {
            nowPs = endPs;
        }
        stopAtPs = Long.MAX_VALUE;
    }

    /** Stops {@link #run}/{@link #runUntil} after the current event. */
    public void stop() {
        stopRequested = true;
    }

    /** @return the time of the next live event, or {@link Long#MAX_VALUE} when none is pending */
    public long nextEventTime() {
        while (!queue.isEmpty()) {
            int s = peekSlotDropCancelled();
            if (s >= 0) {
                return queue.minTime();
            }
        }
        return Long.MAX_VALUE;
    }

    private int peekSlotDropCancelled() {
        // Removes cancelled events from the front; returns 0 when the front is live.
        long t = queue.minTime();
        int s = queue.pollMin();
        if (slotHandler[s] == null) {
            freeSlot(s);
            return -1;
        }
        // put it back with the same key
        queue.add(t, slotOrder[s], s);
        return 0;
    }
}
