package io.dojosim.workload;

import io.dojosim.core.config.Check;
import java.util.List;

/**
 * Parallelism hints carried by a workload, as ASTRA-sim 1.0 text headers give them.
 *
 * @param kind the parallelization keyword
 * @param modelParallelGroup NPUs per model-parallel group (HYBRID_TRANSFORMER*), 0 when not given
 * @param lastBottomLayer index of the last bottom-MLP layer (HYBRID_DLRM*), -1 when not given
 * @param checkpoints activation-checkpoint layer indices (HYBRID_TRANSFORMER_FWD_IN_BCKWD)
 * @param checkpointInitiates layers whose backward pass starts a forward recomputation
 */
public record ParallelismHint(ParallelismKind kind, int modelParallelGroup, int lastBottomLayer,
                              List<Integer> checkpoints, List<Integer> checkpointInitiates) {
    public static final ParallelismHint NONE = new ParallelismHint(ParallelismKind.NONE, 0, -1, List.of(), List.of());

    public ParallelismHint {
        Check.require(kind != null, "parallelism kind is missing");
        Check.require(modelParallelGroup >= 0, "modelParallelGroup must be >= 0, got " + modelParallelGroup);
        Check.require(lastBottomLayer >= -1, "lastBottomLayer must be >= -1, got " + lastBottomLayer);
        checkpoints = List.copyOf(checkpoints);
        checkpointInitiates = List.copyOf(checkpointInitiates);
    }

    /** A hint with only a kind. */
    public static ParallelismHint of(ParallelismKind kind) {
        return new ParallelismHint(kind, 0, -1, List.of(), List.of());
    }
}
