package io.dojosim.workload;

import io.dojosim.core.config.Check;
import java.util.List;

/**
 * A tensor moved between HBM (DIP) and on-chip SRAM. Chakra's MEM_LOAD_NODE maps to
 * {@link Direction#HBM_TO_SRAM}, MEM_STORE_NODE to {@link Direction#SRAM_TO_HBM}.
 *
 * @param tensor name of the tensor moved, "" when unknown
 */
public record MemoryOp(long id, String name, Direction direction, long bytes, String tensor, List<Long> deps,
                       String layer, Phase phase, long measuredDurationPs) implements Operation {

    /** Direction of a memory operation. */
    public enum Direction { HBM_TO_SRAM, SRAM_TO_HBM }

    public MemoryOp {
        deps = Operation.checkCommon(id, name, deps, layer, phase, measuredDurationPs);
        Check.require(direction != null, "operation " + id + ": memory direction is missing");
        Check.require(bytes >= 0, "operation " + id + ": bytes must be >= 0, got " + bytes);
        Check.require(tensor != null, "operation " + id + ": tensor is null (use \"\")");
    }

    @Override
    public OpType type() {
        return OpType.MEMORY;
    }
}
