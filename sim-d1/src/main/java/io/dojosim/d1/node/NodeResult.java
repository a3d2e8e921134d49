package io.dojosim.d1.node;

import io.dojosim.d1.DType;

/**
 * What one node did in a run: cycles to finish, work per resource, FLOPs per type and stalls per
 * thread. Produced by both node fidelities ({@code cycle} fills every field; {@code roofline}
 * leaves stalls at zero).
 *
 * @param cycles       cycles from start until the last result was written
 * @param busyCycles   lane-cycles of work per resource, indexed by {@code D1Node.R_*}
 * @param lanes        lanes per resource
 * @param flops        FLOPs per {@link DType} ordinal (padding of partial blocks included)
 * @param stallCycles  per thread, per reason ({@code D1Node.S_*})
 * @param limiter      the resource or reason that bounds the time, for reports
 */
public record NodeResult(long cycles, long[] busyCycles, int[] lanes, long[] flops, long[][] stallCycles,
                         long sramLoadBytes, long sramStoreBytes, long routerReadBytes, long routerWriteBytes,
                         long portStallCycles, String limiter) {

    /** @return the result of a finished cycle-fidelity node */
    public static NodeResult of(D1Node n) {
        long[] busy = new long[D1Node.RESOURCES];
        int[] lanes = new int[D1Node.RESOURCES];
        for (int r = 0; r < D1Node.RESOURCES; r++) {
            busy[r] = n.busyCycles(r);
            lanes[r] = n.lanes(r);
        }
        long[] f = new long[DType.count()];
        for (int d = 0; d < f.length; d++) {
            f[d] = n.flops(DType.of(d));
        }
        int threads = n.program().threads();
        long[][] st = new long[threads][D1Node.REASONS];
        for (int t = 0; t < threads; t++) {
            for (int r = 0; r < D1Node.REASONS; r++) {
                st[t][r] = n.stallCycles(t, r);
            }
        }
        long cycles = n.finishCycle();
        return new NodeResult(cycles, busy, lanes, f, st, n.sramLoadBytes(), n.sramStoreBytes(), n.routerReadBytes(),
                n.routerWriteBytes(), n.portStallCycles(), busiest(busy, lanes, cycles));
    }

    static String busiest(long[] busy, int[] lanes, long cycles) {
        int best = D1Node.R_MATRIX;
        double u = -1;
        for (int r = 0; r < busy.length; r++) {
            double v = cycles == 0 ? 0 : (double) busy[r] / ((double) lanes[r] * cycles);
            if (v > u + 1e-12) {
                u = v;
                best = r;
            }
        }
        return D1Node.RESOURCE_NAMES[best];
    }

    /** @return utilization of a resource: work / (lanes x cycles) */
    public double utilization(int resource) {
        return cycles == 0 ? 0 : (double) busyCycles[resource] / ((double) lanes[resource] * cycles);
    }

    /** @return FLOPs of all types */
    public long totalFlops() {
        long s = 0;
        for (long v : flops) s += v;
        return s;
    }
}
