package io.dojosim.pod.step;

import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.PointToPointOp;

/**
 * Slow chips inside the simulated step: every compute operation of pipeline stage {@code st}
 * takes {@code stageSlowdown[st]} times its time on the wrapped backend, where that factor is the
 * largest slowdown of a chip in stage {@code st} of any replica ({@link PodStepBackend#stageSlowdowns}).
 * The stage's chips compute in lockstep, and the data-parallel collectives that follow wait for the
 * slowest replica, so with replicas folded the representative replica runs at its slowest copy's
 * pace: a collective starts when the slow member's compute ends, and compute that overlaps
 * communication stays overlapped (docs/model/energy.md#stragglers, ADR 0087).
 *
 * <p>Caveats: only the busy time stretches (the matrix, SIMD and SRAM busy times, and so the
 * dynamic energy, stay those of the operation: a slow chip does the same work, more slowly); the
 * faster replicas wait in the collective rather than idling before it, which gives the same step time.
 */
public final class PacedBackend extends StagedStepBackend {
    private final StepBackend inner;
    private final double[] stageSlowdown;

    /**
     * @param inner         the backend whose compute is stretched
     * @param stageSlowdown per pipeline stage, a factor >= 1
     */
    public PacedBackend(StepBackend inner, double[] stageSlowdown) {
        for (double s : stageSlowdown) {
            if (!(s >= 1.0)) throw new IllegalArgumentException("a stage slowdown is >= 1, not " + s);
        }
        this.inner = inner;
        this.stageSlowdown = stageSlowdown.clone();
    }

    /** @return the backend itself when no stage is slow, otherwise a pacing wrapper */
    public static StepBackend of(StepBackend inner, double[] stageSlowdown) {
        for (double s : stageSlowdown) {
            if (s > 1.0) return new PacedBackend(inner, stageSlowdown);
        }
        return inner;
    }

    @Override
    public ComputeTiming compute(ComputeOp op, int stage) {
        ComputeTiming t = inner.compute(op, stage);
        double s = stageSlowdown[stage];
        if (s == 1.0) return t;
        return new ComputeTiming(Math.round(t.busyPs() * s), t.matrixBusyPs(), t.simdBusyPs(), t.sramBusyPs(), t.limiter());
    }

    @Override
    public void collective(CollectiveOp op, int stage, long token, Completion done) {
        inner.collective(op, stage, token, done);
    }

    @Override
    public void memory(MemoryOp op, int stage, long token, Completion done) {
        inner.memory(op, stage, token, done);
    }

    @Override
    public void pointToPoint(PointToPointOp op, int stage, long token, Completion done) {
        inner.pointToPoint(op, stage, token, done);
    }
}
