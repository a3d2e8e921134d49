package io.dojosim.cli.trace;

import io.dojosim.pod.step.StepExecutor;
import io.dojosim.workload.Operation;
import java.util.Locale;

/**
 * Feeds the training-step executor's operations into a trace: one process lane for the replica
 * the executor times, and thread lanes by class of work (compute, communication, memory, host,
 * marker), split into as many lanes as overlapping operations need ({@link LaneAllocator}).
 * Each event is named after the operation, its category is the operation type, and its argument
 * is the FLOPs of a compute operation or the bytes of the others.
 *
 * <pre>
 *   try (TraceWriter t = TraceWriter.open(traceFile, TraceWriter.DEFAULT_MAX_EVENTS)) {
 *       StepRunner.run(config, workload, new StepTimeline(t, "replica[0]"));
 *   }
 * </pre>
 *
 * <p>Caveats: the executor reports operations of the critical replica as a whole, not per chip or
 * node; lanes per tile, chip and node come from callers that know where work runs (they use
 * {@link TraceWriter#process} and {@link TraceWriter#thread} directly).
 */
public final class StepTimeline implements StepExecutor.TimelineSink {
    private final TimelineWriter writer;
    private final int pid;
    private final LaneAllocator lanes;

    public StepTimeline(TimelineWriter writer, String processName) {
        this.writer = writer;
        this.pid = writer.process(processName);
        this.lanes = new LaneAllocator(writer, pid);
    }

    @Override
    public void operation(Operation op, StepExecutor.Kind kind, long startPs, long endPs) {
        operation(op, kind, -1, startPs, endPs);
    }

    /** A pipelined replica gets lanes per stage ("compute s3"), so the schedule and its bubble show as a pipeline diagram. */
    @Override
    public void operation(Operation op, StepExecutor.Kind kind, int stage, long startPs, long endPs) {
        String group = kind.name().toLowerCase(Locale.ROOT) + (stage >= 0 ? " s" + stage : "");
        int tid = lanes.place(group, startPs, endPs);
        long flops = op.flops();
        writer.complete(pid, tid, op.name(), op.type().name().toLowerCase(Locale.ROOT), startPs, Math.max(0, endPs - startPs),
                flops > 0 ? "flops" : "bytes", flops > 0 ? flops : op.bytes());
        if (kind == StepExecutor.Kind.COMPUTE || kind == StepExecutor.Kind.COMMUNICATION || kind == StepExecutor.Kind.MEMORY) {
            intervals[kind.ordinal()].add(new long[] {startPs, endPs});
        }
    }

    @SuppressWarnings("unchecked")
    private final java.util.List<long[]>[] intervals = new java.util.List[StepExecutor.Kind.values().length];

    {
        for (int k = 0; k < intervals.length; k++) intervals[k] = new java.util.ArrayList<>();
    }

    /**
     * Adds the counter track "power (W)" from the run's {@code energy} block (docs/model/energy.md):
     * static power all along, and each kind's dynamic energy (compute: matrix, SIMD and SRAM;
     * communication: network; memory: HBM) spread evenly over the time that kind runs on the
     * replica's timeline, all with the delivery overhead. Replicas run in step, so the replica's
     * timeline stands for the system's.
     *
     * @return the highest power of the track, or 0 when the summary has no energy block
     */
    public double powerTrack(java.util.Map<String, Object> summary) {
        if (!(summary.get("energy") instanceof java.util.Map<?, ?> e)) return 0;
        java.util.Map<?, ?> byClass = (java.util.Map<?, ?>) e.get("byClass");
        int steps = ((Number) summary.get("steps")).intValue();
        double joules = num(e.get("joulesPerStep"));
        double delivery = num(byClass.get("delivery"));
        double overhead = joules > delivery ? joules / (joules - delivery) : 1.0;
        double idle = 0;
        for (Object v : ((java.util.Map<?, ?>) e.get("staticWattsByLevel")).values()) idle += num(v) * overhead;
        StepExecutor.Kind[] kinds = {StepExecutor.Kind.COMPUTE, StepExecutor.Kind.COMMUNICATION, StepExecutor.Kind.MEMORY};
        double[] energy = {(num(byClass.get("matrix")) + num(byClass.get("simd")) + num(byClass.get("sram"))) * overhead * steps,
                num(byClass.get("network")) * overhead * steps, num(byClass.get("hbm")) * overhead * steps};
        java.util.List<long[]>[] unions = new java.util.List[kinds.length];
        double[] watts = new double[kinds.length];
        java.util.TreeSet<Long> cuts = new java.util.TreeSet<>();
        for (int k = 0; k < kinds.length; k++) {
            unions[k] = union(intervals[kinds[k].ordinal()]);
            long busy = 0;
            for (long[] iv : unions[k]) {
                busy += iv[1] - iv[0];
                cuts.add(iv[0]);
                cuts.add(iv[1]);
            }
            watts[k] = busy > 0 ? energy[k] / (busy / 1e12) : 0;
        }
        cuts.add(0L);
        int track = writer.process("power (W), system");
        String[] series = {"static", "compute", "communication", "memory"};
        double peak = 0;
        int[] at = new int[kinds.length];
        for (long t : cuts) {
            double[] v = new double[series.length];
            v[0] = idle;
            for (int k = 0; k < kinds.length; k++) {
                java.util.List<long[]> u = unions[k];
                while (at[k] < u.size() && u.get(at[k])[1] <= t) at[k]++;
                v[k + 1] = at[k] < u.size() && u.get(at[k])[0] <= t ? watts[k] : 0;
            }
            writer.counter(track, "power (W)", t, series, v);
            peak = Math.max(peak, v[0] + v[1] + v[2] + v[3]);
        }
        writer.metadata("peakWatts", peak);
        return peak;
    }

    private static java.util.List<long[]> union(java.util.List<long[]> in) {
        java.util.List<long[]> s = new java.util.ArrayList<>(in);
        s.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        java.util.List<long[]> out = new java.util.ArrayList<>();
        for (long[] iv : s) {
            if (iv[1] <= iv[0]) continue;
            if (!out.isEmpty() && iv[0] <= out.get(out.size() - 1)[1]) {
                out.get(out.size() - 1)[1] = Math.max(out.get(out.size() - 1)[1], iv[1]);
            } else {
                out.add(new long[] {iv[0], iv[1]});
            }
        }
        return out;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0.0;
    }
}
