package io.dojosim.cli.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a timeline as a native Perfetto trace ({@code .pftrace}): a protobuf {@code Trace} of
 * {@code TracePacket}s, streamed to disk as spans arrive, with no event cap. Encoded by hand from
 * Perfetto's published schema (protos/perfetto/trace/trace_packet.proto, track_event/*.proto); no
 * protobuf library.
 *
 * <pre>
 *   Trace        { repeated TracePacket packet = 1; }
 *   TracePacket  { timestamp = 8; trusted_packet_sequence_id = 10; track_event = 11;
 *                  interned_data = 12; sequence_flags = 13; track_descriptor = 60; }
 *   TrackDescriptor { uuid = 1; name = 2; parent_uuid = 5; counter = 8 (CounterDescriptor, empty); }
 *   TrackEvent   { category_iids = 3; debug_annotations = 4; type = 9 (1 begin, 2 end, 4 counter);
 *                  name_iid = 10; track_uuid = 11; double_counter_value = 44;
 *                  flow_ids = 47 (fixed64); terminating_flow_ids = 48 (fixed64) }
 *   InternedData { event_categories = 1; event_names = 2; debug_annotation_names = 3 }  (iid = 1, name = 2)
 *   DebugAnnotation { name_iid = 1; int_value = 4; }
 * </pre>
 *
 * <p>A process lane is a track, a thread lane a child track of it; a span is a SLICE_BEGIN and a
 * SLICE_END on its lane's track. Event names, categories and argument names are interned: each is
 * sent once, in the packet that first uses it, and referred to by id after that.
 *
 * <p>Caveats: Perfetto timestamps are nanoseconds, so picosecond times are rounded to the nearest
 * nanosecond (a span shorter than 0.5 ns shows with no width). Counters (power, link and HBM
 * utilization) are one counter track per series. A flow starts on the begin event of its first
 * span ({@code flow_ids}) and ends on the begin event of its last ({@code terminating_flow_ids}). The file is written to a
 * temporary sibling and moved into place on {@link #close()}. Not thread-safe.
 */
public final class PerfettoWriter implements TimelineWriter {
    private static final int SEQUENCE = 1;
    private static final int SEQ_INCREMENTAL_STATE_CLEARED = 1;
    private static final int SEQ_NEEDS_INCREMENTAL_STATE = 2;
    private static final long ROOT_UUID = 1L << 32;

    private final Path file;
    private final Path tmp;
    private final OutputStream out;
    private final ProtoWire packet = new ProtoWire();
    private final ProtoWire nested = new ProtoWire();
    private final ProtoWire inner = new ProtoWire();
    private final ProtoWire interned = new ProtoWire();
    private final Map<String, Integer> processIds = new HashMap<>();
    private final List<Integer> threadPids = new ArrayList<>();
    private final Map<String, Integer> threadIds = new HashMap<>();
    private final Map<String, Long> names = new HashMap<>();
    private final Map<String, Long> categories = new HashMap<>();
    private final Map<String, Long> argNames = new HashMap<>();
    private final Map<String, Long> counterTracks = new HashMap<>();
    private final Map<String, Object> metadata = new java.util.TreeMap<>();
    private long recorded;
    private long tracks;
    private long flows;
    private boolean closed;

    private PerfettoWriter(Path file) throws IOException {
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        this.tmp = file.resolveSibling(file.getFileName() + ".tmp");
        this.out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        packet.clear();
        packet.uint(10, SEQUENCE);
        packet.uint(13, SEQ_INCREMENTAL_STATE_CLEARED);
        emit();
    }

    /** Opens a writer; the file appears complete when the writer is closed. */
    public static PerfettoWriter open(Path file) {
        try {
            return new PerfettoWriter(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int process(String processName) {
        Integer id = processIds.get(processName);
        if (id != null) return id;
        int pid = processIds.size() + 1;
        processIds.put(processName, pid);
        descriptor(ROOT_UUID + pid, processName, 0);
        return pid;
    }

    /** A process track nested under {@code parentProcessId}'s track (a chip under its tile). */
    @Override
    public int process(String processName, int parentProcessId) {
        Integer id = processIds.get(processName);
        if (id != null) return id;
        if (parentProcessId < 1 || parentProcessId > processIds.size()) {
            throw new IllegalArgumentException("process '" + processName + "': no parent process " + parentProcessId);
        }
        int pid = processIds.size() + 1;
        processIds.put(processName, pid);
        descriptor(ROOT_UUID + pid, processName, ROOT_UUID + parentProcessId);
        return pid;
    }

    @Override
    public int thread(int processId, String threadName) {
        String key = processId + "\u0000" + threadName;
        Integer id = threadIds.get(key);
        if (id != null) return id;
        if (processId < 1 || processId > processIds.size()) {
            throw new IllegalArgumentException("thread '" + threadName + "': no process " + processId);
        }
        threadPids.add(processId);
        int tid = threadPids.size();
        threadIds.put(key, tid);
        descriptor(threadUuid(tid), threadName, ROOT_UUID + processId);
        return tid;
    }

    private static long threadUuid(int tid) {
        return (2L << 32) + tid;
    }

    private void descriptor(long uuid, String name, long parent) {
        descriptor(uuid, name, parent, false);
    }

    private void descriptor(long uuid, String name, long parent, boolean counter) {
        nested.clear();
        nested.uint(1, uuid);
        nested.string(2, name);
        if (parent != 0) nested.uint(5, parent);
        if (counter) {
            inner.clear();
            nested.message(8, inner);
        }
        packet.clear();
        packet.uint(10, SEQUENCE);
        packet.message(60, nested);
        emit();
        tracks++;
    }

    @Override
    public void complete(int processId, int threadId, String eventName, String category, long startTimePs, long durationPs, String argName,
            long argumentValue, long flowOutId, long[] flowInIds) {
        if (closed) throw new IllegalStateException("trace " + file + " is closed");
        if (startTimePs < 0 || durationPs < 0) {
            throw new IllegalArgumentException("event '" + eventName + "': negative time (start " + startTimePs + " ps, duration " + durationPs + " ps)");
        }
        if (threadId < 1 || threadId > threadPids.size() || threadPids.get(threadId - 1) != processId) {
            throw new IllegalArgumentException("event '" + eventName + "': thread " + threadId + " is not a lane of process " + processId);
        }
        recorded++;
        interned.clear();
        long nameIid = iid(names, eventName, 2);
        long catIid = iid(categories, category == null ? "" : category, 1);
        long argIid = argName == null ? 0 : iid(argNames, argName, 3);
        long begin = (startTimePs + 500) / 1000;
        long end = (startTimePs + durationPs + 500) / 1000;
        // SLICE_BEGIN, carrying any names first used here
        nested.clear();
        nested.uint(3, catIid);
        if (argName != null) {
            inner.clear();
            inner.uint(1, argIid);
            inner.sint64AsInt(4, argumentValue);
            nested.message(4, inner);
        }
        nested.uint(9, 1);
        nested.uint(10, nameIid);
        nested.uint(11, threadUuid(threadId));
        if (flowOutId != 0) {
            nested.fixed64(47, flowOutId);
            flows++;
        }
        for (long id : flowInIds) nested.fixed64(48, id);
        packet.clear();
        packet.uint(8, begin);
        packet.uint(10, SEQUENCE);
        packet.message(11, nested);
        if (interned.size() > 0) packet.message(12, interned);
        packet.uint(13, SEQ_NEEDS_INCREMENTAL_STATE);
        emit();
        // SLICE_END
        nested.clear();
        nested.uint(9, 2);
        nested.uint(11, threadUuid(threadId));
        packet.clear();
        packet.uint(8, end);
        packet.uint(10, SEQUENCE);
        packet.message(11, nested);
        packet.uint(13, SEQ_NEEDS_INCREMENTAL_STATE);
        emit();
    }

    @Override
    public void counter(int processId, String counterName, long timePs, String[] series, double[] values) {
        if (closed) throw new IllegalStateException("trace " + file + " is closed");
        if (processId < 1 || processId > processIds.size()) {
            throw new IllegalArgumentException("counter '" + counterName + "': no process " + processId);
        }
        for (int i = 0; i < series.length; i++) {
            String name = counterName + " " + series[i];
            String key = processId + "\u0000" + name;
            Long uuid = counterTracks.get(key);
            if (uuid == null) {
                uuid = (3L << 32) + counterTracks.size() + 1;
                counterTracks.put(key, uuid);
                descriptor(uuid, name, ROOT_UUID + processId, true);
            }
            nested.clear();
            nested.uint(9, 4);
            nested.uint(11, uuid);
            nested.fixedDouble(44, values[i]);
            packet.clear();
            packet.uint(8, (Math.max(0, timePs) + 500) / 1000);
            packet.uint(10, SEQUENCE);
            packet.message(11, nested);
            packet.uint(13, SEQ_NEEDS_INCREMENTAL_STATE);
            emit();
        }
    }

    /** @return the interned id of {@code s}, adding its entry (field {@code field} of InternedData) when new */
    private long iid(Map<String, Long> table, String s, int field) {
        Long id = table.get(s);
        if (id != null) return id;
        long n = table.size() + 1;
        table.put(s, n);
        inner.clear();
        inner.uint(1, n);
        inner.string(2, s);
        interned.message(field, inner);
        return n;
    }

    private void emit() {
        try {
            ProtoWire.writeField(out, 1, packet);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void metadata(String key, Object value) {
        metadata.put(key, value);
    }

    @Override
    public long eventsRecorded() {
        return recorded;
    }

    /** @return the track descriptors written (process and thread lanes) */
    public long tracks() {
        return tracks;
    }

    /** @return the flows started (slices carrying a {@code flow_ids} entry) */
    public long flows() {
        return flows;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            out.close();
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace " + file + ": " + e.getMessage(), e);
        }
    }
}
