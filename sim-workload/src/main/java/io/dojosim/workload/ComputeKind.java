package io.dojosim.workload;

/** What a compute operation does; the mapper picks the execution unit from it. */
public enum ComputeKind {
    /** Matrix multiply, possibly batched: {@link GemmShape}. */
    GEMM,
    /** 2-D convolution: {@link ConvShape}. */
    CONVOLUTION,
    /** Scaled dot-product attention core (QK^T and PV): {@link AttentionShape}. */
    ATTENTION,
    /** Element-by-element arithmetic (activation, residual add, softmax, dropout, embedding gather). */
    ELEMENTWISE,
    /** Batch or layer normalization. */
    NORMALIZATION,
    /** Optimizer step (SGD, Adam) over a layer's parameters. */
    OPTIMIZER_UPDATE,
    /** Anything else, e.g. a trace kernel of unknown kind. */
    OTHER
}
