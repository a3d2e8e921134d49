package io.dojosim.pod.step;

import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.PointToPointOp;

/**
 * A backend whose every operation takes its pipeline stage ({@link PodStepBackend},
 * {@link RankStepBackend}, {@link PacedBackend}): the operations without a stage are stage 0's,
 * here once instead of in each backend.
 */
abstract class StagedStepBackend implements StepBackend {
    @Override
    public final ComputeTiming compute(ComputeOp op) {
        return compute(op, 0);
    }

    @Override
    public final void collective(CollectiveOp op, long token, Completion done) {
        collective(op, 0, token, done);
    }

    @Override
    public final void memory(MemoryOp op, long token, Completion done) {
        memory(op, 0, token, done);
    }

    @Override
    public final void pointToPoint(PointToPointOp op, long token, Completion done) {
        pointToPoint(op, 0, token, done);
    }

    @Override
    public abstract ComputeTiming compute(ComputeOp op, int stage);

    @Override
    public abstract void collective(CollectiveOp op, int stage, long token, Completion done);

    @Override
    public abstract void memory(MemoryOp op, int stage, long token, Completion done);

    @Override
    public abstract void pointToPoint(PointToPointOp op, int stage, long token, Completion done);
}
