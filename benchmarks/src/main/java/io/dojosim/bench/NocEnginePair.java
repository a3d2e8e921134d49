package io.dojosim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Paired speed comparison of two builds of the network engines in one JVM: each build's jar (a
 * benchmarks jar of any commit) is loaded by its own class loader, and the BookSim-method
 * experiments of {@link NocSpeedCompare}'s cases run alternately on the two, a few at a time, so
 * that both builds see the same machine load. The ratio of their CPU times per pair is far less
 * scattered on a shared machine than two processes run one after the other (about +-2 % for a
 * build against itself at a load average of 8, where separate runs scatter by 10 % or more).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.NocEnginePair OLD.jar
 * NEW.jar [cases, e.g. 1,2,3] [pairs, default 10] [experiments per turn, default 3]
 * [flit|packet]}. Prints, per case, each build's simulated cycles x routers per CPU second of this
 * thread and the median of the per-pair time ratios (old / new: above 1 when the new build is
 * faster). The simulated cycles of the two builds must agree; a difference is printed.
 *
 * <p>Caveats: both builds share the JIT and the heap; each is warmed on every picked case, then on
 * each case again before its pairs.
 * The experiments are reached by reflection (the code of either commit needs no helper class).
 */
public final class NocEnginePair {
    private static final Object[][] CASES = {
            {8, 2, 1, 0.01, "uniform"}, {8, 2, 1, 0.10, "uniform"}, {8, 2, 1, 0.28, "uniform"},
            {8, 4, 4, 0.40, "uniform"}, {16, 4, 4, 0.10, "uniform"}, {16, 4, 4, 0.18, "uniform"},
            {16, 4, 1, 0.10, "transpose"}, {16, 4, 4, 0.10, "bitcomp"}};

    private NocEnginePair() {
    }

    /** One build's entry points, reached through its own class loader. */
    private static final class Build {
        final Method booksim, withVcs, withPacketFlits, withFidelity, full, parse, run, cycles;
        final Class<?> experiment, params, shape, pattern;
        final Object fidelity;

        Build(String jar, String fidelityName) throws Exception {
            ClassLoader cl = new URLClassLoader(new URL[]{Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            params = cl.loadClass("io.dojosim.noc.NocParams");
            shape = cl.loadClass("io.dojosim.noc.MeshShape");
            pattern = cl.loadClass("io.dojosim.noc.traffic.TrafficPattern");
            experiment = cl.loadClass("io.dojosim.noc.traffic.SyntheticExperiment");
            Class<?> fid = cl.loadClass("io.dojosim.noc.NocParams$Fidelity");
            booksim = params.getMethod("booksim");
            withVcs = params.getMethod("withVcs", int.class);
            withPacketFlits = params.getMethod("withPacketFlits", int.class);
            withFidelity = params.getMethod("withFidelity", fid);
            fidelity = fid.getMethod("valueOf", String.class).invoke(null, fidelityName.toUpperCase(Locale.ROOT));
            full = shape.getMethod("full", int.class, int.class);
            parse = pattern.getMethod("parse", String.class, shape);
            run = experiment.getMethod("run", double.class);
            cycles = run.getReturnType().getMethod("simulatedCycles");
        }

        /** Runs {@code n} experiments of case {@code c} with seeds 0 to n - 1; returns the simulated cycles. */
        long runCase(Object[] c, int n) throws Exception {
            int k = (Integer) c[0];
            Object p = withFidelity.invoke(withPacketFlits.invoke(withVcs.invoke(booksim.invoke(null), c[1]), c[2]), fidelity);
            Object m = full.invoke(null, k, k);
            long sum = 0;
            for (int i = 0; i < n; i++) {
                Object pat = parse.invoke(null, c[4], m);
                Object e = experiment.getConstructor(shape, params, pattern, long.class).newInstance(m, p, pat, (long) i);
                sum += (Long) cycles.invoke(run.invoke(e, c[3]));
            }
            return sum;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: NocEnginePair OLD.jar NEW.jar [cases] [pairs] [per turn] [flit|packet]");
            System.exit(2);
        }
        String fid = args.length > 5 ? args[5] : "flit";
        Build[] b = {new Build(args[0], fid), new Build(args[1], fid)};
        String[] picks = (args.length > 2 ? args[2] : "0,1,2,3,4,5,6,7").split(",");
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int per = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        System.out.println("case,old M router-cycles/CPU s,new M router-cycles/CPU s,median old/new time per pair,cycles equal");
        // warm both builds on every picked case first, as NocSpeedCompare does: a short case (8 x 8
        // at 0.01, about 5 ms an experiment) measured first would otherwise time the JIT's work
        for (int w = 0; w < 3; w++) {
            for (String pk : picks) {
                Object[] c = CASES[Integer.parseInt(pk.trim())];
                b[0].runCase(c, per);
                b[1].runCase(c, per);
            }
        }
        for (String pk : picks) {
            Object[] c = CASES[Integer.parseInt(pk.trim())];
            int k = (Integer) c[0];
            for (int w = 0; w < 3; w++) {
                b[0].runCase(c, per);
                b[1].runCase(c, per);
            }
            long[] cpu = new long[2];
            long[] cyc = new long[2];
            double[] ratio = new double[pairs];
            for (int r = 0; r < pairs; r++) {
                long[] t = new long[2];
                for (int s0 = 0; s0 < 2; s0++) {
                    int s = (r & 1) == 0 ? s0 : 1 - s0; // alternate which build goes first
                    long t0 = tb.getCurrentThreadCpuTime();
                    cyc[s] += b[s].runCase(c, per);
                    t[s] = tb.getCurrentThreadCpuTime() - t0;
                    cpu[s] += t[s];
                }
                ratio[r] = (double) t[0] / t[1];
            }
            Arrays.sort(ratio);
            double rc = (double) (k * k) * 1e3;
            System.out.printf(Locale.ROOT, "%dx%d %s %dVC L=%d %.2f,%.2f,%.2f,%.3f,%s%n", k, k, c[4], c[1], c[2], c[3],
                    cyc[0] * rc / cpu[0], cyc[1] * rc / cpu[1], ratio[pairs / 2], cyc[0] == cyc[1] ? "yes" : "NO " + cyc[0] + " " + cyc[1]);
        }
    }
}
