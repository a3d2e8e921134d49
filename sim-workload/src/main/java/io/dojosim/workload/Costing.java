package io.dojosim.workload;

/**
 * How the executor obtains the time of an operation (re-costing).
 *
 * <p>Caveats: an operation that carries both FLOPs/bytes/shape and a measured duration is
 * {@link #MODELED}: the Dojo model times it and the measured figure is kept only for comparison.
 */
public enum Costing {
    /** Carries FLOPs, bytes or a shape: timed by the Dojo model. */
    MODELED,
    /** Carries only a measured duration: replayed as is. */
    REPLAYED,
    /** Carries neither: costs nothing (e.g. a trace metadata node). */
    FREE
}
