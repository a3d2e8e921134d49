package io.dojosim.d1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.chip.ChipResult;
import io.dojosim.d1.chip.ChipSimulation;
import org.junit.jupiter.api.Test;

/**
 * A chip kernel at flit fidelity gives the same result, to the cycle and to every statistic, on
 * 1, 2 and 4 host threads (the mesh's routers are split over the threads; docs/adr/0070).
 */
class ChipThreadsTest {
    private final ResolvedConfig c = TestConfigs.defaults();

    @Test
    void gemmIsIdenticalOnOneTwoAndFourThreads() {
        ChipResult ref = ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(c), 256, 256, 128, DType.BF16, Workers.single());
        for (int threads : new int[] {2, 4}) {
            try (Workers w = Workers.splittingAlways(threads)) {
                assertEquals(ref, ChipSimulation.gemm(io.dojosim.d1.bind.D1Binding.chipSim(c), 256, 256, 128, DType.BF16, w), threads + " threads");
                assertEquals(true, w.report().rounds() > 0, "the mesh was split over threads at least once");
            }
        }
    }

    @Test
    void allToAllIsIdenticalOnOneTwoAndFourThreads() {
        ChipResult ref = ChipSimulation.allToAll(io.dojosim.d1.bind.D1Binding.chipSim(c), 64, Workers.single());
        for (int threads : new int[] {2, 4}) {
            try (Workers w = Workers.splittingAlways(threads)) {
                assertEquals(ref, ChipSimulation.allToAll(io.dojosim.d1.bind.D1Binding.chipSim(c), 64, w), threads + " threads");
                assertEquals(true, w.report().rounds() > 0, "the mesh was split over threads at least once");
            }
        }
    }
}
