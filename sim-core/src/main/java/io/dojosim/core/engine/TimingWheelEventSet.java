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
 *   entry e: ent[4e] = time, ent[4e+1] = order, ent[4e+2] = slot,
 *            ent[4e+3] = previous entry (high 32 bits) | next entry (low 32 bits)
 * </pre>
 *
 * <p>{@code curTick} is the tick of the last polled entry. The minimum is the head of the first
 * occupied bucket at or after {@code curTick} (found with {@link Long#numberOfTrailingZeros} on the
 * bitmap, and remembered until an add or a poll changes it), compared with the overflow minimum
 * while the overflow is not empty. When {@code curTick} advances, overflow entries that now fall
 * inside the horizon move into the wheel, so the heap holds mostly far-future events. An entry
 * keeps its four fields in one stretch of a {@code long[]} so that polling it costs one cache miss,
 * not four. Nothing is allocated once the entry pool has grown to the peak pending count.
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
    private static final int STRIDE = 4;
    private static final long LOW32 = 0xFFFF_FFFFL;
    /** Longest backward walk of a sorted insertion before the entry goes to the heap instead. */
    static final int MAX_WALK = 8;

    private final int[] head;
    private final int[] tail;

    private long[] ent;
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
        super(bucketWidthPs, bucketCount);
        this.head = new int[bucketCount];
        this.tail = new int[bucketCount];
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
        ent = new long[1024 * STRIDE];
    }

    private int allocEntry() {
        int e = freeHead;
        if (e >= 0) {
            freeHead = (int) ent[e * STRIDE + 3];
            return e;
        }
        if ((poolUsed + 1) * STRIDE > ent.length) {
            ent = Arrays.copyOf(ent, ent.length * 2);
        }
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
    boolean insertWheel(long tick, long timePs, long order, int slot) {
        int b = (int) (tick & mask);
        int t = tail[b];
        long[] a = ent;
        int after; // the entry the new one goes after, -1 for the head
        if (t < 0) {
            int e = allocEntry();
            a = ent;
            int ei = e * STRIDE;
            a[ei] = timePs;
            a[ei + 1] = order;
            a[ei + 2] = slot;
            a[ei + 3] = -1L;
            head[b] = e;
            tail[b] = e;
            bitmap[b >>> 6] |= 1L << b;
            inserted(tick);
            return true;
        }
        int ti = t * STRIDE;
        if (a[ti] < timePs || (a[ti] == timePs && a[ti + 1] <= order)) {
            after = t;
        } else {
            int cur = prev(a[ti + 3]);
            int steps = 1;
            while (cur >= 0) {
                int ci = cur * STRIDE;
                if (a[ci] < timePs || (a[ci] == timePs && a[ci + 1] <= order)) {
                    break;
                }
                if (++steps > MAX_WALK) {
                    return false;
                }
                cur = prev(a[ci + 3]);
            }
            after = cur;
        }
        int e = allocEntry();
        a = ent;
        int ei = e * STRIDE;
        a[ei] = timePs;
        a[ei + 1] = order;
        a[ei + 2] = slot;
        int nxt;
        if (after < 0) {
            nxt = head[b];
            head[b] = e;
        } else {
            int ai = after * STRIDE;
            nxt = next(a[ai + 3]);
            a[ai + 3] = links(prev(a[ai + 3]), e);
        }
        a[ei + 3] = links(after, nxt);
        if (nxt < 0) {
            tail[b] = e;
        } else {
            int ni = nxt * STRIDE;
            a[ni + 3] = links(e, next(a[ni + 3]));
        }
        inserted(tick);
        return true;
    }

    /** @return the entry index of the wheel minimum, or -1 when the overflow minimum comes first or the wheel is empty */
    private int wheelMinEntry() {
        long ft = firstTick();
        if (ft < 0) {
            return -1;
        }
        int e = head[(int) (ft & mask)];
        if (!overflow.isEmpty()) {
            int ei = e * STRIDE;
            if (PendingEventSet.compare(ent[ei], ent[ei + 1], overflow.minTime(), overflow.minOrder()) > 0) {
                return -1;
            }
        }
        return e;
    }

    @Override
    public long minTime() {
        int e = wheelMinEntry();
        return e >= 0 ? ent[e * STRIDE] : overflow.minTime();
    }

    @Override
    public long minOrder() {
        int e = wheelMinEntry();
        return e >= 0 ? ent[e * STRIDE + 1] : overflow.minOrder();
    }

    @Override
    public int minSlot() {
        int e = wheelMinEntry();
        return e >= 0 ? (int) ent[e * STRIDE + 2] : overflow.minSlot();
    }

    @Override
    public int pollMin() {
        int e = wheelMinEntry();
        if (e >= 0) {
            long ft = firstTick;
            int b = (int) (ft & mask);
            long[] a = ent;
            int ei = e * STRIDE;
            int next = next(a[ei + 3]);
            head[b] = next;
            if (next < 0) {
                tail[b] = -1;
                bitmap[b >>> 6] &= ~(1L << b);
                firstTick = -1;
            } else {
                int ni = next * STRIDE;
                a[ni + 3] = links(-1, next(a[ni + 3]));
            }
            wheelSize--;
            int slot = (int) a[ei + 2];
            a[ei + 3] = freeHead;
            freeHead = e;
            if (ft > curTick) {
                advanceTo(ft);
            }
            return slot;
        }
        return pollOverflow();
    }

    @Override
    public void clear() {
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
        clearCommon();
        poolUsed = 0;
        freeHead = -1;
    }

    @Override
    public String name() {
        return "wheel";
    }
}
