package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;

/**
 * Checks that a multi-rank workload (a Chakra trace set) is symmetric before one representative
 * graph is run for every replica. Two ranks are the same when their graphs have the same
 * operations in the same order with the same type, compute kind, FLOPs, bytes, collective kind,
 * phase and number of dependencies; names, ids, peers and measured durations may differ (each rank
 * measures its own).
 *
 * <p>Caveats: asymmetric sets (pipeline-parallel traces, a rank with extra work) are refused by
 * default; {@code run.traceRanks = each} runs every rank graph as its own stage ({@link RankStages}),
 * {@code rank0} runs rank 0's graph everywhere.
 */
public final class TraceRanks {
    private TraceRanks() {
    }

    /** @throws ConfigException when the ranks differ and {@code policy} is "identical" */
    public static void check(Workload w, String policy) {
        if (w.ranks().size() <= 1 || !policy.equals("identical")) {
            return;
        }
        RankGraph ref = w.primary();
        for (RankGraph g : w.ranks()) {
            if (g == ref) continue;
            String diff = difference(ref, g);
            if (diff != null) {
                throw new ConfigException("workload '" + w.metadata().name() + "': rank " + g.rank() + "'s graph differs from rank " + ref.rank()
                        + "'s (" + diff + "); dojosim runs one graph per replica, so the ranks of a trace must be identical (data parallel)."
                        + " Key 'run.traceRanks' = identical; allowed: identical, each (every rank graph as its own pipeline stage),"
                        + " or rank0 to simulate rank " + ref.rank() + "'s graph on every replica (the other ranks' differences are then ignored)");
            }
        }
    }

    /** @return the first difference between rank 0's graph and another rank's ("rank k: ..."), or null when all match */
    public static String firstDifference(Workload w) {
        RankGraph ref = w.primary();
        for (RankGraph g : w.ranks()) {
            String diff = g == ref ? null : difference(ref, g);
            if (diff != null) {
                return "rank " + g.rank() + ": " + diff;
            }
        }
        return null;
    }

    /** @return what summary.json says about the ranks: null for one rank or identical ranks, else which graphs ran */
    public static String note(Workload w, String policy) {
        String diff = w.ranks().size() <= 1 ? null : firstDifference(w);
        if (diff == null) {
            return null;
        }
        return "the " + w.ranks().size() + " rank graphs differ (" + diff + "); " + (policy.equals("each")
                ? "each ran as its own stage (run.traceRanks = each)"
                : "rank " + w.primary().rank() + "'s graph ran on every replica (run.traceRanks = rank0)");
    }

    /** @return a description of the first difference, or null when the graphs match */
    static String difference(RankGraph a, RankGraph b) {
        if (a.size() != b.size()) {
            return a.size() + " operations against " + b.size();
        }
        for (int i = 0; i < a.size(); i++) {
            Operation x = a.op(i);
            Operation y = b.op(i);
            String d = null;
            if (x.type() != y.type()) {
                d = "a " + x.type() + " against a " + y.type();
            } else if (x.flops() != y.flops()) {
                d = x.flops() + " FLOPs against " + y.flops();
            } else if (x.bytes() != y.bytes()) {
                d = x.bytes() + " bytes against " + y.bytes();
            } else if (x.phase() != y.phase()) {
                d = "phase " + x.phase() + " against " + y.phase();
            } else if (x.deps().size() != y.deps().size()) {
                d = x.deps().size() + " dependencies against " + y.deps().size();
            } else if (x instanceof ComputeOp && ((ComputeOp) x).kind() != ((ComputeOp) y).kind()) {
                d = ((ComputeOp) x).kind() + " against " + ((ComputeOp) y).kind();
            } else if (x instanceof CollectiveOp && ((CollectiveOp) x).collective() != ((CollectiveOp) y).collective()) {
                d = ((CollectiveOp) x).collective() + " against " + ((CollectiveOp) y).collective();
            }
            if (d != null) {
                return "operation " + i + " in file order, ids " + x.id() + " and " + y.id() + ": " + d;
            }
        }
        return null;
    }
}
