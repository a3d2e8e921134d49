package io.dojosim.pod.step;

/**
 * How a workload is laid out on the machine: the replica's region, its pipeline stages and how many
 * replicas run.
 *
 * <pre>
 *   system chips = dataParallel x replicaChips  (+ idle chips when it does not divide)
 *   replicaChips = pipelineStages x stageChips
 *   pipelineStages = 1: every operation of a replica is split over all replicaChips chips
 *   pipelineStages = S > 1: the layers are cut into S stages on consecutive chip groups of
 *     stageChips chips; the replica's batch runs as microBatches micro-batches in the schedule
 * </pre>
 *
 * @param replicaChips        chips one data-parallel replica uses (all its stages)
 * @param dataParallel        replicas running the same graph on different samples
 * @param idleChips           alive chips the plan leaves unused
 * @param footprintBytes      bytes one replica needs for weights, gradients, optimizer state and kept activations
 *                            (pipelined: the largest stage's, with the activations of its micro-batches in flight)
 * @param regionSramBytes     usable SRAM bytes of one replica's region (pipelined: of one stage)
 * @param streamedBytes       bytes per step moved between DIP HBM and SRAM because the footprint does not fit
 * @param gradientBuckets     data-parallel gradient collectives after bucketing
 * @param pipelineStages      stages of the pipeline (1: none)
 * @param stageChips          chips of one stage (replicaChips when not pipelined)
 * @param microBatches        micro-batches per step (1 when not pipelined)
 * @param schedule            pipeline schedule, "1f1b" or "gpipe" ("none" when not pipelined)
 * @param estimatedStepSeconds the mapper's estimate of the step time of the chosen plan (0 when it chose without one)
 * @param samplesPerReplica   samples one replica processes per step: the workload's batch, or a share of it when the
 *                            mapper found no pipelined plan for the whole batch and run.batchPerReplica was not set
 * @param reason              one sentence saying why the mapper chose this plan (or that the config fixed it)
 * @param zeroStage           what is sharded over the chips of a region (pipelined: of a stage), ZeRO style
 *                            (docs/model/step.md#zero-stages): 1 optimizer state, 2 + gradients, 3 + weights
 *                            (gathered per FSDP unit); 0 when the region is one chip and nothing is sharded
 * @param fsdpUnits           weight all-gather units of a stage-3 region (0 when weights are not gathered)
 * @param tensorParallel      chips of a tensor-parallel group (1: none); a stage's stageChips are tensorParallel
 *                            ranks of stageChips / tensorParallel consecutive chips, a group being chip g of every rank,
 *                            and what the ZeRO stage shards is sharded over the stageChips / tensorParallel chips of one rank
 * @param sequenceParallel    whether norms and residual adds are split along the sequence (Korthikanti et al. 2022)
 * @param virtualStages       model chunks per pipeline stage of an interleaved 1F1B schedule (1: not interleaved)
 */
public record Plan(int replicaChips, int dataParallel, int idleChips,
                   long footprintBytes, long regionSramBytes, long streamedBytes, int gradientBuckets,
                   int pipelineStages, int stageChips, int microBatches, String schedule, double estimatedStepSeconds,
                   long samplesPerReplica, String reason, int zeroStage, int fsdpUnits, int tensorParallel, boolean sequenceParallel,
                   int virtualStages) {

    public Plan {
        if (zeroStage < 0 || zeroStage > 3) {
            throw new IllegalArgumentException("zeroStage must be 0 to 3, got " + zeroStage);
        }
        if (tensorParallel < 1 || stageChips % tensorParallel != 0) {
            throw new IllegalArgumentException("tensorParallel must be >= 1 and divide stageChips " + stageChips + ", got " + tensorParallel);
        }
        if (virtualStages < 1) {
            throw new IllegalArgumentException("virtualStages must be >= 1, got " + virtualStages);
        }
    }

    /** A plan without tensor parallelism or interleaving. */
    public Plan(int replicaChips, int dataParallel, int idleChips, long footprintBytes, long regionSramBytes, long streamedBytes,
                int gradientBuckets, int pipelineStages, int stageChips, int microBatches, String schedule, double estimatedStepSeconds,
                long samplesPerReplica, String reason, int zeroStage, int fsdpUnits) {
        this(replicaChips, dataParallel, idleChips, footprintBytes, regionSramBytes, streamedBytes, gradientBuckets, pipelineStages,
                stageChips, microBatches, schedule, estimatedStepSeconds, samplesPerReplica, reason, zeroStage, fsdpUnits, 1, false, 1);
    }

    /** @return chips of one tensor-parallel rank's share of a stage (the chips a ZeRO stage shards over) */
    public int rankChips() {
        return stageChips / tensorParallel;
    }

    /** A plan that does not say what it shards (stage 0, no units). */
    public Plan(int replicaChips, int dataParallel, int idleChips, long footprintBytes, long regionSramBytes, long streamedBytes,
                int gradientBuckets, int pipelineStages, int stageChips, int microBatches, String schedule, double estimatedStepSeconds,
                long samplesPerReplica, String reason) {
        this(replicaChips, dataParallel, idleChips, footprintBytes, regionSramBytes, streamedBytes, gradientBuckets, pipelineStages,
                stageChips, microBatches, schedule, estimatedStepSeconds, samplesPerReplica, reason, 0, 0);
    }

    /** A plan without pipeline stages. */
    public Plan(int replicaChips, int dataParallel, int idleChips, long footprintBytes, long regionSramBytes, long streamedBytes,
                int gradientBuckets, String reason) {
        this(replicaChips, dataParallel, idleChips, footprintBytes, regionSramBytes, streamedBytes, gradientBuckets, 1, replicaChips, 1,
                "none", 0.0, 0, reason, 0, 0);
    }

    /** @return this plan with another reason */
    public Plan withReason(String r) {
        return new Plan(replicaChips, dataParallel, idleChips, footprintBytes, regionSramBytes, streamedBytes, gradientBuckets, pipelineStages,
                stageChips, microBatches, schedule, estimatedStepSeconds, samplesPerReplica, r, zeroStage, fsdpUnits, tensorParallel,
                sequenceParallel, virtualStages);
    }

    /** @return the samples per replica, or the workload's batch when the plan does not set one */
    public long samplesPerReplica(long workloadBatch) {
        return samplesPerReplica > 0 ? samplesPerReplica : workloadBatch;
    }

    public boolean pipelined() {
        return pipelineStages > 1 || microBatches > 1;
    }
}
