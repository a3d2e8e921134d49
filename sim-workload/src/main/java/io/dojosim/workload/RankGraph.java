package io.dojosim.workload;

import io.dojosim.core.config.Check;
import io.dojosim.core.config.ConfigException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operation graph of one training step on one rank: a directed acyclic graph of
 * {@link Operation}s. Immutable; the constructor checks that ids are unique, that every dependency
 * names an operation of the graph and that there is no cycle (the error names the ids on one cycle).
 *
 * <p>Operations are addressed by dense index 0..size()-1 (their order in {@link #ops()}) for the
 * mapper's arrays; {@link #indexOf(long)} maps an id to its index.
 *
 * <p>Caveats: a generated workload (one logical graph of the whole model) has a single rank graph
 * numbered 0; a trace has one per rank.
 */
public final class RankGraph {
    private final int rank;
    /** The most the measured durations of one rank may add up to, so simulated time never overflows. */
    public static final long MAX_REPLAYED_PS = Long.MAX_VALUE / 4;

    private final List<Operation> ops;
    private final Map<Long, Integer> indexById;
    private final int[][] preds;
    private final int[][] succs;
    private final int[] topo;

    /**
     * @throws ConfigException on a duplicate id, a dependency on a missing operation, or a cycle
     */
    public RankGraph(int rank, List<Operation> ops) {
        Check.require(rank >= 0, "rank must be >= 0, got " + rank);
        this.rank = rank;
        this.ops = List.copyOf(ops);
        int n = this.ops.size();
        indexById = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Operation op = this.ops.get(i);
            Integer prev = indexById.put(op.id(), i);
            if (prev != null) {
                throw new ConfigException("rank " + rank + ": operation id " + op.id() + " is used twice ('"
                        + this.ops.get(prev).name() + "' and '" + op.name() + "'); ids must be unique");
            }
        }
        long replayedPs = 0;
        for (Operation op : this.ops) {
            long d = op.measuredDurationPs();
            if (d > 0) {
                replayedPs += d;
                if (d > MAX_REPLAYED_PS || replayedPs > MAX_REPLAYED_PS) {
                    throw new ConfigException("rank " + rank + ": operation " + op.id() + " ('" + op.name() + "'): measuredDurationPs "
                            + d + " brings the measured durations of the rank above " + MAX_REPLAYED_PS
                            + " ps (about 26 days), the most one step can hold; allowed: durations adding up to at most that");
                }
            }
        }
        preds = new int[n][];
        int[] succCount = new int[n];
        for (int i = 0; i < n; i++) {
            Operation op = this.ops.get(i);
            List<Long> deps = op.deps();
            int[] p = new int[deps.size()];
            for (int j = 0; j < p.length; j++) {
                Integer d = indexById.get(deps.get(j));
                if (d == null) {
                    throw new ConfigException("rank " + rank + ": operation " + op.id() + " ('" + op.name()
                            + "') depends on " + deps.get(j) + ", which is not an operation of this rank");
                }
                p[j] = d;
                succCount[d]++;
            }
            preds[i] = p;
        }
        succs = new int[n][];
        for (int i = 0; i < n; i++) {
            succs[i] = new int[succCount[i]];
        }
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p : preds[i]) {
                succs[p][fill[p]++] = i;
            }
        }
        topo = topologicalOrderOrThrow();
    }

    private int[] topologicalOrderOrThrow() {
        int n = ops.size();
        int[] indeg = new int[n];
        for (int i = 0; i < n; i++) {
            indeg[i] = preds[i].length;
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indeg[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int done = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order[done++] = i;
            for (int s : succs[i]) {
                if (--indeg[s] == 0) {
                    ready.add(s);
                }
            }
        }
        if (done < n) {
            throw new ConfigException("rank " + rank + ": the dependencies form a cycle through operations "
                    + describeCycle(indeg) + "; a training step must be acyclic");
        }
        return order;
    }

    /** Follows unfinished predecessors from an unfinished node until a node repeats. */
    private String describeCycle(int[] indeg) {
        int n = ops.size();
        int start = -1;
        for (int i = 0; i < n && start < 0; i++) {
            if (indeg[i] > 0) {
                start = i;
            }
        }
        int[] seenAt = new int[n];
        Arrays.fill(seenAt, -1);
        List<Integer> path = new ArrayList<>();
        int cur = start;
        while (seenAt[cur] < 0) {
            seenAt[cur] = path.size();
            path.add(cur);
            int next = -1;
            for (int p : preds[cur]) {
                if (indeg[p] > 0) {
                    next = p;
                    break;
                }
            }
            cur = next;
        }
        List<Integer> cycle = new ArrayList<>(path.subList(seenAt[cur], path.size()));
        java.util.Collections.reverse(cycle); // predecessors were followed: reverse to dependency order
        int min = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (ops.get(cycle.get(i)).id() < ops.get(cycle.get(min)).id()) {
                min = i;
            }
        }
        java.util.Collections.rotate(cycle, -min); // start at the smallest id, so the message is stable
        StringBuilder sb = new StringBuilder();
        for (int i : cycle) {
            sb.append(ops.get(i).id()).append(" -> ");
        }
        sb.append(ops.get(cycle.get(0)).id());
        return sb.toString();
    }

    public int rank() {
        return rank;
    }

    /** @return the operations in index order, immutable */
    public List<Operation> ops() {
        return ops;
    }

    public int size() {
        return ops.size();
    }

    public Operation op(int index) {
        return ops.get(index);
    }

    /** @return index of the operation with this id, or -1 */
    public int indexOf(long id) {
        Integer i = indexById.get(id);
        return i == null ? -1 : i;
    }

    /** @return indices of the operations that {@code index} waits for (a copy) */
    public int[] predecessors(int index) {
        return preds[index].clone();
    }

    /** @return indices of the operations that wait for {@code index} (a copy) */
    public int[] successors(int index) {
        return succs[index].clone();
    }

    /** @return all indices in a topological order, ties broken by index (a copy; deterministic) */
    public int[] topologicalOrder() {
        return topo.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankGraph g && g.rank == rank && g.ops.equals(ops);
    }

    @Override
    public int hashCode() {
        return 31 * rank + ops.hashCode();
    }

    @Override
    public String toString() {
        return "RankGraph[rank=" + rank + ", ops=" + ops.size() + "]";
    }
}
