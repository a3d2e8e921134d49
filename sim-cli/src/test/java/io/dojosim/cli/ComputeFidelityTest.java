package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * run.computeFidelity: the same step with each chip's share of the GEMMs timed by sim-d1's
 * roofline and by its cycle-level chip simulation (every node, the flit mesh). The ratio of the
 * step's GEMM time is pinned to what was measured (docs/validation.md, training step), so a change
 * in either model shows here. Measured 2026-11-30: one chip per replica, the roofline is 30 %
 * optimistic (latency-bound small shares); 25 chips per replica, 10 % pessimistic (its mesh
 * bound is conservative for the thin shares).
 */
class ComputeFidelityTest {
    private static final String WORKLOAD = Path.of("src", "test", "resources", "workloads", "three-gemms.yaml").toString();

    @SuppressWarnings("unchecked")
    private static double gemmSeconds(String fidelity, int replicaChips) {
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolve(null, List.of("pod.system.scope=tile", "run.workload=" + WORKLOAD,
                "run.computeFidelity=" + fidelity, "run.mapping.replicaChips=" + replicaChips));
        Map<String, Object> s = RunService.run(c, null, null).summary();
        return ((Number) ((Map<String, Object>) s.get("timeByOpType")).get("gemm")).doubleValue();
    }

    @ParameterizedTest(name = "{0} chip(s) per replica")
    @CsvSource({"1, 3.625e-6, 2.542e-6", "25, 1.5015e-6, 1.664e-6"})
    void cycleAndRooflineGemmTimesAreAsMeasured(int replicaChips, double cycleSeconds, double rooflineSeconds) {
        double cycle = gemmSeconds("cycle", replicaChips);
        double roofline = gemmSeconds("roofline", replicaChips);
        assertEquals(cycleSeconds, cycle, cycleSeconds * 1e-6, "cycle-level GEMM time");
        assertEquals(rooflineSeconds, roofline, rooflineSeconds * 1e-6, "roofline GEMM time");
    }
}
