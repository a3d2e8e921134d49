package io.dojosim.workload;

/**
 * Collective communication pattern. The constants stand in the order of Chakra's
 * {@code CollectiveCommType} (mlcommons/chakra schema/protobuf/et_def.proto), so a kind's Chakra
 * code is its ordinal: {@link #chakraCode()}.
 *
 * <p>Caveats: a new constant goes where Chakra numbers it, never in between (CollectiveKindTest
 * holds the codes).
 */
public enum CollectiveKind {
    ALL_REDUCE, REDUCE, ALL_GATHER, GATHER, SCATTER, BROADCAST, ALL_TO_ALL,
    REDUCE_SCATTER, REDUCE_SCATTER_BLOCK, BARRIER;

    private static final CollectiveKind[] ALL = values();

    /** @return the value of Chakra's CollectiveCommType enum (the constant's ordinal) */
    public int chakraCode() {
        return ordinal();
    }

    /** @return the kind with this Chakra code, or null when the code is not a collective */
    public static CollectiveKind fromChakraCode(long code) {
        return code >= 0 && code < ALL.length ? ALL[(int) code] : null;
    }
}
