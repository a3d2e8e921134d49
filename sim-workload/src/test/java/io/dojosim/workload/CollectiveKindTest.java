package io.dojosim.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CollectiveKindTest {
    @Test
    void chakraCodesAreThoseOfEtDefProto() {
        // mlcommons/chakra schema/protobuf/et_def.proto, enum CollectiveCommType
        CollectiveKind[] byCode = {CollectiveKind.ALL_REDUCE, CollectiveKind.REDUCE, CollectiveKind.ALL_GATHER,
                CollectiveKind.GATHER, CollectiveKind.SCATTER, CollectiveKind.BROADCAST, CollectiveKind.ALL_TO_ALL,
                CollectiveKind.REDUCE_SCATTER, CollectiveKind.REDUCE_SCATTER_BLOCK, CollectiveKind.BARRIER};
        assertEquals(byCode.length, CollectiveKind.values().length);
        for (int code = 0; code < byCode.length; code++) {
            assertEquals(code, byCode[code].chakraCode(), byCode[code].name());
            assertEquals(byCode[code], CollectiveKind.fromChakraCode(code));
        }
    }

    @Test
    void codesOutsideTheEnumAreNotCollectives() {
        assertNull(CollectiveKind.fromChakraCode(-1));
        assertNull(CollectiveKind.fromChakraCode(10));
        assertNull(CollectiveKind.fromChakraCode(Long.MAX_VALUE));
    }
}
