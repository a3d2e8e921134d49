package io.dojosim.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The part of {@code dojosim workload inspect} about where a workload's ranks and times come from:
 * the rank graphs, the communicator groups its collectives use, and which compute operations the
 * Dojo model re-costs and which replay a recorded duration, by operator name.
 *
 * @param ranks rank numbers of the rank graphs, ascending
 * @param groups per communicator group (process-group name, else the parallelism dimension):
 *     collectives over all ranks, their bytes, and the ranks whose graphs use it
 * @param processGroups the process groups a trace declares, "" when none
 * @param costing what a trace importer decided, null for other workloads
 * @param recosted device compute operations timed by the model, by name: count and FLOPs
 * @param replayed device compute operations replaying a recorded duration, by name: count and ps
 * @param hostOps host (CPU) operations
 * @param hostPs recorded duration of the host operations
 */
public record TraceReport(List<Integer> ranks, Map<String, Group> groups, String processGroups, ImportCosting costing,
                          Map<String, long[]> recosted, Map<String, long[]> replayed, long hostOps, long hostPs) {
    /** Rows of each by-name table that {@link #toTable()} prints. */
    public static final int ROWS = 10;

    /** One communicator group. */
    public record Group(long collectives, long bytes, List<Integer> ranks) {
    }

    /** Computes the report of a workload. */
    public static TraceReport of(Workload w) {
        List<Integer> ranks = new ArrayList<>();
        Map<String, long[]> groupCounts = new TreeMap<>();
        Map<String, TreeSet<Integer>> groupRanks = new TreeMap<>();
        Map<String, long[]> rec = new TreeMap<>();
        Map<String, long[]> rep = new TreeMap<>();
        long host = 0, hostPs = 0;
        for (RankGraph g : w.ranks()) {
            ranks.add(g.rank());
            for (Operation op : g.ops()) {
                if (op instanceof CollectiveOp c) {
                    String key = c.group().name().isEmpty() ? c.group().dimension().name().toLowerCase(Locale.ROOT)
                            : c.group().name();
                    long[] v = groupCounts.computeIfAbsent(key, k -> new long[2]);
                    v[0]++;
                    v[1] += c.bytes();
                    TreeSet<Integer> rs = groupRanks.computeIfAbsent(key, k -> new TreeSet<>());
                    if (c.group().ranks().isEmpty()) {
                        rs.add(g.rank());
                    } else {
                        rs.addAll(c.group().ranks());
                    }
                } else if (op instanceof ComputeOp c) {
                    long d = c.measuredDurationPs() == Operation.NO_DURATION ? 0 : c.measuredDurationPs();
                    if (c.onHost()) {
                        host++;
                        hostPs += d;
                        continue;
                    }
                    String name = c.name().replaceFirst("\\(\\d+\\)$", "");
                    if (c.costing() == Costing.MODELED) {
                        long[] v = rec.computeIfAbsent(name, k -> new long[2]);
                        v[0]++;
                        v[1] += c.flops();
                    } else if (c.costing() == Costing.REPLAYED) {
                        long[] v = rep.computeIfAbsent(name, k -> new long[2]);
                        v[0]++;
                        v[1] += d;
                    }
                }
            }
        }
        ranks.sort(null);
        Map<String, Group> groups = new LinkedHashMap<>();
        groupCounts.forEach((k, v) -> groups.put(k, new Group(v[0], v[1], List.copyOf(groupRanks.get(k)))));
        return new TraceReport(List.copyOf(ranks), groups, w.metadata().properties().getOrDefault("trace.processGroups", ""),
                ImportCosting.of(w.metadata()), byValue(rec), byValue(rep), host, hostPs);
    }

    /** Sorted by the second figure, largest first, then by name. */
    private static Map<String, long[]> byValue(Map<String, long[]> m) {
        List<Map.Entry<String, long[]>> e = new ArrayList<>(m.entrySet());
        e.sort((a, b) -> a.getValue()[1] != b.getValue()[1] ? Long.compare(b.getValue()[1], a.getValue()[1])
                : a.getKey().compareTo(b.getKey()));
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> x : e) {
            out.put(x.getKey(), x.getValue());
        }
        return out;
    }

    /** "0..7" for consecutive ranks, else the list. */
    static String rankText(List<Integer> r) {
        if (r.isEmpty()) {
            return "none";
        }
        boolean consecutive = r.get(r.size() - 1) - r.get(0) == r.size() - 1;
        return consecutive && r.size() > 2 ? r.get(0) + ".." + r.get(r.size() - 1) : r.toString();
    }

    /** @return a plain-text section for a terminal */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%-22s %s%n", "ranks", rankText(ranks) + " (" + ranks.size() + " rank graphs)"));
        if (!processGroups.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-22s %s%n", "process groups", processGroups));
        }
        if (!groups.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-22s %12s %18s  %s%n", "communicator group", "collectives", "bytes", "ranks"));
            groups.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-22s %,12d %,18d  %s%n", k, v.collectives(),
                    v.bytes(), rankText(v.ranks()))));
        }
        if (costing != null) {
            sb.append(String.format(Locale.ROOT, "%n%-22s %s%n", "trace import", costing.line()));
        }
        if (!recosted.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n%-46s %8s %22s%n", "re-costed by the Dojo model", "count", "FLOPs"));
            table(sb, recosted, false);
        }
        if (!replayed.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n%-46s %8s %22s%n", "replayed (recorded duration)", "count", "recorded"));
            table(sb, replayed, true);
        }
        if (hostOps > 0) {
            sb.append(String.format(Locale.ROOT, "%n%-22s %,d operations, %,.3f us recorded%n", "host (CPU) stream", hostOps,
                    hostPs / 1e6));
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, Map<String, long[]> m, boolean time) {
        int shown = 0;
        for (Map.Entry<String, long[]> e : m.entrySet()) {
            if (shown++ == ROWS) {
                sb.append(String.format(Locale.ROOT, "... %d more names (see --json)%n", m.size() - ROWS));
                break;
            }
            String name = e.getKey().length() > 46 ? e.getKey().substring(0, 43) + "..." : e.getKey();
            String v = time ? String.format(Locale.ROOT, "%,.3f us", e.getValue()[1] / 1e6)
                    : String.format(Locale.ROOT, "%,d", e.getValue()[1]);
            sb.append(String.format(Locale.ROOT, "%-46s %,8d %22s%n", name, e.getValue()[0], v));
        }
    }
}
