package io.dojosim.workload;

/** The parallelism dimension a communication runs over. */
public enum ParallelDim {
    /** Every rank of the job (Chakra's default when no group is given). */
    ALL,
    /** Data-parallel replicas (gradient reduction). */
    DATA,
    /** Tensor (model) parallel shards of one layer. */
    TENSOR,
    /** Pipeline stages. */
    PIPELINE,
    /** Expert parallelism (mixture of experts, DLRM embedding tables). */
    EXPERT
}
