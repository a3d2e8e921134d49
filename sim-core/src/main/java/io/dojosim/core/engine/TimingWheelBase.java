package io.dojosim.core.engine;

import io.dojosim.core.config.Check;
import java.util.Arrays;

/**
 * What every timing wheel of dojosim shares: the bucket arithmetic, the occupancy bitmap with its
 * cached first occupied tick, the entry storage, the comparison of the wheel's minimum with the
 * overflow heap's (for events beyond the horizon, or that a bucket cannot take cheaply), polling,
 * and the migration of overflow events into the wheel as it advances. Subclasses decide how a
 * bucket orders its entries ({@link TimingWheelEventSet}: a linked list;
 * {@link ChunkedTimingWheelEventSet}: 32-entry chunks in time order).
 *
 * <pre>
 *   tick = timePs / bucketWidthPs          bucket = tick mod bucketCount
 *   wheel holds ticks in [curTick, curTick + bucketCount)      overflow heap holds the rest
 *
 *   entry e: data[e*stride + 0] time     data[e*stride + 3] arg       handlers[e] handler
 *            data[e*stride + 1] order    data[e*stride + 4] kind
 *            data[e*stride + 2] tag      (data[e*stride + 5] the linked wheel's links)
 * </pre>
 */
abstract class TimingWheelBase implements PendingEventSet {
    static final int TIME = 0;
    static final int ORDER = 1;
    static final int TAG = 2;
    static final int ARG = 3;
    static final int KIND = 4;

    final long widthPs;
    final int bucketCount;
    final int mask;
    final long[] bitmap;
    final QuaternaryHeapEventSet overflow = new QuaternaryHeapEventSet(256);
    private final String name;
    /** longs per entry in {@link #data} */
    final int stride;
    long[] data;
    EventHandler[] handlers;
    long curTick;
    int wheelSize;
    /** the absolute tick of the first occupied bucket, or -1 when unknown or the wheel is empty */
    long firstTick = -1;
    private EventHandler polledHandler;
    private int polledKind;
    private long polledArg;

    /**
     * @param bucketWidthPs width of one bucket in picoseconds, at least 1
     * @param bucketCount   number of buckets, a power of two of at least 64
     * @param stride        longs per entry, at least 5
     * @param entries       initial entry capacity
     * @param name          the set's name for reports
     */
    TimingWheelBase(long bucketWidthPs, int bucketCount, int stride, int entries, String name) {
        Check.require(bucketWidthPs >= 1, "bucketWidthPs must be >= 1");
        Check.require(bucketCount >= 64 && Integer.bitCount(bucketCount) == 1,
                "bucketCount must be a power of two >= 64");
        this.widthPs = bucketWidthPs;
        this.bucketCount = bucketCount;
        this.mask = bucketCount - 1;
        this.bitmap = new long[bucketCount >>> 6];
        this.stride = stride;
        this.name = name;
        this.data = new long[entries * stride];
        this.handlers = new EventHandler[entries];
    }

    /**
     * Puts an entry into the bucket of {@code tick} (within the horizon) and sets the bucket's
     * bitmap bit.
     *
     * @return false when the bucket cannot take it cheaply; the entry then goes to the overflow heap
     */
    abstract boolean insertWheel(long tick, long timePs, long order, long tag, EventHandler h, int kind, long arg);

    /** @return the entry at the head (the minimum) of non-empty bucket {@code b} */
    abstract int headEntry(int b);

    /** Unlinks entry {@code e}, the head of bucket {@code b}. @return true when the bucket is now empty */
    abstract boolean removeHead(int b, int e);

    /** Grows the entry storage to at least {@code entries} entries. */
    final void ensureEntries(int entries) {
        if (handlers.length < entries) {
            int c = Math.max(entries, handlers.length * 2);
            data = Arrays.copyOf(data, c * stride);
            handlers = Arrays.copyOf(handlers, c);
        }
    }

    /** Writes the key and payload of entry {@code e} (not its links). */
    final void write(int e, long timePs, long order, long tag, EventHandler h, int kind, long arg) {
        long[] d = data;
        int i = e * stride;
        d[i + TIME] = timePs;
        d[i + ORDER] = order;
        d[i + TAG] = tag;
        d[i + ARG] = arg;
        d[i + KIND] = kind;
        handlers[e] = h;
    }

    /** @return true when entry {@code e}'s key is not after (timePs, order) */
    final boolean notAfter(int e, long timePs, long order) {
        int i = e * stride;
        long t = data[i + TIME];
        return t < timePs || (t == timePs && data[i + ORDER] <= order);
    }

    @Override
    public final void add(long timePs, long order, long tag, EventHandler h, int kind, long arg) {
        long tick = timePs / widthPs;
        if (Long.compareUnsigned(tick - curTick, bucketCount) >= 0
                || !insertWheel(tick, timePs, order, tag, h, kind, arg)) {
            overflow.add(timePs, order, tag, h, kind, arg); // beyond the horizon, below curTick, or a long walk
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

    /** @return the entry of the wheel's minimum, or -1 if the overflow's comes first or the wheel is empty */
    private int wheelMin() {
        long ft = firstTick();
        if (ft < 0) {
            return -1;
        }
        int e = headEntry((int) (ft & mask));
        if (!overflow.isEmpty()) {
            int i = e * stride;
            if (PendingEventSet.compare(data[i + TIME], data[i + ORDER], overflow.minTime(), overflow.minOrder()) > 0) {
                return -1;
            }
        }
        return e;
    }

    @Override
    public final int size() {
        return wheelSize + overflow.size();
    }

    @Override
    public final long minTime() {
        return minField(TIME);
    }

    @Override
    public final long minOrder() {
        return minField(ORDER);
    }

    @Override
    public final long minTag() {
        return minField(TAG);
    }

    /** @return field {@code f} (TIME, ORDER or TAG) of the minimum entry, wherever it is */
    private long minField(int f) {
        int e = wheelMin();
        if (e >= 0) {
            return data[e * stride + f];
        }
        QuaternaryHeapEventSet o = overflow;
        return f == TIME ? o.minTime() : f == ORDER ? o.minOrder() : o.minTag();
    }

    @Override
    public final long pollMin() {
        int e = wheelMin();
        if (e < 0) {
            return pollOverflow();
        }
        long ft = firstTick;
        int b = (int) (ft & mask);
        long[] d = data;
        int i = e * stride;
        long tag = d[i + TAG];
        polledArg = d[i + ARG];
        polledKind = (int) d[i + KIND];
        polledHandler = handlers[e];
        wheelSize--;
        if (removeHead(b, e)) {
            bitmap[b >>> 6] &= ~(1L << b);
            firstTick = -1;
        }
        if (ft > curTick) {
            advanceTo(ft);
        }
        return tag;
    }

    @Override
    public final EventHandler polledHandler() {
        return polledHandler;
    }

    @Override
    public final int polledKind() {
        return polledKind;
    }

    @Override
    public final long polledArg() {
        return polledArg;
    }

    /** Removes the overflow heap's minimum (which comes before the wheel's) and advances the wheel to it. */
    private long pollOverflow() {
        QuaternaryHeapEventSet o = overflow;
        long t = o.minTime();
        long tag = o.pollMin();
        polledHandler = o.polledHandler();
        polledKind = o.polledKind();
        polledArg = o.polledArg();
        long tick = t / widthPs;
        if (tick > curTick) {
            advanceTo(tick);
        }
        return tag;
    }

    /** Moves curTick forward and brings overflow events now inside the horizon into the wheel. */
    private void advanceTo(long tick) {
        curTick = tick;
        long horizon = tick + bucketCount;
        QuaternaryHeapEventSet o = overflow;
        while (!o.isEmpty()) {
            long t = o.minTime();
            long tk = t / widthPs;
            if (tk >= horizon || tk < tick) {
                break; // the rest stays in the heap, which every poll consults
            }
            long order = o.minOrder();
            long tag = o.pollMin();
            if (!insertWheel(tk, t, order, tag, o.polledHandler(), o.polledKind(), o.polledArg())) {
                o.add(t, order, tag, o.polledHandler(), o.polledKind(), o.polledArg()); // back, for good
                break;
            }
        }
    }

    /** Empties every bucket and resets the entry pool (the shared state is cleared by {@link #clear()}). */
    abstract void clearBuckets();

    @Override
    public final void clear() {
        clearBuckets();
        Arrays.fill(bitmap, 0L);
        Arrays.fill(handlers, null);
        wheelSize = 0;
        curTick = 0;
        firstTick = -1;
        overflow.clear();
        polledHandler = null;
    }

    @Override
    public final String name() {
        return name;
    }
}
