package io.dojosim.core.engine;

import java.util.Arrays;

/**
 * A timing wheel with an occupancy bitmap and an overflow heap, built for integer event times
 * that are mostly a few clock cycles ahead.
 *
 * <pre>
 *   tick = timePs / bucketWidthPs          bucket = tick mod bucketCount
 *   wheel holds ticks in [curTick, curTick + bucketCount)      overflow heap holds the rest
 *
 *   bucket: head <-> e <-> e <-> e  (sorted by (time, order); a later key appends at the tail)
 *   bitmap: one bit per bucket, set while the bucket is non-empty
 *   entry e: time, order, tag, arg, kind and the handler (see TimingWheelBase), then
 *            data[6e+5] = previous entry (high 32 bits) | next entry (low 32 bits)
 * </pre>
 *
 * <p>{@code curTick} is the tick of the last polled entry. The minimum is the head of the first
 * occupied bucket at or after {@code curTick} (found with {@link Long#numberOfTrailingZeros} on the
 * bitmap, and remembered until an add or a poll changes it), compared with the overflow minimum
 * while the overflow is not empty. When {@code curTick} advances, overflow entries that now fall
 * inside the horizon move into the wheel, so the heap holds mostly far-future events. An entry
 * keeps its key, payload and links in one stretch of a {@code long[]} so that polling it costs one
 * cache miss for them (and one for its handler reference). Nothing is allocated once the entry pool has grown to the peak pending count.
 *
 * <p>Insertion appends when the new key is not below the bucket's tail, which is the common case:
 * sequences grow, and with {@code bucketWidthPs} no wider than the smallest clock period a bucket
 * holds one time value. Otherwise it walks back from the tail for at most {@value #MAX_WALK}
 * entries (a delivery joining a time that already has a few clock ticks), and beyond that the entry
 * goes to the overflow heap, so no insertion is ever linear in the bucket's length. The heap also
 * takes entries below {@code curTick} (possible after the kernel dropped cancelled entries ahead of
 * its clock); its minimum is compared with the wheel's on every poll, so order stays exact.
 *
 * <p>Caveats: a workload that inserts most events out of order within one time (say, random
 * priorities on every event) runs at the speed of the overflow heap.
 */
public final class TimingWheelEventSet extends TimingWheelBase {
    private static final int STRIDE = 6;
    private static final int LINKS = 5;
    private static final long LOW32 = 0xFFFF_FFFFL;
    /** Longest backward walk of a sorted insertion before the entry goes to the heap instead. */
    static final int MAX_WALK = 8;

    private final int[] head;
    private final int[] tail;

    private int freeHead = -1;
    private int poolUsed;

    /**
     * The default wheel: 65,536 buckets of 100 ps (a 6.55 us horizon). 100 ps divides the periods
     * of 2 GHz (500 ps), 2.5 GHz (400 ps) and 1 GHz, and the horizon covers die-to-die and Ethernet
     * latencies, so only timeouts and idle-skip jumps reach the overflow heap.
     */
    public TimingWheelEventSet() {
        this(100, 1 << 16);
    }

    /**
     * @param bucketWidthPs width of one bucket in picoseconds, at least 1
     * @param bucketCount   number of buckets, a power of two of at least 64
     */
    public TimingWheelEventSet(long bucketWidthPs, int bucketCount) {
        super(bucketWidthPs, bucketCount, STRIDE, 1024, "wheel");
        this.head = new int[bucketCount];
        this.tail = new int[bucketCount];
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
    }

    private int allocEntry() {
        int e = freeHead;
        if (e >= 0) {
            freeHead = (int) data[e * STRIDE + LINKS];
            return e;
        }
        ensureEntries(poolUsed + 1);
        return poolUsed++;
    }

    private static int next(long links) {
        return (int) links;
    }

    private static int prev(long links) {
        return (int) (links >> 32);
    }

    private static long links(int prev, int next) {
        return ((long) prev << 32) | (next & LOW32);
    }

    /**
     * Inserts into the bucket of {@code tick}, which must lie in [curTick, curTick + bucketCount).
     * A key not below the bucket's tail appends; otherwise the list is walked back from the tail
     * for at most {@value #MAX_WALK} entries.
     *
     * @return false, inserting nothing, when the walk would be longer
     */
    @Override
    boolean insertWheel(long tick, long timePs, long order, long tag, EventHandler h, int kind, long arg) {
        int b = (int) (tick & mask);
        int t = tail[b];
        if (t < 0) {
            int e = allocEntry();
            write(e, timePs, order, tag, h, kind, arg);
            data[e * STRIDE + LINKS] = -1L;
            head[b] = e;
            tail[b] = e;
            bitmap[b >>> 6] |= 1L << b;
            inserted(tick);
            return true;
        }
        int after = t; // the entry the new one goes after, -1 for the head
        if (!notAfter(t, timePs, order)) {
            int cur = prev(data[t * STRIDE + LINKS]);
            int steps = 1;
            while (cur >= 0 && !notAfter(cur, timePs, order)) {
                if (++steps > MAX_WALK) {
                    return false;
                }
                cur = prev(data[cur * STRIDE + LINKS]);
            }
            after = cur;
        }
        int e = allocEntry();
        write(e, timePs, order, tag, h, kind, arg);
        long[] a = data;
        int nxt;
        if (after < 0) {
            nxt = head[b];
            head[b] = e;
        } else {
            int ai = after * STRIDE + LINKS;
            nxt = next(a[ai]);
            a[ai] = links(prev(a[ai]), e);
        }
        a[e * STRIDE + LINKS] = links(after, nxt);
        if (nxt < 0) {
            tail[b] = e;
        } else {
            int ni = nxt * STRIDE + LINKS;
            a[ni] = links(e, next(a[ni]));
        }
        inserted(tick);
        return true;
    }

    @Override
    int headEntry(int b) {
        return head[b];
    }

    @Override
    boolean removeHead(int b, int e) {
        long[] a = data;
        int next = next(a[e * STRIDE + LINKS]);
        head[b] = next;
        a[e * STRIDE + LINKS] = freeHead;
        freeHead = e;
        if (next < 0) {
            tail[b] = -1;
            return true;
        }
        int ni = next * STRIDE + LINKS;
        a[ni] = links(-1, next(a[ni]));
        return false;
    }

    @Override
    void clearBuckets() {
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
        poolUsed = 0;
        freeHead = -1;
    }
}
