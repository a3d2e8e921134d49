package io.dojosim.bench;

import io.dojosim.core.engine.Workers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Parallel efficiency against this machine's own ceiling (issue 18). In one sitting, round after
 * round, it times one case three ways, each in <b>separate JVMs</b> started the same way (the
 * classpath and JVM of this one), each warmed by one untimed run of the case before a common
 * start signal:
 * <ol>
 *   <li><b>alone</b>: one process, one thread;</li>
 *   <li><b>together</b>: two independent processes, one thread each, started at once: the wall
 *       time until both have finished. The <b>ceiling</b> is {@code 2 x alone / together}: the
 *       speed-up this machine gives two independent copies of this work (shared caches, memory
 *       bandwidth, SMT siblings, other tenants), which no split of one copy can beat;</li>
 *   <li><b>threads 2</b>: one process on a team of two ({@code --threads 2}); its speed-up is
 *       {@code alone / threads2}.</li>
 * </ol>
 * The three kinds run in a rotating order from round to round, so a change of the host's load
 * during the sitting falls on each of them alike. It prints each round, the medians, the ceiling,
 * the speed-up and their ratio (the parallel efficiency against the ceiling; the goal of issue 18
 * is 90 %), the CPU seconds of each measured run, and checks every result (a SHA-256 of its text)
 * equal to the first one-thread result.
 *
 * <p>Cases are those of {@link ThreadsBenchmark}: {@code run} (a tile at cycle compute fidelity),
 * {@code noc}, {@code kernel}, {@code region}. A measured run is {@code repeats} runs of the case
 * back to back in one process (the noc case with seeds 1, 2, ...; the others the same run again),
 * so that one run lasts at least about 2 s alone on this host and its wall time is not a few
 * scheduler slices: by default 8 for {@code noc} (0.3 s each), 3 for {@code kernel}, 1 for
 * {@code run} and {@code region}. {@code repeats = 1} is the case as measured before 2026-12-08
 * (docs/adr/0117). Besides the medians it prints each kind's spread over the rounds,
 * {@code (max - min) / median}.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.ParallelCeiling CASE [rounds]
 * [repeats]} (default: {@code run 5}, the case's repeats).
 *
 * <p>Caveats: wall time, so other load on the host lowers both the ceiling and the speed-up, and
 * a sitting under load says little; quote the load average with the figures. Each child JVM gets
 * the parent's {@code -Xmx}, if any, and nothing else of its options.
 */
public final class ParallelCeiling {
    private static final String READY = "ready";
    private static final String GO = "go";

    private ParallelCeiling() {
    }

    /** One run of a case; {@code repetition} (0, 1, ...) picks the noc case's seed. */
    static Function<Workers, Object> job(String which, int repetition) {
        return switch (which) {
            case "noc" -> ThreadsBenchmark.noc(repetition + 1);
            case "kernel" -> ThreadsBenchmark.kernel();
            case "run" -> ThreadsBenchmark.run();
            case "region" -> ThreadsBenchmark.region();
            default -> throw new IllegalArgumentException("case must be run, noc, kernel or region, got " + which);
        };
    }

    /** Runs of a case back to back in one measured run by default (about 2 s or more alone here). */
    static int defaultRepeats(String which) {
        return switch (which) {
            case "noc" -> 8;
            case "kernel" -> 3;
            default -> 1;
        };
    }

    /** {@code repeats} runs of a case back to back on one team: the list of their results. */
    static Function<Workers, Object> repeated(String which, int repeats) {
        List<Function<Workers, Object>> jobs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) jobs.add(job(which, i));
        return w -> {
            List<Object> results = new ArrayList<>();
            for (Function<Workers, Object> j : jobs) results.add(j.apply(w));
            return results;
        };
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        String which = args.length > 0 ? args[0] : "run";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        job(which, 0); // reject an unknown case before starting any process
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : defaultRepeats(which);
        if (rounds < 1 || repeats < 1) throw new IllegalArgumentException("rounds and repeats must be at least 1");
        System.out.printf(Locale.ROOT, "%s: %d rounds, %d run(s) of the case per measured process%n", which, rounds, repeats);
        List<Double> alone = new ArrayList<>();
        List<Double> together = new ArrayList<>();
        List<Double> two = new ArrayList<>();
        String[] reference = new String[1];
        for (int r = 0; r < rounds; r++) {
            double a = 0;
            double t = 0;
            double s = 0;
            StringBuilder cpu = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                switch ((r + k) % 3) {
                    case 0 -> a = timed(which, repeats, new int[] {1}, reference, cpu.append(" alone"));
                    case 1 -> t = timed(which, repeats, new int[] {1, 1}, reference, cpu.append(" together"));
                    default -> s = timed(which, repeats, new int[] {2}, reference, cpu.append(" threads-2"));
                }
            }
            alone.add(a);
            together.add(t);
            two.add(s);
            System.out.printf(Locale.ROOT, "%s round %d: alone %.3f s, two processes together %.3f s, threads 2 %.3f s"
                    + " | CPU s:%s | load average %s%n", which, r + 1, a, t, s, cpu, loadAverage());
        }
        double ma = median(alone);
        double mt = median(together);
        double m2 = median(two);
        double ceiling = 2 * ma / mt;
        double speedUp = ma / m2;
        System.out.printf(Locale.ROOT, "%s: medians of %d rounds: alone %.3f s, together %.3f s, threads 2 %.3f s | ceiling %.2fx, "
                + "threads-2 speed-up %.2fx, efficiency against the ceiling %.0f %%%n", which, rounds, ma, mt, m2, ceiling, speedUp,
                100 * speedUp / ceiling);
        System.out.printf(Locale.ROOT, "%s: spread over the rounds, (max - min) / median: alone %.0f %%, together %.0f %%, threads 2 %.0f %%%n",
                which, spread(alone), spread(together), spread(two));
    }

    private static double spread(List<Double> v) {
        return 100 * (Collections.max(v) - Collections.min(v)) / median(v);
    }

    /**
     * Starts one child JVM per entry of {@code threads} (its team size), waits until each has
     * warmed up, starts them at once and waits for all.
     *
     * @return the longest of their measured wall times, seconds
     */
    private static double timed(String which, int repeats, int[] threads, String[] reference, StringBuilder cpu) throws IOException,
            InterruptedException {
        int n = threads.length;
        Process[] ps = new Process[n];
        BufferedReader[] outs = new BufferedReader[n];
        for (int i = 0; i < n; i++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            for (String o : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (o.startsWith("-Xmx")) cmd.add(o);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ParallelCeiling.class.getName(), "--child", which,
                    Integer.toString(threads[i]), Integer.toString(repeats)));
            ps[i] = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            outs[i] = new BufferedReader(new InputStreamReader(ps[i].getInputStream(), StandardCharsets.UTF_8));
        }
        for (int i = 0; i < n; i++) {
            expect(outs[i], READY);
        }
        for (Process p : ps) {
            p.getOutputStream().write((GO + "\n").getBytes(StandardCharsets.UTF_8));
        }
        for (Process p : ps) {
            p.getOutputStream().flush(); // both signals go out back to back
        }
        double longest = 0;
        for (int i = 0; i < n; i++) {
            String[] f = expect(outs[i], "done").split(" ");
            double wall = Double.parseDouble(f[1]);
            longest = Math.max(longest, wall);
            cpu.append(i == 0 ? " " : "/").append(String.format(Locale.ROOT, "%.2f", Double.parseDouble(f[2])));
            if (reference[0] == null) {
                reference[0] = f[3];
            } else if (!reference[0].equals(f[3])) {
                throw new IllegalStateException("result on " + threads[i] + " thread(s) differs from the first one-thread result");
            }
            if (ps[i].waitFor() != 0) throw new IllegalStateException("child exited with " + ps[i].exitValue());
        }
        return longest;
    }

    private static String expect(BufferedReader in, String prefix) throws IOException {
        String line = in.readLine();
        if (line == null || !line.startsWith(prefix)) {
            throw new IllegalStateException("child said '" + line + "', expected '" + prefix + "'");
        }
        return line;
    }

    /**
     * A child: warm up (one run of the case), say ready, wait for the start signal, run the case
     * {@code repeats} times, say "done WALL CPU SHA".
     */
    private static void child(String which, int threads, int repeats) throws IOException, NoSuchAlgorithmException {
        PrintStream out = System.out;
        System.setOut(System.err); // nothing but the protocol on stdout
        try (Workers w = new Workers(threads)) {
            job(which, 0).apply(w); // warms the JIT
        }
        Function<Workers, Object> job = repeated(which, repeats);
        out.println(READY);
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!GO.equals(in.readLine())) throw new IllegalStateException("no start signal");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Object result;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (Workers w = new Workers(threads)) {
            result = job.apply(w);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(String.valueOf(result).getBytes(StandardCharsets.UTF_8));
        out.printf(Locale.ROOT, "done %.6f %.6f %s%n", wall, cpu, HexFormat.of().formatHex(sha));
        out.flush();
    }

    private static String loadAverage() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", l);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
