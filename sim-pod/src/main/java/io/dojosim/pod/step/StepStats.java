package io.dojosim.pod.step;

import io.dojosim.core.stats.StatGroup;
import java.util.List;

/**
 * Every model's statistic declarations, in the order {@code dojosim describe --stats} prints them:
 * node, network-on-chip, pod flow network, then the training run's executor, backend and runner.
 * The statistics counterpart of {@link StepParams#allGroups()}; a test runs a step, a chip kernel
 * and a region and fails on any statistic written that no declaration here matches.
 */
public final class StepStats {
    private StepStats() {
    }

    /** @return every model's declarations, in a fixed order */
    public static List<StatGroup> all() {
        return List.of(io.dojosim.d1.node.D1Node.STATS, io.dojosim.noc.MeshNetwork.STATS, io.dojosim.pod.PodSimulation.STATS,
                StepExecutor.STATS, PodStepBackend.STATS, StepRunner.STATS);
    }
}
