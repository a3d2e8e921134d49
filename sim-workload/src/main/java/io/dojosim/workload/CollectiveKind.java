package io.dojosim.workload;

import io.dojosim.core.util.EnumKeys;

/**
 * Collective communication pattern. The numbering of Chakra's {@code CollectiveCommType} is kept in
 * {@link #chakraCode()} (mlcommons/chakra schema/protobuf/et_def.proto).
 */
public enum CollectiveKind {
    ALL_REDUCE(0), REDUCE(1), ALL_GATHER(2), GATHER(3), SCATTER(4), BROADCAST(5), ALL_TO_ALL(6),
    REDUCE_SCATTER(7), REDUCE_SCATTER_BLOCK(8), BARRIER(9);

    private final int chakraCode;

    CollectiveKind(int chakraCode) {
        this.chakraCode = chakraCode;
    }

    /** @return the value of Chakra's CollectiveCommType enum */
    public int chakraCode() {
        return chakraCode;
    }

    /** @return the kind with this Chakra code, or null when the code is not a collective */
    public static CollectiveKind fromChakraCode(long code) {
        return EnumKeys.find(values(), k -> (long) k.chakraCode, code);
    }
}
