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

    /**
     * The operation on {@code nodes} nodes of one chip (a rank on a node region); by default a
     * whole chip's time scaled by the share of its nodes the region lacks.
     *
     * @param nodesPerChip active nodes of a chip
     */
    default StepBackend.ComputeTiming timeOnNodes(ComputeOp op, int nodes, int nodesPerChip) {
        StepBackend.ComputeTiming c = time(op, 1);
        double f = (double) nodesPerChip / Math.max(1, nodes);
        return new StepBackend.ComputeTiming(Math.round(c.busyPs() * f), Math.round(c.matrixBusyPs() * f), Math.round(c.simdBusyPs() * f),
                Math.round(c.sramBusyPs() * f), c.limiter());
    }
}
