package io.dojosim.pod.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.DType;
import io.dojosim.d1.node.NodeSimulation;
import io.dojosim.pod.bind.SpecBinder;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.pod.catalog.ModelCatalog;
import org.junit.jupiter.api.Test;

class KernelScenarioTest {
    private static SystemSpec defaults() {
        return SpecBinder.bind(new ParamCatalog(ModelCatalog.params()).defaults());
    }

    private static KernelScenario.Request gemm(KernelScenario.Scope scope, long size, NodeSimulation.Fidelity fid) {
        return new KernelScenario.Request(KernelScenario.Kernel.GEMM, scope, size, size, size, DType.BF16, fid);
    }

    @Test
    void aNodeGemmDoesTwoMnkFlopsAgainstTheMatrixPipesPeak() {
        KernelScenario.Result r = KernelScenario.runNode(defaults().node(), gemm(KernelScenario.Scope.NODE, 64, NodeSimulation.Fidelity.CYCLE));
        // peak: 8 x 8 x 4 = 256 MACs a block, 1 block a cycle, 2 FLOP a MAC, 2 GHz = 1.024 TFLOPS
        assertEquals(1.024, r.peakTflops(), 1e-12);
        // 2 GHz: a cycle is 0.5 ns
        assertEquals(r.cycles() * 0.5e-9, r.timeSeconds(), 1e-18);
        // useful work: 2 x 64^3 = 524,288 FLOP, whatever the time
        assertEquals(524_288.0, r.achievedTflops() * 1e12 * r.timeSeconds(), 1e-6);
        assertEquals(r.achievedTflops() / r.peakTflops(), r.fractionOfPeak(), 1e-12);
        // 64^3 / 256 MACs a cycle = 1,024 cycles at the least
        assertTrue(r.cycles() >= 1024, "cycles " + r.cycles());
        assertTrue(r.stallCycles().isEmpty() && r.notes().isEmpty());
        assertEquals(r.utilization().get("matrixPipe"), r.fractionOfPeak(), 1e-12); // no padding at 64 = 8 x 8
    }

    @Test
    void aChipGemmsPeakIsEveryActiveNodesPeak() {
        KernelScenario.Result r = KernelScenario.runChip(defaults().chipSim(), gemm(KernelScenario.Scope.CHIP, 128, NodeSimulation.Fidelity.CYCLE),
                Workers.single());
        // 18 x 20 sites minus 6 disabled = 354 nodes x 1.024 TFLOPS
        assertEquals(362.496, r.peakTflops(), 1e-9);
        assertEquals(2.0 * 128 * 128 * 128, r.achievedTflops() * 1e12 * r.timeSeconds(), 1e-3);
        assertTrue(r.threadStallCycles().isEmpty());
        assertTrue(r.notes().grid() != null);
    }

    @Test
    void theChipResultDoesNotDependOnTheThreadCount() {
        KernelScenario.Request q = gemm(KernelScenario.Scope.CHIP, 128, NodeSimulation.Fidelity.CYCLE);
        KernelScenario.Result one = KernelScenario.runChip(defaults().chipSim(), q, Workers.single());
        try (Workers two = Workers.splittingAlways(2)) {
            assertEquals(one, KernelScenario.runChip(defaults().chipSim(), q, two));
        }
    }

    @Test
    void badRequestsNameWhatIsAllowed() {
        assertEquals("--kernel 'fft' is not known; allowed: gemm, vector, alltoall",
                assertThrows(ConfigException.class, () -> KernelScenario.Kernel.parse("fft")).getMessage());
        assertThrows(ConfigException.class, () -> gemm(KernelScenario.Scope.NODE, 0, NodeSimulation.Fidelity.CYCLE));
        KernelScenario.Request a2a = new KernelScenario.Request(KernelScenario.Kernel.ALLTOALL, KernelScenario.Scope.NODE, 64, 1, 1, DType.BF16,
                NodeSimulation.Fidelity.CYCLE);
        assertThrows(ConfigException.class, () -> KernelScenario.runNode(defaults().node(), a2a));
    }
}
