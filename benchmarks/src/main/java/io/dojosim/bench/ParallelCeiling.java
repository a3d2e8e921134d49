package io.dojosim.bench;

import io.dojosim.core.engine.Workers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Function;

/**
 * Parallel efficiency against this machine's own ceiling (issue 18). In one sitting, round after
 * round, it times one case three ways:
 * <ol>
 *   <li><b>alone</b>: one copy on one thread;</li>
 *   <li><b>together</b>: two independent copies, each on one thread, started at once (the wall
 *       time until both finish); the <b>ceiling</b> is {@code 2 x alone / together}, the speed-up
 *       the machine gives two independent copies of this work (shared caches, memory bandwidth,
 *       SMT siblings, other tenants), which no split of one copy can beat;</li>
 *   <li><b>threads 2</b>: one copy on a team of two ({@code --threads 2}); its speed-up is
 *       {@code alone / threads2}.</li>
 * </ol>
 * It prints the medians, the ceiling, the speed-up and their ratio (the parallel efficiency
 * against the ceiling), and checks every result equal to the first one-thread result.
 *
 * <p>Cases are those of {@link ThreadsBenchmark}: {@code noc}, {@code kernel}, {@code run},
 * {@code region}.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.ParallelCeiling CASE [rounds]}.
 *
 * <p>Caveats: the two copies share one JVM (heap, garbage collector, JIT already warm); two
 * separate processes may see a slightly different ceiling. Wall time, so other load on the host
 * lowers both the ceiling and the speed-up; quote the load average with the figures.
 */
public final class ParallelCeiling {
    private ParallelCeiling() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "noc";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Function<Workers, Object> job = switch (which) {
            case "noc" -> ThreadsBenchmark.noc();
            case "kernel" -> ThreadsBenchmark.kernel();
            case "run" -> ThreadsBenchmark.run();
            case "region" -> ThreadsBenchmark.region();
            default -> throw new IllegalArgumentException("case must be noc, kernel, run or region, got " + which);
        };
        Object reference = timed(job, 1).result; // also warms the JIT
        List<Double> alone = new ArrayList<>();
        List<Double> together = new ArrayList<>();
        List<Double> two = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Timed a = timed(job, 1);
            check(reference, a.result, "alone");
            alone.add(a.seconds);
            together.add(side(job, reference));
            Timed t = timed(job, 2);
            check(reference, t.result, "threads 2");
            two.add(t.seconds);
            System.out.printf(Locale.ROOT, "%s round %d: alone %.3f s, two copies together %.3f s, threads 2 %.3f s%n",
                    which, r + 1, a.seconds, together.get(r), t.seconds);
        }
        double ma = median(alone);
        double mt = median(together);
        double m2 = median(two);
        double ceiling = 2 * ma / mt;
        double speedUp = ma / m2;
        System.out.printf(Locale.ROOT, "%s: medians of %d rounds: alone %.3f s, together %.3f s, threads 2 %.3f s | ceiling %.2fx, "
                + "threads-2 speed-up %.2fx, efficiency against the ceiling %.0f %%%n", which, rounds, ma, mt, m2, ceiling, speedUp,
                100 * speedUp / ceiling);
    }

    private record Timed(Object result, double seconds) {
    }

    private static Timed timed(Function<Workers, Object> job, int threads) {
        try (Workers w = new Workers(threads)) {
            long t0 = System.nanoTime();
            Object res = job.apply(w);
            return new Timed(res, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** @return wall seconds from the common start until both copies have finished */
    private static double side(Function<Workers, Object> job, Object reference) throws Exception {
        CyclicBarrier start = new CyclicBarrier(3);
        Object[] results = new Object[2];
        Thread[] copies = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int k = i;
            copies[i] = new Thread(() -> {
                try {
                    start.await();
                    results[k] = timed(job, 1).result;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "copy-" + i);
            copies[i].start();
        }
        start.await();
        long t0 = System.nanoTime();
        for (Thread t : copies) t.join();
        double s = (System.nanoTime() - t0) / 1e9;
        check(reference, results[0], "copy 0");
        check(reference, results[1], "copy 1");
        return s;
    }

    private static void check(Object reference, Object result, String what) {
        if (!Objects.equals(reference, result)) throw new IllegalStateException("result of " + what + " differs from one thread's");
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
