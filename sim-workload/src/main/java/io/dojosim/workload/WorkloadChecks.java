package io.dojosim.workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cross-rank consistency of a multi-rank workload, which one rank's graph cannot check:
 * <ul>
 * <li>every send has a receive on its peer with the same (source, destination, tag) and bytes,
 *     in the same number;</li>
 * <li>collectives of the same process group appear on every rank of the job in the same order,
 *     with the same kind and size (group by name, or all ranks when unnamed).</li>
 * </ul>
 * Sources: the checks a Chakra consumer needs (/work/shared/reference/workload-formats.md 7.2);
 * an executor would otherwise deadlock or mismatch sizes.
 *
 * <p>Caveats: collectives with explicit rank lists are checked on those ranks only; a generated
 * (single-rank) workload has nothing to check.
 */
public final class WorkloadChecks {
    private WorkloadChecks() {
    }

    private record Key(int src, int dst, long tag) {
    }

    /** @return one sentence per inconsistency, empty when the ranks agree */
    public static List<String> crossRank(Workload w) {
        List<String> issues = new ArrayList<>();
        if (w.ranks().size() < 2) {
            return issues;
        }
        java.util.Comparator<Key> order = java.util.Comparator.comparingInt(Key::src).thenComparingInt(Key::dst)
                .thenComparingLong(Key::tag);
        Map<Key, List<Long>> sends = new TreeMap<>(order);
        Map<Key, List<Long>> recvs = new TreeMap<>(order);
        Map<Integer, RankGraph> byRank = new HashMap<>();
        for (RankGraph g : w.ranks()) {
            byRank.put(g.rank(), g);
            for (Operation op : g.ops()) {
                if (op instanceof PointToPointOp p) {
                    if (p.direction() == PointToPointOp.Direction.SEND) {
                        sends.computeIfAbsent(new Key(g.rank(), p.peer(), p.tag()), k -> new ArrayList<>()).add(p.bytes());
                    } else {
                        recvs.computeIfAbsent(new Key(p.peer(), g.rank(), p.tag()), k -> new ArrayList<>()).add(p.bytes());
                    }
                }
            }
        }
        for (Map.Entry<Key, List<Long>> e : sends.entrySet()) {
            Key k = e.getKey();
            List<Long> r = recvs.getOrDefault(k, List.of());
            if (!byRank.containsKey(k.dst)) {
                issues.add("rank " + k.src + " sends to rank " + k.dst + " (tag " + k.tag + "), which has no graph");
            } else if (!e.getValue().equals(r)) {
                issues.add("rank " + k.src + " sends " + e.getValue() + " bytes to rank " + k.dst + " (tag " + k.tag
                        + ") but rank " + k.dst + " receives " + r);
            }
        }
        for (Map.Entry<Key, List<Long>> e : recvs.entrySet()) {
            if (!sends.containsKey(e.getKey()) && byRank.containsKey(e.getKey().src)) {
                Key k = e.getKey();
                issues.add("rank " + k.dst + " receives " + e.getValue() + " bytes from rank " + k.src + " (tag " + k.tag
                        + ") which sends none");
            }
        }
        // collective sequences per group name (unnamed: every rank), in topological order of each rank
        Map<String, Map<Integer, List<String>>> seq = new TreeMap<>();
        for (RankGraph g : w.ranks()) {
            for (int i : g.topologicalOrder()) {
                if (g.op(i) instanceof CollectiveOp c && c.group().ranks().isEmpty()) {
                    seq.computeIfAbsent(c.group().name(), n -> new TreeMap<>())
                            .computeIfAbsent(g.rank(), r -> new ArrayList<>()).add(c.collective() + " " + c.bytes() + " B");
                }
            }
        }
        for (Map.Entry<String, Map<Integer, List<String>>> e : seq.entrySet()) {
            Map<Integer, List<String>> perRank = e.getValue();
            String group = e.getKey().isEmpty() ? "the unnamed group" : "group '" + e.getKey() + "'";
            if (e.getKey().isEmpty() && perRank.size() != w.ranks().size()) {
                issues.add(group + ": collectives on ranks " + perRank.keySet() + " only, of " + w.ranks().size());
            }
            Map.Entry<Integer, List<String>> first = perRank.entrySet().iterator().next();
            for (Map.Entry<Integer, List<String>> r : perRank.entrySet()) {
                List<String> a = first.getValue(), b = r.getValue();
                if (!a.equals(b)) {
                    int at = 0;
                    while (at < a.size() && at < b.size() && a.get(at).equals(b.get(at))) {
                        at++;
                    }
                    issues.add(group + ": rank " + r.getKey() + " differs from rank " + first.getKey()
                            + " at collective #" + at + " (" + (at < b.size() ? b.get(at) : "none") + " vs "
                            + (at < a.size() ? a.get(at) : "none") + ")");
                }
            }
        }
        return issues;
    }
}
