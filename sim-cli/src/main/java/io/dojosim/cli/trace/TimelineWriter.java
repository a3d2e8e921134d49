package io.dojosim.cli.trace;

import java.io.Closeable;

/**
 * A timeline of a run being written: lanes (a process per tile, chip or replica, threads inside
 * it) and spans on them. Two formats: Chrome trace-event JSON ({@link TraceWriter}, capped and
 * sampled) and native Perfetto protobuf ({@link PerfettoWriter}, streamed, no cap); {@link #open}
 * picks by the file name.
 */
public interface TimelineWriter extends Closeable {
    /** @return a writer for {@code file}: Perfetto protobuf for {@code .pftrace} (or {@code .perfetto-trace}), else JSON */
    static TimelineWriter open(java.nio.file.Path file, int maxJsonEvents) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".pftrace") || n.endsWith(".perfetto-trace") ? PerfettoWriter.open(file) : TraceWriter.open(file, maxJsonEvents);
    }

    /** @return the id of the process lane of this name, declared on first use */
    int process(String processName);

    /**
     * @return the id of the process lane of this name drawn inside {@code parentProcessId} (a chip
     * inside its tile): Perfetto nests its track under the parent's; JSON has no nesting, so the
     * name should say where it is ("tile[0].chip[1,2]")
     */
    default int process(String processName, int parentProcessId) {
        return process(processName);
    }

    /** @return the id of the thread lane of this name inside the process, declared on first use */
    int thread(int processId, String threadName);

    /** Records a span with one numeric argument ({@code argName} null for none). */
    default void complete(int processId, int threadId, String eventName, String category, long startTimePs, long durationPs, String argName,
            long argumentValue) {
        complete(processId, threadId, eventName, category, startTimePs, durationPs, argName, argumentValue, 0, NO_FLOWS);
    }

    /** No flow ends at a span. */
    long[] NO_FLOWS = {};

    /**
     * Records a span that may start a flow (an arrow, for example from a send to its receive):
     * {@code flowOutId} starts at this span (0 for none), and each of {@code flowInIds} (ids
     * started by earlier spans) ends at it.
     */
    void complete(int processId, int threadId, String eventName, String category, long startTimePs, long durationPs, String argName,
            long argumentValue, long flowOutId, long[] flowInIds);

    /** Records a span. */
    default void complete(int processId, int threadId, String eventName, String category, long startTimePs, long durationPs) {
        complete(processId, threadId, eventName, category, startTimePs, durationPs, null, 0);
    }

    /**
     * Records the values of a counter's series from {@code timePs} on (for example the power
     * track of docs/model/energy.md); counters are few and never sampled.
     */
    void counter(int processId, String counterName, long timePs, String[] series, double[] values);

    /** Adds a key/value describing the whole trace. */
    void metadata(String key, Object value);

    /** @return how many spans were recorded (kept or not) */
    long eventsRecorded();

    @Override
    void close();
}
