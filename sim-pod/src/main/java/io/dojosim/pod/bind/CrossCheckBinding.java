package io.dojosim.pod.bind;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.check.CrossCheck;

/** Binds the systems {@link CrossCheck} compares: the run's, and the same with its first tile on packet meshes, and with one chip alone on a packet mesh. */
public final class CrossCheckBinding {
    private CrossCheckBinding() {
    }

    /** @param c the run's resolved config with its plan pinned */
    public static CrossCheck.Systems bind(ResolvedConfig c) {
        ResolvedConfig meshed = c.with("pod.coarse.chipFidelity", "packet", "--cross-check")
                .with("pod.coarse.roiScope", "tile", "--cross-check").with("pod.coarse.roiTile", 0, "--cross-check");
        ResolvedConfig chipMeshed = c.with("pod.coarse.chipFidelity", "packet", "--cross-check")
                .with("pod.coarse.roiScope", "chip", "--cross-check");
        return new CrossCheck.Systems(SpecBinder.bind(c), SpecBinder.bind(meshed),
                chip -> SpecBinder.bind(chipMeshed.with("pod.coarse.roiChip", chip, "--cross-check (the collective's member chip)")));
    }
}
