package io.dojosim.pod;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.util.SlotPool;
import java.util.Arrays;

/**
 * Flow-level network model: each transfer is a flow along a fixed route of links; concurrent flows
 * share every link's bandwidth max-min fairly, found by progressive filling; rates are recomputed
 * only when a flow starts or finishes, and only for the flows connected to it through shared
 * constraining links (a max-min allocation splits exactly into such components, so this is not an
 * approximation). A link whose flows' own smallest link capacities add up to no more than its
 * capacity can never limit them; it is replaced by a per-flow cap, which leaves the feasible set
 * and the allocation unchanged and keeps components small.
 *
 * <p>Timing: a flow occupies bandwidth from its start until its bytes have been sent at its
 * (changing) fair rate, when the listener is told it is injected
 * ({@link TransferListener#transferInjected}); its last byte arrives after the sum of its links'
 * latencies, and then the listener is told it is done. All starts and finishes at one instant are handled by one recomputation, run
 * after every other event of that instant (priority {@value #PRIORITY_RECOMPUTE}).
 *
 * <p>State lives in primitive arrays indexed by link id and by flow slot; slots and their path
 * position arrays are reused, so steady state allocates only when a flow's route is longer than
 * any before it in that slot.
 *
 * <p>Source: the max-min fair flow model of SimGrid-like simulators (progressive filling, as in
 * Bertsekas and Gallager, Data Networks, section 6.5.2), written here from that description.
 *
 * <p>Caveats: no slow start, no packetisation and no head-of-line blocking; a route that crosses a
 * link twice (an HBM read and write on one DIP) takes two shares of it; completion times are
 * rounded up to the next picosecond.
 */
public final class FlowNetwork implements EventHandler, Transport {
    /** Priority of the rate recomputation: after every other event at the same time. */
    public static final int PRIORITY_RECOMPUTE = 500;
    private static final int KIND_SENT = 1;
    private static final int KIND_DELIVER = 2;
    private static final int KIND_RECOMPUTE = 3;
    private static final int KIND_INJECTED = 4;
    private static final double PS_PER_S = 1e12;

    private final Simulator sim;
    private final Topology topo;
    private final int links;
    private final double[] cap;
    private final double[] load;
    private final double[] carried;
    private final long[] lastT;
    private final int[][] lf;
    private final int[][] lfHop; // for each entry of lf: the hop of that link in the flow's path
    private final int[] lfn;
    private final int[] linkMark;
    private final double[] rem;
    private final int[] cnt;
    private final double[] bound;   // sum over the link's flows (per crossing) of each flow's smallest link capacity
    private final byte[] kindOf;
    private long windowStartPs;

    // flow slots
    private final SlotPool slots = new SlotPool(256, this::growSlots);
    private int[][] path = new int[256][];
    private int[][] pos = new int[256][];
    private double[] remaining = new double[256];
    private double[] rate = new double[256];
    private double[] flowCap = new double[256];
    private double[] newRate = new double[256];
    private long[] lastUpdate = new long[256];
    private long[] handle = new long[256];
    private long[] latency = new long[256];
    private long[] tag = new long[256];
    private TransferListener[] listener = new TransferListener[256];
    private int[] gen = new int[256];
    private int[] flowMark = new int[256];
    private int[] frozenMark = new int[256];
    private int[] dirtyFlows = new int[256];
    private int dirtyFlowCount;

    private int epoch;
    private int[] dirty = new int[1024];
    private int dirtyCount;
    private boolean recomputePending;
    private int[] stack = new int[1024];
    private int[] compLinks = new int[1024];
    private int[] compFlows = new int[1024];
    private int compFlowCount; // flows gathered into compFlows by the recomputation under way
    private int stackCount;

    private long started;
    private long completed;
    private long recomputes;
    private long active;

    public FlowNetwork(Simulator sim, Topology topo) {
        this.sim = sim;
        this.topo = topo;
        this.links = topo.linkCountForArrays();
        cap = new double[links];
        kindOf = new byte[links];
        for (int l = 0; l < links; l++) {
            cap[l] = topo.capacity(l);
            kindOf[l] = (byte) topo.kindOrdinal(l);
        }
        load = new double[links];
        carried = new double[links];
        lastT = new long[links];
        lf = new int[links][];
        lfHop = new int[links][];
        lfn = new int[links];
        linkMark = new int[links];
        rem = new double[links];
        cnt = new int[links];
        bound = new double[links];
    }

    public Topology topology() {
        return topo;
    }

    @Override
    public Simulator simulator() {
        return sim;
    }

    @Override
    public void send(long src, long dst, long bytes, TransferListener l, long callerTag) {
        start(src, dst, bytes, l, callerTag);
    }

    @Override
    public String fidelity() {
        return "flow";
    }

    /**
     * Starts a transfer of {@code bytes} from {@code src} to {@code dst} (see {@link Endpoint}) now.
     *
     * @return the flow slot (valid until the listener is told)
     * @throws ConfigException when an endpoint does not exist or cannot be reached
     */
    public int start(long src, long dst, long bytes, TransferListener l, long callerTag) {
        int[] route = topo.route(src, dst);
        return startOnRoute(route, topo.latencyPs(src, dst, route), bytes, l, callerTag);
    }

    /**
     * Starts a transfer along an explicit route (link ids of {@link Topology}); the array is kept
     * and must not be modified afterwards.
     */
    public int startOnRoute(int[] route, long bytes, TransferListener l, long callerTag) {
        return startOnRoute(route, topo.routeLatencyPs(route), bytes, l, callerTag);
    }

    /** As {@link #startOnRoute(int[], long, TransferListener, long)} with an explicit latency in ps. */
    public int startOnRoute(int[] route, long latencyPs, long bytes, TransferListener l, long callerTag) {
        if (bytes < 0) throw new ConfigException("transfer size must be >= 0 bytes, got " + bytes);
        int f = slots.take();
        path[f] = route;
        if (pos[f] == null || pos[f].length < route.length) pos[f] = new int[Math.max(8, route.length)];
        remaining[f] = bytes;
        rate[f] = 0;
        lastUpdate[f] = sim.now();
        listener[f] = l;
        tag[f] = callerTag;
        latency[f] = latencyPs;
        handle[f] = -1;
        started++;
        active++;
        if (bytes == 0 || route.length == 0) {
            // nothing to send (or no link to send it over): injected at once (an event now, so the
            // caller is not re-entered from inside start), arrives after the latency alone
            sim.scheduleIn(0, 0, this, KIND_INJECTED, arg(f));
            sim.scheduleIn(latency[f], 0, this, KIND_DELIVER, arg(f));
            path[f] = null;
            return f;
        }
        int[] ps = pos[f];
        // its own cap: the smallest link capacity, and what the coarse chips it crosses let one
        // transfer reach by the way it crosses them (ADR 0106)
        double fc = topo.chipCapBps(route);
        for (int lk : route) fc = Math.min(fc, cap[lk]);
        flowCap[f] = fc;
        dirtyFlows = push(dirtyFlows, dirtyFlowCount++, f);
        for (int h = 0; h < route.length; h++) {
            int lk = route[h];
            bound[lk] += fc;
            int[] list = lf[lk];
            if (list == null) {
                list = new int[4];
                lf[lk] = list;
                lfHop[lk] = new int[4];
            } else if (lfn[lk] == list.length) {
                list = Arrays.copyOf(list, list.length * 2);
                lf[lk] = list;
                lfHop[lk] = Arrays.copyOf(lfHop[lk], list.length);
            }
            ps[h] = lfn[lk];
            lfHop[lk][lfn[lk]] = h;
            list[lfn[lk]++] = f;
            markDirty(lk);
        }
        return f;
    }

    private long arg(int f) {
        return ((long) gen[f] << 32) | f;
    }

    private void growSlots(int n) {
        path = Arrays.copyOf(path, n);
        pos = Arrays.copyOf(pos, n);
        remaining = Arrays.copyOf(remaining, n);
        rate = Arrays.copyOf(rate, n);
        flowCap = Arrays.copyOf(flowCap, n);
        newRate = Arrays.copyOf(newRate, n);
        lastUpdate = Arrays.copyOf(lastUpdate, n);
        handle = Arrays.copyOf(handle, n);
        latency = Arrays.copyOf(latency, n);
        tag = Arrays.copyOf(tag, n);
        listener = Arrays.copyOf(listener, n);
        gen = Arrays.copyOf(gen, n);
        flowMark = Arrays.copyOf(flowMark, n);
        frozenMark = Arrays.copyOf(frozenMark, n);
    }

    private void markDirty(int l) {
        if (dirtyCount == dirty.length) dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        dirty[dirtyCount++] = l;
        if (!recomputePending) {
            recomputePending = true;
            sim.schedule(sim.now(), PRIORITY_RECOMPUTE, this, KIND_RECOMPUTE, 0);
        }
    }

    @Override
    public void onEvent(long nowPs, int kind, long a) {
        switch (kind) {
            case KIND_RECOMPUTE:
                recompute(nowPs);
                break;
            case KIND_SENT: {
                int f = (int) a;
                if (gen[f] != (int) (a >>> 32)) throw new SimulationError("pod.flow", nowPs, "stale completion of flow slot " + f);
                removeFromLinks(f);
                handle[f] = -1;
                sim.scheduleIn(latency[f], 0, this, KIND_DELIVER, a);
                TransferListener l = listener[f];
                if (l != null) l.transferInjected(nowPs, tag[f]);
                break;
            }
            case KIND_INJECTED: {
                int f = (int) a;
                TransferListener l = listener[f];
                if (l != null) l.transferInjected(nowPs, tag[f]);
                break;
            }
            case KIND_DELIVER: {
                int f = (int) a;
                TransferListener l = listener[f];
                long t = tag[f];
                listener[f] = null;
                path[f] = null;
                gen[f]++;
                slots.release(f);
                completed++;
                active--;
                if (l != null) l.transferDone(nowPs, t);
                break;
            }
            default:
                throw new SimulationError("pod.flow", nowPs, "unknown event kind " + kind);
        }
    }

    private void removeFromLinks(int f) {
        int[] pa = path[f];
        int[] ps = pos[f];
        long now = sim.now();
        for (int h = 0; h < pa.length; h++) {
            int lk = pa[h];
            settle(lk, now);
            load[lk] -= rate[f];
            bound[lk] -= flowCap[f];
            if (lfn[lk] == 1) {
                load[lk] = 0;
                bound[lk] = 0;
            }
            int[] list = lf[lk];
            int[] hops = lfHop[lk];
            int p = ps[h];
            int lastIdx = --lfn[lk];
            if (p != lastIdx) {
                int moved = list[lastIdx];
                int movedHop = hops[lastIdx];
                list[p] = moved;
                hops[p] = movedHop;
                pos[moved][movedHop] = p;
            }
            markDirty(lk);
        }
        rate[f] = 0;
    }

    /** Adds the bytes a link carried since its last change. */
    private void settle(int l, long now) {
        carried[l] += load[l] * (now - lastT[l]) / PS_PER_S;
        lastT[l] = now;
    }

    /**
     * A link is slack when the sum of its flows' own smallest link capacities fits in it: it can
     * never limit any of them, so it neither constrains the allocation nor couples its flows.
     * Replacing slack links by a per-flow cap (its smallest link capacity) leaves the feasible set,
     * and so the max-min allocation, unchanged.
     */
    private boolean slack(int l) {
        return bound[l] <= cap[l] * (1 + 1e-12);
    }

    /** Adds a flow to the component being gathered, and its constraining links not yet seen to the stack. */
    private void takeIntoComponent(int f) {
        flowMark[f] = epoch;
        compFlows = push(compFlows, compFlowCount++, f);
        for (int l2 : path[f]) {
            if (linkMark[l2] != epoch && !slack(l2)) {
                linkMark[l2] = epoch;
                stack = push(stack, stackCount++, l2);
            }
        }
    }

    private void recompute(long now) {
        recomputePending = false;
        recomputes++;
        epoch++;
        int nl = 0;
        compFlowCount = 0;
        stackCount = 0;
        // seeds: new flows, and every flow on a link whose set of flows changed
        for (int i = 0; i < dirtyFlowCount; i++) {
            int f = dirtyFlows[i];
            if (path[f] != null && handle[f] < 0 && flowMark[f] != epoch) takeIntoComponent(f);
        }
        dirtyFlowCount = 0;
        for (int i = 0; i < dirtyCount; i++) {
            int l = dirty[i];
            if (linkMark[l] != epoch) {
                linkMark[l] = epoch;
                stack = push(stack, stackCount++, l);
            }
        }
        dirtyCount = 0;
        while (stackCount > 0) {
            int l = stack[--stackCount];
            if (!slack(l)) compLinks = push(compLinks, nl++, l);
            int[] list = lf[l];
            for (int i = 0, n = lfn[l]; i < n; i++) {
                int f = list[i];
                if (flowMark[f] != epoch) takeIntoComponent(f);
            }
        }
        int nf = compFlowCount;
        // constrained links of the component: marked with the negative epoch
        for (int i = 0; i < nl; i++) {
            int l = compLinks[i];
            linkMark[l] = -epoch;
            rem[l] = cap[l];
            cnt[l] = lfn[l];
        }
        for (int i = 0; i < nf; i++) {
            int f = compFlows[i];
            remaining[f] -= rate[f] * (now - lastUpdate[f]) / PS_PER_S;
            lastUpdate[f] = now;
        }
        int unfrozen = nf;
        while (unfrozen > 0) {
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < nl; i++) {
                int l = compLinks[i];
                if (cnt[l] > 0) {
                    double s = rem[l] / cnt[l];
                    if (s < min) min = s;
                }
            }
            for (int i = 0; i < nf; i++) {
                int f = compFlows[i];
                if (frozenMark[f] != epoch && flowCap[f] < min) min = flowCap[f];
            }
            if (min == Double.POSITIVE_INFINITY) throw new SimulationError("pod.flow", now, "flows left without a link");
            double thr = min * (1 + 1e-9);
            for (int i = 0; i < nl; i++) {
                int l = compLinks[i];
                if (cnt[l] <= 0 || rem[l] / cnt[l] > thr) continue;
                double share = Math.max(rem[l] / cnt[l], 0);
                int[] list = lf[l];
                for (int j = 0, n = lfn[l]; j < n; j++) {
                    int f = list[j];
                    if (frozenMark[f] == epoch) continue;
                    unfrozen -= freeze(f, share);
                }
            }
            for (int i = 0; i < nf; i++) {
                int f = compFlows[i];
                if (frozenMark[f] != epoch && flowCap[f] <= thr) unfrozen -= freeze(f, flowCap[f]);
            }
        }
        for (int i = 0; i < nf; i++) {
            int f = compFlows[i];
            double r = newRate[f];
            if (r <= 0) throw new SimulationError("pod.flow", now, "flow slot " + f + " got no bandwidth");
            if (r == rate[f] && handle[f] >= 0) continue;
            for (int l2 : path[f]) {
                settle(l2, now);
                load[l2] += r - rate[f];
            }
            rate[f] = r;
            long dt = remaining[f] <= 0 ? 0 : (long) Math.ceil(remaining[f] * PS_PER_S / r);
            if (handle[f] >= 0) sim.cancel(handle[f]);
            handle[f] = sim.schedule(now + dt, 0, this, KIND_SENT, arg(f));
        }
    }

    /** Fixes a flow's rate and takes it out of its constrained links. @return 1 */
    private int freeze(int f, double r) {
        frozenMark[f] = epoch;
        newRate[f] = r;
        int minusEpoch = -epoch;
        for (int l2 : path[f]) {
            if (linkMark[l2] == minusEpoch) {
                rem[l2] -= r;
                cnt[l2]--;
            }
        }
        return 1;
    }

    private static int[] push(int[] a, int i, int v) {
        if (i == a.length) a = Arrays.copyOf(a, i * 2);
        a[i] = v;
        return a;
    }

    // ---- statistics -----------------------------------------------------------------------

    /** Starts a new utilization window now (the end of a warm-up). */
    public void resetStats() {
        long now = sim.now();
        for (int l = 0; l < links; l++) {
            carried[l] = 0;
            lastT[l] = now;
        }
        windowStartPs = now;
    }

    /** @return bytes carried by a link since the window opened, up to now */
    public double carriedBytes(int link) {
        return carried[link] + load[link] * (sim.now() - lastT[link]) / PS_PER_S;
    }

    /** @return the current aggregate rate on a link, bytes per second */
    public double currentLoad(int link) {
        return load[link];
    }

    /** @return the current rate of an active flow slot, bytes per second */
    public double flowRate(int slot) {
        return rate[slot];
    }

    /**
     * @return per link kind (index = {@link LinkKind#ordinal()}): the utilization of that level
     * since the window opened
     */
    public LevelUtilization[] levelUtilization() {
        long now = sim.now();
        double window = (now - windowStartPs) / PS_PER_S;
        int k = LinkKind.all().length;
        double[] bytes = new double[k];
        double[] capSum = new double[k];
        double[] maxU = new double[k];
        long[] count = new long[k];
        long[] used = new long[k];
        for (int l = 0; l < links; l++) {
            int kk = kindOf[l];
            double b = carried[l] + load[l] * (now - lastT[l]) / PS_PER_S;
            bytes[kk] += b;
            capSum[kk] += cap[l];
            count[kk]++;
            if (b > 0) used[kk]++;
            if (window > 0) maxU[kk] = Math.max(maxU[kk], b / (cap[l] * window));
        }
        LevelUtilization[] out = new LevelUtilization[k];
        for (int i = 0; i < k; i++) {
            double mean = window > 0 && capSum[i] > 0 ? bytes[i] / (capSum[i] * window) : 0;
            out[i] = new LevelUtilization(LinkKind.of(i), count[i], used[i], bytes[i], mean, maxU[i]);
        }
        return out;
    }

    public long transfersStarted() {
        return started;
    }

    public long transfersCompleted() {
        return completed;
    }

    /** @return transfers started and not yet delivered */
    public long transfersActive() {
        return active;
    }

    /** @return rate recomputations run (one per instant with starts or finishes) */
    public long recomputations() {
        return recomputes;
    }
}
