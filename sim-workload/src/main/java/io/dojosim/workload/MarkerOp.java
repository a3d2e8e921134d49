package io.dojosim.workload;

import java.util.List;

/**
 * An operation that takes no time and only orders others: a Chakra METADATA_NODE, INVALID_NODE or
 * node of a type this version does not know, kept so that the dependencies through it hold.
 *
 * @param note what the marker stands for, e.g. "chakra METADATA_NODE"
 */
public record MarkerOp(long id, String name, String note, List<Long> deps, String layer, Phase phase)
        implements Operation {
    public MarkerOp {
        deps = Operation.checkCommon(id, name, deps, layer, phase, NO_DURATION);
        io.dojosim.core.config.Check.require(note != null, "operation " + id + ": note is null (use \"\")");
    }

    @Override
    public long measuredDurationPs() {
        return NO_DURATION;
    }

    @Override
    public OpType type() {
        return OpType.MARKER;
    }

    @Override
    public Costing costing() {
        return Costing.FREE;
    }

    @Override
    public long bytes() {
        return 0;
    }
}
