package io.dojosim.d1.node;

import io.dojosim.core.config.Check;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.util.SlotPool;
import io.dojosim.d1.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The program of one D1 node: per hardware thread, a sequence of micro-operations, plus the SRAM
 * buffers the program declares. This is the form the mapper emits and {@link D1Node} executes.
 *
 * <p>Storage: per thread, six parallel primitive arrays (18 bytes per micro-operation), no object
 * per operation. Fields by opcode:
 * <pre>
 *  opcode        dtype  n (int)              x (int)          y (int)            z (int)
 *  MATRIX        type   blocks (8x8x4)       loadBytes        storeBytes         -
 *  VECTOR        type   SIMD instructions    loadBytes        storeBytes         -
 *  LOAD          -      0                    loadBytes        0                  -
 *  STORE         -      0                    0                storeBytes         -
 *  SEND          -      bytes                destination node remote semaphore   -
 *  DMA           -      bytes                destination node remote semaphore   local semaphore or -1
 *  RECV          -      count                semaphore        -                  -
 *  WAIT          -      count                semaphore        -                  -
 *  SIGNAL        -      count                semaphore        -                  -
 *  BARRIER       -      participants         barrier id       -                  -  (threads of this node)
 *  CHIP_BARRIER  -      participants         barrier id       -                  -  (nodes of the chip)
 * </pre>
 * Node numbers are the chip's active-node indices ({@code 0 .. activeNodes-1}).
 *
 * <p>Semantics in brief (docs/model/d1-node.md has the full rules): a thread issues its
 * operations in order. MATRIX, VECTOR and LOAD pipeline: the next one may start when the
 * previous one has finished issuing. STORE, SEND, DMA, SIGNAL and the barriers first wait until every
 * earlier operation of the thread has completed (results written). A message that arrives
 * increments the destination's semaphore by one once its last byte is in SRAM; RECV and WAIT
 * block until a semaphore holds at least {@code count}, then subtract it.
 *
 * <p>Caveats: loops are unrolled by the producer; a program is immutable once built.
 */
public final class NodeProgram {
    public static final byte MATRIX = 0, VECTOR = 1, LOAD = 2, STORE = 3, SEND = 4, DMA = 5, RECV = 6, WAIT = 7,
            SIGNAL = 8, BARRIER = 9, CHIP_BARRIER = 10;
    static final String[] NAMES = {"matrix", "vector", "load", "store", "send", "dma", "recv", "wait", "signal",
            "barrier", "chipBarrier"};

    private final String name;
    private final byte[][] op;
    private final byte[][] dtype;
    private final int[][] n;
    private final int[][] x;
    private final int[][] y;
    private final int[][] z;
    private final int[] length;
    private final int semaphores;
    private final List<String> bufferNames;
    private final long[] bufferBytes;
    private final long dataBytes;

    private NodeProgram(Builder b) {
        this.name = b.name;
        int t = b.threads.length;
        op = new byte[t][];
        dtype = new byte[t][];
        n = new int[t][];
        x = new int[t][];
        y = new int[t][];
        z = new int[t][];
        length = new int[t];
        for (int i = 0; i < t; i++) {
            ThreadBuilder tb = b.threads[i];
            length[i] = tb.len;
            op[i] = Arrays.copyOf(tb.op, tb.len);
            dtype[i] = Arrays.copyOf(tb.dtype, tb.len);
            n[i] = Arrays.copyOf(tb.n, tb.len);
            x[i] = Arrays.copyOf(tb.x, tb.len);
            y[i] = Arrays.copyOf(tb.y, tb.len);
            z[i] = Arrays.copyOf(tb.z, tb.len);
        }
        semaphores = b.maxSemaphore + 1;
        bufferNames = List.copyOf(b.bufferNames);
        bufferBytes = new long[b.bufferNames.size()];
        long sum = 0;
        for (int i = 0; i < bufferBytes.length; i++) {
            bufferBytes[i] = b.bufferBytes.get(i);
            sum += bufferBytes[i];
        }
        dataBytes = sum;
    }

    /** @return a builder for a program of {@code threads} threads */
    public static Builder builder(String name, int threads) {
        return new Builder(name, threads);
    }

    public String name() {
        return name;
    }

    public int threads() {
        return length.length;
    }

    /** @return micro-operations of a thread */
    public int length(int thread) {
        return length[thread];
    }

    public byte op(int thread, int i) {
        return op[thread][i];
    }

    public DType dtype(int thread, int i) {
        return DType.of(dtype[thread][i]);
    }

    public int n(int thread, int i) {
        return n[thread][i];
    }

    public int x(int thread, int i) {
        return x[thread][i];
    }

    public int y(int thread, int i) {
        return y[thread][i];
    }

    public int z(int thread, int i) {
        return z[thread][i];
    }

    /** @return number of semaphores the program uses (highest id + 1) */
    public int semaphores() {
        return semaphores;
    }

    /** @return total bytes of the declared SRAM buffers */
    public long dataBytes() {
        return dataBytes;
    }

    /** @return name of an opcode, for messages and traces */
    public static String opName(byte opcode) {
        return NAMES[opcode];
    }

    /**
     * @throws ConfigException when the buffers do not fit the SRAM left after the code reserve,
     *                         naming the node, the program, the largest buffers and the capacity
     */
    public void checkFits(String where, long sramBytes, long codeReserveBytes) {
        long avail = sramBytes - codeReserveBytes;
        if (dataBytes > avail) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < bufferBytes.length; i++) {
                if (i > 0) sb.append(", ");
                sb.append(bufferNames.get(i)).append(' ').append(bufferBytes[i]);
            }
            throw new ConfigException(where + ": program '" + name + "' needs " + dataBytes + " bytes of SRAM (" + sb
                    + ") but the node has " + avail + " (d1.node.sramBytes " + sramBytes + " minus d1.node.codeReserveBytes "
                    + codeReserveBytes + "); use a smaller shape or stream the data from DIP memory");
        }
    }

    /** Builds a {@link NodeProgram}; methods of {@link ThreadBuilder} append micro-operations. */
    public static final class Builder {
        private final String name;
        private final ThreadBuilder[] threads;
        private int maxSemaphore = -1;
        private final List<String> bufferNames = new ArrayList<>();
        private final List<Long> bufferBytes = new ArrayList<>();

        private Builder(String name, int threads) {
            Check.require(threads >= 1 && threads <= 16, "a node program needs 1 to 16 threads, was " + threads);
            this.name = name;
            this.threads = new ThreadBuilder[threads];
            for (int i = 0; i < threads; i++) {
                this.threads[i] = new ThreadBuilder(this, i);
            }
        }

        /** Declares an SRAM buffer; the sum of all buffers must fit the node's data SRAM. @return its index */
        public int alloc(String bufferName, long bytes) {
            Check.require(bytes >= 0, "buffer " + bufferName + ": negative size");
            bufferNames.add(bufferName);
            bufferBytes.add(bytes);
            return bufferNames.size() - 1;
        }

        /** @return the appender of one thread */
        public ThreadBuilder thread(int t) {
            Check.require(t >= 0 && t < threads.length, "thread " + t + " out of range [0, " + threads.length + ")");
            return threads[t];
        }

        void sem(int s) {
            Check.require(s >= 0 && s < 1 << 20, "semaphore id out of range: " + s);
            maxSemaphore = Math.max(maxSemaphore, s);
        }

        public NodeProgram build() {
            return new NodeProgram(this);
        }
    }

    /** Appends micro-operations to one thread; every method returns {@code this}. */
    public static final class ThreadBuilder {
        private final Builder owner;
        private final int index;
        private byte[] op = new byte[16];
        private byte[] dtype = new byte[16];
        private int[] n = new int[16];
        private int[] x = new int[16];
        private int[] y = new int[16];
        private int[] z = new int[16];
        private final SlotPool rows = new SlotPool(16, this::grow);
        private int len;

        private ThreadBuilder(Builder owner, int index) {
            this.owner = owner;
            this.index = index;
        }

        private ThreadBuilder add(byte o, DType t, long nv, long xv, long yv, long zv) {
            Check.require(nv >= 0 && nv <= Integer.MAX_VALUE && xv >= -1 && xv <= Integer.MAX_VALUE
                    && yv >= -1 && yv <= Integer.MAX_VALUE && zv >= -1 && zv <= Integer.MAX_VALUE,
                    "thread " + index + " " + NAMES[o] + ": operand out of range (" + nv + ", " + xv + ", " + yv + ", " + zv + ")");
            int i = rows.take();
            op[i] = o;
            dtype[i] = (byte) (t == null ? 0 : t.ordinal());
            n[i] = (int) nv;
            x[i] = (int) xv;
            y[i] = (int) yv;
            z[i] = (int) zv;
            len = i + 1;
            return this;
        }

        private void grow(int c) {
            op = Arrays.copyOf(op, c);
            dtype = Arrays.copyOf(dtype, c);
            n = Arrays.copyOf(n, c);
            x = Arrays.copyOf(x, c);
            y = Arrays.copyOf(y, c);
            z = Arrays.copyOf(z, c);
        }

        /** Matrix-pipe blocks (8x8x4 by default) of a matrix type, streaming operands through the load ports and results through the store port. */
        public ThreadBuilder matrix(DType t, long blocks, long loadBytes, long storeBytes) {
            Check.require(t.onMatrixPipe(), "the matrix pipe does not execute " + t.key() + "; use vector()");
            Check.require(blocks >= 1, "matrix: blocks must be >= 1");
            return add(MATRIX, t, blocks, loadBytes, storeBytes, 0);
        }

        /** SIMD instructions (64 B fused multiply-adds) of a type, with the SRAM traffic they stream. */
        public ThreadBuilder vector(DType t, long instructions, long loadBytes, long storeBytes) {
            Check.require(instructions >= 1, "vector: instructions must be >= 1");
            return add(VECTOR, t, instructions, loadBytes, storeBytes, 0);
        }

        /** Loads into vector registers through the SRAM load ports. */
        public ThreadBuilder load(long bytes) {
            Check.require(bytes >= 1, "load: bytes must be >= 1");
            return add(LOAD, null, 0, bytes, 0, 0);
        }

        /** Stores from vector registers through the SRAM store port. */
        public ThreadBuilder store(long bytes) {
            Check.require(bytes >= 1, "store: bytes must be >= 1");
            return add(STORE, null, 0, 0, bytes, 0);
        }

        /** Sends bytes to another node's SRAM; the thread waits until the router has read them out; the remote semaphore counts the arrival. */
        public ThreadBuilder send(int dstNode, long bytes, int remoteSemaphore) {
            Check.require(bytes >= 1, "send: bytes must be >= 1");
            owner.sem(remoteSemaphore);
            return add(SEND, null, bytes, dstNode, remoteSemaphore, -1);
        }

        /** Queues a DMA of bytes to a node (the own node for a local copy) on the DMA engine; the thread does not wait. */
        public ThreadBuilder dma(int dstNode, long bytes, int remoteSemaphore, int localSemaphore) {
            Check.require(bytes >= 1, "dma: bytes must be >= 1");
            owner.sem(remoteSemaphore);
            if (localSemaphore >= 0) owner.sem(localSemaphore);
            return add(DMA, null, bytes, dstNode, remoteSemaphore, localSemaphore);
        }

        /** Waits for {@code count} messages counted on a semaphore (the receive side of SEND and DMA). */
        public ThreadBuilder recv(int semaphore, int count) {
            owner.sem(semaphore);
            Check.require(count >= 1, "recv: count must be >= 1");
            return add(RECV, null, count, semaphore, 0, 0);
        }

        /** Waits until a semaphore holds {@code count}, then takes it. */
        public ThreadBuilder waitSem(int semaphore, int count) {
            owner.sem(semaphore);
            Check.require(count >= 1, "wait: count must be >= 1");
            return add(WAIT, null, count, semaphore, 0, 0);
        }

        /** Adds {@code count} to a local semaphore once the thread's earlier operations have completed. */
        public ThreadBuilder signal(int semaphore, int count) {
            owner.sem(semaphore);
            Check.require(count >= 1, "signal: count must be >= 1");
            return add(SIGNAL, null, count, semaphore, 0, 0);
        }

        /** Barrier among {@code participants} threads of this node. */
        public ThreadBuilder barrier(int id, int participants) {
            Check.require(id >= 0 && id < 64, "barrier id must be in [0, 64)");
            Check.require(participants >= 1 && participants <= owner.threads.length, "barrier: participants must be in [1, threads]");
            return add(BARRIER, null, participants, id, 0, 0);
        }

        /** Barrier among {@code participantNodes} nodes of the chip (one thread per node takes part). */
        public ThreadBuilder chipBarrier(int id, int participantNodes) {
            Check.require(id >= 0 && id < 64, "barrier id must be in [0, 64)");
            Check.require(participantNodes >= 1, "chipBarrier: participants must be >= 1");
            return add(CHIP_BARRIER, null, participantNodes, id, 0, 0);
        }

        /** @return micro-operations appended so far */
        public int length() {
            return len;
        }
    }
}
