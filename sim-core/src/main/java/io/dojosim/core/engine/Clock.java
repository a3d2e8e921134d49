package io.dojosim.core.engine;

import io.dojosim.core.time.ClockDomain;
import java.util.Arrays;

/**
 * A clock that ticks its members once per cycle while any of them has work, and schedules no
 * events at all while every member is idle.
 *
 * <p>Members are ticked in registration order. Components exchange data only through links of at
 * least one cycle, so a tick never sees a value written by another member's tick in the same cycle,
 * and the visiting order cannot change a result.
 *
 * <p>With idle skipping off ({@link #setIdleSkipping(boolean)}), every member is ticked every cycle
 * while the clock runs; this exists to test that skipping changes nothing.
 */
public final class Clock implements EventHandler {
    private final Simulator sim;
    private final ClockDomain domain;
    private final long periodPs;
    private Clocked[] members = new Clocked[8];
    private boolean[] active = new boolean[8];
    private long[] idleSince = new long[8];
    private int count;
    private int activeCount;
    private boolean scheduled;
    private long scheduledCycle = -1;
    private long lastTickedCycle = -1;
    private boolean idleSkipping = true;
    private long ticks;

    public Clock(Simulator sim, ClockDomain domain) {
        this.sim = sim;
        this.domain = domain;
        this.periodPs = domain.periodPs();
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

    public void setIdleSkipping(boolean on) {
        this.idleSkipping = on;
    }

    /** Registers a member, initially idle. @return its id for {@link #wake(int)} */
    public int register(Clocked member) {
        if (count == members.length) {
            int c = count * 2;
            members = Arrays.copyOf(members, c);
            active = Arrays.copyOf(active, c);
            idleSince = Arrays.copyOf(idleSince, c);
        }
        members[count] = member;
        idleSince[count] = 0;
        return count++;
    }

    /**
     * Makes a member active from the next cycle edge not yet ticked (the current edge if this clock
     * has not ticked it yet).
     */
    public void wake(int id) {
        if (active[id]) {
            return;
        }
        long cycle = firstUntickedCycleFromNow();
        active[id] = true;
        activeCount++;
        long skipped = cycle - idleSince[id];
        if (skipped > 0 && idleSkipping) {
            members[id].skipped(skipped);
        }
        ensureScheduled(cycle);
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

    @Override
    public void onEvent(long nowPs, int kind, long cycle) {
        if (cycle != scheduledCycle || cycle <= lastTickedCycle) {
            return; // superseded by an earlier schedule
        }
        scheduled = false;
        lastTickedCycle = cycle;
        int n = count;
        for (int i = 0; i < n; i++) {
            if (active[i]) {
                ticks++;
                if (!members[i].tick(cycle)) {
                    active[i] = false;
                    activeCount--;
                    idleSince[i] = cycle + 1;
                }
            } else if (!idleSkipping) {
                ticks++;
                members[i].tick(cycle);
                idleSince[i] = cycle + 1;
            }
        }
        if (activeCount > 0) {
            ensureScheduled(cycle + 1);
        }
    }
}
