package io.dojosim.core.engine;

import java.util.Arrays;

/**
 * A 4-ary min-heap on parallel arrays. Shallower than a binary heap (log4 n levels) and each
 * sift-down compares four children that share cache lines. Used on its own and as the overflow
 * store of the timing wheels ({@link TimingWheelBase}).
 *
 * <p>Caveats: a sift moves the whole entry (key, tag and payload: six arrays), so each level costs
 * more than a key-only heap's; the payload stays beside its key so that a poll needs no lookup.
 */
public final class QuaternaryHeapEventSet implements PendingEventSet {
    private long[] times;
    private long[] orders;
    private long[] tags;
    private EventHandler[] handlers;
    private int[] kinds;
    private long[] args;
    private int size;
    private EventHandler polledHandler;
    private int polledKind;
    private long polledArg;

    public QuaternaryHeapEventSet() {
        this(1024);
    }

    public QuaternaryHeapEventSet(int initialCapacity) {
        int c = Math.max(16, initialCapacity);
        times = new long[c];
        orders = new long[c];
        tags = new long[c];
        handlers = new EventHandler[c];
        kinds = new int[c];
        args = new long[c];
    }

    @Override
    public void add(long timePs, long order, long tag, EventHandler handler, int kind, long arg) {
        if (size == times.length) {
            int c = times.length * 2;
            times = Arrays.copyOf(times, c);
            orders = Arrays.copyOf(orders, c);
            tags = Arrays.copyOf(tags, c);
            handlers = Arrays.copyOf(handlers, c);
            kinds = Arrays.copyOf(kinds, c);
            args = Arrays.copyOf(args, c);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pt = times[parent];
            if (pt < timePs || (pt == timePs && orders[parent] <= order)) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, timePs, order, tag, handler, kind, arg);
    }

    private void move(int from, int to) {
        times[to] = times[from];
        orders[to] = orders[from];
        tags[to] = tags[from];
        handlers[to] = handlers[from];
        kinds[to] = kinds[from];
        args[to] = args[from];
    }

    private void put(int i, long timePs, long order, long tag, EventHandler handler, int kind, long arg) {
        times[i] = timePs;
        orders[i] = order;
        tags[i] = tag;
        handlers[i] = handler;
        kinds[i] = kind;
        args[i] = arg;
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
    public long minTag() {
        return tags[0];
    }

    @Override
    public long pollMin() {
        long result = tags[0];
        polledHandler = handlers[0];
        polledKind = kinds[0];
        polledArg = args[0];
        int n = --size;
        if (n == 0) {
            handlers[0] = null;
            return result;
        }
        long t = times[n];
        long o = orders[n];
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
            move(best, i);
            i = best;
        }
        move(n, i);
        handlers[n] = null; // no reference kept beyond the heap's size
        return result;
    }

    @Override
    public EventHandler polledHandler() {
        return polledHandler;
    }

    @Override
    public int polledKind() {
        return polledKind;
    }

    @Override
    public long polledArg() {
        return polledArg;
    }

    @Override
    public void clear() {
        Arrays.fill(handlers, 0, size, null);
        size = 0;
        polledHandler = null;
    }

    @Override
    public String name() {
        return "heap4";
    }
}
