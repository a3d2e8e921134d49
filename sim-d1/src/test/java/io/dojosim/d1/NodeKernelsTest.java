package io.dojosim.d1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.d1.kernel.NodeKernels;
import io.dojosim.d1.node.D1Node;
import io.dojosim.d1.node.NodeProgram;
import io.dojosim.d1.node.NodeResult;
import io.dojosim.d1.node.NodeSimulation;
import io.dojosim.d1.node.NodeSimulation.Fidelity;
import org.junit.jupiter.api.Test;

class NodeKernelsTest {
    private final NodeParams p = TestConfigs.node();

    /** useful FLOPs / (cycles x peak FLOP per cycle) */
    private double efficiency(long m, long n, long k, DType t, NodeResult r) {
        return 2.0 * m * n * k / ((double) r.cycles() * p.peakFlopsPerCycle(t));
    }

    @Test
    void largeBf16GemmThatFitsReachesAtLeast95PercentOfPeak() {
        // 384^3 BF16: A, B, C = 3 x 294,912 B = 884,736 B, fits the 1,217,232 B of data SRAM.
        NodeResult r = NodeSimulation.run(p, NodeKernels.gemm(p, 384, 384, 384, DType.BF16));
        double eff = efficiency(384, 384, 384, DType.BF16, r);
        assertTrue(eff >= 0.95, "efficiency " + eff);
        // 144 macro tiles of 4 x 4 x 96 = 1,536 blocks keep the pipe busy back to back; the tail is
        // the last tile's latency (17) and its store (16 blocks x 128 B = 32 cycles).
        assertEquals(144 * 1536 + 17 + 32, r.cycles());
    }

    @Test
    void fp32GemmRunsOnTheSimdPipeAtItsPeak() {
        NodeResult r = NodeSimulation.run(p, NodeKernels.gemm(p, 128, 128, 128, DType.FP32));
        double eff = efficiency(128, 128, 128, DType.FP32, r);
        assertTrue(eff >= 0.95, "efficiency " + eff);
        assertEquals(0, r.busyCycles()[D1Node.R_MATRIX]);
    }

    @Test
    void smallShapesFallOffTheEfficiencyCliff() {
        double e32 = efficiency(32, 32, 32, DType.BF16, NodeSimulation.run(p, NodeKernels.gemm(p, 32, 32, 32, DType.BF16)));
        double e16 = efficiency(16, 16, 16, DType.BF16, NodeSimulation.run(p, NodeKernels.gemm(p, 16, 16, 16, DType.BF16)));
        double e8 = efficiency(256, 256, 8, DType.BF16, NodeSimulation.run(p, NodeKernels.gemm(p, 256, 256, 8, DType.BF16)));
        double e20 = efficiency(20, 256, 256, DType.BF16, NodeSimulation.run(p, NodeKernels.gemm(p, 20, 256, 256, DType.BF16)));
        // 32^3: one tile, 128 blocks, then latency 17 and a 32-cycle store: 128 / 177
        assertEquals(128.0 / 177, e32, 1e-12);
        assertTrue(e16 < e32, e16 + " vs " + e32);
        // K = 8: each 32x32 tile is 32 matrix cycles and a 32-cycle store, so the store port and
        // the per-tile latency bound it
        assertTrue(e8 < 0.85, "k = 8: " + e8);
        // M = 20 pads to 24 rows: at most 20/24 of the pipe does useful work
        assertTrue(e20 <= 20.0 / 24 + 1e-9, "m = 20: " + e20);
    }

    @Test
    void gemmThatDoesNotFitTheSramIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> NodeSimulation.run(p, NodeKernels.gemm(p, 512, 512, 512, DType.BF16)));
        assertTrue(e.getMessage().contains("SRAM"), e.getMessage());
    }

    @Test
    void streamingVectorKernelRunsAtOneSimdInstructionPerCycle() {
        // 65,536 FP32 = 4,096 instructions in 4 chunks on 2 threads; each chunk needs 2 load
        // slots and 1 store slot per instruction: the ports and pipe are balanced.
        NodeResult r = NodeSimulation.run(p, NodeKernels.vector(p, 65_536, DType.FP32));
        assertEquals(4096, r.busyCycles()[D1Node.R_SIMD]);
        // 4 chunks of 1,024 back to back, plus SRAM 5 + SIMD 5 latency of the last one.
        assertEquals(4096 + 10, r.cycles());
        assertEquals(65_536L * 2, r.flops()[DType.FP32.ordinal()]);
    }

    @Test
    void rooflineAgreesWithCycleOnKernelsWithinOnePercent() {
        NodeProgram[] progs = {
            NodeKernels.gemm(p, 384, 384, 384, DType.BF16),
            NodeKernels.gemm(p, 200, 120, 300, DType.CFP8),
            NodeKernels.gemm(p, 128, 128, 128, DType.FP32),
            NodeKernels.vector(p, 100_000, DType.FP32),
        };
        for (NodeProgram prog : progs) {
            long cyc = NodeSimulation.run(p, prog, Fidelity.CYCLE).cycles();
            long roof = NodeSimulation.run(p, prog, Fidelity.ROOFLINE).cycles();
            assertTrue(roof <= cyc, prog.name() + ": roofline " + roof + " must be a lower bound of " + cyc);
            assertTrue(cyc <= roof * 1.01, prog.name() + ": cycle " + cyc + " vs roofline " + roof);
        }
    }
}
