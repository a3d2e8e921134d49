package io.dojosim.d1;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.util.EnumKeys;
import java.util.Locale;

/**
 * Arithmetic data types of the D1 node and the pipe that executes each.
 *
 * <p>Source: AID21 and HC34-U list FP32, BF16, CFP8, CFP16, FP16 (and integer types); BF16 and CFP8
 * share the published 1,024 GFLOPS/node matrix peak; FP32 is 64 GFLOPS/node, which matches one
 * 64 B SIMD FMA per cycle (dojo-facts 2.2).
 *
 * <p>Caveats: FP16 is assumed to run at the BF16 rate and INT8 at the CFP8 rate (dojo-facts s10);
 * FP32 matrix multiplication runs on the SIMD pipe, never on the matrix pipe. The key, the lower-case
 * name, is the word used on the command line and in statistics.
 */
public enum DType implements EnumKeys.Worded {
    FP32(4, false), BF16(2, true), FP16(2, true), CFP8(1, true), INT8(1, true);

    private static final DType[] ALL = values();
    private final int bytes;
    private final boolean matrix;

    DType(int bytes, boolean matrix) {
        this.bytes = bytes;
        this.matrix = matrix;
    }

    /** @return bytes per element in SRAM and on the network */
    public int bytes() {
        return bytes;
    }

    /** @return true when the matrix pipe accepts this type */
    public boolean onMatrixPipe() {
        return matrix;
    }

    /** @return the type with that ordinal, without allocating */
    public static DType of(int ordinal) {
        return ALL[ordinal];
    }

    /** @return number of types */
    public static int count() {
        return ALL.length;
    }

    /** @throws ConfigException naming the allowed words */
    public static DType parse(String text) {
        DType d = EnumKeys.find(ALL, DType::key, text.trim().toLowerCase(Locale.ROOT));
        if (d != null) return d;
        throw new ConfigException("data type '" + text + "' is not known; allowed: fp32, bf16, fp16, cfp8, int8");
    }
}
