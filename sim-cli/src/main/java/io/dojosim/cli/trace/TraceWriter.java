package io.dojosim.cli.trace;

import io.dojosim.cli.files.TextEscape;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a timeline of a run as a Chrome trace-event JSON file that opens in ui.perfetto.dev (and
 * chrome://tracing): a {@code traceEvents} array of complete events ({@code "ph":"X"}) with
 * {@code ts}/{@code dur} in microseconds, on lanes named by metadata events ({@code "ph":"M"}):
 * a <em>process</em> per tile or chip, a <em>thread</em> per node (or per link, or per collective).
 *
 * <pre>
 *   TraceWriter t = TraceWriter.open(file, 1_000_000);
 *   int chip = t.process("tile[0].chip[1,2]");          // a process lane
 *   int node = t.thread(chip, "node[3,4]");               // a thread lane inside it
 *   t.complete(chip, node, "matmul fc1", "compute", startPs, durationPs);
 *   t.close();                                            // writes the file atomically
 * </pre>
 *
 * <p>Sampling: the writer keeps at most {@code maxEvents} complete events. When more are recorded
 * it keeps every {@code stride}-th event by arrival order (stride 2, 4, 8, ... doubled as needed),
 * so the kept events are spread evenly over the whole run instead of being its first part. A
 * sampled trace says so three ways: {@code otherData.sampled = true} with the stride and the counts,
 * and a lane named {@code "dojosim: SAMPLED, 1 of every N events kept"} holding one instant event at
 * time 0, visible in the UI.
 *
 * <p>Determinism: the output depends only on the sequence of calls (ids are assigned in order of
 * declaration, times are written as exact decimals of picoseconds), so the same run writes the same
 * bytes.
 *
 * <p>Caveats: events are held in memory (about 40 bytes each, in primitive arrays, no allocation per
 * event) and written by {@link #flush()} and {@link #close()}; each writes the whole file again, to a
 * temporary sibling moved into place, so the file on disk is always a complete trace. Not
 * thread-safe: one writer per simulation thread, or synchronize outside.
 */
public final class TraceWriter implements TimelineWriter {
    /** A default cap that keeps a trace loadable in the browser (about 100 MB of JSON). */
    public static final int DEFAULT_MAX_EVENTS = 1_000_000;

    private final Path file;
    private final int maxEvents;

    private final List<String> processNames = new ArrayList<>();
    private final Map<String, Integer> processIds = new HashMap<>();
    private final List<String> threadNames = new ArrayList<>();
    private final List<Integer> threadPids = new ArrayList<>();
    private final Map<String, Integer> threadIds = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    private final Map<String, Integer> stringIds = new HashMap<>();
    private final Map<String, Object> otherData = new java.util.TreeMap<>();

    private int[] pid;
    private int[] tid;
    private int[] name;
    private int[] cat;
    private int[] argKey;
    private long[] argValue;
    private long[] startPs;
    private long[] durPs;
    private int kept;
    private long recorded;
    private long stride = 1;
    private boolean closed;

    private TraceWriter(Path file, int maxEvents) {
        this.file = file;
        this.maxEvents = maxEvents;
        int cap = Math.min(maxEvents, 1024);
        pid = new int[cap];
        tid = new int[cap];
        name = new int[cap];
        cat = new int[cap];
        argKey = new int[cap];
        argValue = new long[cap];
        startPs = new long[cap];
        durPs = new long[cap];
    }

    /**
     * @param file      where to write the trace (a {@code .json} file; written on flush and close)
     * @param maxEvents the most complete events to keep (at least 1); beyond it the trace is sampled
     * @return a writer with no lanes yet
     */
    public static TraceWriter open(Path file, int maxEvents) {
        if (file == null) {
            throw new IllegalArgumentException("trace file is null");
        }
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be >= 1, was " + maxEvents);
        }
        return new TraceWriter(file, maxEvents);
    }

    /**
     * Declares (or finds) a process lane, for example a tile or a chip. Lanes sort in the UI in
     * order of declaration.
     *
     * @return its pid (1, 2, ... in order of first declaration)
     */
    @Override
    public int process(String processName) {
        Integer id = processIds.get(processName);
        if (id != null) {
            return id;
        }
        processNames.add(processName);
        int p = processNames.size();
        processIds.put(processName, p);
        return p;
    }

    /**
     * Declares (or finds) a thread lane inside a process, for example a node of a chip.
     *
     * @return its tid, unique in the whole trace (1, 2, ... in order of first declaration)
     */
    @Override
    public int thread(int processId, String threadName) {
        checkPid(processId);
        String k = processId + "\u0000" + threadName;
        Integer id = threadIds.get(k);
        if (id != null) {
            return id;
        }
        threadNames.add(threadName);
        threadPids.add(processId);
        int t = threadNames.size();
        threadIds.put(k, t);
        return t;
    }

    /** Records a complete event (a span): {@code ph "X"} with start and duration in picoseconds. */
    public void complete(int processId, int threadId, String eventName, String category, long startTimePs, long durationPs) {
        complete(processId, threadId, eventName, category, startTimePs, durationPs, null, 0);
    }

    /**
     * Records a complete event with one numeric argument shown in the UI's details pane (for
     * example {@code "bytes"} or {@code "flops"}); {@code argName} null for none.
     */
    @Override
    public void complete(int processId, int threadId, String eventName, String category, long startTimePs, long durationPs,
                         String argName, long argumentValue) {
        complete(processId, threadId, eventName, category, startTimePs, durationPs, argName, argumentValue, 0, NO_FLOWS);
    }

    /**
     * Records a complete event that starts flow {@code flowOutId} (0 for none) and ends each of
     * {@code flowInIds}: {@code ph "s"} and {@code ph "f"} events at the span's start. A flow is
     * written only when both its spans are kept (a sampled trace drops the rest).
     */
    @Override
    public void complete(int processId, int threadId, String eventName, String category, long startTimePs, long durationPs,
                         String argName, long argumentValue, long flowOutId, long[] flowInIds) {
        if (closed) {
            throw new IllegalStateException("trace " + file + " is closed");
        }
        if (startTimePs < 0 || durationPs < 0) {
            throw new IllegalArgumentException("event '" + eventName + "': negative time (start " + startTimePs
                    + " ps, duration " + durationPs + " ps)");
        }
        checkPid(processId);
        if (threadId < 1 || threadId > threadNames.size() || threadPids.get(threadId - 1) != processId) {
            throw new IllegalArgumentException("event '" + eventName + "': thread " + threadId + " is not a lane of process " + processId);
        }
        long seq = recorded++;
        if (flowOutId != 0) flowEnds.add(new long[] {seq, flowOutId, 1, processId, threadId, startTimePs});
        for (long id : flowInIds) flowEnds.add(new long[] {seq, id, 0, processId, threadId, startTimePs});
        if (seq % stride != 0) {
            return;
        }
        if (kept == maxEvents) {
            halve();
            if (seq % stride != 0) {
                return;
            }
        }
        ensure(kept + 1);
        int i = kept++;
        pid[i] = processId;
        tid[i] = threadId;
        name[i] = intern(eventName);
        cat[i] = intern(category == null ? "" : category);
        argKey[i] = argName == null ? -1 : intern(argName);
        argValue[i] = argumentValue;
        startPs[i] = startTimePs;
        durPs[i] = durationPs;
    }

    private final List<String> counters = new ArrayList<>();
    /** Flow ends: {arrival index of the span, flow id, 1 start / 0 end, pid, tid, time in ps}. */
    private final List<long[]> flowEnds = new ArrayList<>();

    /**
     * Records a counter event ({@code ph "C"}): the values of a counter track's series from
     * {@code timePs} on (Perfetto stacks them). Counters are few (one per change of a track) and
     * never sampled.
     */
    public void counter(int processId, String counterName, long timePs, String[] series, double[] values) {
        if (closed) {
            throw new IllegalStateException("trace " + file + " is closed");
        }
        checkPid(processId);
        StringBuilder sb = new StringBuilder(120);
        sb.append("{\"name\": ");
        appendString(sb, counterName);
        sb.append(", \"ph\": \"C\", \"ts\": ");
        micros(sb, Math.max(0, timePs));
        sb.append(", \"pid\": ").append(processId).append(", \"args\": {");
        for (int i = 0; i < series.length; i++) {
            if (i > 0) sb.append(", ");
            appendString(sb, series[i]);
            sb.append(": ").append(String.format(java.util.Locale.ROOT, "%.6g", values[i]));
        }
        sb.append("}}");
        counters.add(sb.toString());
    }

    /** Adds a key to the trace's {@code otherData} (for example the config name or the seed). */
    @Override
    public void metadata(String key, Object value) {
        otherData.put(key, value);
    }

    /** @return complete events recorded so far (kept or not) */
    @Override
    public long eventsRecorded() {
        return recorded;
    }

    /** @return complete events kept for the file */
    public int eventsKept() {
        return kept;
    }

    /** @return 1 when every event is kept, else N where 1 of every N events is kept */
    public long samplingStride() {
        return stride;
    }

    /** Writes the file with every event kept so far (atomically); the writer stays open. */
    public void flush() {
        io.dojosim.cli.files.JsonFiles.write(file, this::write);
    }

    /** Writes the file and releases the events. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        pid = tid = name = cat = argKey = null;
        argValue = startPs = durPs = null;
    }

    private void checkPid(int processId) {
        if (processId < 1 || processId > processNames.size()) {
            throw new IllegalArgumentException("process " + processId + " was not declared with process(name)");
        }
    }

    /** Doubles the stride and keeps the events whose arrival index is a multiple of it. */
    private void halve() {
        stride *= 2;
        // Arrival index of kept event i is i * (stride / 2): every kept event was a multiple of the old stride.
        int j = 0;
        for (int i = 0; i < kept; i += 2) {
            pid[j] = pid[i];
            tid[j] = tid[i];
            name[j] = name[i];
            cat[j] = cat[i];
            argKey[j] = argKey[i];
            argValue[j] = argValue[i];
            startPs[j] = startPs[i];
            durPs[j] = durPs[i];
            j++;
        }
        kept = j;
    }

    private void ensure(int n) {
        if (n <= pid.length) {
            return;
        }
        int cap = (int) Math.min((long) maxEvents, Math.max(n, 2L * pid.length));
        pid = Arrays.copyOf(pid, cap);
        tid = Arrays.copyOf(tid, cap);
        name = Arrays.copyOf(name, cap);
        cat = Arrays.copyOf(cat, cap);
        argKey = Arrays.copyOf(argKey, cap);
        argValue = Arrays.copyOf(argValue, cap);
        startPs = Arrays.copyOf(startPs, cap);
        durPs = Arrays.copyOf(durPs, cap);
    }

    private int intern(String s) {
        Integer id = stringIds.get(s);
        if (id != null) {
            return id;
        }
        strings.add(s);
        int i = strings.size() - 1;
        stringIds.put(s, i);
        return i;
    }

    private void write(Writer w) throws IOException {
        boolean sampled = stride > 1;
        w.write("{\n\"displayTimeUnit\": \"ns\",\n\"otherData\": {");
        Map<String, Object> od = new java.util.TreeMap<>(otherData);
        od.put("generator", "dojosim");
        od.put("eventsRecorded", recorded);
        od.put("eventsWritten", (long) kept);
        od.put("sampled", sampled);
        od.put("samplingStride", stride);
        od.put("timeUnit", "ts and dur in microseconds, exact to the picosecond");
        if (sampled) {
            od.put("note", "sampled: 1 of every " + stride + " complete events kept (" + kept + " of " + recorded
                    + "), evenly by arrival order, because the trace is capped at " + maxEvents + " events");
        }
        boolean first = true;
        for (Map.Entry<String, Object> e : od.entrySet()) {
            w.write(first ? "\n  " : ",\n  ");
            first = false;
            string(w, e.getKey());
            w.write(": ");
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                w.write(v.toString());
            } else {
                string(w, String.valueOf(v));
            }
        }
        w.write("\n},\n\"traceEvents\": [\n");
        first = true;
        if (sampled) {
            int samplePid = processNames.size() + 1;
            first = meta(w, first, "process_name", samplePid, 0, "name",
                    "dojosim: SAMPLED, 1 of every " + stride + " events kept (" + kept + " of " + recorded + ")");
            first = meta(w, first, "process_sort_index", samplePid, 0, "sort_index", -1);
            w.write(",\n{\"name\": \"trace sampled: 1 of every " + stride + " events kept\", \"ph\": \"i\", \"s\": \"g\", \"ts\": 0, \"pid\": "
                    + samplePid + ", \"tid\": 0}");
        }
        for (int p = 1; p <= processNames.size(); p++) {
            first = meta(w, first, "process_name", p, 0, "name", processNames.get(p - 1));
            first = meta(w, first, "process_sort_index", p, 0, "sort_index", p);
        }
        for (int t = 1; t <= threadNames.size(); t++) {
            first = meta(w, first, "thread_name", threadPids.get(t - 1), t, "name", threadNames.get(t - 1));
            first = meta(w, first, "thread_sort_index", threadPids.get(t - 1), t, "sort_index", t);
        }
        StringBuilder sb = new StringBuilder(160);
        for (int i = 0; i < kept; i++) {
            sb.setLength(0);
            sb.append(first ? "" : ",\n");
            first = false;
            sb.append("{\"name\": ");
            appendString(sb, strings.get(name[i]));
            sb.append(", \"cat\": ");
            appendString(sb, strings.get(cat[i]));
            sb.append(", \"ph\": \"X\", \"ts\": ");
            micros(sb, startPs[i]);
            sb.append(", \"dur\": ");
            micros(sb, durPs[i]);
            sb.append(", \"pid\": ").append(pid[i]).append(", \"tid\": ").append(tid[i]);
            if (argKey[i] >= 0) {
                sb.append(", \"args\": {");
                appendString(sb, strings.get(argKey[i]));
                sb.append(": ").append(argValue[i]).append('}');
            }
            sb.append('}');
            w.append(sb);
        }
        java.util.Map<Long, Integer> endsKept = new java.util.HashMap<>();
        for (long[] f : flowEnds) {
            if (f[0] % stride == 0) endsKept.merge(f[1], f[2] == 1 ? 1 : 2, (a, b) -> a | b);
        }
        for (long[] f : flowEnds) {
            if (f[0] % stride != 0 || endsKept.get(f[1]) != 3) continue;
            sb.setLength(0);
            sb.append(first ? "" : ",\n");
            first = false;
            sb.append("{\"name\": \"flow\", \"cat\": \"flow\", \"ph\": \"").append(f[2] == 1 ? "s" : "f").append('"');
            if (f[2] == 0) sb.append(", \"bp\": \"e\"");
            sb.append(", \"id\": ").append(f[1]).append(", \"ts\": ");
            micros(sb, f[5]);
            sb.append(", \"pid\": ").append(f[3]).append(", \"tid\": ").append(f[4]).append('}');
            w.append(sb);
        }
        for (String c : counters) {
            w.write(first ? "" : ",\n");
            first = false;
            w.write(c);
        }
        w.write("\n]\n}\n");
    }

    private static boolean meta(Writer w, boolean first, String what, int p, int t, String argName, Object arg) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(first ? "" : ",\n").append("{\"name\": \"").append(what).append("\", \"ph\": \"M\", \"pid\": ").append(p)
                .append(", \"tid\": ").append(t).append(", \"args\": {\"").append(argName).append("\": ");
        if (arg instanceof Number) {
            sb.append(arg);
        } else {
            appendString(sb, arg.toString());
        }
        sb.append("}}");
        w.append(sb);
        return false;
    }

    /** Appends picoseconds as microseconds, exactly: 1234567 ps is {@code 1.234567}. */
    static void micros(StringBuilder sb, long ps) {
        sb.append(ps / 1_000_000);
        long frac = ps % 1_000_000;
        if (frac != 0) {
            sb.append('.');
            String f = Long.toString(frac);
            for (int k = f.length(); k < 6; k++) {
                sb.append('0');
            }
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append(f, 0, end);
        }
    }

    private static void string(Writer w, String s) throws IOException {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendString(sb, s);
        w.append(sb);
    }

    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        TextEscape.append(sb, s, TextEscape.JSON);
        sb.append('"');
    }
}
