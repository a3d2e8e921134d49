package io.dojosim.workload;

import io.dojosim.core.config.Check;
import java.util.List;

/**
 * A collective communication over a {@link CommGroup}.
 *
 * @param bytes bytes per rank (the size of each rank's buffer), as Chakra's {@code comm_size} and
 *     ASTRA-sim's communication sizes; 0 when the producer gave none (reported on import)
 * @param priority scheduling priority (Chakra {@code comm_priority}), 0 by default
 */
public record CollectiveOp(long id, String name, CollectiveKind collective, long bytes, CommGroup group,
                           int priority, List<Long> deps, String layer, Phase phase, long measuredDurationPs)
        implements Operation {
    public CollectiveOp {
        deps = Operation.checkCommon(id, name, deps, layer, phase, measuredDurationPs);
        Check.require(collective != null, "operation " + id + ": collective kind is missing");
        Check.require(group != null, "operation " + id + ": communication group is missing");
        Check.require(bytes >= 0, "operation " + id + ": bytes must be >= 0, got " + bytes);
    }

    @Override
    public OpType type() {
        return OpType.COLLECTIVE;
    }
}
