package io.dojosim.cli.trace;

import io.dojosim.pod.step.StepExecutor;
import io.dojosim.workload.Operation;
import java.util.Locale;

/**
 * Feeds the training-step executor's operations into a trace: one process lane for the replica
 * the executor times, and thread lanes by class of work (compute, communication, memory, host,
 * marker), split into as many lanes as overlapping operations need ({@link LaneAllocator}).
 * Each event is named after the operation, its category is the operation type, and its argument
 * is the FLOPs of a compute operation or the bytes of the others. Each send starts a flow that
 * ends on the first operation reported that depends on it (an explicit receive, or the receiving
 * pipeline stage's work), so the trace draws an arrow from each send to its receive.
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
        long flowOut = 0;
        if (op.type() == io.dojosim.workload.OpType.SEND) {
            flowOut = ++flowsStarted;
            openFlows.put(op.id(), flowOut);
        }
        long[] flowIn = TimelineWriter.NO_FLOWS;
        for (long d : op.deps()) {
            Long f = openFlows.remove(d);
            if (f != null) {
                flowIn = java.util.Arrays.copyOf(flowIn, flowIn.length + 1);
                flowIn[flowIn.length - 1] = f;
                flowsEnded++;
            }
        }
        writer.complete(pid, tid, op.name(), op.type().name().toLowerCase(Locale.ROOT), startPs, Math.max(0, endPs - startPs),
                flops > 0 ? "flops" : "bytes", flops > 0 ? flops : op.bytes(), flowOut, flowIn);
        if (kind == StepExecutor.Kind.COMPUTE || kind == StepExecutor.Kind.COMMUNICATION || kind == StepExecutor.Kind.MEMORY) {
            intervals[kind.ordinal()].add(new long[] {startPs, endPs});
        }
        power.operation(op, kind, stage, startPs, endPs);
        lastEndPs = Math.max(lastEndPs, endPs);
    }

    private long lastEndPs;
    /** The busy intervals the power track is computed from, as the step runner computes the summary's peak power. */
    private final io.dojosim.pod.step.PowerProfile.Recorder power = new io.dojosim.pod.step.PowerProfile.Recorder(StepExecutor.TimelineSink.NONE);
    /** Sends whose flow has not ended yet, by operation id, with their flow id. */
    private final java.util.Map<Long, Long> openFlows = new java.util.HashMap<>();
    private long flowsStarted;
    private long flowsEnded;

    /** @return flows started: one per send operation on the timeline */
    public long flowsStarted() {
        return flowsStarted;
    }

    /** @return flows ended: sends whose first dependent operation (its receive, or the receiving stage's work) is on the timeline */
    public long flowsEnded() {
        return flowsEnded;
    }

    /** Link levels of the summary's {@code utilization} block, in the order of the trace's series. */
    public static final String[] LINK_LEVELS = {"meshLinks", "dieToDie", "tileToTile", "dipLinks", "ethernet"};

    /**
     * Adds the counter tracks "link utilization" (one series per link level) and "HBM
     * utilization" from the summary's {@code utilization} block, on a process "utilization,
     * system". The run reports each level's mean over the run, not its history, so each mean is
     * spread over the time its kind of work runs on the replica's timeline (links: communication;
     * HBM: memory; the whole timeline when that kind never runs): the value while it runs is the
     * mean times the timeline's length over that busy time, so the counter's time average over
     * the timeline is the summary's figure.
     *
     * @return the number of counter events written, 0 when the summary has no utilization block
     */
    public int utilizationTracks(java.util.Map<String, Object> summary) {
        if (!(summary.get("utilization") instanceof java.util.Map<?, ?> u) || lastEndPs <= 0) return 0;
        int track = writer.process("utilization, system");
        double[] links = new double[LINK_LEVELS.length];
        for (int i = 0; i < links.length; i++) links[i] = num(u.get(LINK_LEVELS[i]));
        int n = spread(track, "link utilization", LINK_LEVELS, links, union(intervals[StepExecutor.Kind.COMMUNICATION.ordinal()]));
        n += spread(track, "HBM utilization", new String[] {"dipHbm"}, new double[] {num(u.get("dipHbm"))},
                union(intervals[StepExecutor.Kind.MEMORY.ordinal()]));
        return n;
    }

    /** Writes {@code means} as a counter that holds {@code mean * length / busy} inside {@code busy} intervals and 0 outside. */
    private int spread(int track, String counter, String[] series, double[] means, java.util.List<long[]> busy) {
        long busyPs = 0;
        for (long[] iv : busy) busyPs += iv[1] - iv[0];
        if (busyPs == 0) busy = java.util.List.of(new long[] {0, lastEndPs});
        busyPs = Math.max(1, busyPs == 0 ? lastEndPs : busyPs);
        double scale = (double) lastEndPs / busyPs;
        double[] on = new double[series.length];
        double[] off = new double[series.length];
        for (int i = 0; i < series.length; i++) on[i] = means[i] * scale;
        int n = 0;
        for (long[] iv : busy) {
            if (n == 0 && iv[0] > 0) {
                writer.counter(track, counter, 0, series, off);
                n++;
            }
            writer.counter(track, counter, iv[0], series, on);
            writer.counter(track, counter, iv[1], series, off);
            n += 2;
        }
        return n;
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
     * timeline stands for the system's. The track is {@link io.dojosim.pod.step.PowerProfile#system},
     * whose peak the step runner writes as summary.json's {@code energy.peakWatts.system}.
     *
     * @return the highest power of the track, or 0 when the summary has no energy block
     */
    public double powerTrack(io.dojosim.pod.step.StepSummary summary) {
        io.dojosim.pod.energy.EnergyBlock e = summary.energy();
        if (e == null) return 0;
        io.dojosim.pod.step.PowerProfile.Track t = power.profile().system(e, summary.steps());
        int track = writer.process("power (W), system");
        for (int i = 0; i < t.timesPs().length; i++) {
            writer.counter(track, "power (W)", t.timesPs()[i], io.dojosim.pod.step.PowerProfile.SERIES, t.watts()[i]);
        }
        writer.metadata("peakWatts", t.peakWatts());
        return t.peakWatts();
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
