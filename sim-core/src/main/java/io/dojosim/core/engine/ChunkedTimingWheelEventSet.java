package io.dojosim.core.engine;

import java.util.Arrays;

/**
 * A timing wheel whose buckets store their entries contiguously, in time order, in chunks of
 * {@value #CHUNK} entries: polling a bucket streams through memory instead of chasing a linked
 * list, so large pending sets cost one cache miss per chunk rather than one per event.
 *
 * <pre>
 *   tick = timePs / bucketWidthPs          bucket = tick mod bucketCount
 *   bucket: head chunk [e e e e ... e] -> chunk [e e e ... ] -> tail chunk [e e e _ _ _]
 *            ^ headPos                                                    ^ tailPos
 *   entry: time, order, slot (3 longs); chunks come from a pool and go back when emptied
 * </pre>
 *
 * <p>Same rules as {@link TimingWheelEventSet}: an entry whose key is not below the bucket's last
 * appends; otherwise it is moved into place within the tail chunk if that takes at most
 * {@value #MAX_WALK} shifts and the chunk has room, else it goes to the overflow heap, which also
 * takes far-future entries and entries below the wheel's position and whose minimum is compared on
 * every poll.
 *
 * <p>Caveats: memory is 16 B of bucket state per bucket (1 MB for the default 65,536) plus whole
 * chunks (768 B) per non-empty bucket, so a sparse population (a few events in each of many
 * buckets) uses more memory than the linked wheel.
 */
public final class ChunkedTimingWheelEventSet extends TimingWheelBase {
    static final int CHUNK = 32;
    private static final int E = 3;
    private static final int CHUNK_LONGS = CHUNK * E;
    static final int MAX_WALK = 8;

    private final int[] headChunk;
    private final int[] headPos;
    private final int[] tailChunk;
    private final int[] tailPos;

    private long[] data = new long[64 * CHUNK_LONGS];
    private int[] chunkNext = new int[64];
    private int freeChunk = -1;
    private int chunksUsed;

    /** 65,536 buckets of 100 ps, as {@link TimingWheelEventSet#TimingWheelEventSet()}. */
    public ChunkedTimingWheelEventSet() {
        this(100, 1 << 16);
    }

    /**
     * @param bucketWidthPs width of one bucket in picoseconds, at least 1
     * @param bucketCount   number of buckets, a power of two of at least 64
     */
    public ChunkedTimingWheelEventSet(long bucketWidthPs, int bucketCount) {
        super(bucketWidthPs, bucketCount);
        headChunk = new int[bucketCount];
        headPos = new int[bucketCount];
        tailChunk = new int[bucketCount];
        tailPos = new int[bucketCount];
        Arrays.fill(headChunk, -1);
    }

    private int allocChunk() {
        int c = freeChunk;
        if (c >= 0) {
            freeChunk = chunkNext[c];
        } else {
            c = chunksUsed++;
            if (c == chunkNext.length) {
                chunkNext = Arrays.copyOf(chunkNext, c * 2);
                data = Arrays.copyOf(data, c * 2 * CHUNK_LONGS);
            }
        }
        chunkNext[c] = -1;
        return c;
    }

    private void freeChunk(int c) {
        chunkNext[c] = freeChunk;
        freeChunk = c;
    }

    @Override
    boolean insertWheel(long tick, long timePs, long order, int slot) {
        int b = (int) (tick & mask);
        int hc = headChunk[b];
        if (hc < 0) {
            int c = allocChunk();
            headChunk[b] = c;
            tailChunk[b] = c;
            headPos[b] = 0;
            long[] d = data;
            int i = c * CHUNK_LONGS;
            d[i] = timePs;
            d[i + 1] = order;
            d[i + 2] = slot;
            tailPos[b] = 1;
            bitmap[b >>> 6] |= 1L << b;
            inserted(tick);
            return true;
        }
        int tc = tailChunk[b];
        int tp = tailPos[b];
        long[] d = data;
        int base = tc * CHUNK_LONGS;
        int last = base + (tp - 1) * E;
        if (d[last] < timePs || (d[last] == timePs && d[last + 1] <= order)) {
            if (tp == CHUNK) {
                int c = allocChunk();
                d = data;
                chunkNext[tc] = c;
                tailChunk[b] = c;
                base = c * CHUNK_LONGS;
                tp = 0;
            }
            int i = base + tp * E;
            d[i] = timePs;
            d[i + 1] = order;
            d[i + 2] = slot;
            tailPos[b] = tp + 1;
            inserted(tick);
            return true;
        }
        // Out of order. The tail chunk holds sorted entries at positions [lo, tp); find the first
        // position j whose entries from j on are all after the new key, at most MAX_WALK back.
        boolean isHead = tc == headChunk[b];
        int lo = isHead ? headPos[b] : 0;
        int j = tp - 1;
        int steps = 1;
        while (j > lo) {
            int k = base + (j - 1) * E;
            if (d[k] < timePs || (d[k] == timePs && d[k + 1] <= order)) {
                break;
            }
            if (++steps > MAX_WALK) {
                return false;
            }
            j--;
        }
        if (j == lo) {
            if (!isHead) {
                return false; // its place may be in an earlier chunk
            }
            if (lo > 0) { // the bucket's new minimum: use the free position in front of the head
                int i = base + (lo - 1) * E;
                d[i] = timePs;
                d[i + 1] = order;
                d[i + 2] = slot;
                headPos[b] = lo - 1;
                inserted(tick);
                return true;
            }
        }
        if (tp == CHUNK) {
            return false; // no room to shift
        }
        System.arraycopy(d, base + j * E, d, base + (j + 1) * E, (tp - j) * E);
        int i = base + j * E;
        d[i] = timePs;
        d[i + 1] = order;
        d[i + 2] = slot;
        tailPos[b] = tp + 1;
        inserted(tick);
        return true;
    }

    /** @return the data index of the wheel's minimum entry, or -1 if the overflow's comes first or the wheel is empty */
    private int wheelMin() {
        long ft = firstTick();
        if (ft < 0) {
            return -1;
        }
        int b = (int) (ft & mask);
        int i = headChunk[b] * CHUNK_LONGS + headPos[b] * E;
        if (!overflow.isEmpty()
                && PendingEventSet.compare(data[i], data[i + 1], overflow.minTime(), overflow.minOrder()) > 0) {
            return -1;
        }
        return i;
    }

    @Override
    public long minTime() {
        int i = wheelMin();
        return i >= 0 ? data[i] : overflow.minTime();
    }

    @Override
    public long minOrder() {
        int i = wheelMin();
        return i >= 0 ? data[i + 1] : overflow.minOrder();
    }

    @Override
    public int minSlot() {
        int i = wheelMin();
        return i >= 0 ? (int) data[i + 2] : overflow.minSlot();
    }

    @Override
    public int pollMin() {
        int i = wheelMin();
        if (i >= 0) {
            long ft = firstTick;
            int b = (int) (ft & mask);
            int slot = (int) data[i + 2];
            int hc = headChunk[b];
            int hp = headPos[b] + 1;
            wheelSize--;
            if (hc == tailChunk[b] && hp == tailPos[b]) {
                freeChunk(hc);
                headChunk[b] = -1;
                bitmap[b >>> 6] &= ~(1L << b);
                firstTick = -1;
            } else if (hp == CHUNK) {
                headChunk[b] = chunkNext[hc];
                headPos[b] = 0;
                freeChunk(hc);
            } else {
                headPos[b] = hp;
            }
            if (ft > curTick) {
                advanceTo(ft);
            }
            return slot;
        }
        return pollOverflow();
    }

    @Override
    public void clear() {
        Arrays.fill(headChunk, -1);
        clearCommon();
        chunksUsed = 0;
        freeChunk = -1;
    }

    @Override
    public String name() {
        return "wheel-chunked";
    }
}
