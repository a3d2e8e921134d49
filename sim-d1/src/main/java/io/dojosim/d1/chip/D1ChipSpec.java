package io.dojosim.d1.chip;

import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;

/**
 * What the pod model and the mapper need to know about one D1 die, computed from the config:
 * node count, peaks per data type, SRAM, die-edge bandwidth and die-to-die latency. Nothing here
 * is stored; every figure derives from {@code d1.node} and {@code d1.chip}.
 *
 * <p>Caveats: the edge bandwidth is payload bandwidth ({@code d1.chip.dieToDieEfficiency} applied).
 */
public record D1ChipSpec(NodeParams node, ChipParams chip) {

    public int activeNodes() {
        return chip.activeNodes();
    }

    public long clockHz() {
        return node.clockHz();
    }

    /** @return peak FLOP/s of the die for a type: active nodes x node peak (362.5 TF BF16, 22.7 TF FP32) */
    public double peakFlopsPerSecond(DType t) {
        return chip.activeNodes() * node.peakFlopsPerSecond(t);
    }

    public long sramBytesPerNode() {
        return node.sramBytes();
    }

    /** @return SRAM of all active nodes (442.5 MB by default) */
    public long sramBytesTotal() {
        return node.sramBytes() * chip.activeNodes();
    }

    /** @return SRAM a program may use on one node (capacity minus the code reserve) */
    public long dataBytesPerNode() {
        return node.dataBytes();
    }

    /** @return payload bytes per second per direction of one die edge */
    public double edgeBytesPerSecondPerDirection() {
        return chip.edgeBytesPerSecondPerDirection();
    }

    public long dieToDieLatencyPs() {
        return chip.dieToDieLatencyPs();
    }
}
