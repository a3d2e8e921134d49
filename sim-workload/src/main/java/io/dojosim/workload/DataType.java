package io.dojosim.workload;

/**
 * Element data type of a tensor or of an operation's arithmetic.
 *
 * <p>Source: D1 supports FP32, BF16, CFP8 (configurable 8-bit float), FP16 and INT8 (Hot Chips 34,
 * see docs/model/workloads.md). Bytes per element are those of the storage format.
 *
 * <p>Caveats: CFP8 is stored as one byte whatever its exponent/mantissa split.
 */
public enum DataType {
    BF16(2), CFP8(1), FP32(4), FP16(2), INT8(1);

    private final int bytes;

    DataType(int bytes) {
        this.bytes = bytes;
    }

    /** @return bytes per element */
    public int bytes() {
        return bytes;
    }
}
