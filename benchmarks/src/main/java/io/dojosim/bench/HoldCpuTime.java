package io.dojosim.bench;

import io.dojosim.core.engine.PendingEventSet;
import io.dojosim.core.engine.Simulator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The hold model of {@link EventSetBenchmark} and {@link SimulatorDispatchBenchmark}, timed by the
 * CPU time of the measuring thread instead of wall time: on a machine shared with other jobs,
 * wall-clock throughput mostly measures the time slices this process got, while events per CPU
 * second still show the cost of the code (cache pollution by the other jobs remains). A
 * supplement to the JMH figures, not a replacement.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.HoldCpuTime [rounds [sets]]}, sets a
 * comma-separated subset of {@code wheel,chunked,heap4} (default all three)
 */
public final class HoldCpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private HoldCpuTime() {
    }

    static double bare(String set, int pending, int rounds, long events) {
        PendingEventSet q = EventSetBenchmark.create(set);
        HoldIncrements inc = new HoldIncrements(42, 4.0, 0.0001);
        long order = 0;
        for (int i = 0; i < pending; i++) {
            q.add(inc.initialPs(), order++, i);
        }
        double[] rates = new double[rounds];
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            long c0 = MX.getCurrentThreadCpuTime();
            for (long i = 0; i < events; i++) {
                long t = q.minTime();
                long tag = q.pollMin(); // the entry's payload goes back with it, as in the kernel
                q.add(t + inc.next(), order++, tag, q.polledHandler(), q.polledKind(), q.polledArg());
            }
            long c = MX.getCurrentThreadCpuTime() - c0;
            if (r >= 0) {
                rates[r] = events * 1e3 / c;
            }
        }
        return median(rates);
    }

    static double kernel(String set, int pending, int rounds, long events) {
        Simulator sim = new Simulator(1, EventSetBenchmark.create(set));
        HoldIncrements inc = new HoldIncrements(42, 4.0, 0.0001);
        SimulatorDispatchBenchmark.Holder[] holders = new SimulatorDispatchBenchmark.Holder[16];
        for (int i = 0; i < holders.length; i++) {
            holders[i] = new SimulatorDispatchBenchmark.Holder(sim, inc);
        }
        for (int i = 0; i < pending; i++) {
            sim.schedule(inc.initialPs(), Simulator.PRIORITY_DELIVERY, holders[i & 15], Simulator.PRIORITY_DELIVERY, i);
        }
        double[] rates = new double[rounds];
        for (int r = -2; r < rounds; r++) {
            long c0 = MX.getCurrentThreadCpuTime();
            for (long i = 0; i < events; i++) {
                sim.step();
            }
            long c = MX.getCurrentThreadCpuTime() - c0;
            if (r >= 0) {
                rates[r] = events * 1e3 / c;
            }
        }
        return median(rates);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("M events per CPU-second of the measuring thread (median of " + rounds + " rounds)");
        String[] sets = args.length > 1 ? args[1].split(",") : new String[] {"wheel", "chunked", "heap4"};
        System.out.println("pending    set       bare   kernel");
        for (int pending : new int[] {1 << 10, 1 << 16, 1 << 20}) {
            long events = Math.max(2_000_000L, 2L * pending);
            for (String set : sets) {
                System.out.printf(Locale.ROOT, "%-10d %-8s %6.2f  %6.2f%n", pending, set,
                        bare(set, pending, rounds, events), kernel(set, pending, rounds, events));
            }
        }
    }
}
