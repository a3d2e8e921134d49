package io.dojosim.pod.spec;

import static io.dojosim.core.config.Check.require;

import io.dojosim.core.engine.SimSpec;
import io.dojosim.core.util.EnumKeys;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.chip.ChipParams;
import io.dojosim.d1.chip.ChipSimSpec;
import io.dojosim.noc.NocParams;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import java.util.List;

/**
 * The whole configured system as one tree of immutable records, bound once from the resolved
 * config by {@code io.dojosim.pod.bind.SpecBinder} (the only code that reads a key) and handed to
 * every scenario and model. Each record mirrors one parameter group and checks what its group's
 * ranges cannot.
 *
 * <pre>
 *   SystemSpec
 *     sim         SimSpec      sim.*          seed, event set, idle skipping
 *     noc         NocParams    noc.*          (+ nocRoutingExplicit: whether noc.routing was set)
 *     node        NodeParams   d1.node.*
 *     chip        ChipParams   d1.chip.*      disabled sites typed ({@link io.dojosim.noc.Site})
 *     tile        Tile         pod.tile.*
 *     tray        Tray         pod.tray.*
 *     dip         Dip          pod.dip.*
 *     ethernet    Ethernet     pod.ethernet.*
 *     system      Size         pod.system.*   scope as {@link Scope}
 *     coarse      Coarse       pod.coarse.*   fidelities as {@link ChipFidelity}, {@link RoiScope}
 *     collective  Collective   pod.collective.*
 *     run         Run          run.*          with Plan (run.plan.*) and Mapping (run.mapping.*)
 *     d1Energy    D1Energy     d1.energy.*    pJ per operation and static power of a die (docs/model/energy.md)
 *     energy      PodEnergy    pod.energy.*   pJ per byte of the links, I/O and host power, the tile power cap
 * </pre>
 *
 * <p>Usable SRAM: two notions stay, named apart. {@link NodeParams#dataBytes()} (capacity minus
 * {@code d1.node.codeReserveBytes}) is what a cycle-level node program may occupy;
 * {@link Mapping#sramUsableFraction()} of capacity is the mapper's footprint budget. Making them one would move the mapper's plans (ADR 0082).
 *
 * <p>Caveats: the model groups' own records ({@link NocParams}, {@link NodeParams},
 * {@link ChipParams}) keep their packages; the pod records are nested here.
 */
public record SystemSpec(SimSpec sim, NocParams noc, boolean nocRoutingExplicit, NodeParams node, ChipParams chip, Tile tile, Tray tray,
                         Dip dip, Ethernet ethernet, Size system, Coarse coarse, Collective collective, Run run,
                         io.dojosim.d1.energy.D1Energy d1Energy, io.dojosim.pod.spec.PodEnergy energy) {

    public SystemSpec {
        require(sim != null && noc != null && node != null && chip != null && tile != null && tray != null && dip != null
                && ethernet != null && system != null && coarse != null && collective != null && run != null && d1Energy != null
                && energy != null, "every group of the system spec is required");
    }

    /** @return the kernel, network-on-chip, node and die of a cycle-level chip simulation */
    public ChipSimSpec chipSim() {
        return new ChipSimSpec(sim, noc, node, chip);
    }

    /**
     * @param f flit or packet
     * @return the network-on-chip of a chip mesh inside the pod model at that fidelity: table
     * routing around the harvested sites unless {@code noc.routing} was set (docs/model/noc.md)
     */
    public NocParams podMeshNoc(ChipFidelity f) {
        require(f != ChipFidelity.FLOW, "a chip mesh is flit or packet, not flow");
        NocParams p = noc.withFidelity(f == ChipFidelity.FLIT ? NocParams.Fidelity.FLIT : NocParams.Fidelity.PACKET);
        return nocRoutingExplicit ? p : p.withRouting(NocParams.Routing.TABLE);
    }

    /** @return this spec with other {@code run.*} values */
    public SystemSpec withRun(Run r) {
        return new SystemSpec(sim, noc, nocRoutingExplicit, node, chip, tile, tray, dip, ethernet, system, coarse, collective, r, d1Energy, energy);
    }

    /** @return this spec with other {@code d1.node.*} values (the power cap's throttled clock) */
    public SystemSpec withNode(NodeParams n) {
        return new SystemSpec(sim, noc, nocRoutingExplicit, n, chip, tile, tray, dip, ethernet, system, coarse, collective, run, d1Energy, energy);
    }

    /** How much of the machine is built ({@code pod.system.scope}). */
    public enum Scope implements EnumKeys.Worded {
        TILE, TRAY, CABINET, POD;
    }

    /** Fidelity of a chip's on-chip traffic inside the pod model ({@code pod.coarse.chipFidelity}, {@code otherChipFidelity}). */
    public enum ChipFidelity implements EnumKeys.Worded {
        FLOW, PACKET, FLIT;
    }

    /** Extent of the region of interest ({@code pod.coarse.roiScope}). */
    public enum RoiScope { CHIP, TILE }

    /** How a chip's matrix work is timed in a run ({@code run.computeFidelity}). */
    public enum ComputeFidelity { ROOFLINE, CALIBRATED, CYCLE }

    /** How the plan search runs ({@code run.plan.search}). */
    public enum PlanSearchMode { SIMULATE, ESTIMATE, OFF }

    /** Order of micro-batches on a pipeline stage ({@code run.mapping.pipelineSchedule}). */
    public enum PipelineSchedule {
        ONE_F_ONE_B("1f1b"), GPIPE("gpipe");

        private final String key;

        PipelineSchedule(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static PipelineSchedule of(String key) {
            PipelineSchedule s = EnumKeys.find(values(), PipelineSchedule::key, key);
            if (s == null) throw new IllegalArgumentException("no pipeline schedule '" + key + "'");
            return s;
        }
    }

    /** {@code pod.system.*}: scope, size and what-if switches. */
    public record Size(Scope scope, int cabinets, int traysPerCabinet, boolean tileMeshAcrossTrays, List<String> deadChips,
                       List<String> deadLinks, List<SlowChip> slowChips, List<DeadNodes> deadNodes) {
        public Size {
            require(scope != null, "pod.system.scope is required");
            deadChips = List.copyOf(deadChips);
            deadLinks = List.copyOf(deadLinks);
            slowChips = List.copyOf(slowChips);
            deadNodes = List.copyOf(deadNodes);
        }

        /** A size without dead nodes. */
        public Size(Scope scope, int cabinets, int traysPerCabinet, boolean tileMeshAcrossTrays, List<String> deadChips,
                    List<String> deadLinks, List<SlowChip> slowChips) {
            this(scope, cabinets, traysPerCabinet, tileMeshAcrossTrays, deadChips, deadLinks, slowChips, List.of());
        }
    }

    /**
     * One {@code pod.system.deadNodes} entry: chip {@code (x, y)} of tile {@code tile} lost
     * {@code nodes} nodes beyond the harvested ones (docs/model/energy.md#dead-nodes).
     */
    public record DeadNodes(int tile, int x, int y, int nodes) {
        public DeadNodes {
            require(tile >= 0 && x >= 0 && y >= 0, "a chip's tile, x and y are >= 0");
            require(nodes >= 1, "a chip's dead nodes are >= 1");
        }
    }

    /**
     * One {@code pod.system.slowChips} entry: chip {@code (x, y)} of tile {@code tile} computes
     * {@code slowdown} times slower (docs/model/energy.md#stragglers).
     */
    public record SlowChip(int tile, int x, int y, double slowdown) {
        public SlowChip {
            require(tile >= 0 && x >= 0 && y >= 0, "a slow chip's tile, x and y are >= 0");
            require(slowdown >= 1.0 && Double.isFinite(slowdown), "a slow chip's slowdown is >= 1");
        }
    }

    /** {@code pod.tray.*}: tiles of a tray. */
    public record Tray(int tilesX, int tilesY) {
        public Tray {
            require(tilesX >= 1 && tilesY >= 1, "pod.tray.tilesX and tilesY must be >= 1");
        }
    }

    /** {@code pod.tile.*}: chips of a tile and its edges. */
    public record Tile(int chipsX, int chipsY, double edgeBytesPerSecond, boolean edgeRateCountsBothDirections, long tileToTileLatencyPs) {
        public Tile {
            require(chipsX >= 1 && chipsY >= 1, "pod.tile.chipsX and chipsY must be >= 1");
        }

        /** @return bytes per second of one tile edge per direction (half the rate when it counts both directions) */
        public double edgeBytesPerSecondPerDirection() {
            return edgeBytesPerSecond / (edgeRateCountsBothDirections ? 2 : 1);
        }
    }

    /** {@code pod.dip.*}: the Dojo Interface Processor. */
    public record Dip(int perTileEdge, long hbmBytes, double hbmBytesPerSecond, long hbmLatencyPs, double tileLinkBytesPerSecond,
                      long tileLinkLatencyPs, double ethernetBytesPerSecond, double pcieBytesPerSecond, long pcieLatencyPs) {
    }

    /** {@code pod.ethernet.*}: the Z-plane. */
    public record Ethernet(long oneWayLatencyPs, double efficiency) {
    }

    /** {@code pod.coarse.*}: the coarse chip mesh of the flow model and the region of interest. */
    public record Coarse(int meshLinkBytesPerCycle, int meshHopCycles, ChipFidelity chipFidelity, int roiChip, RoiScope roiScope, int roiTile,
                         ChipFidelity otherChipFidelity, int boundaryChunkBytes, int boundaryMaxChunks) {
        public Coarse {
            require(chipFidelity != null && roiScope != null && otherChipFidelity != null, "pod.coarse fidelities are required");
            require(otherChipFidelity != ChipFidelity.FLIT, "pod.coarse.otherChipFidelity is flow or packet");
        }
    }

    /** {@code pod.collective.*}: defaults of every collective. */
    public record Collective(CollectiveAlgorithm algorithm, int chunks, int pipelineDepth) {
        public Collective {
            require(algorithm != null, "pod.collective.algorithm is required");
            require(chunks >= 1 && pipelineDepth >= 1, "pod.collective.chunks and pipelineDepth must be >= 1");
        }
    }

    /**
     * {@code run.plan.*}: the plan search.
     *
     * @param maxSimulatedSize bound on a simulated candidate's graph operations x stage chips (0: none)
     */
    public record Plan(PlanSearchMode search, int simulate, double simulateWithin, long maxSimulatedSize) {
        public Plan {
            require(search != null, "run.plan.search is required");
            require(maxSimulatedSize >= 0, "run.plan.maxSimulatedSize must be >= 0");
        }
    }

    /**
     * {@code run.mapping.*}: overrides and budgets of the mapper.
     *
     * @param sramUsableFraction share of a node's SRAM the mapper fills with the replica's tensors
     *                           (its notion of usable SRAM; the node program's is {@link NodeParams#dataBytes()})
     * @param tensorParallel     chips of a tensor-parallel group (0: the plan search chooses, 1 when the plan is fixed)
     * @param sequenceParallel   with tensorParallel > 1, norms and residual adds split along the sequence
     * @param virtualStages      model chunks per pipeline stage (interleaved 1F1B; 0: the plan search chooses, 1 when fixed)
     */
    public record Mapping(int replicaChips, int pipelineStages, int microBatches, PipelineSchedule pipelineSchedule, boolean activationRecompute,
                          long maxPipelineFlows, int maxPipelineSlots, double optimizerBytesPerParam, int zeroStage, long fsdpUnitBytes,
                          int fsdpPrefetchUnits, double sramUsableFraction, long gradientBucketBytes, int tensorParallel,
                          boolean sequenceParallel, int virtualStages) {
        public Mapping {
            require(pipelineSchedule != null, "run.mapping.pipelineSchedule is required");
            require(tensorParallel >= 0 && virtualStages >= 0, "run.mapping.tensorParallel and virtualStages must be >= 0");
        }

        /** @return these overrides with the plan's choices fixed */
        public Mapping withPlan(int chips, int stages, int micro, int tensor, int virtual) {
            return new Mapping(chips, stages, micro, pipelineSchedule, activationRecompute, maxPipelineFlows, maxPipelineSlots,
                    optimizerBytesPerParam, zeroStage, fsdpUnitBytes, fsdpPrefetchUnits, sramUsableFraction, gradientBucketBytes, tensor,
                    sequenceParallel, virtual);
        }

        /** @return the tensor-parallel degree to run (0, "choose", runs as 1 when nothing searches) */
        public int tensorParallelOrOne() {
            return Math.max(1, tensorParallel);
        }

        /** @return the virtual stages to run (0, "choose", runs as 1 when nothing searches) */
        public int virtualStagesOrOne() {
            return Math.max(1, virtualStages);
        }
    }

    /** {@code run.*}: what {@code dojosim run} simulates and how. */
    public record Run(String workload, long batchPerReplica, long globalBatch, boolean weakBatchScaling, Plan plan, String dataType, int steps,
                      Mapping mapping, String traceRanks, String rankPlacement, boolean replicateRanks, String commGroups,
                      String unmatchedPointToPoint, String pointToPointProtocol, ComputeFidelity computeFidelity,
                      boolean simulateCalibrationMisses, int commStreams, int memoryStreams) {
        public Run {
            require(plan != null && mapping != null && computeFidelity != null, "run.plan, run.mapping and run.computeFidelity are required");
        }

        /** @return whether the config fixes any of the plan's choices (replica chips, stages, micro-batches, replica batch) */
        public boolean planFixed() {
            return mapping.replicaChips() != 0 || mapping.pipelineStages() != 0 || mapping.microBatches() != 0 || batchPerReplica != 0;
        }

        /** @return this run with the plan's choices and the replica batch fixed */
        public Run withPlan(int chips, int stages, int micro, long replicaBatch, int tensor, int virtual) {
            return new Run(workload, replicaBatch, globalBatch, weakBatchScaling, plan, dataType, steps,
                    mapping.withPlan(chips, stages, micro, tensor, virtual),
                    traceRanks, rankPlacement, replicateRanks, commGroups, unmatchedPointToPoint, pointToPointProtocol, computeFidelity,
                    simulateCalibrationMisses, commStreams, memoryStreams);
        }

        /** @return this run with another global batch */
        public Run withGlobalBatch(long g) {
            return new Run(workload, batchPerReplica, g, weakBatchScaling, plan, dataType, steps, mapping, traceRanks, rankPlacement,
                    replicateRanks, commGroups, unmatchedPointToPoint, pointToPointProtocol, computeFidelity, simulateCalibrationMisses, commStreams,
                    memoryStreams);
        }
    }
}
