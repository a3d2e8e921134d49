package io.dojosim.pod.step;

import io.dojosim.core.util.Records;
import io.dojosim.pod.energy.EnergyBlock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a training run produced, as summary.json reports it (docs/results-format.md), without the
 * host's measurements: the workload, the system, the plan, the step's time and its breakdown, the
 * utilizations, message latency, operation counts, the compute model, energy and the region of
 * interest. The command line's versioned mapper renders it; field order here is the document's.
 *
 * <p>Caveats: every figure is per step (totals over {@link #steps} divided by it), replicas are
 * folded (docs/model/step.md); a new field is one component here and one line in the mapper.
 *
 * @param region the region of interest's transport, or null when every transfer ran on the flow model
 */
public record StepSummary(Workload workload, SystemInfo system, PlanInfo plan, int steps, double stepTimeSeconds,
                          double samplesPerSecond, double tokensPerSecond, double modeledFlops, double achievedTflops, double peakTflops,
                          double mfu, double computeSeconds, double communicationSeconds, double exposedCommunicationSeconds,
                          double memorySeconds, Map<String, Double> timeByOpType, Map<String, Double> computeLimitedBy,
                          Utilization utilization, MessageLatency messageLatency, Operations operations, ComputeModel computeModel,
                          RooflineBlock roofline, EnergyBlock energy, Region region) {
    public StepSummary {
        timeByOpType = ordered(timeByOpType);
        computeLimitedBy = ordered(computeLimitedBy);
    }

    /** @return this summary with another workload block */
    public StepSummary withWorkload(Workload w) {
        return Records.with(this, "workload", w);
    }

    /** @return this summary with another plan block */
    public StepSummary withPlan(PlanInfo p) {
        return Records.with(this, "plan", p);
    }

    /** @return this summary with other sample and token rates */
    public StepSummary withRates(double samples, double tokens) {
        return Records.with(this, "samplesPerSecond", samples, "tokensPerSecond", tokens);
    }

    /** @return this summary with the FLOPs, achieved TFLOPS and MFU scaled by {@code share} (the useful samples' share) */
    public StepSummary withUsefulShare(double share) {
        return Records.with(this, "modeledFlops", modeledFlops * share, "achievedTflops", achievedTflops * share, "mfu", mfu * share);
    }

    /** @return this summary with other utilizations */
    public StepSummary withUtilization(Utilization u) {
        return Records.with(this, "utilization", u);
    }

    /** @return this summary with the roofline block of its compute work (docs/results-format.md) */
    public StepSummary withRoofline(RooflineBlock rb) {
        return Records.with(this, "roofline", rb);
    }

    /** @return this summary with another energy block */
    public StepSummary withEnergy(EnergyBlock e) {
        return withModels(computeModel, e, region);
    }

    /** @return this summary with its compute model, energy and region blocks */
    public StepSummary withModels(ComputeModel cm, EnergyBlock e, Region r) {
        return Records.with(this, "computeModel", cm, "energy", e, "region", r);
    }

    /** @return this summary with energy rates (samples per joule, GFLOPS per watt) of its final samples and FLOPs */
    public StepSummary withEnergyRates() {
        return energy == null ? this : withEnergy(energy.withRates(workload.samplesPerStep(), modeledFlops));
    }

    /** @return an unmodifiable copy that keeps the map's iteration order */
    static <V> Map<String, V> ordered(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * The workload as run.
     *
     * @param rankNote      how a trace's ranks were run (null when it has one rank or runs as the mapper's plan)
     * @param rankPlacement the ranks placed on chips (null unless the trace runs rank by rank)
     * @param warnings      unmatched sends and receives (empty when none)
     * @param globalBatch   the samples per step the run is accounted at (null without {@code run.globalBatch} or a plan search)
     */
    public record Workload(String name, String source, long batchPerReplica, long samplesPerStep, long tokensPerStep, long parameters,
                           String dataType, int ranks, String rankNote, RankPlacement rankPlacement, List<String> warnings,
                           GlobalBatch globalBatch) {
        public Workload {
            warnings = List.copyOf(warnings);
        }

        Workload withRanks(String note, RankPlacement placement, List<String> unmatched) {
            return new Workload(name, source, batchPerReplica, samplesPerStep, tokensPerStep, parameters, dataType, ranks, note, placement,
                    unmatched, globalBatch);
        }

        Workload withSamples(long samples, long tokens) {
            return new Workload(name, source, batchPerReplica, samples, tokens, parameters, dataType, ranks, rankNote, rankPlacement,
                    warnings, globalBatch);
        }

        Workload withGlobalBatch(long samples, long tokens, GlobalBatch g) {
            return new Workload(name, source, batchPerReplica, samples, tokens, parameters, dataType, ranks, rankNote, rankPlacement,
                    warnings, g);
        }
    }

    /**
     * A global batch the run's samples are accounted at.
     *
     * @param paddingSamples samples the padded replicas ran beyond it (empty for a recorded trace's batch)
     */
    public record GlobalBatch(long samples, String source, OptionalLong paddingSamples) {
    }

    /**
     * How a trace's ranks sit on the machine ({@code run.rankPlacement}).
     *
     * @param nodesPerRank nodes of a chip each rank runs on, 0 when each rank has whole chips
     */
    public record RankPlacement(String placement, int ranks, int chipsPerRank, int nodesPerRank, boolean replicated, int copies,
                                int idleChips, boolean dataParallelRanks) {
    }

    /** The machine simulated. */
    public record SystemInfo(String scope, int tiles, int chips, long nodes, double peakTflops) {
    }

    /**
     * The plan that ran.
     *
     * @param stageIdleFraction share of the stages' time without compute (the pipeline bubble and any stall), as simulated
     * @param search            the plan search that chose it, or null when the config fixed the plan
     */
    public record PlanInfo(int dataParallel, int replicaChips, int tensorParallelChips, int tensorParallel, boolean sequenceParallel,
                           int virtualStages, int pipelineStages, int stageChips,
                           int microBatches, String pipelineSchedule, double estimatedStepSeconds, double stageIdleFraction,
                           int idleChips, int foldedReplicas, long footprintBytes, long regionSramBytes, long streamedFromHbmBytes,
                           int gradientBuckets, String reason, PlanSearch.Summary search) {
        PlanInfo withSearch(String why, PlanSearch.Summary s) {
            return new PlanInfo(dataParallel, replicaChips, tensorParallelChips, tensorParallel, sequenceParallel, virtualStages, pipelineStages, stageChips, microBatches, pipelineSchedule,
                    estimatedStepSeconds, stageIdleFraction, idleChips, foldedReplicas, footprintBytes, regionSramBytes,
                    streamedFromHbmBytes, gradientBuckets, why, s);
        }
    }

    /** Busy fractions: node pipes of every alive node's time, links the mean of each level's links. */
    public record Utilization(double nodeMatrixPipe, double nodeSimdPipe, double nodeSram, double meshLinks, double dieToDie,
                              double tileToTile, double dipLinks, double dipHbm, double ethernet) {
        Utilization scaleNodes(double share) {
            return new Utilization(nodeMatrixPipe * share, nodeSimdPipe * share, nodeSram * share, meshLinks, dieToDie, tileToTile,
                    dipLinks, dipHbm, ethernet);
        }
    }

    /** Latency of the run's messages (collective transfers and point-to-point), in seconds. */
    public record MessageLatency(long count, double meanSeconds, double p50Seconds, double p99Seconds, double maxSeconds) {
    }

    /**
     * Operations per step.
     *
     * @param trace what the trace importer re-costed and replayed, over all rank graphs (null for a generated workload)
     */
    public record Operations(long modeled, long replayed, TraceCosting trace) {
    }

    /** What a trace importer re-costed and replayed; {@code summary} is its one-line account. */
    public record TraceCosting(long recosted, long replayed, double replayedShareOfRecordedTime, String summary) {
    }

    /**
     * The compute model a run used.
     *
     * @param calibration how the calibrated fidelity answered the run's whole-die shares (null for other fidelities)
     */
    public record ComputeModel(String fidelity, Calibration calibration, String errorBand) {
    }

    /** Where the calibrated fidelity's answers came from, in distinct whole-die shares. */
    public record Calibration(String machine, long sharesFromTable, long sharesScaledFromNearest, long sharesSimulated,
                              long sharesAtRoofline, long sharesScaledFromDefaultMachine) {
    }

    /** The region of interest's meshes ({@code pod.coarse.*}) and the transfers they carried. */
    public record Region(String fidelity, List<Integer> chips, int meshedChips, long meshTransfers, long crossingTransfers,
                         long flowTransfers, long meshMessages, long meshLinks, double meshLinkMeanUtilization,
                         double meshLinkMaxUtilization, double meshLinkBytes) {
        public Region {
            chips = List.copyOf(chips);
        }
    }
}
