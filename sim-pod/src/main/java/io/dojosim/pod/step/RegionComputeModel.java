package io.dojosim.pod.step;

import io.dojosim.workload.ComputeOp;

/** Times one compute operation spread over a region of chips (tensor parallel over all its nodes). */
@FunctionalInterface
public interface RegionComputeModel {
    /**
     * @param op    the operation (its FLOPs, shape, data type and bytes)
     * @param chips chips in the region; every active node of each takes a share
     */
    StepBackend.ComputeTiming time(ComputeOp op, int chips);
}
