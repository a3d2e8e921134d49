package io.dojosim.pod.scenario;

import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.engine.Workers;
import io.dojosim.pod.LevelUtilization;
import io.dojosim.pod.Machine;
import io.dojosim.pod.MeshLinkUsage;
import io.dojosim.pod.PodSimulation;
import io.dojosim.pod.RegionTransport;
import io.dojosim.pod.collective.AlgorithmSelector;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.pod.collective.CollectivePrimitive;
import io.dojosim.pod.collective.CollectiveResult;
import io.dojosim.pod.spec.SystemSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code dojosim collective} scenario: one collective as traffic on the machine a system spec
 * describes. {@link #run} builds the machine, the flow network and the region of interest's
 * meshes ({@code pod.coarse.*}), forms the group, picks the algorithm ({@code auto}: the smallest
 * alpha-beta estimate, ADR 0072), runs the collective and returns a typed {@link Result}; the
 * command only parses, calls this and renders.
 *
 * <p>Caveats: the simulator is the spec's ({@link io.dojosim.core.engine.SimSpec#newSimulator()}),
 * so {@code sim.eventSet} and {@code sim.seed} apply; the mesh of {@code --scope chip} splits its
 * routers over the workers' lanes (the result does not depend on their number).
 */
public final class CollectiveScenario {
    private CollectiveScenario() {
    }

    /**
     * What to run.
     *
     * @param op          the primitive
     * @param algorithm   the algorithm, or null for {@code pod.collective.algorithm}
     * @param scope       chip (the nodes of the region chip), tile, tray or pod
     * @param nodeMembers every node of the member chips instead of the chips (always true at chip scope)
     * @param chips       member chips (global ids), or null for every chip of the scope
     * @param chipsLabel  how the chips were written, for the group's name
     * @param bytes       buffer size per member
     */
    public record Request(CollectivePrimitive op, CollectiveAlgorithm algorithm, String scope, boolean nodeMembers, List<Integer> chips,
                          String chipsLabel, long bytes) {
        public Request {
            chips = chips == null ? null : List.copyOf(chips);
        }
    }

    /**
     * What a collective did.
     *
     * @param algorithm          the algorithm that ran
     * @param requested          the algorithm asked for ({@code auto} or the one that ran)
     * @param autoEstimates      the alpha-beta estimates in seconds of {@link CollectiveAlgorithm#concrete()}, in that order; empty unless auto
     * @param memberKind         nodes or chips
     * @param systemScope        the scope of the system built
     * @param transportFidelity  the transport's description of its fidelities ({@code flow} when no mesh ran)
     * @param regionFidelity     {@code pod.coarse.chipFidelity} when a region chip exists, else {@code flow}
     * @param roiChip            the region's chip, -1 without a region
     * @param regionChips        the region's chips
     * @param meshedChips        chips whose meshes were built
     * @param groupName          the group's name
     * @param collective         time, members, transfers and the alpha-beta bound
     * @param chunks             {@code pod.collective.chunks}
     * @param pipelineDepth      {@code pod.collective.pipelineDepth}
     * @param levels             every link level's utilization over the collective
     * @param mesh               the region meshes' link usage ({@link MeshLinkUsage#NONE} without meshes)
     * @param bytes              buffer size per member
     */
    public record Result(CollectiveAlgorithm algorithm, CollectiveAlgorithm requested, List<Double> autoEstimates, String scope,
                         String memberKind, String systemScope, String transportFidelity, String regionFidelity, int roiChip,
                         List<Integer> regionChips, int meshedChips, long meshTransfers, long crossingTransfers, long flowTransfers,
                         long meshMessages, String groupName, CollectiveResult collective, int chunks, int pipelineDepth,
                         List<LevelUtilization> levels, MeshLinkUsage mesh, long bytes) {
        public Result {
            autoEstimates = List.copyOf(autoEstimates);
            regionChips = List.copyOf(regionChips);
            levels = List.copyOf(levels);
        }
    }

    /**
     * Runs the collective.
     *
     * @throws io.dojosim.core.config.ConfigException for members or a region the built system does not have
     */
    public static Result run(SystemSpec spec, Request q, Workers workers) {
        CollectiveAlgorithm a = q.algorithm() != null ? q.algorithm() : spec.collective().algorithm();
        int chunks = spec.collective().chunks();
        int depth = spec.collective().pipelineDepth();
        Simulator sim = spec.sim().newSimulator();
        sim.useWorkers(workers); // the chip mesh of --scope chip splits its routers over them
        PodSimulation ps = new PodSimulation(sim, Machine.build(spec), chunks, depth);
        // the region of interest (pod.coarse.chipFidelity = packet or flit): transfers between two
        // nodes of chip pod.coarse.roiChip on sim-noc's mesh, everything else on the flow model
        RegionTransport t = new RegionTransport(ps.network(), spec);
        CollectiveGroup g;
        boolean chipScope = q.scope().equals("chip");
        if (chipScope) {
            g = t.roiChip() >= 0 ? CollectiveGroup.nodesOfChip(ps.machine().topology(), t.roiChip())
                    : CollectiveGroup.forScope(ps.machine().topology(), q.scope());
        } else {
            g = q.chips() != null
                    ? CollectiveGroup.ofChips(ps.machine().topology(), "chips " + q.chipsLabel(), q.chips().stream().mapToInt(Integer::intValue).toArray())
                    : CollectiveGroup.forScope(ps.machine().topology(), q.scope());
            if (q.nodeMembers()) g = CollectiveGroup.nodesOfChips(ps.machine().topology(), g);
        }
        io.dojosim.pod.collective.CollectiveAdmission.check(g.size(), "--scope " + q.scope() + " --members "
                + (chipScope || q.nodeMembers() ? "nodes" : "chips"), Runtime.getRuntime().maxMemory());
        CollectiveAlgorithm requested = a;
        List<Double> estimates = List.of();
        if (a == CollectiveAlgorithm.AUTO) {
            double[] e = new AlgorithmSelector(ps.machine().topology(), chunks, depth).estimates(q.op(), g, q.bytes());
            a = AlgorithmSelector.best(e);
            estimates = Arrays.stream(e).boxed().toList();
        }
        Collective col = new Collective(t, ps.machine().topology(), q.op(), a, g, q.bytes(), chunks, depth);
        col.start(null, 0);
        sim.run();
        CollectiveResult r = col.result();
        if (r == null) {
            throw new SimulationError("pod.collective", sim.now(), "the collective did not finish");
        }
        List<LevelUtilization> levels = new ArrayList<>(Arrays.asList(ps.utilization()));
        return new Result(a, requested, estimates, q.scope(), chipScope ? "nodes" : q.nodeMembers() ? "nodes" : "chips",
                spec.system().scope().key(), t.fidelity(), t.roiChip() >= 0 ? spec.coarse().chipFidelity().key() : "flow", t.roiChip(),
                Arrays.stream(t.regionChips()).boxed().toList(), t.meshedChips().length, t.meshTransfers(), t.crossingTransfers(),
                t.flowTransfers(), t.meshMessages(), g.name(), r, chunks, depth, levels, t.meshLinkUtilization(sim.now()), q.bytes());
    }
}
