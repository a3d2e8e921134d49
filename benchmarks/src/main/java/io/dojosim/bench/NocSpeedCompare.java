package io.dojosim.bench;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.noc.traffic.SyntheticExperiment;
import io.dojosim.noc.traffic.TrafficPattern;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Runs the configurations of the BookSim2 speed table (shared/reference/booksim/README.md) as whole
 * BookSim-method experiments and prints simulated cycles x routers per second of this thread's CPU
 * time, median of 5 runs after warming the JIT on every case, so it can be compared side by side with BookSim2's
 * user CPU time on the same machine in the same sitting (docs/performance.md).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.NocSpeedCompare [flit|packet]
 * [case numbers, e.g. 2,7]}: cases 0 to 5 are the six uniform cases, 6 and 7 issue 18's 16 x 16
 * transpose (4 VCs, 1 flit) and bit-complement (4 VCs, 4 flits) at 0.10; by default all eight.
 */
public final class NocSpeedCompare {
    public static void main(String[] args) {
        NocParams.Fidelity f = args.length > 0 ? NocParams.Fidelity.valueOf(args[0].toUpperCase(Locale.ROOT)) : NocParams.Fidelity.FLIT;
        Object[][] all = {
                {8, 2, 1, 0.01, "uniform"}, {8, 2, 1, 0.10, "uniform"}, {8, 2, 1, 0.28, "uniform"},
                {8, 4, 4, 0.40, "uniform"}, {16, 4, 4, 0.10, "uniform"}, {16, 4, 4, 0.18, "uniform"},
                {16, 4, 1, 0.10, "transpose"}, {16, 4, 4, 0.10, "bitcomp"}};
        Object[][] cases = all;
        if (args.length > 1) {
            String[] picks = args[1].split(",");
            cases = new Object[picks.length][];
            for (int i = 0; i < picks.length; i++) cases[i] = all[Integer.parseInt(picks[i].trim())];
        }
        ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        System.out.println("config,offered,fidelity,cycles,avgPacketLatency,cpuSeconds,routerCyclesPerCpuSecond");
        // warm the JIT on every case first, so that the small cases are not measured interpreted
        for (int rep = 0; rep < 3; rep++) {
            for (Object[] c : cases) {
                int k = (Integer) c[0];
                NocParams p = NocParams.booksim().withVcs((Integer) c[1]).withPacketFlits((Integer) c[2]).withFidelity(f);
                MeshShape m = MeshShape.full(k, k);
                new SyntheticExperiment(m, p, TrafficPattern.parse((String) c[4], m), 100 + rep).run((Double) c[3]);
            }
        }
        for (Object[] c : cases) {
            int k = (Integer) c[0];
            NocParams p = NocParams.booksim().withVcs((Integer) c[1]).withPacketFlits((Integer) c[2]).withFidelity(f);
            MeshShape m = MeshShape.full(k, k);
            double rate = (Double) c[3];
            double[] rcps = new double[5];
            ExperimentResult last = null;
            double cpuLast = 0;
            for (int i = 0; i < 8; i++) {
                long t0 = tb.getCurrentThreadCpuTime();
                last = new SyntheticExperiment(m, p, TrafficPattern.parse((String) c[4], m), i).run(rate);
                cpuLast = (tb.getCurrentThreadCpuTime() - t0) / 1e9;
                if (i >= 3) rcps[i - 3] = last.simulatedCycles() * (double) (k * k) / cpuLast;
            }
            java.util.Arrays.sort(rcps);
            System.out.printf(Locale.ROOT, "%dx%d %s %dVC L=%d,%.2f,%s,%d,%.2f,%.4f,%.0f%n", k, k, c[4], c[1], c[2], rate,
                    f.name().toLowerCase(Locale.ROOT), last.simulatedCycles(), last.avgPacketLatencyCycles(), cpuLast, rcps[2]);
        }
    }
}
