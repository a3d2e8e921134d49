package io.dojosim.workload;

import io.dojosim.core.config.Check;
import java.util.List;

/**
 * One side of a point-to-point message: a send to {@code peer} or a receive from it. A send and a
 * receive match by (source rank, destination rank, tag).
 *
 * @param peer the other rank (destination of a send, source of a receive)
 * @param tag message tag, 0 when the producer gave none
 */
public record PointToPointOp(long id, String name, Direction direction, int peer, long tag, long bytes,
                             List<Long> deps, String layer, Phase phase, long measuredDurationPs)
        implements Operation {

    /** Send or receive. */
    public enum Direction { SEND, RECV }

    public PointToPointOp {
        deps = Operation.checkCommon(id, name, deps, layer, phase, measuredDurationPs);
        Check.require(direction != null, "operation " + id + ": direction is missing");
        Check.require(peer >= 0, "operation " + id + ": peer rank must be >= 0, got " + peer);
        Check.require(bytes >= 0, "operation " + id + ": bytes must be >= 0, got " + bytes);
    }

    @Override
    public OpType type() {
        return direction == Direction.SEND ? OpType.SEND : OpType.RECV;
    }
}
