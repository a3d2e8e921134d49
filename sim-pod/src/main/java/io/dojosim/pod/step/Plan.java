package io.dojosim.pod.step;

/**
 * How a workload is laid out on the machine: the replica's region and how many replicas run.
 *
 * <pre>
 *   system chips = dataParallel x replicaChips  (+ idle chips when it does not divide)
 *   every operation of a replica is split over all replicaChips chips (no pipeline stages)
 * </pre>
 *
 * @param replicaChips        chips one data-parallel replica uses
 * @param dataParallel        replicas running the same graph on different samples
 * @param idleChips           alive chips the plan leaves unused
 * @param footprintBytes      SRAM bytes one replica needs to keep weights, gradients, optimizer state and activations resident
 * @param regionSramBytes     SRAM bytes of one replica's region
 * @param gradientBuckets     data-parallel gradient collectives after bucketing
 * @param streamedBytes       bytes per step moved between DIP HBM and SRAM because the footprint does not fit
 * @param reason              one sentence saying why the mapper chose this plan (or that the config fixed it)
 */
public record Plan(int replicaChips, int dataParallel, int idleChips,
                   long footprintBytes, long regionSramBytes, long streamedBytes, int gradientBuckets, String reason) {
}
