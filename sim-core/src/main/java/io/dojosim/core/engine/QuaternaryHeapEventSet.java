package io.dojosim.core.engine;

import java.util.Arrays;

/**
 * A 4-ary min-heap on parallel primitive arrays. Shallower than a binary heap (log4 n levels) and
 * each sift-down compares four children that share cache lines. Used on its own and as the overflow
 * store of {@link TimingWheelEventSet}.
 */
public final class QuaternaryHeapEventSet implements PendingEventSet {
    private long[] times;
    private long[] orders;
    private int[] slots;
    private int size;

    public QuaternaryHeapEventSet() {
        this(1024);
    }

    public QuaternaryHeapEventSet(int initialCapacity) {
        int c = Math.max(16, initialCapacity);
        times = new long[c];
        orders = new long[c];
        slots = new int[c];
    }

    @Override
    public void add(long timePs, long order, int slot) {
        if (size == times.length) {
            int c = times.length * 2;
            times = Arrays.copyOf(times, c);
            orders = Arrays.copyOf(orders, c);
            slots = Arrays.copyOf(slots, c);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pt = times[parent];
            if (pt < timePs || (pt == timePs && orders[parent] <= order)) {
                break;
            }
            times[i] = pt;
            orders[i] = orders[parent];
            slots[i] = slots[parent];
            i = parent;
        }
        times[i] = timePs;
        orders[i] = order;
        slots[i] = slot;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long minTime() {
        return times[0];
    }

    @Override
    public long minOrder() {
        return orders[0];
    }

    @Override
    public int minSlot() {
        return slots[0];
    }

    @Override
    public int pollMin() {
        int result = slots[0];
        int n = --size;
        if (n == 0) {
            return result;
        }
        long t = times[n];
        long o = orders[n];
        int s = slots[n];
        int i = 0;
        while (true) {
            int first = (i << 2) + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long bt = times[first];
            long bo = orders[first];
            int last = Math.min(first + 4, n);
            for (int c = first + 1; c < last; c++) {
                long ct = times[c];
                if (ct < bt || (ct == bt && orders[c] < bo)) {
                    best = c;
                    bt = ct;
                    bo = orders[c];
                }
            }
            if (t < bt || (t == bt && o <= bo)) {
                break;
            }
            times[i] = bt;
            orders[i] = bo;
            slots[i] = slots[best];
            i = best;
        }
        times[i] = t;
        orders[i] = o;
        slots[i] = s;
        return result;
    }

    @Override
    public void clear() {
        size = 0;
    }

    @Override
    public String name() {
        return "heap4";
    }
}
