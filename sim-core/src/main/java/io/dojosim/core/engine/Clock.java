package io.dojosim.core.engine;

import io.dojosim.core.time.ClockDomain;
import java.util.Arrays;

/**
 * A clock that ticks its members once per cycle while any of them has work, and schedules no
 * events at all while every member is idle.
 *
 * <p>Cycle {@code c} of the clock is the event at {@code c * periodPs} with
 * {@link Simulator#PRIORITY_CLOCK}, so deliveries at the same time (priority
 * {@link Simulator#PRIORITY_DELIVERY}) are seen by the tick of that cycle. Members are ticked in
 * registration order. Members exchange data only through deliveries of at least one cycle, so a
 * tick never sees a value written by another member's tick in the same cycle, and the visiting
 * order cannot change a result.
 *
 * <p>Cycle accounting: every member is told, through {@link Clocked#skipped}, of each cycle on
 * which it was not ticked, just before its next tick, and by {@link #settle()} at the end of a
 * measurement. So for every member, ticks plus skipped cycles cover every cycle from its
 * registration on, whether idle skipping is on or off.
 *
 * <p>With idle skipping off ({@link #setIdleSkipping(boolean)}), every member is ticked every cycle
 * while the clock runs, whatever its last tick returned; this exists to test that skipping changes
 * no result. Caveats: even then the clock stops while every member is idle (it would otherwise never
 * stop), and the gap is reported through {@link Clocked#skipped} as with skipping on.
 */
public final class Clock implements EventHandler {
    private final Simulator sim;
    private final ClockDomain domain;
    private final long periodPs;
    private Clocked[] members = new Clocked[64];
    /** One bit per member, set while it is active: a cycle visits only active members. */
    private long[] activeBits = new long[1];
    /** First cycle on which a woken member may be ticked. */
    private long[] activeFrom = new long[64];
    /** First cycle a member has not been ticked on nor told about. */
    private long[] accountedTo = new long[64];
    private int count;
    private int activeCount;
    private boolean scheduled;
    private long scheduledCycle = -1;
    private long lastTickedCycle = -1;
    private boolean idleSkipping = true;
    private long ticks;

    // two-phase cycles (tickMembersInParallel): the members due, their answers, the hook after them
    private Workers workers;
    private Runnable afterCycle;
    private int[] due = new int[64];
    private boolean[] more = new boolean[64];
    private int dueCount;
    private long dueCycle;
    private final Workers.Task tickDue = this::tickDueLane;

    public Clock(Simulator sim, ClockDomain domain) {
        this.sim = sim;
        this.domain = domain;
        this.periodPs = domain.periodPs();
        this.idleSkipping = sim.idleSkipping();
    }

    public ClockDomain domain() {
        return domain;
    }

    /** @return the cycle in progress at the current simulated time */
    public long currentCycle() {
        return domain.cycleAt(sim.now());
    }

    /** @return member ticks executed so far (a measure of work, for benchmarks) */
    public long ticksExecuted() {
        return ticks;
    }

    /**
     * Ticks each cycle's members as one round on {@code w}'s threads, then runs {@code afterCycle}
     * on the caller. For members that share no state with each other during a tick (the chip
     * meshes of a region, each told of its deliveries into its own buffer), and whose cross-member
     * effects are applied by {@code afterCycle}: so they take effect from the next cycle, whatever
     * the order or the thread the members ran on, and results do not depend on the number of
     * threads. With idle skipping only (the mode exists for the fine meshes of a region).
     *
     * <p>Caveats: a member's {@code tick} must not schedule events, wake members or touch another
     * member; a member woken by {@code afterCycle} is ticked from the next cycle.
     */
    public void tickMembersInParallel(Workers w, Runnable afterCycle) {
        this.workers = w;
        this.afterCycle = afterCycle;
    }

    public void setIdleSkipping(boolean on) {
        this.idleSkipping = on;
    }

    public boolean idleSkipping() {
        return idleSkipping;
    }

    /**
     * Registers a member, initially idle; its cycle accounting starts at the first cycle edge not
     * yet ticked. @return its id for {@link #wake(int)}
     */
    public int register(Clocked member) {
        if (count == members.length) {
            int c = count * 2;
            members = Arrays.copyOf(members, c);
            activeBits = Arrays.copyOf(activeBits, c >>> 6);
            activeFrom = Arrays.copyOf(activeFrom, c);
            accountedTo = Arrays.copyOf(accountedTo, c);
        }
        members[count] = member;
        accountedTo[count] = firstUntickedCycleFromNow();
        return count++;
    }

    /**
     * Makes a member active from the next cycle edge not yet ticked: the edge at the current time if
     * this clock has not ticked it yet (so a delivery at an edge is seen by that edge's tick), the
     * following edge otherwise.
     */
    public void wake(int id) {
        long bit = 1L << id;
        if ((activeBits[id >>> 6] & bit) != 0) {
            return;
        }
        long cycle = firstUntickedCycleFromNow();
        activeBits[id >>> 6] |= bit;
        activeFrom[id] = cycle;
        activeCount++;
        ensureScheduled(cycle);
    }

    /**
     * Tells every member of the cycles it was not ticked on, up to (not including) the first cycle
     * that may still be ticked. Call it before taking a statistics snapshot.
     */
    public void settle() {
        long upTo = firstUntickedCycleFromNow();
        for (int i = 0; i < count; i++) {
            account(i, upTo);
        }
    }

    private void account(int i, long upTo) {
        long gap = upTo - accountedTo[i];
        if (gap > 0) {
            accountedTo[i] = upTo;
            members[i].skipped(gap);
        }
    }

    private long firstUntickedCycleFromNow() {
        long c = domain.psToCyclesCeil(sim.now());
        return Math.max(c, lastTickedCycle + 1);
    }

    private void ensureScheduled(long cycle) {
        if (scheduled && scheduledCycle <= cycle) {
            return;
        }
        scheduled = true;
        scheduledCycle = cycle;
        sim.schedule(cycle * periodPs, Simulator.PRIORITY_CLOCK, this, 0, cycle);
    }

    /**
     * Lists in {@code due} the active members due on {@code cycle}, in registration order. A
     * member woken from now on has {@code activeFrom > cycle} (the cycle is already the last
     * ticked), so the list is what a visit of the active bits during the cycle would find.
     */
    private void collectDue(long cycle) {
        dueCount = 0;
        int words = (count + 63) >>> 6;
        for (int w = 0; w < words; w++) {
            long word = activeBits[w];
            while (word != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                if (activeFrom[i] <= cycle) {
                    if (dueCount == due.length) {
                        due = Arrays.copyOf(due, dueCount * 2);
                        more = Arrays.copyOf(more, dueCount * 2);
                    }
                    due[dueCount++] = i;
                }
            }
        }
    }

    private void twoPhaseCycle(long cycle) {
        // phase 1 (caller): the active members due this cycle, in registration order
        collectDue(cycle);
        for (int k = 0; k < dueCount; k++) {
            int i = due[k];
            account(i, cycle);
            accountedTo[i] = cycle + 1;
        }
        // phase 2 (the team): each member ticked once, on the lane of its id (tickDueLane)
        dueCycle = cycle;
        ticks += dueCount;
        if (dueCount == 1) {
            more[0] = members[due[0]].tick(cycle); // alone: the member may split its own work over the team
        } else if (dueCount > 1) {
            workers.run(tickDue, workers.lanesFor(Math.min(dueCount, workers.threads())));
        }
        // phase 3 (caller): retire idle members in order, then the cross-member effects
        for (int k = 0; k < dueCount; k++) {
            if (!more[k]) {
                int i = due[k];
                activeBits[i >>> 6] &= ~(1L << i);
                activeCount--;
            }
        }
        afterCycle.run();
    }

    /**
     * Lane {@code lane} ticks the due members whose id is {@code lane} modulo {@code lanes}: a
     * member stays on one thread from cycle to cycle, so its state stays in that core's caches
     * (handing members out first come, first served moved them between the cores every cycle;
     * docs/adr/0117).
     */
    private void tickDueLane(int lane, int lanes) {
        long n = 0;
        for (int k = 0; k < dueCount; k++) {
            if (due[k] % lanes != lane) continue;
            Clocked m = members[due[k]];
            long before = m.workDone();
            more[k] = m.tick(dueCycle);
            n += 1 + m.workDone() - before; // the member's own measure of work, or one per tick
        }
        workers.countItems(lane, n);
    }

    private void tickMember(int i, long cycle, boolean isActive) {
        account(i, cycle);
        ticks++;
        accountedTo[i] = cycle + 1;
        boolean more = members[i].tick(cycle);
        if (isActive && !more) {
            activeBits[i >>> 6] &= ~(1L << i);
            activeCount--;
        }
    }

    @Override
    public void onEvent(long nowPs, int kind, long cycle) {
        if (cycle != scheduledCycle || cycle <= lastTickedCycle) {
            return; // superseded by an earlier schedule
        }
        scheduled = false;
        lastTickedCycle = cycle;
        if (workers != null) {
            twoPhaseCycle(cycle);
        } else if (idleSkipping) {
            // visit active members only, in registration order; a member woken during this loop
            // has activeFrom > cycle and waits for the next cycle
            collectDue(cycle);
            for (int k = 0; k < dueCount; k++) {
                tickMember(due[k], cycle, true);
            }
        } else {
            int n = count;
            for (int i = 0; i < n; i++) {
                boolean isActive = (activeBits[i >>> 6] & (1L << i)) != 0 && activeFrom[i] <= cycle;
                tickMember(i, cycle, isActive);
            }
        }
        if (activeCount > 0) {
            ensureScheduled(cycle + 1);
        }
    }
}
