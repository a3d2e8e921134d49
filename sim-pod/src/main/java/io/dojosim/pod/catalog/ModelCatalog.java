package io.dojosim.pod.catalog;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.stats.StatGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog of every model: each parameter group ({@code sim.*}, {@code noc.*}, {@code d1.*},
 * {@code pod.*}, {@code run.*}, trace import and defect sampling) and each statistic declaration,
 * in the order {@code dojosim describe} prints them. The command line builds its config catalog
 * from {@link #params()}, and {@code describe --stats} lists {@link #stats()}.
 *
 * <p>Caveats: a new model adds its group or its statistics here, once; a test runs a step, a chip
 * kernel and a region and fails on any statistic written that no declaration here matches.
 */
public final class ModelCatalog {
    private ModelCatalog() {
    }

    /** @return every parameter group, in a fixed order */
    public static List<ParamGroup> params() {
        List<ParamGroup> g = new ArrayList<>();
        g.add(io.dojosim.core.config.CoreParams.GROUP);
        g.add(io.dojosim.noc.NocParams.GROUP);
        g.add(io.dojosim.d1.D1Params.NODE);
        g.add(io.dojosim.d1.D1Params.CHIP);
        g.add(io.dojosim.d1.energy.D1EnergyParams.GROUP);
        g.addAll(io.dojosim.pod.PodParams.ALL);
        g.add(io.dojosim.pod.energy.PodEnergyParams.GROUP);
        g.add(io.dojosim.pod.step.StepParams.GROUP);
        g.add(io.dojosim.workload.io.TraceParams.GROUP);
        g.add(io.dojosim.pod.defect.DefectParams.GROUP);
        return List.copyOf(g);
    }

    /** @return every model's statistic declarations: node, network-on-chip, pod flow network, then the run's executor, backend and runner */
    public static List<StatGroup> stats() {
        return List.of(io.dojosim.d1.node.D1Node.STATS, io.dojosim.noc.MeshNetwork.STATS, io.dojosim.pod.PodSimulation.STATS,
                io.dojosim.pod.step.StepExecutor.STATS, io.dojosim.pod.step.PodStepBackend.STATS, io.dojosim.pod.step.StepRunner.STATS);
    }
}
