package io.dojosim.pod.step;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;
import java.util.List;

/** Parameters of {@code dojosim run}: the workload, the mapping and the executor. */
public final class StepParams {
    private StepParams() {
    }

    /**
     * @return every parameter group of the model modules, in the order {@code dojosim describe}
     * prints them: kernel, network-on-chip, D1 node and chip, the pod's groups, then this one
     */
    public static java.util.List<ParamGroup> allGroups() {
        java.util.List<ParamGroup> g = new java.util.ArrayList<>();
        g.add(io.dojosim.core.config.CoreParams.GROUP);
        g.add(io.dojosim.noc.NocParams.GROUP);
        g.add(io.dojosim.d1.D1Params.NODE);
        g.add(io.dojosim.d1.D1Params.CHIP);
        g.addAll(io.dojosim.pod.PodParams.ALL);
        g.add(GROUP);
        return java.util.List.copyOf(g);
    }

    public static final ParamGroup GROUP = ParamGroup.builder("run",
                    "training step: workload, data type, mapping overrides, executor streams",
                    "docs/model/step.md")
            .stringParam("workload", "resnet50", ParamSource.simulator("docs/model/step.md#default-workload"),
                    "built-in workload name, or a workload file (.yaml/.json, Chakra .et or prefix, ASTRA-sim .txt)")
            .longParam("batchPerReplica", 0, 0, 1L << 40, "samples", ParamSource.simulator("docs/model/step.md#mapping"),
                    "samples each data-parallel replica processes per step (0: the workload's own batch)")
            .enumParam("dataType", "bf16", List.of("bf16", "cfp8", "fp32"), ParamSource.simulator("docs/model/step.md"),
                    "compute data type of generated workloads (weights, activations, arithmetic)")
            .intParam("steps", 1, 1, 1000, "steps", ParamSource.simulator("docs/model/step.md"),
                    "training steps to simulate; the step time is their mean")
            .intParam("mapping.replicaChips", 0, 0, 1_000_000, "chips", ParamSource.simulator("docs/model/step.md#mapping"),
                    "chips per data-parallel replica; 0 lets the mapper choose the smallest region whose SRAM holds the replica")
            .doubleParam("mapping.optimizerBytesPerParam", 12.0, 0.0, 64.0, "bytes", ParamSource.assumed("docs/model/step.md#footprint (Adam: FP32 master weights, first and second moments)"),
                    "optimizer state per trainable parameter")
            .doubleParam("mapping.sramUsableFraction", 0.9, 0.1, 1.0, "ratio", ParamSource.assumed("docs/model/step.md#footprint (code, stacks and buffers take the rest)"),
                    "fraction of node SRAM the mapper may fill with the replica's tensors")
            .bytesParam("mapping.gradientBucketBytes", 25L * 1024 * 1024, 0, 1L << 40,
                    ParamSource.assumed("docs/model/step.md#gradient-buckets (PyTorch DDP's default bucket of 25 MiB)"),
                    "data-parallel gradient all-reduces are merged, in graph order, into buckets of at least this size (0: one per layer)")
            .enumParam("computeFidelity", "roofline", List.of("roofline", "cycle"), ParamSource.simulator("docs/model/step.md#compute"),
                    "how a chip's share of matrix work is timed: sim-d1's roofline, or its cycle-level chip simulation (every node and the flit mesh; seconds per distinct shape, run on --threads)")
            .intParam("commStreams", 1, 1, 64, "streams", ParamSource.simulator("docs/model/step.md#executor"),
                    "communication operations of a replica that may run at once")
            .intParam("memoryStreams", 2, 1, 64, "streams", ParamSource.simulator("docs/model/step.md#executor"),
                    "HBM transfers of a replica that may run at once (prefetch depth)")
            .build();
}
