package io.dojosim.pod.step;

import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.PointToPointOp;

/**
 * What the training-step executor needs from the machine: the time of a compute operation on the
 * replica's region, and communication and memory traffic started on the modeled network with a
 * completion callback. {@link PodStepBackend} implements it on the pod model; tests use small
 * hand-computable backends.
 */
public interface StepBackend {
    /** Told when a started transfer or collective has finished; {@code token} is the caller's. */
    @FunctionalInterface
    interface Completion {
        void done(long nowPs, long token);
    }

    /**
     * @return the busy time of the compute operation on the representative replica's region, in
     * picoseconds, at the configured node fidelity
     */
    ComputeTiming compute(ComputeOp op);

    /** Starts a collective over the group the plan gives its parallel dimension; calls back when done. */
    void collective(CollectiveOp op, long token, Completion done);

    /** Starts an HBM to SRAM (or back) transfer for the region; calls back when done. */
    void memory(MemoryOp op, long token, Completion done);

    /** Starts a point-to-point transfer to or from the peer rank's region; calls back when done. */
    void pointToPoint(PointToPointOp op, long token, Completion done);

    /** The compute operation on pipeline stage {@code stage} (0 when not pipelined). */
    default ComputeTiming compute(ComputeOp op, int stage) {
        return compute(op);
    }

    /** A collective of pipeline stage {@code stage}: tensor-parallel ones over the stage's chips, data-parallel ones over every replica's copy of the stage. */
    default void collective(CollectiveOp op, int stage, long token, Completion done) {
        collective(op, token, done);
    }

    /** An HBM transfer of pipeline stage {@code stage}. */
    default void memory(MemoryOp op, int stage, long token, Completion done) {
        memory(op, token, done);
    }

    /**
     * A point-to-point operation issued by pipeline stage {@code stage}; in a pipelined plan the
     * mapper's transfers between stages name the destination stage as peer.
     */
    default void pointToPoint(PointToPointOp op, int stage, long token, Completion done) {
        pointToPoint(op, token, done);
    }

    /**
     * Timing of one compute operation.
     *
     * @param busyPs       time the region's compute is occupied
     * @param matrixBusyPs time the matrix pipes are busy (for utilization)
     * @param simdBusyPs   time the SIMD pipes are busy
     * @param sramBusyPs   time the busiest SRAM port group (loads or stores) is busy
     * @param limiter      what bounds it: "matrix", "simd", "sram", "mesh", "latency", "replayed"
     */
    record ComputeTiming(long busyPs, long matrixBusyPs, long simdBusyPs, long sramBusyPs, String limiter) {
    }
}
