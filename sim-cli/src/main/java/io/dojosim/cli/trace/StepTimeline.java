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
    }
}
