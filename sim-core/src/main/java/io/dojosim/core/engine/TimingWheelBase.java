package io.dojosim.core.engine;

import io.dojosim.core.config.Check;
import java.util.Arrays;

/**
 * What every timing wheel of dojosim shares: the bucket arithmetic, the occupancy bitmap with its
 * cached first occupied tick, the overflow heap for events beyond the horizon (or that a bucket
 * cannot take cheaply), and the migration of overflow events into the wheel as it advances.
 * Subclasses store the entries of a bucket ({@link TimingWheelEventSet}: a linked list;
 * {@link ChunkedTimingWheelEventSet}: 32-entry chunks in time order).
 *
 * <pre>
 *   tick = timePs / bucketWidthPs          bucket = tick mod bucketCount
 *   wheel holds ticks in [curTick, curTick + bucketCount)      overflow heap holds the rest
 * </pre>
 */
abstract class TimingWheelBase implements PendingEventSet {
    final long widthPs;
    final int bucketCount;
    final int mask;
    final long[] bitmap;
    final QuaternaryHeapEventSet overflow = new QuaternaryHeapEventSet(256);
    long curTick;
    int wheelSize;
    /** the absolute tick of the first occupied bucket, or -1 when unknown or the wheel is empty */
    long firstTick = -1;

    /**
     * @param bucketWidthPs width of one bucket in picoseconds, at least 1
     * @param bucketCount   number of buckets, a power of two of at least 64
     */
    TimingWheelBase(long bucketWidthPs, int bucketCount) {
        Check.require(bucketWidthPs >= 1, "bucketWidthPs must be >= 1");
        Check.require(bucketCount >= 64 && Integer.bitCount(bucketCount) == 1,
                "bucketCount must be a power of two >= 64");
        this.widthPs = bucketWidthPs;
        this.bucketCount = bucketCount;
        this.mask = bucketCount - 1;
        this.bitmap = new long[bucketCount >>> 6];
    }

    /**
     * Puts an entry into the bucket of {@code tick} (within the horizon) and sets the bucket's
     * bitmap bit.
     *
     * @return false when the bucket cannot take it cheaply; the entry then goes to the overflow heap
     */
    abstract boolean insertWheel(long tick, long timePs, long order, int slot);

    @Override
    public final void add(long timePs, long order, int slot) {
        long tick = timePs / widthPs;
        if (Long.compareUnsigned(tick - curTick, bucketCount) >= 0 || !insertWheel(tick, timePs, order, slot)) {
            overflow.add(timePs, order, slot); // beyond the horizon, below curTick, or a long walk
        }
    }

    /** Bookkeeping after {@link #insertWheel} placed an entry. */
    final void inserted(long tick) {
        wheelSize++;
        if (firstTick >= 0 && tick < firstTick) {
            firstTick = tick;
        }
    }

    /** @return the absolute tick of the first occupied bucket at or after curTick; -1 if the wheel is empty */
    final long firstTick() {
        long ft = firstTick;
        if (ft >= 0 || wheelSize == 0) {
            return ft;
        }
        int start = (int) (curTick & mask);
        int w = start >>> 6;
        long bits = bitmap[w] & (-1L << start);
        int words = bitmap.length;
        int scanned = 0;
        while (bits == 0) {
            if (++scanned > words) {
                throw new IllegalStateException("timing wheel bitmap inconsistent with its size");
            }
            w = (w + 1) & (words - 1);
            bits = bitmap[w];
        }
        int b = (w << 6) + Long.numberOfTrailingZeros(bits);
        ft = curTick + ((b - start) & mask);
        firstTick = ft;
        return ft;
    }

    @Override
    public final int size() {
        return wheelSize + overflow.size();
    }

    /** Removes the overflow heap's minimum (which comes before the wheel's) and advances the wheel to it. */
    final int pollOverflow() {
        long t = overflow.minTime();
        int slot = overflow.pollMin();
        long tick = t / widthPs;
        if (tick > curTick) {
            advanceTo(tick);
        }
        return slot;
    }

    /** Moves curTick forward and brings overflow events now inside the horizon into the wheel. */
    final void advanceTo(long tick) {
        curTick = tick;
        long horizon = tick + bucketCount;
        QuaternaryHeapEventSet o = overflow;
        while (!o.isEmpty()) {
            long t = o.minTime();
            long tk = t / widthPs;
            if (tk >= horizon || tk < tick || !insertWheel(tk, t, o.minOrder(), o.minSlot())) {
                break; // the rest stays in the heap, which every poll consults
            }
            o.pollMin();
        }
    }

    /** Clears the shared state; subclasses clear their buckets too. */
    void clearCommon() {
        Arrays.fill(bitmap, 0L);
        wheelSize = 0;
        curTick = 0;
        firstTick = -1;
        overflow.clear();
    }
}
