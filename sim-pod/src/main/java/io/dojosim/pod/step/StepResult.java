package io.dojosim.pod.step;

import java.util.Map;

/**
 * Timing of one training step of the representative replica.
 *
 * @param stepPs                  simulated step time
 * @param computePs               time at least one compute operation ran
 * @param communicationPs         time at least one communication operation ran
 * @param exposedCommunicationPs  time communication ran while no compute did
 * @param memoryPs                time at least one HBM transfer ran
 * @param matrixBusyPs            matrix-pipe busy time summed over operations (per node, since every node of the region works in step)
 * @param simdBusyPs              SIMD-pipe busy time summed over operations
 * @param sramBusyPs              busiest SRAM port group's busy time summed over operations
 * @param modeledFlops            FLOPs of the modeled compute operations of the replica
 * @param modeledOps              operations timed by the Dojo model
 * @param replayedOps             operations whose measured duration was replayed
 * @param timeByTypePs            busy time per operation type
 * @param limiterPs               compute time by what limited it
 * @param stages                  pipeline stages (compute streams) of the replica
 * @param stageComputePs          compute busy time summed over the stages; 1 - stageComputePs / (stages x stepPs x steps) is the
 *                                share of stage time left idle (the pipeline bubble and any stall)
 */
public record StepResult(long stepPs, long computePs, long communicationPs, long exposedCommunicationPs, long memoryPs,
                         long matrixBusyPs, long simdBusyPs, long sramBusyPs, long modeledFlops, long modeledOps, long replayedOps,
                         Map<String, Long> timeByTypePs, Map<String, Long> limiterPs, int stages, long stageComputePs) {
}
