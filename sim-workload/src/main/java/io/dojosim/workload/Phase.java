package io.dojosim.workload;

/** Which part of the training step an operation belongs to. */
public enum Phase {
    FORWARD,
    /** Backward pass, gradient with respect to the layer's input (activation gradient). */
    BACKWARD_INPUT_GRAD,
    /** Backward pass, gradient with respect to the layer's weights. */
    BACKWARD_WEIGHT_GRAD,
    OPTIMIZER,
    /** Not known, e.g. an operation of a trace that carries no phase. */
    UNSPECIFIED
}
