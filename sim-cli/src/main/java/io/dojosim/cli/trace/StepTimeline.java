package io.dojosim.cli.trace;

import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.step.TimelinePlacement;
import io.dojosim.workload.Operation;
import java.util.Locale;

/**
 * Feeds the training-step executor's operations into a trace. Once the runner says where the
 * work runs ({@link #placement}), the trace has a track per tile and, inside it, a track per chip
 * of the tile ("tile[0].chip[1,2] (replica 3, stage 1)", "(idle)" for a chip the plan leaves
 * out); each chip shows the operations of its pipeline stage on thread lanes by class of work
 * (compute, communication, memory, host, marker), split into as many lanes as overlapping
 * operations need ({@link LaneAllocator}). Without a placement (a caller feeding operations by
 * hand) everything goes on one process lane, {@code processName}, with lanes per class and stage.
 * Each event is named after the operation, its category is the operation type, and its argument
 * is the FLOPs of a compute operation or the bytes of the others. Each send starts a flow that
 * ends on the first operation reported that depends on it (an explicit receive, or the receiving
 * pipeline stage's work), so the trace draws an arrow from each send to its receive.
 *
 * <p>{@link #finish} adds counter tracks that are a history measured over the step, sampled in
 * {@link #HISTORY_BINS} equal intervals from the operations themselves: per chip, the share of
 * each interval its stage computes; per tile, the mean of that over its alive chips; for the
 * system, the communication and HBM bytes the replica moves per second (each operation's bytes
 * spread over its duration), the link-level and HBM utilization (the level's mean from the
 * summary, shaped by that byte history), and the power (docs/model/energy.md).
 *
 * <pre>
 *   try (TimelineWriter t = TimelineWriter.open(traceFile, TraceWriter.DEFAULT_MAX_EVENTS)) {
 *       StepTimeline tl = new StepTimeline(t, "replica[0]");
 *       Map&lt;String, Object&gt; summary = StepRunner.run(config, workload, tl).summary();
 *       tl.finish(summary);
 *   }
 * </pre>
 *
 * <p>Caveats: replicas are folded (they all run the timed replica's schedule), so a chip's
 * operations are its stage's in the timed replica. The replicas that start on the first tile
 * get every operation on each of their chips; a chip of another replica (a system of many
 * tiles) gets one slice spanning the step that names its replica and stage, and its tile's
 * counter, which keeps an ExaPOD trace to about one tile's worth of slices. The executor does not
 * say which link level an operation's bytes cross, so every level's utilization has the shape of
 * the replica's total communication bytes; its time average is the summary's figure.
 */
public final class StepTimeline implements StepExecutor.TimelineSink {
    /** Intervals of the step the counter histories are sampled in. */
    public static final int HISTORY_BINS = 500;

    private final TimelineWriter writer;
    private final String processName;
    private int pid;
    private LaneAllocator lanes;

    private TimelinePlacement placement;
    /** Per global chip index: its track's process id (0: dead chip). */
    private int[] chipPid;
    /** Per stage: one lane allocator whose lanes every chip of the stage repeats. */
    private LaneAllocator[] stageLanes;
    /** Replicas drawn operation by operation (their first chip is on the first tile). */
    private int detailedReplicas;
    /** Per tile: its track's process id. */
    private int[] tilePid;
    private long slices;

    public StepTimeline(TimelineWriter writer, String processName) {
        this.writer = writer;
        this.processName = processName;
    }

    private void legacyLanes() {
        if (lanes == null) {
            pid = writer.process(processName);
            lanes = new LaneAllocator(writer, pid);
        }
    }

    /** Declares a track per tile and, under it, per chip, named after what the plan gives the chip. */
    @Override
    public void placement(TimelinePlacement p) {
        if (placement != null) return; // a power-capped run runs the step again: the first placement stays
        placement = p;
        int chips = p.chips();
        int tiles = 0;
        for (int c = 0; c < chips; c++) tiles = Math.max(tiles, p.tileOf()[c] + 1);
        int[] replicaOf = new int[chips];
        int[] stageOf = new int[chips];
        java.util.Arrays.fill(replicaOf, -1);
        for (int r = 0; r < p.dataParallel(); r++) {
            for (int s = 0; s < p.stages(); s++) {
                for (int j = 0; j < p.stageChips(); j++) {
                    replicaOf[p.chipOf(r, s, j)] = r;
                    stageOf[p.chipOf(r, s, j)] = s;
                }
            }
        }
        int firstTile = p.tileOf()[p.chipOf(0, 0, 0)];
        detailedReplicas = 1;
        while (detailedReplicas < p.dataParallel() && p.tileOf()[p.chipOf(detailedReplicas, 0, 0)] == firstTile) detailedReplicas++;
        tilePid = new int[tiles];
        chipPid = new int[chips];
        for (int t = 0; t < tiles; t++) {
            tilePid[t] = writer.process("tile[" + t + "]");
            for (int c = 0; c < chips; c++) {
                if (p.tileOf()[c] != t || !p.alive()[c]) continue;
                String role = replicaOf[c] < 0 ? "idle" : "replica " + replicaOf[c] + (p.stages() > 1 ? ", stage " + stageOf[c] : "");
                chipPid[c] = writer.process("tile[" + t + "].chip[" + p.chipX()[c] + "," + p.chipY()[c] + "] (" + role + ")", tilePid[t]);
            }
        }
        stageLanes = new LaneAllocator[p.stages()];
        for (int s = 0; s < stageLanes.length; s++) stageLanes[s] = new LaneAllocator(writer, 0);
    }

    @Override
    public void operation(Operation op, StepExecutor.Kind kind, long startPs, long endPs) {
        operation(op, kind, -1, startPs, endPs);
    }

    /** A pipelined replica gets lanes per stage ("compute s3"), so the schedule and its bubble show as a pipeline diagram. */
    @Override
    public void operation(Operation op, StepExecutor.Kind kind, int stage, long startPs, long endPs) {
        String kindName = kind.name().toLowerCase(Locale.ROOT);
        long flops = op.flops();
        String argName = flops > 0 ? "flops" : "bytes";
        long arg = flops > 0 ? flops : op.bytes();
        String cat = op.type().name().toLowerCase(Locale.ROOT);
        int replicas = placement == null ? 1 : detailedReplicas;
        long[] flowOut = new long[replicas];
        if (op.type() == io.dojosim.workload.OpType.SEND) {
            for (int r = 0; r < replicas; r++) {
                flowOut[r] = ++flowsStarted;
                openFlows.put(flowKey(op.id(), r), flowOut[r]);
            }
        }
        long[][] flowIn = new long[replicas][];
        for (int r = 0; r < replicas; r++) {
            flowIn[r] = TimelineWriter.NO_FLOWS;
            for (long d : op.deps()) {
                Long f = openFlows.remove(flowKey(d, r));
                if (f != null) {
                    flowIn[r] = java.util.Arrays.copyOf(flowIn[r], flowIn[r].length + 1);
                    flowIn[r][flowIn[r].length - 1] = f;
                    flowsEnded++;
                }
            }
        }
        long durPs = Math.max(0, endPs - startPs);
        if (placement == null) {
            legacyLanes();
            int tid = lanes.place(kindName + (stage >= 0 ? " s" + stage : ""), startPs, endPs);
            writer.complete(pid, tid, op.name(), cat, startPs, durPs, argName, arg, flowOut[0], flowIn[0]);
            slices++;
        } else {
            int s = Math.max(0, Math.min(stage, placement.stages() - 1));
            String lane = LaneAllocator.laneName(kindName, stageLanes[s].slot(kindName, startPs, endPs));
            for (int r = 0; r < replicas; r++) {
                for (int j = 0; j < placement.stageChips(); j++) {
                    int cp = chipPid[placement.chipOf(r, s, j)];
                    writer.complete(cp, writer.thread(cp, lane), op.name(), cat, startPs, durPs, argName, arg,
                            j == 0 ? flowOut[r] : 0, j == 0 ? flowIn[r] : TimelineWriter.NO_FLOWS);
                    slices++;
                }
            }
        }
        if (kind == StepExecutor.Kind.COMPUTE || kind == StepExecutor.Kind.COMMUNICATION || kind == StepExecutor.Kind.MEMORY) {
            intervals[kind.ordinal()].add(new long[] {startPs, endPs});
            if (kind == StepExecutor.Kind.COMPUTE) {
                stageCompute.computeIfAbsent(Math.max(0, stage), k -> new java.util.ArrayList<>()).add(new long[] {startPs, endPs});
            } else {
                moved[kind.ordinal()].add(new long[] {startPs, endPs, op.bytes()});
            }
        }
        power.operation(op, kind, stage, startPs, endPs);
        lastEndPs = Math.max(lastEndPs, endPs);
    }

    private static long flowKey(long opId, int replica) {
        return opId * 4096 + replica;
    }

    /** Per stage (0 when not pipelined): its compute spans. */
    private final java.util.Map<Integer, java.util.List<long[]>> stageCompute = new java.util.TreeMap<>();
    /** Per kind: {start, end, bytes} of its communication or memory operations. */
    @SuppressWarnings("unchecked")
    private final java.util.List<long[]>[] moved = new java.util.List[StepExecutor.Kind.values().length];

    {
        for (int k = 0; k < moved.length; k++) moved[k] = new java.util.ArrayList<>();
    }

    /** @return slices written (operations times the chips that show them, plus one per folded chip after {@link #finish}) */
    public long slices() {
        return slices;
    }

    /** @return the replicas drawn operation by operation (0 before {@link #placement}) */
    public int detailedReplicas() {
        return placement == null ? 0 : detailedReplicas;
    }

    /**
     * Ends the timeline: a slice per chip of a replica not drawn in detail, the measured counter
     * histories and the power track.
     *
     * @return the counter events written
     */
    public int finish(io.dojosim.pod.step.StepSummary summary, java.util.Map<String, Object> tree) {
        int n = 0;
        if (placement != null && lastEndPs > 0) {
            for (int r = detailedReplicas; r < placement.dataParallel(); r++) {
                for (int s = 0; s < placement.stages(); s++) {
                    for (int j = 0; j < placement.stageChips(); j++) {
                        int cp = chipPid[placement.chipOf(r, s, j)];
                        writer.complete(cp, writer.thread(cp, "folded"), "stage " + s + " of replica 0's schedule", "folded", 0, lastEndPs);
                        slices++;
                    }
                }
            }
            n += computeHistory();
        }
        n += utilizationTracks(tree);
        powerTrack(summary);
        return n;
    }

    /** @return per bin, the share of [bin start, bin end) covered by {@code spans} */
    private double[] busyHistory(java.util.List<long[]> spans) {
        long bin = binPs();
        double[] h = new double[HISTORY_BINS];
        for (long[] iv : union(spans)) {
            for (long t = iv[0]; t < iv[1]; ) {
                int b = (int) Math.min(HISTORY_BINS - 1, t / bin);
                long binEnd = b == HISTORY_BINS - 1 ? Long.MAX_VALUE : (b + 1) * bin;
                long e = Math.min(iv[1], binEnd);
                h[b] += e - t;
                t = e;
            }
        }
        for (int b = 0; b < HISTORY_BINS; b++) h[b] /= binLength(b);
        return h;
    }

    /** @return per bin, the bytes moved in it per second, each operation's bytes spread evenly over its duration */
    private double[] byteHistory(java.util.List<long[]> ops) {
        long bin = binPs();
        double[] h = new double[HISTORY_BINS];
        for (long[] o : ops) {
            if (o[2] <= 0) continue;
            if (o[1] <= o[0]) {
                h[(int) Math.min(HISTORY_BINS - 1, o[0] / bin)] += o[2];
                continue;
            }
            double perPs = (double) o[2] / (o[1] - o[0]);
            for (long t = o[0]; t < o[1]; ) {
                int b = (int) Math.min(HISTORY_BINS - 1, t / bin);
                long binEnd = b == HISTORY_BINS - 1 ? Long.MAX_VALUE : (b + 1) * bin;
                long e = Math.min(o[1], binEnd);
                h[b] += perPs * (e - t);
                t = e;
            }
        }
        for (int b = 0; b < HISTORY_BINS; b++) h[b] = h[b] / (binLength(b) / 1e12);
        return h;
    }

    private long binPs() {
        return Math.max(1, (lastEndPs + HISTORY_BINS - 1) / HISTORY_BINS);
    }

    /** @return the length of bin {@code b} inside the timeline in ps (bins end at the timeline's end), at least 1 */
    private long binLength(int b) {
        return Math.max(1, binWeight(b));
    }

    /** Writes a counter at each bin where one of its series changes; @return events written */
    private int history(int track, String counter, String[] series, double[][] values) {
        int n = 0;
        double[] last = null;
        long bin = binPs();
        for (int b = 0; b < HISTORY_BINS; b++) {
            if (b * bin >= lastEndPs && b > 0) break;
            double[] v = new double[series.length];
            for (int i = 0; i < series.length; i++) v[i] = values[i][b];
            if (last == null || !java.util.Arrays.equals(v, last)) {
                writer.counter(track, counter, b * bin, series, v);
                n++;
                last = v;
            }
        }
        return n;
    }

    /** Per chip drawn in detail: "compute busy"; per tile: "compute busy (tile mean)". @return events written */
    private int computeHistory() {
        TimelinePlacement p = placement;
        double[][] stageBusy = new double[p.stages()][];
        for (int s = 0; s < p.stages(); s++) stageBusy[s] = busyHistory(stageCompute.getOrDefault(s, java.util.List.of()));
        int n = 0;
        for (int r = 0; r < detailedReplicas; r++) {
            for (int s = 0; s < p.stages(); s++) {
                for (int j = 0; j < p.stageChips(); j++) {
                    n += history(chipPid[p.chipOf(r, s, j)], "compute", new String[] {"busy"}, new double[][] {stageBusy[s]});
                }
            }
        }
        double[][] tileSum = new double[tilePid.length][HISTORY_BINS];
        int[] alive = new int[tilePid.length];
        for (int c = 0; c < p.chips(); c++) if (p.alive()[c]) alive[p.tileOf()[c]]++;
        for (int r = 0; r < p.dataParallel(); r++) {
            for (int s = 0; s < p.stages(); s++) {
                for (int j = 0; j < p.stageChips(); j++) {
                    double[] sum = tileSum[p.tileOf()[p.chipOf(r, s, j)]];
                    for (int b = 0; b < HISTORY_BINS; b++) sum[b] += stageBusy[s][b];
                }
            }
        }
        for (int t = 0; t < tilePid.length; t++) {
            for (int b = 0; b < HISTORY_BINS; b++) tileSum[t][b] /= Math.max(1, alive[t]);
            n += history(tilePid[t], "compute", new String[] {"busy (tile mean)"}, new double[][] {tileSum[t]});
        }
        return n;
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
     * Adds the counter tracks "communication bytes/s" and "HBM bytes/s" (the replica's bytes per
     * second in each interval of the step, measured from its operations), "link utilization" (one
     * series per link level) and "HBM utilization" on a process "utilization, system". A level's
     * utilization in an interval is the summary's mean for the level times the interval's bytes
     * per second over the step's mean bytes per second, so its time average over the timeline is
     * the summary's figure and its shape is the measured traffic (a level with a mean but no bytes
     * on the timeline is flat at its mean).
     *
     * @return the number of counter events written, 0 when the summary has no utilization block
     */
    public int utilizationTracks(java.util.Map<String, Object> summary) {
        if (!(summary.get("utilization") instanceof java.util.Map<?, ?> u) || lastEndPs <= 0) return 0;
        int track = writer.process("utilization, system");
        double[] comm = byteHistory(moved[StepExecutor.Kind.COMMUNICATION.ordinal()]);
        double[] hbm = byteHistory(moved[StepExecutor.Kind.MEMORY.ordinal()]);
        int n = history(track, "communication", new String[] {"bytes/s"}, new double[][] {comm});
        n += history(track, "HBM", new String[] {"bytes/s"}, new double[][] {hbm});
        double[][] links = new double[LINK_LEVELS.length][];
        for (int i = 0; i < links.length; i++) links[i] = shaped(num(u.get(LINK_LEVELS[i])), comm);
        n += history(track, "link utilization", LINK_LEVELS, links);
        n += history(track, "HBM utilization", new String[] {"dipHbm"}, new double[][] {shaped(num(u.get("dipHbm")), hbm)});
        return n;
    }

    /** @return per bin, {@code mean} times the bin's rate over the time-weighted mean rate (flat at {@code mean} when the rate is 0 throughout) */
    private double[] shaped(double mean, double[] rate) {
        double integral = 0;
        for (int b = 0; b < HISTORY_BINS; b++) integral += rate[b] * binWeight(b);
        double[] out = new double[HISTORY_BINS];
        for (int b = 0; b < HISTORY_BINS; b++) out[b] = integral > 0 ? mean * rate[b] * lastEndPs / integral : mean;
        return out;
    }

    /** @return the part of bin {@code b} inside the timeline, in ps */
    private long binWeight(int b) {
        long start = b * binPs();
        if (start >= lastEndPs) return 0;
        return Math.min((b + 1) * binPs(), lastEndPs) - start;
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
