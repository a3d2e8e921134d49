package io.dojosim.d1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.chip.ChipParams;
import io.dojosim.d1.chip.ChipResult;
import io.dojosim.d1.chip.ChipSimulation;
import org.junit.jupiter.api.Test;

/** A chip GEMM larger than the nodes' SRAM runs as blocks of C that fit (docs/model/d1-chip.md#tiling). */
class TiledChipGemmTest {
    /** A one-node die whose node holds {@code sramBytes} of data (no code reserve). */
    private static ResolvedConfig oneNode(long sramBytes) {
        return TestConfigs.defaults().with("d1.chip.meshWidth", 1, "t").with("d1.chip.meshHeight", 1, "t")
                .with("d1.chip.activeNodes", 1, "t").with("d1.chip.disabledSites", "[]", "t")
                .with("d1.node.sramBytes", sramBytes, "t").with("d1.node.codeReserveBytes", 0, "t");
    }

    @Test
    void aGemmThatDoesNotFitRunsAsTwoBlocksOfExactlyHandDerivedCycles() {
        // 64 x 32 x 64 BF16 on one node: A 64 x 64 x 2 = 8,192 B, B 64 x 32 x 2 = 4,096 B, C FP32
        // 64 x 32 x 4 = 8,192 B: 20,480 B > 16,384. Two 32-row blocks need 4,096 + 4,096 + 4,096 =
        // 12,288 B each and fit, so C is cut 2 x 1.
        ResolvedConfig c = oneNode(16_384);
        assertArrayEquals(new int[] {2, 1}, ChipSimulation.blocking(io.dojosim.d1.bind.D1Binding.node(c), io.dojosim.d1.bind.D1Binding.chip(c), 64, 32, 64, DType.BF16));
        // One block, 32 x 32 x 64, one K step: threads 1 and 2 signal "panel ready" at cycle 0;
        // thread 0 passes its two waits at 0 and 1; the MATRIX op of 4 x 4 x 16 = 256 blocks
        // (8,192 B of operands = 128 load slots, one port keeps up) issues [2, 258) and completes
        // at 258 + 5 (SRAM) + 12 (matrix) = 275; the two "done" signals take 275 and 276: 277.
        ChipResult r = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(c), 64, 32, 64, DType.BF16);
        assertEquals(2 * 277, r.cycles());
        assertEquals(2L * 64 * 32 * 64, r.usefulFlops());
        assertEquals(r.usefulFlops(), r.executedFlops());
        assertTrue(String.valueOf(r.notes().blocks()).startsWith("2 x 1"), String.valueOf(r.notes()));
        // With room for the whole product it is one block: 512 blocks issue [2, 514), complete at
        // 531, signals: 533. Cutting it cost one pipeline fill and drain (2 x 277 - 533 = 21 cycles).
        ChipResult whole = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(oneNode(20_480)), 64, 32, 64, DType.BF16);
        assertEquals(533, whole.cycles());
        assertTrue(whole.notes().blocks() == null);
    }

    @Test
    void blocksOfEqualShapeTakeEqualCyclesSoTheTiledRunIsTheSumOfItsBlocks() {
        // 100 rows cut into 4 blocks of 25 (4 x 25 = 100): 25 x 32 x 64 needs
        // 3,200 + 4,096 + 3,200 = 10,496 B; 3 blocks of 34 rows would need 4,352 + 4,096 + 4,352 =
        // 12,800 B > 12,000
        ResolvedConfig c = oneNode(12_000);
        assertArrayEquals(new int[] {4, 1}, ChipSimulation.blocking(io.dojosim.d1.bind.D1Binding.node(c), io.dojosim.d1.bind.D1Binding.chip(c), 100, 32, 64, DType.BF16));
        ChipResult tiled = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(c), 100, 32, 64, DType.BF16);
        ChipResult one = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(oneNode(1_000_000)), 25, 32, 64, DType.BF16);
        assertEquals(4 * one.cycles(), tiled.cycles());
        assertEquals(4 * one.executedFlops(), tiled.executedFlops());
        assertEquals(2L * 100 * 32 * 64, tiled.usefulFlops());
    }

    @Test
    void aReductionTooDeepForAnyBlockIsRefusedWithTheKeysToChange() {
        ResolvedConfig c = oneNode(2_048);
        ConfigException e = assertThrows(ConfigException.class, () -> ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(c), 64, 64, 4096, DType.BF16));
        assertTrue(e.getMessage().contains("d1.node.sramBytes") && e.getMessage().contains("4096"), e.getMessage());
    }
}
