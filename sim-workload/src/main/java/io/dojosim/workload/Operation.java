package io.dojosim.workload;

import java.util.List;

/**
 * One node of the operation graph of a training step on one rank.
 *
 * <p>Every operation has an id unique within its {@link RankGraph}, a name, the ids of the
 * operations it waits for ({@link #deps()}), an optional layer name ("" when none), a {@link Phase}
 * and an optional measured duration in picoseconds ({@link #NO_DURATION} when none).
 *
 * <p>Caveats: dependencies are "must finish before I start" edges; data and control dependencies of
 * traces are merged.
 */
public sealed interface Operation permits ComputeOp, MemoryOp, PointToPointOp, CollectiveOp, MarkerOp {

    /** Value of {@link #measuredDurationPs()} when the operation carries no measured duration. */
    long NO_DURATION = -1;

    long id();

    String name();

    /** @return ids of the operations that must finish before this one starts, immutable */
    List<Long> deps();

    /** @return layer name, "" when the operation belongs to no layer */
    String layer();

    Phase phase();

    /** @return measured duration in ps, or {@link #NO_DURATION} */
    long measuredDurationPs();

    OpType type();

    /**
     * @return whether the Dojo model times this operation or the measured duration is replayed; for
     * an operation that moves bytes (memory, point-to-point, collective): bytes make it modeled,
     * else a measured duration makes it replayed, else it is free
     */
    default Costing costing() {
        if (bytes() > 0) {
            return Costing.MODELED;
        }
        return measuredDurationPs() != NO_DURATION ? Costing.REPLAYED : Costing.FREE;
    }

    /** @return bytes moved by a memory or communication operation; bytes touched by a compute operation */
    long bytes();

    /** @return floating-point operations (0 for everything but compute) */
    default long flops() {
        return 0;
    }

    /** Checks the fields every operation has; returns an immutable copy of deps. */
    static List<Long> checkCommon(long id, String name, List<Long> deps, String layer, Phase phase,
                                  long measuredDurationPs) {
        io.dojosim.core.config.Check.require(name != null, "operation " + id + ": name is missing");
        io.dojosim.core.config.Check.require(layer != null, "operation " + id + ": layer is null (use \"\")");
        io.dojosim.core.config.Check.require(phase != null, "operation " + id + ": phase is missing");
        io.dojosim.core.config.Check.require(deps != null, "operation " + id + ": deps is null");
        io.dojosim.core.config.Check.require(measuredDurationPs >= 0 || measuredDurationPs == NO_DURATION,
                "operation " + id + ": measured duration must be >= 0 ps, got " + measuredDurationPs);
        return List.copyOf(deps);
    }
}
