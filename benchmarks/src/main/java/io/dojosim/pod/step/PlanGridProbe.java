package io.dojosim.pod.step;

import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.Topology;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.workload.Workload;

/**
 * Benchmark-only access to the plan search's memory bound: the size of a candidate's simulation
 * exactly as {@link PlanSearch} measures it against {@code run.plan.maxSimulatedSize} (graph
 * operations x stage chips; a pipelined plan: its slots' flows), so {@code PlanSearchCompare} skips
 * the grid candidates the search itself would not simulate. Lives in the benchmarks module, in
 * this package only to reach the package-private measure; nothing in the simulator uses it.
 */
public final class PlanGridProbe {
    private PlanGridProbe() {
    }

    /** @return the candidate's simulation size (chip-operations), mapped as the search maps it (pipelined: without its graph) */
    public static long simulationSize(SystemSpec cfg, PlanSearch.Candidate c, Workload atReplicaBatch) {
        PodConfig pc = PodConfig.of(cfg);
        Topology topo = new Topology(pc);
        D1RegionCompute roofline = new D1RegionCompute(new ChipComputeModel(cfg.chipSim()));
        Mapper.Mapping m = StepRunner.map(PlanSearch.fix(cfg, c), atReplicaBatch, topo, pc, cfg.node(), roofline, false);
        return PlanSearch.simulationSize(m);
    }
}
