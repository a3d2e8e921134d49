package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rank-faithful placement of a multi-rank trace ({@code run.rankPlacement}): an N-rank trace runs
 * on N ranks. Rank k of the set (in set order) gets chips [k c, (k + 1) c) of the chip order
 * (tile by tile, each tile's chips in snake order), c = 1 ({@code chip}), a tile's chips
 * ({@code tile}) or n ({@code chips:n}); or, with {@code nodes:n}, a region of n nodes of a chip,
 * floor(nodes per chip / n) ranks to a chip. Every rank graph runs on its own streams in one
 * simulation ({@link RankStages}), sends and receives matched into one transfer each, collectives
 * merged across their group's ranks. The rest of the machine is idle unless
 * {@code run.replicateRanks} repeats the rank set data parallel over it.
 *
 * <pre>
 *   chip order:  | rank 0 | rank 1 | ... | rank N-1 | rank 0 | ... | rank N-1 | ... | idle |
 *                |<------ copy 0 (simulated) ------>|<------ copy 1 ------->|
 *   copies D = 1, or alive chips / (N c) with run.replicateRanks
 *   nodes:n      rank slot g = copy x N + k  ->  chip g / p of the order, nodes [(g mod p) n, (g mod p + 1) n),  p = nodes per chip / n
 * </pre>
 *
 * <p>Caveats: copies beyond the first are folded as data-parallel replicas are (their compute and
 * HBM traffic are not simulated; their messages and collectives are); a tile placement on a tile
 * with dead chips spills into the next tile; a node region is the range of a chip's active node
 * indices, not a rectangle of the mesh.
 */
public final class RankMapper {
    private RankMapper() {
    }

    /**
     * What {@code run.rankPlacement}, {@code run.replicateRanks}, {@code run.unmatchedPointToPoint} and
     * {@code run.pointToPointProtocol} say.
     *
     * @param chipsPerRank chips of one rank (0 for "replica": the folded data-parallel mapping; 1 for node regions)
     * @param nodesPerRank nodes of one rank's region of a chip (0: whole chips)
     * @param nodesPerChip active nodes of a chip
     * @param name         the value as written
     */
    public record Options(String name, int chipsPerRank, int nodesPerRank, int nodesPerChip, boolean replicate, boolean warnUnmatched,
                          boolean rendezvous) {
        /** @return true when a multi-rank trace runs rank by rank */
        public boolean rankFaithful() {
            return chipsPerRank > 0;
        }

        /** @return ranks that share one chip (1 unless ranks are node regions) */
        public int ranksPerChip() {
            return nodesPerRank > 0 ? nodesPerChip / nodesPerRank : 1;
        }

        /** @return chips holding {@code slots} ranks */
        long chipsFor(long slots) {
            return nodesPerRank > 0 ? (slots + ranksPerChip() - 1) / ranksPerChip() : slots * chipsPerRank;
        }
    }

    /**
     * @param chipsPerTile chips of a tile of the configured machine
     * @param nodesPerChip active nodes of a chip
     * @throws ConfigException naming the key and the allowed values when {@code placement} is none of them
     */
    public static Options options(String placement, boolean replicate, String unmatched, String protocol, int chipsPerTile, int nodesPerChip) {
        String p = placement.trim().toLowerCase(Locale.ROOT);
        String allowed = "allowed: chip (one rank per chip, packed tile by tile), tile (one rank per tile), chips:N (N chips per rank),"
                + " nodes:N (a region of N of a chip's " + nodesPerChip + " nodes per rank) or replica (fold the ranks into data-parallel"
                + " replicas of one graph)";
        int c;
        int nodes = 0;
        if (p.equals("chip")) {
            c = 1;
        } else if (p.equals("tile")) {
            c = chipsPerTile;
        } else if (p.equals("replica")) {
            c = 0;
        } else if (p.startsWith("chips:") || p.startsWith("nodes:")) {
            int v;
            try {
                v = Integer.parseInt(p.substring(6).trim());
            } catch (NumberFormatException e) {
                v = -1;
            }
            boolean chips = p.startsWith("chips:");
            int max = chips ? Integer.MAX_VALUE : nodesPerChip;
            if (v < 1 || v > max) {
                throw new ConfigException("key 'run.rankPlacement' = '" + placement + "': the " + (chips ? "chips" : "nodes")
                        + " per rank must be a whole number from 1" + (chips ? "" : " to " + nodesPerChip + " (a chip's active nodes)") + "; " + allowed);
            }
            c = chips ? v : 1;
            nodes = chips ? 0 : v;
        } else {
            throw new ConfigException("key 'run.rankPlacement' = '" + placement + "'; " + allowed);
        }
        if (!unmatched.equals("error") && !unmatched.equals("warn")) {
            throw new ConfigException("key 'run.unmatchedPointToPoint' = '" + unmatched + "'; allowed: error, warn");
        }
        if (!protocol.equals("eager") && !protocol.equals("rendezvous")) {
            throw new ConfigException("key 'run.pointToPointProtocol' = '" + protocol + "'; allowed: eager, rendezvous");
        }
        return new Options(p, c, nodes, nodesPerChip, replicate, unmatched.equals("warn"), protocol.equals("rendezvous"));
    }

    /** @return true when the workload runs rank by rank: more than one rank and a rank-faithful placement */
    public static boolean applies(Workload w, Options o) {
        return w.ranks().size() > 1 && o.rankFaithful();
    }

    /** The plan and merged graph of a rank-faithful run, and the warnings of unmatched sends and receives it ran anyway. */
    public record Result(Mapper.Mapping mapping, List<String> warnings) {
    }

    /**
     * @throws ConfigException when the ranks need more chips than the system has alive (names the
     *     key and what is allowed), or their sends, receives or collectives do not match
     */
    public static Result map(Workload w, Mapper.SystemShape s, Options o, double optimizerBytesPerParam, double sramUsableFraction) {
        int n = w.ranks().size();
        int c = o.chipsPerRank();
        long need = o.chipsFor(n);
        if (need > s.aliveChips()) {
            int maxN = s.aliveChips() / n;
            String what = o.nodesPerRank() > 0 ? n + " ranks of " + o.nodesPerRank() + " nodes, " + o.ranksPerChip() + " to a chip"
                    : n + " ranks of " + c + " chip" + (c == 1 ? "" : "s") + " each";
            throw new ConfigException("key 'run.rankPlacement' = " + o.name() + ": workload '" + w.metadata().name() + "' has " + what + " ("
                    + need + " chips), but the system has " + s.aliveChips() + " alive chips; allowed: "
                    + (maxN >= 1 ? "chip" + (maxN > 1 ? ", chips:N with N <= " + maxN : "") + ", " : "")
                    + "nodes:N with N <= " + s.nodesPerChip() * (long) s.aliveChips() / n
                    + ", replica (fold the ranks into data-parallel replicas), or a larger pod.system.scope");
        }
        long nodeSram = (long) (s.sramBytesPerNode() * sramUsableFraction);
        long chipSram = (long) (s.nodesPerChip() * (double) s.sramBytesPerNode() * sramUsableFraction);
        long rankSram = o.nodesPerRank() > 0 ? o.nodesPerRank() * nodeSram : (long) c * chipSram;
        long worst = 0;
        for (RankGraph g : w.ranks()) {
            Workload one = new Workload(w.metadata(), List.of(g));
            worst = Math.max(worst, (long) Math.ceil(Mapper.footprint(one, 0).total()
                    + w.metadata().parameterCount() * optimizerBytesPerParam / n));
        }
        RankStages.Merged merged = RankStages.merge(w, true, o.warnUnmatched(), o.rendezvous());
        int copies = 1;
        if (o.replicate()) {
            while (o.chipsFor((long) (copies + 1) * n) <= s.aliveChips()) copies++;
        }
        int used = (int) o.chipsFor((long) copies * n);
        int idle = s.aliveChips() - used;
        int dataCollectives = 0;
        for (Operation op : merged.graph().ops()) {
            if (op instanceof CollectiveOp co && (co.group().dimension() == ParallelDim.DATA || co.group().dimension() == ParallelDim.ALL)) {
                dataCollectives++;
            }
        }
        String reason = "the trace's " + n + " ranks run rank by rank, " + where(o) + ", packed tile by tile (run.rankPlacement = " + o.name() + ")"
                + (o.replicate() ? "; the " + n + "-rank set is replicated data parallel " + copies + " times over the system (run.replicateRanks = true)"
                : "; " + idle + " chips stay idle (run.replicateRanks = false)");
        Plan plan = new Plan((int) need, copies, idle, worst, rankSram, 0, dataCollectives, n, c, 1, "ranks", 0.0, 0, reason);
        return new Result(new Mapper.Mapping(plan, merged.graph(), merged.stageOf(), Map.of()), merged.warnings());
    }

    /**
     * @return the plan the pod backend places its chips by: the rank plan itself, or, for node
     *     regions (several ranks to a chip), one replica spanning the chips the copies use
     */
    static Plan podPlan(Plan plan, Options o) {
        if (o.nodesPerRank() == 0) {
            return plan;
        }
        int used = (int) o.chipsFor((long) plan.dataParallel() * plan.pipelineStages());
        return new Plan(used, 1, plan.idleChips(), plan.footprintBytes(), plan.regionSramBytes(), 0, plan.gradientBuckets(), plan.reason());
    }

    /** @return the sentence summary.json ({@code workload.rankNote}) and the terminal give about the placement */
    public static String note(Workload w, Options o, Plan plan) {
        int n = w.ranks().size();
        long need = o.chipsFor(n);
        return n + " ranks on " + need + " chip" + (need == 1 ? "" : "s") + " (" + where(o) + ", run.rankPlacement = " + o.name() + "); "
                + (o.replicate() ? "replicated data parallel: " + plan.dataParallel() + " copies of the rank set on "
                + o.chipsFor((long) plan.dataParallel() * n) + " chips, collectives over data-parallel or whole-set groups span the copies"
                + " (run.replicateRanks = true)"
                : "not replicated: the other " + plan.idleChips() + " chips are idle (run.replicateRanks = true fills the system data parallel)");
    }

    private static String where(Options o) {
        int c = o.chipsPerRank();
        if (o.nodesPerRank() > 0) {
            return "a region of " + o.nodesPerRank() + " nodes per rank, " + o.ranksPerChip() + " to a chip";
        }
        return c == 1 ? "one rank per chip" : o.name().equals("tile") ? "one rank per tile (" + c + " chips)" : c + " chips per rank";
    }
}
