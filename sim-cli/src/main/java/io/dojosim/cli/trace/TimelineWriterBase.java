package io.dojosim.cli.trace;

import java.util.Map;
import java.util.TreeMap;

/**
 * What both timeline writers ({@link TraceWriter}, {@link PerfettoWriter}) keep the same way: the
 * trace's metadata, in key order, and the count of complete events recorded.
 */
abstract class TimelineWriterBase implements TimelineWriter {
    /** The keys {@link #metadata(String, Object)} added (the config name, the seed, ...), in key order. */
    final Map<String, Object> metadata = new TreeMap<>();

    /** Complete events recorded so far, kept or not; the writer counts them. */
    long recorded;

    /** Adds a key to the trace's metadata (for example the config name or the seed). */
    @Override
    public void metadata(String key, Object value) {
        metadata.put(key, value);
    }

    /** @return complete events recorded so far (kept or not) */
    @Override
    public long eventsRecorded() {
        return recorded;
    }
}
