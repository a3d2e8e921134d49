package io.dojosim.pod.step;

import io.dojosim.pod.energy.EnergyBlock;
import io.dojosim.workload.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Power over the run as a piecewise-constant track, and its peak, for the system, a tile and a
 * chip (docs/model/energy.md#power). The energy model gives each class of activity its energy for
 * the step; the executor's timeline of the representative replica gives when each kind of work
 * runs. Each level's power at time t is its static power plus, for each kind running at t, that
 * kind's dynamic energy divided by the time the kind runs:
 *
 * <pre>
 *   kind           dynamic energy (system; a tile and a chip take their share, below)
 *   compute        matrix + SIMD + SRAM               (node level less its static part)
 *   communication  every link level's bytes            (network class)
 *   memory         HBM bytes                           (hbm class)
 *
 *   P_level(t) = static_level + sum over kinds k running at t of E_level,k / busy_k
 *   system: every level, with the delivery overhead  = the trace's "power (W)" counter track
 *   tile:   node, chip and tile levels / tiles, with the overhead (memory: none, HBM is off the tile)
 *   chip:   node and chip levels at the pins (no overhead); static / alive chips, dynamic / the plan's chips
 * </pre>
 *
 * Each track integrates to its level's energy (the chip's to the plan chips' share), so its peak is
 * at least its average. Replicas run in step, so the representative's timeline stands for all.
 *
 * <p>Caveats: within a kind's busy time its power is flat (the executor keeps no per-operation
 * energy), so the peak is that of the mix of kinds running at once, not of a single operation.
 */
public final class PowerProfile {
    /** Kinds with dynamic energy, in the order of the track's series after "static". */
    private static final StepExecutor.Kind[] KINDS = {StepExecutor.Kind.COMPUTE, StepExecutor.Kind.COMMUNICATION, StepExecutor.Kind.MEMORY};
    /** Names of a sample's series. */
    public static final String[] SERIES = {"static", "compute", "communication", "memory"};

    /** Records the busy intervals of compute, communication and memory, forwarding every operation to another sink. */
    public static final class Recorder implements StepExecutor.TimelineSink {
        private final StepExecutor.TimelineSink next;
        @SuppressWarnings("unchecked")
        private final List<long[]>[] intervals = new List[KINDS.length];
        private long endPs;

        public Recorder(StepExecutor.TimelineSink next) {
            this.next = next;
            for (int k = 0; k < intervals.length; k++) intervals[k] = new ArrayList<>();
        }

        @Override
        public void operation(Operation op, StepExecutor.Kind kind, long startPs, long endPs) {
            record(kind, startPs, endPs);
            next.operation(op, kind, startPs, endPs);
        }

        @Override
        public void operation(Operation op, StepExecutor.Kind kind, int stage, long startPs, long endPs) {
            record(kind, startPs, endPs);
            next.operation(op, kind, stage, startPs, endPs);
        }

        private void record(StepExecutor.Kind kind, long startPs, long endPs) {
            for (int k = 0; k < KINDS.length; k++) {
                if (KINDS[k] == kind) intervals[k].add(new long[] {startPs, endPs});
            }
            this.endPs = Math.max(this.endPs, endPs);
        }

        /** @return the profile of what was recorded */
        public PowerProfile profile() {
            @SuppressWarnings("unchecked")
            List<long[]>[] u = new List[KINDS.length];
            for (int k = 0; k < KINDS.length; k++) u[k] = union(intervals[k]);
            return new PowerProfile(u, endPs);
        }
    }

    /** One level's track: the power of each series from {@code timesPs[i]} to the next time (or the run's end). */
    public record Track(long[] timesPs, double[][] watts, double peakWatts, double averageWatts) {
        /** @return the total power of sample i */
        public double total(int i) {
            double s = 0;
            for (double w : watts[i]) s += w;
            return s;
        }
    }

    private final List<long[]>[] busy; // per kind, disjoint sorted intervals
    private final long endPs;

    private PowerProfile(List<long[]>[] busy, long endPs) {
        this.busy = busy;
        this.endPs = endPs;
    }

    /** @return the run's length on the timeline (the end of its last operation) */
    public long endPs() {
        return endPs;
    }

    /** @return time each kind runs (compute, communication, memory), picoseconds */
    public long[] busyPs() {
        long[] b = new long[KINDS.length];
        for (int k = 0; k < KINDS.length; k++) {
            for (long[] iv : busy[k]) b[k] += iv[1] - iv[0];
        }
        return b;
    }

    /**
     * @param staticWatts  the level's static power
     * @param joules       per kind (compute, communication, memory), the level's dynamic energy over the whole timeline
     * @return the track: at every start and end of a kind's busy interval, each series' power
     */
    public Track track(double staticWatts, double[] joules) {
        long[] b = busyPs();
        double[] on = new double[KINDS.length];
        for (int k = 0; k < KINDS.length; k++) on[k] = b[k] > 0 ? joules[k] / (b[k] / 1e12) : 0;
        TreeSet<Long> cuts = new TreeSet<>();
        cuts.add(0L);
        for (List<long[]> u : busy) {
            for (long[] iv : u) {
                cuts.add(iv[0]);
                cuts.add(iv[1]);
            }
        }
        long[] times = new long[cuts.size()];
        double[][] watts = new double[cuts.size()][];
        int[] at = new int[KINDS.length];
        int i = 0;
        double peak = 0;
        double energy = 0;
        for (long t : cuts) {
            double[] v = new double[SERIES.length];
            v[0] = staticWatts;
            for (int k = 0; k < KINDS.length; k++) {
                List<long[]> u = busy[k];
                while (at[k] < u.size() && u.get(at[k])[1] <= t) at[k]++;
                v[k + 1] = at[k] < u.size() && u.get(at[k])[0] <= t ? on[k] : 0;
            }
            times[i] = t;
            watts[i] = v;
            double total = v[0] + v[1] + v[2] + v[3];
            peak = Math.max(peak, total);
            i++;
        }
        for (int j = 0; j < times.length; j++) {
            long end = j + 1 < times.length ? times[j + 1] : Math.max(endPs, times[j]);
            double s = 0;
            for (double w : watts[j]) s += w;
            energy += s * (end - times[j]) / 1e12;
        }
        return new Track(times, watts, peak, endPs > 0 ? energy / (endPs / 1e12) : staticWatts);
    }

    /**
     * The system's track (the trace's "power (W)" counter track): every level's static power and
     * each class's dynamic energy, with the delivery overhead.
     *
     * @param energy the summary's {@code energy} block of one step
     * @param steps  steps on the timeline
     */
    public Track system(EnergyBlock energy, int steps) {
        Map<String, Double> byClass = energy.byClass();
        double joules = energy.joulesPerStep();
        double delivery = num(byClass.get("delivery"));
        double overhead = joules > delivery ? joules / (joules - delivery) : 1.0;
        double idleAll = 0;
        for (Double v : energy.staticWattsByLevel().values()) idleAll += num(v);
        double computeJ = num(byClass.get("matrix")) + num(byClass.get("simd")) + num(byClass.get("sram"));
        return track(idleAll * overhead, new double[] {computeJ * overhead * steps, num(byClass.get("network")) * overhead * steps,
                num(byClass.get("hbm")) * overhead * steps});
    }

    /**
     * The three levels' tracks from the summary's {@code energy} block of one step.
     *
     * @param energy     the block ({@code joulesPerStep}, {@code byLevel}, {@code byClass}, {@code staticWattsByLevel})
     * @param stepSeconds the step time the block's static energies were computed over
     * @param steps      steps on the timeline (the energies are per step)
     * @param tiles      tiles of the system
     * @param aliveChips alive chips
     * @param planChips  chips the plan computes on (replicas x chips per replica)
     * @return system, tile and chip tracks, in that order
     */
    public Track[] levels(EnergyBlock energy, double stepSeconds, int steps, int tiles, int aliveChips, int planChips) {
        Map<String, Double> byLevel = energy.byLevel();
        Map<String, Double> byClass = energy.byClass();
        Map<String, Double> idle = energy.staticWattsByLevel();
        double joules = energy.joulesPerStep();
        double delivery = num(byClass.get("delivery"));
        double overhead = joules > delivery ? joules / (joules - delivery) : 1.0;
        double t = stepSeconds;
        Track system = system(energy, steps);
        // dynamic energy of the node, chip and tile levels: the level less its static power x step time
        double nodeDyn = num(byLevel.get("node")) - num(idle.get("node")) * t;
        double chipDyn = num(byLevel.get("chip")) - num(idle.get("chip")) * t;
        double tileDyn = num(byLevel.get("tile")) - num(idle.get("tile")) * t;
        int tl = Math.max(1, tiles);
        Track tile = track((num(idle.get("node")) + num(idle.get("chip")) + num(idle.get("tile"))) * overhead / tl,
                new double[] {nodeDyn * overhead * steps / tl, (chipDyn + tileDyn) * overhead * steps / tl, 0});
        int pc = Math.max(1, planChips);
        Track chip = track((num(idle.get("node")) + num(idle.get("chip"))) / Math.max(1, aliveChips),
                new double[] {nodeDyn * steps / pc, chipDyn * steps / pc, 0});
        return new Track[] {system, tile, chip};
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0.0;
    }

    private static List<long[]> union(List<long[]> in) {
        List<long[]> s = new ArrayList<>(in);
        s.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<long[]> out = new ArrayList<>();
        for (long[] iv : s) {
            if (iv[1] <= iv[0]) continue;
            if (!out.isEmpty() && iv[0] <= out.get(out.size() - 1)[1]) {
                long[] last = out.get(out.size() - 1);
                last[1] = Math.max(last[1], iv[1]);
            } else {
                out.add(new long[] {iv[0], iv[1]});
            }
        }
        return out;
    }
}
