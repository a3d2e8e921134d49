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
 *   entry e = chunk * 32 + position: time, order, tag, arg, kind (5 longs) and the handler
 *   (see TimingWheelBase); chunks come from a pool and go back when emptied
 * </pre>
 *
 * <p>Same rules as {@link TimingWheelEventSet}: an entry whose key is not below the bucket's last
 * appends; otherwise it is moved into place within the tail chunk if that takes at most
 * {@value #MAX_WALK} shifts and the chunk has room, else it goes to the overflow heap, which also
 * takes far-future entries and entries below the wheel's position and whose minimum is compared on
 * every poll.
 *
 * <p>Caveats: memory is 16 B of bucket state per bucket (1 MB for the default 65,536) plus whole
 * chunks (1,280 B of keys and payload, 128 B of handler references) per non-empty bucket, so a
 * sparse population (a few events in each of many buckets) uses more memory than the linked wheel.
 */
public final class ChunkedTimingWheelEventSet extends TimingWheelBase {
    static final int CHUNK = 32;
    private static final int SHIFT = 5;
    private static final int E = 5;
    static final int MAX_WALK = 8;

    private final int[] headChunk;
    private final int[] headPos;
    private final int[] tailChunk;
    private final int[] tailPos;

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
        super(bucketWidthPs, bucketCount, E, 64 * CHUNK, "wheel-chunked");
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
                ensureEntries(c * 2 * CHUNK);
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
    boolean insertWheel(long tick, long timePs, long order, long tag, EventHandler h, int kind, long arg) {
        int b = (int) (tick & mask);
        if (headChunk[b] < 0) {
            int c = allocChunk();
            headChunk[b] = c;
            tailChunk[b] = c;
            headPos[b] = 0;
            tailPos[b] = 1;
            write(c << SHIFT, timePs, order, tag, h, kind, arg);
            bitmap[b >>> 6] |= 1L << b;
            inserted(tick);
            return true;
        }
        int tc = tailChunk[b];
        int tp = tailPos[b];
        int base = tc << SHIFT;
        if (notAfter(base + tp - 1, timePs, order)) {
            if (tp == CHUNK) {
                int c = allocChunk();
                chunkNext[tc] = c;
                tailChunk[b] = c;
                base = c << SHIFT;
                tp = 0;
            }
            write(base + tp, timePs, order, tag, h, kind, arg);
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
            if (notAfter(base + j - 1, timePs, order)) {
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
                write(base + lo - 1, timePs, order, tag, h, kind, arg);
                headPos[b] = lo - 1;
                inserted(tick);
                return true;
            }
        }
        if (tp == CHUNK) {
            return false; // no room to shift
        }
        int from = base + j;
        System.arraycopy(data, from * E, data, (from + 1) * E, (tp - j) * E);
        System.arraycopy(handlers, from, handlers, from + 1, tp - j);
        write(from, timePs, order, tag, h, kind, arg);
        tailPos[b] = tp + 1;
        inserted(tick);
        return true;
    }

    @Override
    int headEntry(int b) {
        return (headChunk[b] << SHIFT) + headPos[b];
    }

    @Override
    boolean removeHead(int b, int e) {
        int hc = headChunk[b];
        int hp = headPos[b] + 1;
        if (hc == tailChunk[b] && hp == tailPos[b]) {
            freeChunk(hc);
            headChunk[b] = -1;
            return true;
        }
        if (hp == CHUNK) {
            headChunk[b] = chunkNext[hc];
            headPos[b] = 0;
            freeChunk(hc);
        } else {
            headPos[b] = hp;
        }
        return false;
    }

    @Override
    void clearBuckets() {
        Arrays.fill(headChunk, -1);
        chunksUsed = 0;
        freeChunk = -1;
    }
}
