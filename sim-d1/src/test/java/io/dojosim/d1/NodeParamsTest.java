package io.dojosim.d1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamDef;
import io.dojosim.core.config.ParamSource;
import org.junit.jupiter.api.Test;

class NodeParamsTest {
    @Test
    void peaksAreComputedFromPipeWidthsAndClock() {
        NodeParams p = TestConfigs.node();
        // 8 x 8 x 4 = 256 MAC per cycle x 2 FLOP x 2 GHz = 1.024 TFLOPS (AID21)
        assertEquals(256, p.matrixMacsPerCycle());
        assertEquals(1.024e12, p.peakFlopsPerSecond(DType.BF16), 1.0);
        assertEquals(1.024e12, p.peakFlopsPerSecond(DType.CFP8), 1.0);
        // 16 FMA x 2 x 2 GHz = 64 GFLOPS (AID21)
        assertEquals(64e9, p.peakFlopsPerSecond(DType.FP32), 1.0);
    }

    @Test
    void portSumReproducesPublishedSramBandwidth() {
        NodeParams p = TestConfigs.node();
        // 2 x 64 + 64 + 8 = 200 B/cycle = 400 GB/s (HC34-U)
        assertEquals(200, p.sramReadBytesPerCycle());
        assertEquals(400e9, p.sramLoadBytesPerSecond(), 1.0);
        // 64 + 64 + 8 = 136 B/cycle = 272 GB/s against the published 270 GB/s (0.74 % over)
        assertEquals(136, p.sramWriteBytesPerCycle());
        assertEquals(272e9, p.sramStoreBytesPerSecond(), 1.0);
        assertTrue(Math.abs(p.sramStoreBytesPerSecond() / 270e9 - 1) < 0.01);
    }

    @Test
    void everyAssumedParameterPointsToItsDocPage() {
        for (ParamDef d : D1Params.NODE.params()) {
            if (d.source().kind() == ParamSource.Kind.ASSUMED) {
                assertTrue(d.source().reference().startsWith("docs/model/d1-node.md#assumptions"), d.key());
            }
        }
        for (ParamDef d : D1Params.CHIP.params()) {
            if (d.source().kind() == ParamSource.Kind.ASSUMED) {
                assertTrue(d.source().reference().startsWith("docs/model/d1-chip.md#assumptions"), d.key());
            }
        }
    }

    @Test
    void codeReserveLargerThanSramIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> io.dojosim.d1.bind.D1Binding.node(
                TestConfigs.defaults().with("d1.node.codeReserveBytes", "2MB", "--set")));
        assertTrue(e.getMessage().contains("codeReserveBytes"), e.getMessage());
    }
}
