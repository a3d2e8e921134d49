package io.dojosim.core.engine;

import io.dojosim.core.random.Rng;
import io.dojosim.core.stats.Counter;
import io.dojosim.core.stats.Distribution;
import io.dojosim.core.stats.Unit;
import io.dojosim.core.time.ClockDomain;

/**
 * A synthetic network for determinism tests: {@code n} clocked nodes on a ring with chords.
 * Each node injects messages to random destinations during the first {@code injectCycles} cycles
 * (with its own random stream), forwards what it receives one message per output per cycle from a
 * FIFO (so the order of same-time arrivals matters), and records the latency of messages that
 * reach it. Ring links take {@code ringCycles}, chords {@code chordCycles}: a message sent on one
 * is an event at {@link Simulator#PRIORITY_DELIVERY} that many cycles later.
 */
final class TrafficModel {
    static final ClockDomain CLOCK = new ClockDomain("test", 2_000_000_000L);

    final Node[] nodes;

    TrafficModel(int n, int injectCycles, double injectProbability, int ringCycles, int chordCycles,
                 Simulator sim, Clock clock) {
        nodes = new Node[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = new Node(sim, clock, "net.node[" + i + "]", i, n, injectCycles, injectProbability);
        }
        long p = CLOCK.periodPs();
        for (int i = 0; i < n; i++) {
            Node a = nodes[i];
            a.connect(0, nodes[(i + 1) % n], ringCycles * p);
            a.connect(1, nodes[(i + n / 2) % n], chordCycles * p);
        }
    }

    void start() {
        for (Node node : nodes) {
            node.clock.wake(node.clockId);
        }
    }

    long delivered() {
        long d = 0;
        for (Node node : nodes) {
            d += node.delivered.get();
        }
        return d;
    }

    long injected() {
        long d = 0;
        for (Node node : nodes) {
            d += node.injected.get();
        }
        return d;
    }

    static final class Node implements Clocked, EventHandler {
        private final Simulator sim;
        private final Rng rng;
        private final Node[] next = new Node[2];
        private final long[] latencyPs = new long[2];
        final Clock clock;
        final int clockId;
        private final int index;
        private final int n;
        private final int injectCycles;
        private final double injectProbability;
        private final Counter injected;
        private final Counter delivered;
        private final Counter forwarded;
        private final Counter idleCycles;
        private final Counter arrivalHash;
        private final Distribution latency;
        // FIFO ring buffer of payloads
        private long[] fifo = new long[64];
        private int headIdx;
        private int size;

        Node(Simulator sim, Clock clock, String path, int index, int n, int injectCycles, double injectProbability) {
            this.sim = sim;
            this.rng = sim.random().stream(path);
            this.clock = clock;
            this.index = index;
            this.n = n;
            this.injectCycles = injectCycles;
            this.injectProbability = injectProbability;
            injected = sim.stats().counter(path + ".injected", Unit.MESSAGES, "messages created here");
            delivered = sim.stats().counter(path + ".delivered", Unit.MESSAGES, "messages that reached here");
            forwarded = sim.stats().counter(path + ".forwarded", Unit.MESSAGES, "messages sent on");
            idleCycles = sim.stats().counter(path + ".idleCycles", Unit.CYCLES, "cycles with nothing to do");
            arrivalHash = sim.stats().counter(path + ".arrivalOrderHash", Unit.COUNT, "hash of the arrival order");
            latency = sim.stats().distribution(path + ".latencyCycles", Unit.CYCLES, "creation to arrival");
            clockId = clock.register(this);
        }

        /** Output {@code port} delivers to {@code to}'s input of the same number after {@code latencyPs}. */
        void connect(int port, Node to, long latencyPs) {
            next[port] = to;
            this.latencyPs[port] = latencyPs;
        }

        private void push(long payload) {
            if (size == fifo.length) {
                long[] bigger = new long[fifo.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = fifo[(headIdx + i) & (fifo.length - 1)];
                }
                fifo = bigger;
                headIdx = 0;
            }
            fifo[(headIdx + size) & (fifo.length - 1)] = payload;
            size++;
        }

        private long pop() {
            long v = fifo[headIdx];
            headIdx = (headIdx + 1) & (fifo.length - 1);
            size--;
            return v;
        }

        @Override
        public void onEvent(long nowPs, int port, long payload) {
            arrivalHash.add(((payload * 31 + port) ^ arrivalHash.get()) * 0x9E3779B97F4A7C15L >>> 40);
            int dest = (int) (payload >>> 48);
            if (dest == index) {
                delivered.inc();
                long created = payload & 0xFFFF_FFFFL;
                latency.record(CLOCK.cycleAt(nowPs) - created);
            } else {
                push(payload);
                clock.wake(clockId);
            }
        }

        /** Clockwise distance from here to {@code dest}. */
        private int distance(int from, int dest) {
            return Math.floorMod(dest - from, n);
        }

        @Override
        public boolean tick(long cycle) {
            boolean worked = false;
            if (cycle < injectCycles) {
                Rng r = rng;
                if (r.nextBernoulli(injectProbability)) {
                    int dest = (index + 1 + r.nextInt(n - 1)) % n;
                    push(((long) dest << 48) | ((long) index << 32) | cycle);
                    injected.inc();
                }
            }
            // forward the head of the FIFO on the better output, one message per output per cycle
            boolean[] used = usedScratch;
            used[0] = false;
            used[1] = false;
            int budget = Math.min(size, 2);
            for (int k = 0; k < budget; k++) {
                long m = fifo[headIdx];
                int dest = (int) (m >>> 48);
                int port = distance((index + n / 2) % n, dest) < distance(index, dest) - 1 ? 1 : 0;
                if (used[port]) {
                    break; // head-of-line blocking: keeps the FIFO order observable
                }
                used[port] = true;
                pop();
                sim.schedule(sim.now() + latencyPs[port], Simulator.PRIORITY_DELIVERY, next[port], port, m);
                forwarded.inc();
                worked = true;
            }
            if (!worked) {
                idleCycles.inc();
            }
            return size > 0 || cycle + 1 < injectCycles;
        }

        private final boolean[] usedScratch = new boolean[2];

        @Override
        public void skipped(long cycles) {
            idleCycles.add(cycles);
        }
    }
}
