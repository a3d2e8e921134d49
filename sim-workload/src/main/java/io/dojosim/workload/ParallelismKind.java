package io.dojosim.workload;

/**
 * The parallelization a workload was written for: the ASTRA-sim 1.0 header keywords
 * (astra-sim branch ASTRA-sim-1.0, workload/Workload.cc), plus NONE for a graph that assumes none.
 * For a mapper it is a hint; the mapper may choose another plan.
 */
public enum ParallelismKind {
    NONE, DATA, MODEL, HYBRID_DATA_MODEL, HYBRID_MODEL_DATA, HYBRID_CUSTOMIZED, HYBRID_DLRM,
    HYBRID_DLRM_ENHANCED, HYBRID_TRANSFORMER, HYBRID_TRANSFORMER_FWD_IN_BCKWD, MICRO, DISTRIBUTED_INFERENCE
}
