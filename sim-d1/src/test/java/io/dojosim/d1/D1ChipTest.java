package io.dojosim.d1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.d1.chip.ChipParams;
import io.dojosim.d1.chip.ChipResult;
import io.dojosim.d1.chip.ChipSimulation;
import io.dojosim.d1.chip.D1ChipSpec;
import io.dojosim.d1.kernel.ChipKernels;
import org.junit.jupiter.api.Test;

class D1ChipTest {
    private final ResolvedConfig c = TestConfigs.defaults();
    private final ResolvedConfig packet = c.with("noc.fidelity", "packet", "test");

    @Test
    void chipPeaksAreComputedFromActiveNodesAndNodePipes() {
        D1ChipSpec s = io.dojosim.d1.bind.D1Binding.chipSim(c).die();
        // 354 x 1.024 TFLOPS = 362.496 TFLOPS; 354 x 64 GFLOPS = 22.656 TFLOPS (AID21: 362 / 22.6)
        assertEquals(362.496e12, s.peakFlopsPerSecond(DType.BF16), 1e3);
        assertEquals(22.656e12, s.peakFlopsPerSecond(DType.FP32), 1e3);
        assertEquals(354, s.activeNodes());
        // 354 x 1.25 MB = 442.5 MB (MICRO23 "440 MB")
        assertEquals(442_500_000L, s.sramBytesTotal());
        // 144 lanes x 112 Gb/s / 8 = 2.016 TB/s raw per direction per edge, x 0.9 payload
        assertEquals(2.016e12 * 0.9, s.edgeBytesPerSecondPerDirection(), 1e3);
        assertEquals(100_000L, s.dieToDieLatencyPs());
    }

    @Test
    void disabledSiteCountMustMatchActiveNodes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> io.dojosim.d1.bind.D1Binding.chip(c.with("d1.chip.activeNodes", 355, "test")));
        assertTrue(e.getMessage().contains("disabledSites"), e.getMessage());
    }

    @Test
    void gridUsesMostNodesNearTheMeshAspect() {
        int[] g = ChipKernels.grid(354, 18, 20, 100_000, 100_000);
        assertEquals(352, g[0] * g[1]);
        int[] small = ChipKernels.grid(354, 18, 20, 32, 32);
        assertEquals(4, small[0]);
        assertEquals(4, small[1]);
    }

    @Test
    void chipGemmConservesFlopsAndReportsItsLimiter() {
        // 4 x 4 nodes of a full 4 x 4 what-if mesh: 256 x 256 x 256 BF16, panels of 64 -> 4 steps
        ResolvedConfig small = packet.with("d1.chip.meshWidth", 4, "t").with("d1.chip.meshHeight", 4, "t")
                .with("d1.chip.activeNodes", 16, "t").with("d1.chip.disabledSites", "[]", "t");
        ChipResult r = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(small), 256, 256, 256, DType.BF16);
        assertEquals(2L * 256 * 256 * 256, r.usefulFlops());
        // 64 x 64 local tiles are whole 8x8x4 blocks: no padding, executed = useful
        assertEquals(r.usefulFlops(), r.executedFlops());
        assertTrue(r.fractionOfPeak() > 0.3 && r.fractionOfPeak() < 1.0, "fraction " + r.fractionOfPeak());
        assertTrue(r.limiter() != null && !r.limiter().isEmpty());
        // each node computes 4 steps of 8 x 8 x 16 = 1,024 blocks: the matrix pipe cannot beat 4,096 cycles
        assertTrue(r.cycles() > 4096, "cycles " + r.cycles());
        assertEquals(4096.0 * 16 / (16 * r.cycles()), r.utilization().get("matrixPipe"), 1e-12);
    }

    @Test
    void chipGemmOnTheHarvestedDieRoutesAroundDisabledSites() {
        ChipResult r = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(packet), 512, 512, 128, DType.CFP8);
        assertEquals(2L * 512 * 512 * 128, r.usefulFlops());
        assertTrue(r.fractionOfPeak() > 0.05, "fraction " + r.fractionOfPeak());
        assertTrue(String.valueOf(r.notes().routing()).startsWith("xy, relayed"));
        assertEquals("18 x 18", r.notes().grid().shape());
        // the compact grid uses 352 of the 354 nodes, in index order, with relays around the holes
        ChipResult compact = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(packet.with("d1.chip.gemmGrid", "compact", "t")), 512, 512, 128, DType.CFP8);
        assertEquals(352, compact.notes().grid().usedNodes());
        assertEquals(r.usefulFlops(), compact.usefulFlops());
    }

    @Test
    void smallGemmShowsTheCliff() {
        ChipResult big = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(packet), 1024, 1024, 256, DType.BF16);
        ChipResult tiny = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(packet), 32, 32, 32, DType.BF16);
        assertTrue(tiny.fractionOfPeak() < 0.05 * big.fractionOfPeak() + 0.01,
                "32^3 " + tiny.fractionOfPeak() + " vs 1024x1024x256 " + big.fractionOfPeak());
    }

    @Test
    void chipVectorKernelRunsEveryNodeAtOneSimdInstructionPerCycle() {
        // 16 nodes x 16,384 FP32: each node 1,024 instructions in one chunk: 1,024 + 5 + 5 cycles
        ResolvedConfig small = packet.with("d1.chip.meshWidth", 4, "t").with("d1.chip.meshHeight", 4, "t")
                .with("d1.chip.activeNodes", 16, "t").with("d1.chip.disabledSites", "[]", "t");
        ChipResult r = ChipSimulation.vector(io.dojosim.d1.bind.D1Binding.chipSim(small), 16L * 16_384, DType.FP32);
        assertEquals(1034, r.cycles());
        assertEquals(2L * 16 * 16_384, r.executedFlops());
        assertEquals(1024.0 / 1034, r.utilization().get("simdPipe"), 1e-12);
    }

    @Test
    void allToAllDeliversEveryPairOnce() {
        ResolvedConfig small = packet.with("d1.chip.meshWidth", 6, "t").with("d1.chip.meshHeight", 5, "t")
                .with("d1.chip.activeNodes", 28, "t").with("d1.chip.disabledSites", "[0,0; 5,4]", "t");
        ChipResult r = ChipSimulation.allToAll(io.dojosim.d1.bind.D1Binding.chipSim(small), 640);
        // every node reads 27 x 640 B out and writes 27 x 640 B in: router ports busy 27 x 10 cycles each
        double expectedRead = 27.0 * 10 * 28 / (28.0 * r.cycles());
        assertEquals(expectedRead, r.utilization().get("routerReadPort"), 1e-12);
        assertEquals(expectedRead, r.utilization().get("routerWritePort"), 1e-12);
    }

    @Test
    void theFlitLevelChipRoutesAroundDeadMeshLinksAndDeliversEveryPair() {
        // the small die of allToAllDeliversEveryPairOnce at flit fidelity, with a dead row link and a dead column link (noc.deadLinks)
        ResolvedConfig small = c.with("d1.chip.meshWidth", 6, "t").with("d1.chip.meshHeight", 5, "t")
                .with("d1.chip.activeNodes", 28, "t").with("d1.chip.disabledSites", "[0,0; 5,4]", "t")
                .with("noc.deadLinks", "[2,2,E; 3,1,S]", "t");
        ChipResult r = ChipSimulation.allToAll(io.dojosim.d1.bind.D1Binding.chipSim(small), 640);
        double expectedRead = 27.0 * 10 * 28 / (28.0 * r.cycles());
        assertEquals(expectedRead, r.utilization().get("routerReadPort"), 1e-12);
        assertEquals(expectedRead, r.utilization().get("routerWritePort"), 1e-12);
        assertTrue(String.valueOf(r.notes().routing()).startsWith("up*/down* around 2 dead link(s)"), String.valueOf(r.notes()));
        // a dead link that cuts a node off stops the run naming the key
        ConfigException e = assertThrows(ConfigException.class, () -> ChipSimulation.allToAll(io.dojosim.d1.bind.D1Binding.chipSim(
                small.with("noc.deadLinks", "[1,0,E; 1,0,S]", "t")), 640));
        assertTrue(e.getMessage().contains("noc.deadLinks"), e.getMessage());
    }

    @Test
    void sameConfigTwiceGivesIdenticalResults() {
        ChipResult a = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(packet), 256, 512, 128, DType.BF16);
        ChipResult b = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(packet), 256, 512, 128, DType.BF16);
        assertEquals(a.cycles(), b.cycles());
        assertEquals(a.utilization(), b.utilization());
        assertEquals(a.stallCycles(), b.stallCycles());
    }

    @Test
    void chipRooflineIsALowerBoundWithin25PercentOfFlitLevelCycle() {
        // measured on the default die: 512^3 cycle 3,504 vs roofline 2,846 (1.23); 256x256x128 972 vs 800 (1.22)
        ChipComputeModel model = new ChipComputeModel(io.dojosim.d1.bind.D1Binding.chipSim(c));
        long[][] shapes = {{512, 512, 512}, {256, 256, 128}};
        for (long[] s : shapes) {
            ChipResult r = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(c), s[0], s[1], s[2], DType.BF16);
            ChipComputeModel.Estimate e = model.gemm(s[0], s[1], s[2], DType.BF16, 354, ChipComputeModel.Fidelity.ROOFLINE);
            double ratio = (double) r.cycles() / e.cycles();
            assertTrue(ratio >= 1.0 && ratio <= 1.25, s[0] + "x" + s[1] + "x" + s[2] + ": cycle " + r.cycles() + " roofline " + e.cycles());
        }
    }

    @Test
    void summaGridIsTheLargestHoleFreeRectangleOfTheDie() {
        // default harvest: corners, (8,0) and (9,19) -> rows 1..18 are whole: 18 x 18
        int[] rect = ChipKernels.largestRectangle(io.dojosim.d1.bind.D1Binding.chip(c).shape());
        assertEquals(0, rect[0]);
        assertEquals(1, rect[1]);
        assertEquals(18, rect[2]);
        assertEquals(18, rect[3]);
    }

    @Test
    void gemmTooDeepForAnyBlockOfTheChipSramIsRefused() {
        // shares larger than SRAM are tiled into blocks of C (TiledChipGemmTest); K = 2^20 spread
        // block-cyclically over an 8 x 8 grid still leaves 8 x 131,072 x 2 = 2 MB of resident A per
        // node, and smaller grids leave more
        ConfigException e = assertThrows(ConfigException.class, () -> ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(packet), 64, 64, 1 << 20, DType.BF16));
        assertTrue(e.getMessage().contains("SRAM") && e.getMessage().contains("d1.node.sramBytes"), e.getMessage());
    }
}
