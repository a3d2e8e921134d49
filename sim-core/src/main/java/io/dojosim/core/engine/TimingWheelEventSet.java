package io.dojosim.core.engine;

import io.dojosim.core.config.Check;
import java.util.Arrays;

/**
 * A timing wheel with an occupancy bitmap and an overflow heap, built for integer event times
 * that are mostly a few clock cycles ahead.
 *
 * <pre>
 *   tick = timePs / bucketWidthPs          bucket = tick mod bucketCount
 *   wheel holds ticks in [curTick, curTick + bucketCount)      overflow heap holds the rest
 *
 *   bucket: head -> e -> e -> e  (sorted by (time, order); same-time events append at the tail)
 *   bitmap: one bit per bucket, set while the bucket is non-empty
 * </pre>
 *
 * <p>The minimum is the head of the first occupied bucket at or after {@code curTick} (found with
 * {@link Long#numberOfTrailingZeros} on the bitmap), compared with the overflow minimum. When the
 * wheel advances, overflow entries that now fall inside the horizon move into the wheel, so the
 * heap is touched only by far-future events. Entries live in pooled primitive arrays; nothing is
 * allocated once the pool has grown to the peak pending count.
 *
 * <p>Caveats: insertion into a bucket that already holds later events walks the bucket's list.
 * Choose {@code bucketWidthPs} near the smallest clock period so a bucket holds one time value.
 */
public final class TimingWheelEventSet implements PendingEventSet {
    private final long widthPs;
    private final int mask;
    private final int bucketCount;
    private final int[] head;
    private final int[] tail;
    private final long[] bitmap;
    private long curTick;
    private int wheelSize;

    // entry pool
    private long[] eTime;
    private long[] eOrder;
    private int[] eSlot;
    private int[] eNext;
    private int freeHead = -1;
    private int poolUsed;

    private final QuaternaryHeapEventSet overflow = new QuaternaryHeapEventSet(256);

    /** A wheel of 65,536 buckets of 100 ps each (6.5 us horizon), a common divisor of D1-era clock periods. */
    public TimingWheelEventSet() {
        this(100, 1 << 16);
    }

    /**
     * @param bucketWidthPs width of one bucket in picoseconds, at least 1
     * @param bucketCount   number of buckets, a power of two of at least 64
     */
    public TimingWheelEventSet(long bucketWidthPs, int bucketCount) {
        Check.require(bucketWidthPs >= 1, "bucketWidthPs must be >= 1");
        Check.require(bucketCount >= 64 && Integer.bitCount(bucketCount) == 1,
                "bucketCount must be a power of two >= 64");
        this.widthPs = bucketWidthPs;
        this.bucketCount = bucketCount;
        this.mask = bucketCount - 1;
        this.head = new int[bucketCount];
        this.tail = new int[bucketCount];
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
        this.bitmap = new long[bucketCount >>> 6];
        int c = 1024;
        eTime = new long[c];
        eOrder = new long[c];
        eSlot = new int[c];
        eNext = new int[c];
    }

    @Override
    public void add(long timePs, long order, int slot) {
        long tick = timePs / widthPs;
        if (tick - curTick >= bucketCount) {
            overflow.add(timePs, order, slot);
            return;
        }
        insertWheel(tick, timePs, order, slot);
    }

    private int allocEntry() {
        if (freeHead >= 0) {
            int e = freeHead;
            freeHead = eNext[e];
            return e;
        }
        if (poolUsed == eTime.length) {
            int c = eTime.length * 2;
            eTime = Arrays.copyOf(eTime, c);
            eOrder = Arrays.copyOf(eOrder, c);
            eSlot = Arrays.copyOf(eSlot, c);
            eNext = Arrays.copyOf(eNext, c);
        }
        return poolUsed++;
    }

    private void insertWheel(long tick, long timePs, long order, int slot) {
        int e = allocEntry();
        eTime[e] = timePs;
        eOrder[e] = order;
        eSlot[e] = slot;
        int b = (int) (tick & mask);
        int t = tail[b];
        wheelSize++;
        if (t < 0) {
            eNext[e] = -1;
            head[b] = e;
            tail[b] = e;
            bitmap[b >>> 6] |= 1L << b;
            return;
        }
        if (eTime[t] < timePs || (eTime[t] == timePs && eOrder[t] <= order)) {
            eNext[e] = -1;
            eNext[t] = e;
            tail[b] = e;
            return;
        }
        int prev = -1;
        int cur = head[b];
        while (eTime[cur] < timePs || (eTime[cur] == timePs && eOrder[cur] <= order)) {
            prev = cur;
            cur = eNext[cur];
        }
        eNext[e] = cur;
        if (prev < 0) {
            head[b] = e;
        } else {
            eNext[prev] = e;
        }
    }

    /** @return the first occupied bucket at or after curTick, in circular order; -1 if the wheel is empty */
    private int firstBucket() {
        if (wheelSize == 0) {
            return -1;
        }
        int start = (int) (curTick & mask);
        int w = start >>> 6;
        long bits = bitmap[w] & (-1L << start);
        int words = bitmap.length;
        for (int i = 0; i <= words; i++) {
            if (bits != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(bits);
            }
            w = (w + 1) % words;
            bits = bitmap[w];
        }
        throw new IllegalStateException("timing wheel bitmap inconsistent with its size");
    }

    @Override
    public int size() {
        return wheelSize + overflow.size();
    }

    @Override
    public long minTime() {
        int b = firstBucket();
        if (b < 0) {
            return overflow.minTime();
        }
        long wt = eTime[head[b]];
        if (overflow.isEmpty()) {
            return wt;
        }
        return Math.min(wt, overflow.minTime());
    }

    @Override
    public int pollMin() {
        int b = firstBucket();
        if (b >= 0) {
            int e = head[b];
            if (overflow.isEmpty() || PendingEventSet.compare(eTime[e], eOrder[e], overflow.minTime(), overflow.minOrder()) <= 0) {
                int next = eNext[e];
                head[b] = next;
                if (next < 0) {
                    tail[b] = -1;
                    bitmap[b >>> 6] &= ~(1L << b);
                }
                wheelSize--;
                int slot = eSlot[e];
                advanceTo(eTime[e] / widthPs);
                eNext[e] = freeHead;
                freeHead = e;
                return slot;
            }
        }
        long t = overflow.minTime();
        int slot = overflow.pollMin();
        advanceTo(t / widthPs);
        return slot;
    }

    private void advanceTo(long tick) {
        if (tick <= curTick) {
            return;
        }
        curTick = tick;
        long horizon = curTick + bucketCount;
        while (!overflow.isEmpty() && overflow.minTime() / widthPs < horizon) {
            long t = overflow.minTime();
            long o = overflow.minOrder();
            int s = overflow.pollMin();
            insertWheel(t / widthPs, t, o, s);
        }
    }

    @Override
    public void clear() {
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
        Arrays.fill(bitmap, 0L);
        wheelSize = 0;
        poolUsed = 0;
        freeHead = -1;
        curTick = 0;
        overflow.clear();
    }

    @Override
    public String name() {
        return "wheel";
    }
}
