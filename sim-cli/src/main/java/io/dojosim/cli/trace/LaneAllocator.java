package io.dojosim.cli.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Places spans that may overlap (several communication streams, operations reported in
 * completion order rather than start order) on thread lanes where they do not: trace viewers
 * draw complete events of one thread as a stack, so two overlapping spans on one lane would be
 * drawn wrongly. Each group ("compute", "communication") gets lanes "compute", "compute 2", ...
 * created on demand; a span goes to the first lane of its group free over its whole interval.
 *
 * <p>Deterministic: the lane of a span depends only on the spans placed before it.
 */
public final class LaneAllocator {
    private final TimelineWriter writer;
    private final int processId;
    private final Map<String, List<Lane>> groups = new HashMap<>();

    private static final class Lane {
        final int tid;
        final TreeMap<Long, Long> spans = new TreeMap<>();

        Lane(int tid) {
            this.tid = tid;
        }

        /** @return true when [start, end) meets no span of the lane (zero-length spans meet nothing but an equal start) */
        boolean free(long start, long end) {
            Map.Entry<Long, Long> before = spans.floorEntry(start);
            if (before != null && (before.getValue() > start || before.getKey() == start)) {
                return false;
            }
            Map.Entry<Long, Long> after = spans.higherEntry(start);
            return after == null || after.getKey() >= end;
        }
    }

    public LaneAllocator(TimelineWriter writer, int processId) {
        this.writer = writer;
        this.processId = processId;
    }

    /** @return the thread id of a lane of {@code group} free over [startPs, endPs), now holding it */
    public int place(String group, long startPs, long endPs) {
        List<Lane> lanes = groups.computeIfAbsent(group, g -> new ArrayList<>());
        int slot = slot(group, startPs, endPs);
        if (lanes.get(slot).tid == 0) {
            lanes.set(slot, withTid(lanes.get(slot), writer.thread(processId, laneName(group, slot))));
        }
        return lanes.get(slot).tid;
    }

    /**
     * As {@link #place} without declaring a thread: @return the index of the lane of {@code group}
     * (0, 1, ...) free over [startPs, endPs), now holding it; {@link #laneName} names it. Callers
     * that draw one schedule on several processes (the chips of a stage) place once and declare
     * the lane on each.
     */
    public int slot(String group, long startPs, long endPs) {
        List<Lane> lanes = groups.computeIfAbsent(group, g -> new ArrayList<>());
        for (int i = 0; i < lanes.size(); i++) {
            Lane l = lanes.get(i);
            if (l.free(startPs, endPs)) {
                l.spans.put(startPs, endPs);
                return i;
            }
        }
        Lane l = new Lane(0);
        lanes.add(l);
        l.spans.put(startPs, endPs);
        return lanes.size() - 1;
    }

    /** @return the name of lane {@code slot} of {@code group}: "compute", "compute 2", ... */
    public static String laneName(String group, int slot) {
        return slot == 0 ? group : group + " " + (slot + 1);
    }

    private static Lane withTid(Lane l, int tid) {
        Lane n = new Lane(tid);
        n.spans.putAll(l.spans);
        return n;
    }

    /** @return how many lanes the group has */
    public int lanes(String group) {
        List<Lane> l = groups.get(group);
        return l == null ? 0 : l.size();
    }
}
