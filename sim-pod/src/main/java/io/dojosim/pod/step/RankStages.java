package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.MarkerOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges every rank graph of a trace set into one graph that the executor runs with one set of
 * streams (compute, communication, memory) per rank: rank k of the set becomes lane (stage) k.
 * Used by rank-faithful placement ({@code run.rankPlacement}, {@link RankMapper}) and by
 * {@code run.traceRanks = each} under {@code run.rankPlacement = replica}.
 *
 * <pre>
 *   merged id = lane x 2^32 + trace id                 lane of an operation = its rank's index in the set
 *   send(a -> b, tag t) #i   ==  recv(b <- a, tag t) #i     (i-th of each, in each rank's graph order)
 *     the send is ONE transfer (peer = b's lane), started when the send is issued;
 *     the receive is a marker that completes when the transfer has and its own dependencies have
 *   collective #k on group G of every member of G  ==  one collective over G's lanes (matchCollectives)
 *     the first member's operation is the collective; the others are markers that wait for it
 * </pre>
 *
 * <p>Group of a collective: its explicit ranks when the trace lists them; else, when it names a
 * process group, the ranks of the set that issue collectives on that name; else every rank of the
 * set.
 *
 * <p>Caveats: by default the protocol is eager (a send does not wait for its receive to be posted;
 * {@code run.pointToPointProtocol = rendezvous} makes it wait); a merged
 * collective occupies a communication stream of its first member only; matching follows each
 * rank's topological order (the order the executor may issue them), not a recorded issue order.
 */
public final class RankStages {
    private RankStages() {
    }

    /**
     * The merged graph, the lane of each operation and what matching tolerated.
     *
     * @param warnings unmatched sends and receives run anyway ({@code run.unmatchedPointToPoint = warn})
     */
    public record Merged(RankGraph graph, Map<Long, Integer> stageOf, List<String> warnings) {
    }

    /**
     * The merge of {@code run.traceRanks = each}: sends and receives matched, an unmatched one an
     * error, collectives left in each rank's own stage.
     */
    public static Merged merge(Workload w) {
        return merge(w, false, false, false);
    }

    /**
     * @param matchCollectives merge the matching collectives of the members of each group into one
     * @param warnUnmatched    run an unmatched send or receive (with a warning) instead of refusing it
     * @param rendezvous       a matched send's transfer also waits for its receive to be posted (the
     *                         receive's own dependencies); false: eager, it starts when the send is issued
     * @throws ConfigException when a send or receive has no partner (unless {@code warnUnmatched}), a
     *     collective has no partner on some member of its group, or the matched operations wait on
     *     each other in a cycle (with rendezvous, for example two ranks that each send before receiving)
     */
    public static Merged merge(Workload w, boolean matchCollectives, boolean warnUnmatched, boolean rendezvous) {
        List<RankGraph> ranks = w.ranks();
        Map<Integer, Integer> laneOfRank = new HashMap<>();
        for (int i = 0; i < ranks.size(); i++) {
            laneOfRank.put(ranks.get(i).rank(), i);
        }
        Matching p2p = matchPointToPoint(w, laneOfRank);
        List<String> warnings = new ArrayList<>();
        if (!p2p.unmatched.isEmpty()) {
            if (!warnUnmatched) {
                throw new ConfigException(unmatchedMessage(w, p2p.unmatched.firstEntry().getValue()));
            }
            for (Unmatched u : p2p.unmatched.values()) {
                warnings.add(u.text + "; it ran as " + (u.send && u.peerLane >= 0 ? "a transfer no receive waits for" : "a step that takes no time")
                        + " (run.unmatchedPointToPoint = warn)");
            }
        }
        Map<Long, Long> recvOf = new HashMap<>();
        if (rendezvous) {
            for (Map.Entry<Long, Long> e : p2p.sendOf.entrySet()) {
                recvOf.put(e.getValue(), e.getKey());
            }
        }
        Collectives coll = matchCollectives ? matchCollectives(w, laneOfRank) : new Collectives(Map.of(), Map.of(), Map.of());
        List<Operation> out = new ArrayList<>();
        Map<Long, Integer> stageOf = new HashMap<>();
        for (int i = 0; i < ranks.size(); i++) {
            RankGraph g = ranks.get(i);
            for (int idx : g.topologicalOrder()) {
                Operation op = g.op(idx);
                List<Long> deps = new ArrayList<>();
                for (long d : op.deps()) {
                    deps.add(id(i, d));
                }
                long nid = id(i, op.id());
                Operation m;
                if (op instanceof PointToPointOp p) {
                    Integer peerLane = laneOfRank.get(p.peer());
                    if (p.direction() == PointToPointOp.Direction.SEND) {
                        Long recv = recvOf.get(nid);
                        if (recv != null) {
                            // rendezvous: the transfer starts once the receive is posted too
                            int rl = (int) (recv >>> 32);
                            for (long d : opOf(ranks, recv).deps()) {
                                long md = id(rl, d);
                                if (!deps.contains(md)) deps.add(md);
                            }
                        }
                        m = peerLane == null ? new MarkerOp(nid, p.name(), "unmatched send to rank " + p.peer() + ", which is not in the set", deps,
                                p.layer(), p.phase())
                                : new PointToPointOp(nid, p.name(), p.direction(), peerLane, p.tag(), p.bytes(), deps, p.layer(), p.phase(),
                                p.measuredDurationPs());
                    } else {
                        Long send = p2p.sendOf.get(nid);
                        if (send != null) {
                            deps.add(send);
                        }
                        m = new MarkerOp(nid, p.name(), send != null ? "receive of the matching send" : "unmatched receive", deps, p.layer(), p.phase());
                    }
                } else if (op instanceof CollectiveOp c && coll.ownerOf.containsKey(nid)) {
                    long owner = coll.ownerOf.get(nid);
                    if (owner == nid) {
                        for (long d : coll.extraDeps.get(nid)) {
                            if (!deps.contains(d)) deps.add(d);
                        }
                        m = new CollectiveOp(nid, c.name(), c.collective(), coll.bytes.get(nid),
                                new CommGroup(c.group().dimension(), c.group().name(), coll.lanes.get(nid), c.group().involvedDims()),
                                c.priority(), deps, c.layer(), c.phase(), c.measuredDurationPs());
                    } else {
                        m = new MarkerOp(nid, c.name(), "joins the collective of rank " + ranks.get((int) (owner >>> 32)).rank()
                                + " operation " + (owner & 0xffffffffL), List.of(owner), c.layer(), c.phase());
                    }
                } else {
                    m = Mapper.withDeps(renumber(op, nid), deps);
                }
                out.add(m);
                stageOf.put(nid, i);
            }
        }
        try {
            return new Merged(new RankGraph(0, out), stageOf, warnings);
        } catch (ConfigException cycle) {
            throw new ConfigException("workload '" + w.metadata().name() + "': with sends matched to receives and collectives matched across"
                    + " their groups, the ranks wait on each other in a cycle (a deadlock): " + cycle.getMessage()
                    + " (merged ids are rank index x 2^32 + trace id)");
        }
    }

    /**
     * Checks that every send and receive of the set has a partner.
     *
     * @return the warnings for unmatched ones when {@code warnUnmatched}
     * @throws ConfigException naming the first unmatched one's rank and node id otherwise
     */
    public static List<String> checkPointToPoint(Workload w, boolean warnUnmatched) {
        Map<Integer, Integer> laneOfRank = new HashMap<>();
        for (int i = 0; i < w.ranks().size(); i++) {
            laneOfRank.put(w.ranks().get(i).rank(), i);
        }
        Matching p2p = matchPointToPoint(w, laneOfRank);
        if (p2p.unmatched.isEmpty()) {
            return List.of();
        }
        if (!warnUnmatched) {
            throw new ConfigException(unmatchedMessage(w, p2p.unmatched.firstEntry().getValue()));
        }
        List<String> out = new ArrayList<>();
        for (Unmatched u : p2p.unmatched.values()) {
            out.add(u.text + " (run.unmatchedPointToPoint = warn)");
        }
        return out;
    }

    private static String unmatchedMessage(Workload w, Unmatched u) {
        return "workload '" + w.metadata().name() + "': " + u.text + "; a SEND and a RECV match by (source rank, destination rank, tag),"
                + " the i-th send with the i-th receive in graph order. Key 'run.unmatchedPointToPoint' = error; allowed: error,"
                + " or warn to run it anyway with a warning";
    }

    private record Unmatched(String text, boolean send, int peerLane) {
    }

    /** Receive (merged id) to its send (merged id); unmatched ones in (lane, graph order). */
    private record Matching(Map<Long, Long> sendOf, TreeMap<Long, Unmatched> unmatched) {
    }

    /** Told of one point-to-point operation: its lane, graph, position in the graph's topological order and the operation. */
    @FunctionalInterface
    private interface PointToPointVisitor {
        void visit(int lane, RankGraph g, int orderIndex, PointToPointOp p);
    }

    /** Visits the point-to-point operations of one direction, lane by lane, each lane's in topological order. */
    private static void forEachPointToPoint(List<RankGraph> ranks, PointToPointOp.Direction direction, PointToPointVisitor v) {
        for (int i = 0; i < ranks.size(); i++) {
            RankGraph g = ranks.get(i);
            int[] order = g.topologicalOrder();
            for (int k = 0; k < order.length; k++) {
                if (g.op(order[k]) instanceof PointToPointOp p && p.direction() == direction) v.visit(i, g, k, p);
            }
        }
    }

    private static Matching matchPointToPoint(Workload w, Map<Integer, Integer> laneOfRank) {
        List<RankGraph> ranks = w.ranks();
        Map<String, ArrayDeque<long[]>> sends = new HashMap<>();   // {merged id, order key}
        forEachPointToPoint(ranks, PointToPointOp.Direction.SEND, (i, g, k, p) ->
                sends.computeIfAbsent(g.rank() + ">" + p.peer() + "#" + p.tag(), x -> new ArrayDeque<>()).add(new long[] {id(i, p.id()), id(i, k)}));
        Map<Long, Long> sendOf = new HashMap<>();
        TreeMap<Long, Unmatched> unmatched = new TreeMap<>();
        forEachPointToPoint(ranks, PointToPointOp.Direction.RECV, (i, g, k, p) -> {
            ArrayDeque<long[]> q = sends.get(p.peer() + ">" + g.rank() + "#" + p.tag());
            if (q == null || q.isEmpty()) {
                unmatched.put(id(i, k), new Unmatched("rank " + g.rank() + " node " + p.id() + " ('" + p.name() + "') receives "
                        + p.bytes() + " B from rank " + p.peer() + " with tag " + p.tag() + " but no send of rank " + p.peer()
                        + (laneOfRank.containsKey(p.peer()) ? "" : " (not in the set, whose ranks are " + new java.util.TreeSet<>(laneOfRank.keySet()) + ")")
                        + " matches it", false, -1));
            } else {
                sendOf.put(id(i, p.id()), q.poll()[0]);
            }
        });
        for (ArrayDeque<long[]> q : sends.values()) {
            for (long[] s : q) {
                int lane = (int) (s[0] >>> 32);
                RankGraph g = ranks.get(lane);
                PointToPointOp p = (PointToPointOp) g.op(g.indexOf(s[0] & 0xffffffffL));
                Integer peerLane = laneOfRank.get(p.peer());
                unmatched.put(s[1], new Unmatched("rank " + g.rank() + " node " + p.id() + " ('" + p.name() + "') sends " + p.bytes() + " B to rank "
                        + p.peer() + " with tag " + p.tag() + " but " + (peerLane == null ? "rank " + p.peer() + " is not in the set (ranks "
                        + new java.util.TreeSet<>(laneOfRank.keySet()) + ")" : "no receive of rank " + p.peer() + " matches it"), true,
                        peerLane == null ? -1 : peerLane));
            }
        }
        return new Matching(sendOf, unmatched);
    }

    /** Merged collectives: for each member operation its owner; for each owner its lanes, bytes and the other members' dependencies. */
    private record Collectives(Map<Long, Long> ownerOf, Map<Long, List<Integer>> lanes, Map<Long, Long> bytes, Map<Long, List<Long>> extraDeps) {
        Collectives(Map<Long, Long> ownerOf, Map<Long, List<Integer>> lanes, Map<Long, Long> bytes) {
            this(ownerOf, lanes, bytes, Map.of());
        }
    }

    private static Collectives matchCollectives(Workload w, Map<Integer, Integer> laneOfRank) {
        List<RankGraph> ranks = w.ranks();
        // a named group without ranks: the lanes that issue collectives on that name
        Map<String, Set<Integer>> named = new TreeMap<>();
        for (int i = 0; i < ranks.size(); i++) {
            for (Operation op : ranks.get(i).ops()) {
                if (op instanceof CollectiveOp c && c.group().ranks().isEmpty() && !c.group().name().isEmpty()) {
                    named.computeIfAbsent(c.group().name(), k -> new java.util.TreeSet<>()).add(i);
                }
            }
        }
        List<Integer> world = new ArrayList<>();
        for (int i = 0; i < ranks.size(); i++) world.add(i);
        // group key -> lane -> that lane's collectives on the group, in graph order
        Map<String, List<Integer>> groupLanes = new LinkedHashMap<>();
        Map<String, Map<Integer, List<Long>>> issued = new LinkedHashMap<>();
        for (int i = 0; i < ranks.size(); i++) {
            RankGraph g = ranks.get(i);
            for (int idx : g.topologicalOrder()) {
                if (!(g.op(idx) instanceof CollectiveOp c)) continue;
                List<Integer> lanes;
                if (!c.group().ranks().isEmpty()) {
                    lanes = new ArrayList<>();
                    for (int r : c.group().ranks()) {
                        Integer l = laneOfRank.get(r);
                        if (l == null) {
                            throw new ConfigException("workload '" + w.metadata().name() + "': rank " + g.rank() + " node " + c.id() + " ('" + c.name()
                                    + "') is a collective over ranks " + c.group().ranks() + ", but rank " + r + " is not in the set (ranks "
                                    + new java.util.TreeSet<>(laneOfRank.keySet()) + ")");
                        }
                        lanes.add(l);
                    }
                    if (!lanes.contains(i)) {
                        throw new ConfigException("workload '" + w.metadata().name() + "': rank " + g.rank() + " node " + c.id() + " ('" + c.name()
                                + "') is a collective over ranks " + c.group().ranks() + ", which do not include rank " + g.rank());
                    }
                } else if (!c.group().name().isEmpty()) {
                    lanes = new ArrayList<>(named.get(c.group().name()));
                } else {
                    lanes = world;
                }
                String key = c.group().name() + "|" + lanes;
                groupLanes.putIfAbsent(key, lanes);
                issued.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(i, k -> new ArrayList<>()).add(id(i, c.id()));
            }
        }
        Map<Long, Long> ownerOf = new HashMap<>();
        Map<Long, List<Integer>> lanesOf = new HashMap<>();
        Map<Long, Long> bytesOf = new HashMap<>();
        Map<Long, List<Long>> extra = new HashMap<>();
        for (Map.Entry<String, List<Integer>> e : groupLanes.entrySet()) {
            List<Integer> lanes = e.getValue();
            Map<Integer, List<Long>> byLane = issued.get(e.getKey());
            int count = -1;
            for (int l : lanes) {
                int n = byLane.getOrDefault(l, List.of()).size();
                if (count >= 0 && n != count) {
                    int first = lanes.get(0);
                    int more = byLane.getOrDefault(first, List.of()).size() > n ? first : l;
                    int fewer = more == l ? first : l;
                    List<Long> ops = byLane.get(more);
                    long extraOp = ops.get(Math.min(byLane.getOrDefault(fewer, List.of()).size(), ops.size() - 1)) & 0xffffffffL;
                    throw new ConfigException("workload '" + w.metadata().name() + "': rank " + ranks.get(more).rank() + " node " + extraOp
                            + " is collective number " + (byLane.getOrDefault(fewer, List.of()).size() + 1) + " on group "
                            + groupText(e.getKey(), lanes, ranks) + ", but rank " + ranks.get(fewer).rank() + " issues only "
                            + byLane.getOrDefault(fewer, List.of()).size() + " on it; the members of a group must issue the same collectives"
                            + " in the same order");
                }
                count = n;
            }
            for (int k = 0; k < count; k++) {
                long owner = byLane.get(lanes.get(0)).get(k);
                CollectiveOp oc = (CollectiveOp) opOf(ranks, owner);
                long bytes = 0;
                List<Long> deps = new ArrayList<>();
                for (int l : lanes) {
                    long m = byLane.get(l).get(k);
                    CollectiveOp mc = (CollectiveOp) opOf(ranks, m);
                    if (mc.collective() != oc.collective()) {
                        throw new ConfigException("workload '" + w.metadata().name() + "': collective number " + (k + 1) + " on group "
                                + groupText(e.getKey(), lanes, ranks) + " is a " + oc.collective() + " on rank " + ranks.get(lanes.get(0)).rank()
                                + " (node " + oc.id() + ") but a " + mc.collective() + " on rank " + ranks.get(l).rank() + " (node " + mc.id() + ")");
                    }
                    bytes = Math.max(bytes, mc.bytes());
                    ownerOf.put(m, owner);
                    if (m != owner) {
                        for (long d : mc.deps()) deps.add(id(l, d));
                    }
                }
                lanesOf.put(owner, List.copyOf(lanes));
                bytesOf.put(owner, bytes);
                extra.put(owner, deps);
            }
        }
        return new Collectives(ownerOf, lanesOf, bytesOf, extra);
    }

    private static String groupText(String key, List<Integer> lanes, List<RankGraph> ranks) {
        List<Integer> rs = new ArrayList<>();
        for (int l : lanes) rs.add(ranks.get(l).rank());
        String name = key.substring(0, key.indexOf('|'));
        return (name.isEmpty() ? "" : "'" + name + "' ") + "of ranks " + rs;
    }

    private static Operation opOf(List<RankGraph> ranks, long mergedId) {
        RankGraph g = ranks.get((int) (mergedId >>> 32));
        return g.op(g.indexOf(mergedId & 0xffffffffL));
    }

    static long id(int stage, long id) {
        return ((long) stage << 32) + id;
    }

    private static Operation renumber(Operation op, long id) {
        if (op instanceof io.dojosim.workload.ComputeOp) {
            io.dojosim.workload.ComputeOp c = (io.dojosim.workload.ComputeOp) op;
            return io.dojosim.workload.ComputeOp.builder(id, c.name(), c.kind()).shape(c.shape()).dataType(c.dataType()).flops(c.flops())
                    .inputBytes(c.inputBytes()).outputBytes(c.outputBytes()).weightBytes(c.weightBytes()).onHost(c.onHost())
                    .layer(c.layer()).phase(c.phase()).measuredDurationPs(c.measuredDurationPs()).build();
        }
        if (op instanceof CollectiveOp) {
            CollectiveOp c = (CollectiveOp) op;
            return new CollectiveOp(id, c.name(), c.collective(), c.bytes(), c.group(), c.priority(), List.of(), c.layer(),
                    c.phase(), c.measuredDurationPs());
        }
        if (op instanceof io.dojosim.workload.MemoryOp) {
            io.dojosim.workload.MemoryOp m = (io.dojosim.workload.MemoryOp) op;
            return new io.dojosim.workload.MemoryOp(id, m.name(), m.direction(), m.bytes(), m.tensor(), List.of(), m.layer(), m.phase(),
                    m.measuredDurationPs());
        }
        MarkerOp m = (MarkerOp) op;
        return new MarkerOp(id, m.name(), m.note(), List.of(), m.layer(), m.phase());
    }
}
