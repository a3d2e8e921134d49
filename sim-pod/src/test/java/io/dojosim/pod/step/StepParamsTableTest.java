package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.config.ParamDef;
import org.junit.jupiter.api.Test;

class StepParamsTableTest {
    @Test
    void theTablesFsdpUnitDefaultIsTheMappersConstant() {
        ParamDef d = StepParams.GROUP.params().stream().filter(p -> p.key().equals("run.mapping.fsdpUnitBytes")).findFirst().orElseThrow();
        assertEquals(Mapper.DEFAULT_FSDP_UNIT_BYTES, d.defaultValue());
    }
}
