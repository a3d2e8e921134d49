package io.dojosim.pod.collective;

/**
 * The outcome of one collective.
 *
 * @param op                    the operation
 * @param algorithm             the algorithm
 * @param members               group size n
 * @param bytes                 the per-member buffer size (see {@link CollectivePrimitive})
 * @param startPs               simulated start time
 * @param endPs                 simulated time the last transfer arrived
 * @param transfers             transfers (flows) the collective was made of
 * @param alphaBetaBoundSeconds the alpha-beta bound of the same schedule: per stage, the larger of
 *                              the busiest link's bytes over its capacity plus the largest route
 *                              latency, and the stage's critical path with every transfer alone on
 *                              its route; summed over stages (ADR 0061, ADR 0064)
 */
public record CollectiveResult(CollectivePrimitive op, CollectiveAlgorithm algorithm, int members, long bytes, long startPs, long endPs,
                               long transfers, double alphaBetaBoundSeconds) {

    public double timeSeconds() {
        return (endPs - startPs) / 1e12;
    }

    /** @return bytes / time, GB/s (1e9) */
    public double algBandwidthGBps() {
        double t = timeSeconds();
        return t > 0 ? bytes / t / 1e9 : 0;
    }

    /** @return algorithm bandwidth x the NCCL bus factor, GB/s */
    public double busBandwidthGBps() {
        return algBandwidthGBps() * op.busFactor(members);
    }

    /** @return time / alpha-beta estimate (1.0 = exactly the estimate) */
    public double ratioToBound() {
        return alphaBetaBoundSeconds > 0 ? timeSeconds() / alphaBetaBoundSeconds : 0;
    }
}
