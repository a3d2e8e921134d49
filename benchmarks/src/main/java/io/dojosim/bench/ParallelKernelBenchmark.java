package io.dojosim.bench;

import io.dojosim.core.component.Component;
import io.dojosim.core.component.InPort;
import io.dojosim.core.component.Link;
import io.dojosim.core.component.OutPort;
import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.Clocked;
import io.dojosim.core.engine.PartitionedSimulator;
import io.dojosim.core.stats.Counter;
import io.dojosim.core.stats.Unit;
import io.dojosim.core.time.ClockDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Speed-up of the parallel kernel on a model with enough work per window (a main-method benchmark,
 * since a run is seconds long and the kernel's own report is what we want to see).
 *
 * <p>Model: {@code partitions} partitions (think: chips) of {@code nodes} clocked nodes on a 2 GHz
 * clock. Every node ticks every cycle and does {@code work} rounds of arithmetic per tick (a
 * stand-in for a router or pipe model); every {@code sendEvery} cycles it sends a message to the
 * same node of the next partition over a link of {@code linkCycles} cycles (200 cycles = 100 ns,
 * a die-to-die hop), which sets the lookahead. The statistics of every run are compared with
 * those of the first, so a speed-up never comes with a different answer.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.ParallelKernelBenchmark
 * [partitions nodes work cycles linkCycles repeats]}
 */
public final class ParallelKernelBenchmark {
    static final ClockDomain CLOCK = new ClockDomain("bench", 2_000_000_000L);

    static final class Node extends Component implements Clocked {
        final OutPort out = outPort("out");
        final InPort in;
        private final Counter received = counter("received", Unit.MESSAGES, "messages received");
        private final Counter checksum = counter("checksum", Unit.COUNT, "result of the busy work");
        private final int work;
        private final int sendEvery;
        private final long cycles;
        private long state;

        Node(io.dojosim.core.engine.Simulator sim, String path, int work, int sendEvery, long cycles, long seed) {
            super(sim, path);
            this.work = work;
            this.sendEvery = sendEvery;
            this.cycles = cycles;
            this.state = seed | 1;
            this.in = inPort("in", 0, (now, port, payload) -> {
                received.inc();
                state ^= payload;
            });
        }

        @Override
        public boolean tick(long cycle) {
            long x = state;
            for (int i = 0; i < work; i++) { // xorshift rounds: work that cannot be optimised away
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            state = x;
            if (cycle % sendEvery == 0) {
                out.send(x & 0xFFFF);
            }
            if (cycle + 1 >= cycles) {
                checksum.add(state & 0xFFFF_FFFFL);
                return false;
            }
            return true;
        }
    }

    /** One run: wall nanoseconds, events, the report and the statistics. */
    record Result(long wallNs, long events, PartitionedSimulator.Report report, Map<String, Object> stats) {
    }

    static Result runOnce(int partitions, int nodes, int work, long cycles, int linkCycles, int threads) {
        try (PartitionedSimulator ps = new PartitionedSimulator(1, partitions, Math.max(1, threads))) {
            Node[][] grid = new Node[partitions][nodes];
            Clock[] clocks = new Clock[partitions];
            for (int p = 0; p < partitions; p++) {
                clocks[p] = new Clock(ps.partition(p), CLOCK);
                for (int i = 0; i < nodes; i++) {
                    grid[p][i] = new Node(ps.partition(p), "chip[" + p + "].node[" + i + "]", work, 8, cycles,
                            p * 1_000_003L + i);
                    clocks[p].wake(clocks[p].register(grid[p][i]));
                }
            }
            long period = CLOCK.periodPs();
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < nodes; i++) {
                    Node a = grid[p][i];
                    Link.connect(ps.partition(p), a.out, grid[(p + 1) % partitions][i].in, linkCycles * period, period);
                }
            }
            long t0 = System.nanoTime();
            if (threads == 0) {
                ps.runSequential(Long.MAX_VALUE);
            } else {
                ps.run();
            }
            long wall = System.nanoTime() - t0;
            return new Result(wall, ps.eventsExecuted(), ps.report(), ps.snapshot(ps.now()));
        }
    }

    public static void main(String[] args) {
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int work = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        long cycles = args.length > 3 ? Long.parseLong(args[3]) : 20_000;
        int linkCycles = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        int repeats = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        System.out.printf(Locale.ROOT, "partitions=%d nodes/partition=%d work=%d cycles=%d link=%d cycles, cores=%d%n",
                partitions, nodes, work, cycles, linkCycles, Runtime.getRuntime().availableProcessors());
        Map<String, Object> reference = runOnce(partitions, nodes, work, Math.min(cycles, 2_000), linkCycles, 0).stats();
        if (!reference.equals(runOnce(partitions, nodes, work, Math.min(cycles, 2_000), linkCycles, 2).stats())) {
            throw new AssertionError("2 threads differ from the sequential reference");
        }
        runOnce(partitions, nodes, work, cycles, linkCycles, 1); // warm-up
        runOnce(partitions, nodes, work, cycles, linkCycles, 2);
        Map<String, Object> first = null;
        double median1 = 0;
        for (int threads : new int[] {1, 2}) {
            List<Long> walls = new ArrayList<>();
            Result last = null;
            for (int r = 0; r < repeats; r++) {
                last = runOnce(partitions, nodes, work, cycles, linkCycles, threads);
                walls.add(last.wallNs());
                if (first == null) {
                    first = last.stats();
                } else if (!first.equals(last.stats())) {
                    throw new AssertionError("statistics differ at " + threads + " threads");
                }
            }
            Collections.sort(walls);
            double median = walls.get(walls.size() / 2) / 1e6;
            if (threads == 1) {
                median1 = median;
            }
            System.out.printf(Locale.ROOT, "threads=%d: median %.1f ms (min %.1f, max %.1f), %.2f M events/s, speed-up %.2f%n",
                    threads, median, walls.get(0) / 1e6, walls.get(walls.size() - 1) / 1e6,
                    last.events() / (median * 1e3), median1 / median);
            System.out.println(last.report());
        }
    }
}
