package io.dojosim.pod.step;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;
import java.util.List;

/** Parameters of {@code dojosim run}: the workload, the mapping and the executor. */
public final class StepParams {
    private StepParams() {
    }

    public static final ParamGroup GROUP = ParamGroup.builder("run",
                    "training step: workload, data type, mapping overrides, executor streams",
                    "docs/model/step.md")
            .stringParam("workload", "resnet50", ParamSource.simulator("docs/model/step.md#default-workload"),
                    "built-in workload name, or a workload file (.yaml/.json, Chakra .et or prefix, ASTRA-sim .txt)")
            .longParam("batchPerReplica", 0, 0, 1L << 40, "samples", ParamSource.simulator("docs/model/step.md#mapping"),
                    "samples each data-parallel replica processes per step (0: the workload's own batch)")
            .longParam("globalBatch", 0, 0, 1L << 40, "samples", ParamSource.simulator("docs/model/step.md#global-batch"),
                    "samples per training step over the whole system (0: the workload's reference recipe, see dojosim workload list); the plan search splits it over the replicas")
            .enumParam("batchScaling", "fixed", List.of("fixed", "weak"), ParamSource.simulator("docs/model/step.md#global-batch"),
                    "fixed: the global batch is the same on any machine; weak: the reference batch is scaled by alive chips / 3,000 (the ExaPOD it is stated for)")
            .enumParam("plan.search", "simulate", List.of("simulate", "estimate", "off"), ParamSource.simulator("docs/model/step.md#plan-search"),
                    "how run chooses the plan when run.mapping.* and run.batchPerReplica leave it open: simulate the best candidates by the estimate and take the fastest,"
                            + " take the estimate's best (one simulation), or off (the mapper's smallest-region rule at the workload's own batch)")
            .intParam("plan.simulate", 3, 1, 64, "plans", ParamSource.simulator("docs/model/step.md#plan-search"),
                    "candidates the plan search simulates (the best by the estimate); each is one full step of simulation")
            .doubleParam("plan.simulateWithin", 2.0, 0.0, 1000.0, "ratio", ParamSource.simulator("docs/model/step.md#plan-search"),
                    "the plan search does not simulate candidates estimated at more than this multiple of the best estimate (0: no limit, an exhaustive search with plan.simulate)")
            .longParam("plan.maxSimulatedSize", 4_000_000, 0, 1L << 50, "chip-operations", ParamSource.simulator("docs/model/step.md#plan-search"),
                    "the plan search does not simulate a candidate whose graph operations x stage chips exceed this (its simulation's memory grows with it);"
                            + " the next candidate by the estimate takes its place and the skipped one is listed as rejected (0: no bound)")
            .enumParam("dataType", "bf16", List.of("bf16", "cfp8", "fp32"), ParamSource.simulator("docs/model/step.md"),
                    "compute data type of generated workloads (weights, activations, arithmetic)")
            .intParam("steps", 1, 1, 1000, "steps", ParamSource.simulator("docs/model/step.md"),
                    "training steps to simulate; the step time is their mean")
            .intParam("mapping.replicaChips", 0, 0, 1_000_000, "chips", ParamSource.simulator("docs/model/step.md#mapping"),
                    "chips per data-parallel replica; 0 lets the mapper choose the smallest region whose SRAM holds the replica")
            .intParam("mapping.pipelineStages", 0, 0, 4096, "stages", ParamSource.simulator("docs/model/step.md#pipeline-parallelism"),
                    "pipeline stages per replica; 0 lets the mapper choose, 1 forbids pipelining; replicaChips (when set) must be a multiple")
            .intParam("mapping.microBatches", 0, 0, 1_000_000, "micro-batches", ParamSource.simulator("docs/model/step.md#pipeline-parallelism"),
                    "micro-batches per step of a pipelined plan; must divide the replica's batch; 0 lets the mapper choose")
            .enumParam("mapping.pipelineSchedule", "1f1b", List.of("1f1b", "gpipe"), ParamSource.simulator("docs/model/step.md#pipeline-parallelism"),
                    "order of micro-batch forward and backward passes on each stage: 1f1b (PipeDream-Flush / Megatron) or gpipe (all forwards, then all backwards)")
            .enumParam("mapping.activationRecompute", "stage", List.of("stage", "none"), ParamSource.assumed("docs/model/step.md#pipeline-parallelism (GPipe re-materialisation)"),
                    "pipelined plans: 'stage' keeps only each stage's input per micro-batch and recomputes its forward in the backward slot; 'none' keeps every activation")
            .longParam("mapping.maxPipelineFlows", 400_000, 1, 1L << 40, "flows", ParamSource.simulator("docs/model/step.md#choosing-a-plan"),
                    "the mapper skips pipelined plans whose step would start more network flows than this (2 x S x M slots x 4 x chips per stage): simulation time")
            .intParam("mapping.maxPipelineSlots", 1024, 16, 1_000_000, "slots", ParamSource.simulator("docs/model/step.md#pipeline-parallelism"),
                    "upper bound on stages x micro-batches the mapper chooses (bounds the simulated graph; an explicit microBatches may exceed it)")
            .doubleParam("mapping.optimizerBytesPerParam", 0.0, 0.0, 64.0, "bytes", ParamSource.published("docs/model/step.md#optimizer-state (Rajbhandari et al. 2020, ZeRO, section 3.1: mixed-precision Adam keeps 12 B per parameter)"),
                    "optimizer state per trainable parameter; 0: from the workload's optimizer (adam 12, sgd-momentum 8 with BF16 weights: FP32 master copy + state)")
            .intParam("mapping.zeroStage", 0, 0, 3, "stage", ParamSource.simulator("docs/model/step.md#zero-stages"),
                    "what a multi-chip region (or pipeline stage) shards over its chips: 1 optimizer state, 2 + gradients, 3 + weights gathered per FSDP unit; 0 lets the mapper choose")
            .intParam("mapping.tensorParallel", 0, 0, 1024, "chips", ParamSource.published("docs/model/step.md#tensor-parallelism (Megatron-LM, Shoeybi et al. 2019)"),
                    "chips of a tensor-parallel group inside a tile (chip g of each rank; consecutive chips when a rank has one): QKV and FFN-1 split by columns, projection and FFN-2 by rows, heads over the group;"
                            + " must divide the workload's heads; 0 lets the plan search choose (1 when the config fixes the plan), 1: none")
            .intParam("mapping.virtualStages", 0, 0, 64, "chunks", ParamSource.published("docs/model/step.md#interleaved-1f1b (Narayanan et al. 2021)"),
                    "model chunks per pipeline stage (interleaved 1F1B, bubble (S-1)/(v M)); 0 lets the plan search choose (1 when the config fixes the plan), 1: plain 1F1B")
            .boolParam("mapping.sequenceParallel", false, ParamSource.published("docs/model/step.md#tensor-parallelism (Korthikanti et al. 2022)"),
                    "with tensorParallel > 1: norms and residual adds split along the sequence; each all-reduce becomes an all-gather and a reduce-scatter")
            .bytesParam("mapping.fsdpUnitBytes", Mapper.DEFAULT_FSDP_UNIT_BYTES, 0, 1L << 40,
                    ParamSource.assumed("docs/model/step.md#fsdp-units (PyTorch FSDP's size-based wrap policy, scaled to a D1 chip's SRAM)"),
                    "ZeRO stage 3: consecutive layers are grouped into units of at least this many weight bytes, one all-gather per unit and pass (0: one unit per layer)")
            .intParam("mapping.fsdpPrefetchUnits", 1, 0, 8, "units", ParamSource.assumed("docs/model/step.md#fsdp-units (PyTorch FSDP's forward and backward prefetch of one unit)"),
                    "ZeRO stage 3: units gathered ahead of the one computing (0: each unit's gather waits for the previous unit to finish)")
            .doubleParam("mapping.sramUsableFraction", 0.9, 0.1, 1.0, "ratio", ParamSource.assumed("docs/model/step.md#footprint (code, stacks and buffers take the rest)"),
                    "fraction of node SRAM the mapper may fill with the replica's tensors")
            .bytesParam("mapping.gradientBucketBytes", 25L * 1024 * 1024, 0, 1L << 40,
                    ParamSource.assumed("docs/model/step.md#gradient-buckets (PyTorch DDP's default bucket of 25 MiB)"),
                    "data-parallel gradient all-reduces are merged, in graph order, into buckets of at least this size (0: one per layer)")
            .enumParam("traceRanks", "identical", List.of("identical", "each", "rank0"), ParamSource.simulator("docs/model/step.md#trace-ranks"),
                    "a trace whose rank graphs differ: 'identical' refuses it, 'each' runs every rank graph as its own stage on its own chips,"
                            + " 'rank0' simulates rank 0's graph as every replica's (all say so in summary.json)")
            .stringParam("rankPlacement", "chip", ParamSource.simulator("docs/model/step.md#rank-placement"),
                    "a trace of N > 1 ranks runs on N ranks: chip (one rank per chip, packed tile by tile), tile (one rank per tile),"
                            + " chips:N (N chips per rank), nodes:N (a region of N nodes of a chip per rank), or replica (fold the ranks into data-parallel replicas of one graph, run.traceRanks)")
            .boolParam("replicateRanks", false, ParamSource.simulator("docs/model/step.md#rank-placement"),
                    "repeat the placed rank set data parallel over the rest of the system (false: the other chips stay idle); summary.json says which")
            .stringParam("commGroups", "", ParamSource.simulator("docs/model/step.md#rank-placement"),
                    "ASTRA-sim communicator-group file (JSON: group name -> ranks) giving the ranks of the process groups a trace's collectives name (pg_name); empty: none")
            .enumParam("unmatchedPointToPoint", "error", List.of("error", "warn"), ParamSource.simulator("docs/model/step.md#point-to-point-messages"),
                    "a SEND or RECV without a partner (same source, destination and tag): 'error' refuses the trace naming the node and rank, 'warn' runs it with a warning")
            .enumParam("pointToPointProtocol", "eager", List.of("eager", "rendezvous"), ParamSource.simulator("docs/model/step.md#point-to-point-messages"),
                    "ranks run rank by rank: a matched send's transfer starts when the send is issued (eager), or once its receive is posted too (rendezvous)")
            .enumParam("computeFidelity", "calibrated", List.of("roofline", "calibrated", "cycle"), ParamSource.simulator("docs/model/step.md#compute"),
                    "how a chip's share of matrix work is timed: sim-d1's roofline, its cycle-level chip simulation (every node and the flit mesh; seconds per distinct shape, run on --threads),"
                            + " or calibrated (the cycle-level answers measured for this machine, shipped for the default one; docs/model/d1-chip.md#calibrated)")
            .enumParam("calibrationMisses", "nearest", List.of("nearest", "simulate"), ParamSource.simulator("docs/model/d1-chip.md#calibrated"),
                    "at calibrated fidelity, a whole-die share the table does not hold: nearest (the roofline scaled by the cycle / roofline ratio of the nearest measured shape)"
                            + " or simulate (time it at cycle fidelity for this run: a what-if that changes a node, chip or mesh parameter refills what it needs)")
            .intParam("commStreams", 1, 1, 64, "streams", ParamSource.simulator("docs/model/step.md#executor"),
                    "communication operations of a replica that may run at once")
            .intParam("memoryStreams", 2, 1, 64, "streams", ParamSource.simulator("docs/model/step.md#executor"),
                    "HBM transfers of a replica that may run at once (prefetch depth)")
            .build();
}
