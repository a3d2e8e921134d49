package io.dojosim.d1.chip;

import io.dojosim.core.engine.SimSpec;
import io.dojosim.d1.NodeParams;
import io.dojosim.noc.NocParams;

/**
 * Everything a cycle-level simulation of one D1 die needs: the kernel ({@code sim.*}), the
 * network-on-chip ({@code noc.*}), the node ({@code d1.node.*}) and the die ({@code d1.chip.*}).
 * The chip scenario ({@link ChipSimulation}) and the compute model ({@link ChipComputeModel}) take
 * this record; nothing below them sees the config.
 */
public record ChipSimSpec(SimSpec sim, NocParams noc, NodeParams node, ChipParams chip) {
    public ChipSimSpec {
        if (sim == null || noc == null || node == null || chip == null) {
            throw new IllegalArgumentException("sim, noc, node and chip are required");
        }
    }

    /** @return the die as the pod model and the mapper see it */
    public D1ChipSpec die() {
        return new D1ChipSpec(node, chip);
    }
}
