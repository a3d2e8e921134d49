package io.dojosim.pod.collective;

/** Told when every transfer of a collective has arrived. */
@FunctionalInterface
public interface CollectiveListener {
    /**
     * @param nowPs  the completion time
     * @param tag    the caller's tag
     * @param result time, bandwidths and the alpha-beta estimate
     */
    void collectiveDone(long nowPs, long tag, CollectiveResult result);
}
