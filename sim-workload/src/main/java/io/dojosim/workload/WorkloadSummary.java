package io.dojosim.workload;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code dojosim workload inspect} prints: operations by type and compute kind, FLOPs, bytes,
 * communication volume, re-costing counts and the critical path, over all ranks and per rank.
 *
 * <p>The critical path is the longest dependency chain of one rank, measured in operations and,
 * separately, in FLOPs (the two chains may differ); the workload figure is the maximum over ranks.
 *
 * @param computeByKind per compute kind: operations, FLOPs, bytes
 * @param collectiveBytes bytes per rank summed over collectives of each kind
 * @param sendBytes bytes of point-to-point sends
 * @param recvBytes bytes of point-to-point receives
 * @param measuredDurationPs sum of the measured durations carried by operations
 */
public record WorkloadSummary(String name, String source, int rankCount, long operations,
                              Map<OpType, Long> opsByType, Map<ComputeKind, KindStats> computeByKind,
                              long totalFlops, long computeBytes, long memoryBytes,
                              Map<CollectiveKind, Long> collectiveBytes, long sendBytes, long recvBytes,
                              long modeledCompute, long replayedCompute, long freeCompute,
                              long measuredDurationPs, long criticalPathOps, long criticalPathFlops,
                              List<RankSummary> perRank, List<String> warnings) {

    /** Warnings printed by {@link #toTable(int)}; the JSON has all of them. */
    public static final int MAX_WARNINGS_SHOWN = 5;

    /** Operations, FLOPs and bytes of one compute kind. */
    public record KindStats(long count, long flops, long bytes) {
    }

    /** Figures of one rank. */
    public record RankSummary(int rank, long operations, long compute, long communication, long flops,
                              long commBytes, long criticalPathOps, long criticalPathFlops) {
    }

    /** @return total communication bytes per rank summed over collectives and sends */
    public long communicationBytes() {
        long b = sendBytes;
        for (long v : collectiveBytes.values()) {
            b += v;
        }
        return b;
    }

    /** Computes the summary of a workload. */
    public static WorkloadSummary of(Workload w) {
        Map<OpType, Long> byType = new EnumMap<>(OpType.class);
        Map<ComputeKind, long[]> byKind = new EnumMap<>(ComputeKind.class);
        Map<CollectiveKind, Long> coll = new EnumMap<>(CollectiveKind.class);
        long flops = 0, computeBytes = 0, memoryBytes = 0, send = 0, recv = 0, dur = 0;
        long modeled = 0, replayed = 0, free = 0, cpOps = 0, cpFlops = 0;
        List<RankSummary> perRank = new ArrayList<>();
        for (RankGraph g : w.ranks()) {
            long rCompute = 0, rComm = 0, rFlops = 0, rCommBytes = 0;
            for (Operation op : g.ops()) {
                byType.merge(op.type(), 1L, Long::sum);
                if (op.measuredDurationPs() != Operation.NO_DURATION) {
                    dur += op.measuredDurationPs();
                }
                switch (op.type()) {
                    case COMPUTE -> {
                        ComputeOp c = (ComputeOp) op;
                        long[] k = byKind.computeIfAbsent(c.kind(), x -> new long[3]);
                        k[0]++;
                        k[1] += c.flops();
                        k[2] += c.bytes();
                        flops += c.flops();
                        rFlops += c.flops();
                        computeBytes += c.bytes();
                        rCompute++;
                        switch (c.costing()) {
                            case MODELED -> modeled++;
                            case REPLAYED -> replayed++;
                            default -> free++;
                        }
                    }
                    case MEMORY -> memoryBytes += op.bytes();
                    case SEND -> {
                        send += op.bytes();
                        rComm++;
                        rCommBytes += op.bytes();
                    }
                    case RECV -> {
                        recv += op.bytes();
                        rComm++;
                    }
                    case COLLECTIVE -> {
                        coll.merge(((CollectiveOp) op).collective(), op.bytes(), Long::sum);
                        rComm++;
                        rCommBytes += op.bytes();
                    }
                    default -> {
                    }
                }
            }
            long[] cp = criticalPath(g);
            cpOps = Math.max(cpOps, cp[0]);
            cpFlops = Math.max(cpFlops, cp[1]);
            perRank.add(new RankSummary(g.rank(), g.size(), rCompute, rComm, rFlops, rCommBytes, cp[0], cp[1]));
        }
        Map<OpType, Long> typeOut = new LinkedHashMap<>();
        for (OpType t : OpType.values()) {
            typeOut.put(t, byType.getOrDefault(t, 0L));
        }
        Map<ComputeKind, KindStats> kindOut = new LinkedHashMap<>();
        for (Map.Entry<ComputeKind, long[]> e : byKind.entrySet()) {
            kindOut.put(e.getKey(), new KindStats(e.getValue()[0], e.getValue()[1], e.getValue()[2]));
        }
        return new WorkloadSummary(w.metadata().name(), w.metadata().source(), w.ranks().size(),
                w.operationCount(), typeOut, kindOut, flops, computeBytes, memoryBytes, new LinkedHashMap<>(coll),
                send, recv, modeled, replayed, free, dur, cpOps, cpFlops, perRank, w.warnings());
    }

    /**
     * @return {longest chain in operations, heaviest chain in FLOPs} of one rank graph
     */
    public static long[] criticalPath(RankGraph g) {
        int n = g.size();
        long[] depth = new long[n];
        long[] heavy = new long[n];
        long bestOps = 0, bestFlops = 0;
        for (int i : g.topologicalOrder()) {
            long d = 0, f = 0;
            for (int p : g.predecessors(i)) {
                d = Math.max(d, depth[p]);
                f = Math.max(f, heavy[p]);
            }
            depth[i] = d + 1;
            heavy[i] = f + g.op(i).flops();
            bestOps = Math.max(bestOps, depth[i]);
            bestFlops = Math.max(bestFlops, heavy[i]);
        }
        return new long[] {bestOps, bestFlops};
    }

    /** @return a plain-text table for a terminal; at most {@code maxRanks} per-rank rows */
    public String toTable(int maxRanks) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "workload %s (%s), %d rank(s), %,d operations%n", name, source,
                rankCount, operations));
        sb.append(String.format(Locale.ROOT, "%n%-22s %14s%n", "operation type", "count"));
        opsByType.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-22s %,14d%n", k, v)));
        sb.append(String.format(Locale.ROOT, "%n%-22s %10s %22s %18s%n", "compute kind", "count", "FLOPs", "bytes"));
        computeByKind.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-22s %,10d %,22d %,18d%n",
                k, v.count(), v.flops(), v.bytes())));
        sb.append(String.format(Locale.ROOT, "%-22s %10s %,22d %,18d%n", "total", "", totalFlops, computeBytes));
        sb.append(String.format(Locale.ROOT, "%n%-22s %,22d%n", "memory op bytes", memoryBytes));
        collectiveBytes.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-22s %,22d%n",
                k.name().toLowerCase(Locale.ROOT) + " bytes", v)));
        sb.append(String.format(Locale.ROOT, "%-22s %,22d%n", "send bytes", sendBytes));
        sb.append(String.format(Locale.ROOT, "%-22s %,22d%n", "communication bytes", communicationBytes()));
        sb.append(String.format(Locale.ROOT, "%n%-22s modeled %,d, replayed %,d, free %,d%n", "compute costing",
                modeledCompute, replayedCompute, freeCompute));
        sb.append(String.format(Locale.ROOT, "%-22s %,d ps%n", "measured durations", measuredDurationPs));
        sb.append(String.format(Locale.ROOT, "%-22s %,d operations, %,d FLOPs%n", "critical path",
                criticalPathOps, criticalPathFlops));
        if (rankCount > 1) {
            sb.append(String.format(Locale.ROOT, "%n%6s %10s %10s %10s %20s %16s %10s%n", "rank", "ops", "compute",
                    "comm", "FLOPs", "comm bytes", "crit ops"));
            int shown = 0;
            for (RankSummary r : perRank) {
                if (shown++ >= maxRanks) {
                    sb.append(String.format(Locale.ROOT, "... %d more ranks (see --json)%n", perRank.size() - maxRanks));
                    break;
                }
                sb.append(String.format(Locale.ROOT, "%6d %,10d %,10d %,10d %,20d %,16d %,10d%n", r.rank(),
                        r.operations(), r.compute(), r.communication(), r.flops(), r.commBytes(),
                        r.criticalPathOps()));
            }
        }
        int shownWarnings = 0;
        for (String wmsg : warnings) {
            if (shownWarnings++ == MAX_WARNINGS_SHOWN) {
                sb.append(String.format(Locale.ROOT, "... %d more warnings (see --json)%n", warnings.size() - MAX_WARNINGS_SHOWN));
                break;
            }
            sb.append("warning: ").append(wmsg).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
