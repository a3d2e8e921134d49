package io.dojosim.d1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.d1.node.D1Node;
import io.dojosim.d1.node.NodeProgram;
import io.dojosim.d1.node.NodeResult;
import io.dojosim.d1.node.NodeSimulation;
import org.junit.jupiter.api.Test;

/**
 * Exact cycle counts of small programs. Default latencies: SRAM 5, matrix 12, SIMD 5, semaphore 1,
 * DMA set-up 30 cycles; 64 B ports; two load ports, one store port; 2-wide vector issue.
 */
class D1NodeTest {
    private final NodeParams p = TestConfigs.node();

    private NodeResult run(NodeProgram prog) {
        return NodeSimulation.run(p, prog);
    }

    private NodeResult run(NodeParams params, NodeProgram prog) {
        return NodeSimulation.run(params, prog);
    }

    @Test
    void oneMatrixOpStreamingBothLoadPortsTakesBlocksPlusLatency() {
        // 100 blocks, 128 B of operands per block = 200 load slots over 2 ports = 100 cycles;
        // issue [0,100); results at 100 + 5 (SRAM) + 12 (matrix) = 117.
        NodeProgram.Builder b = NodeProgram.builder("t", 1);
        b.thread(0).matrix(DType.BF16, 100, 12_800, 0);
        NodeResult r = run(b.build());
        assertEquals(117, r.cycles());
        assertEquals(100, r.busyCycles()[D1Node.R_MATRIX]);
        assertEquals(200, r.busyCycles()[D1Node.R_LOAD]);
        assertEquals(100 * 512L, r.flops()[DType.BF16.ordinal()]);
    }

    @Test
    void loadBoundMatrixOpIsStretchedByThePorts() {
        // 10 blocks but 64 slots of loads: 2 ports -> 32 cycles; results 32 + 17 = 49.
        NodeProgram.Builder b = NodeProgram.builder("t", 1);
        b.thread(0).matrix(DType.BF16, 10, 64 * 64, 0);
        assertEquals(49, run(b.build()).cycles());
    }

    @Test
    void twoThreadsShareTheMatrixPipeFirstComeFirstServed() {
        // T0: 100 blocks [0,100) -> done 112. T1 waits for the pipe until 100: [100,150) -> 162.
        NodeProgram.Builder b = NodeProgram.builder("t", 2);
        b.thread(0).matrix(DType.BF16, 100, 0, 0);
        b.thread(1).matrix(DType.BF16, 50, 0, 0);
        NodeResult r = run(b.build());
        assertEquals(162, r.cycles());
        assertEquals(100, r.stallCycles()[1][D1Node.S_MATRIX]);
        assertEquals(0, r.stallCycles()[0][D1Node.S_MATRIX]);
    }

    @Test
    void matrixAndSimdOverlapWithTwoWideIssueButNotWithOne() {
        // 2-wide: T1's 10 SIMD instructions run [0,10) -> 15; T0 matrix done 112.
        NodeProgram.Builder b = NodeProgram.builder("t", 2);
        b.thread(0).matrix(DType.BF16, 100, 0, 0);
        b.thread(1).vector(DType.FP32, 10, 0, 0);
        NodeProgram prog = b.build();
        NodeResult wide = run(prog);
        assertEquals(112, wide.cycles());
        // 1-wide: T1 waits for the issue slot until 100: [100,110) -> 115.
        NodeParams narrow = io.dojosim.d1.bind.D1Binding.node(TestConfigs.defaults().with("d1.node.vectorIssueWidth", 1, "test"));
        NodeResult r = run(narrow, prog);
        assertEquals(115, r.cycles());
        assertEquals(100, r.stallCycles()[1][D1Node.S_ISSUE]);
    }

    @Test
    void loadPortConflictIsCountedAsPortStall() {
        // T0 loads 200 slots on both ports: [0,100) -> 105. T1's one-slot load waits to 100 -> 106.
        NodeProgram.Builder b = NodeProgram.builder("t", 2);
        b.thread(0).load(200 * 64);
        b.thread(1).load(64);
        NodeResult r = run(b.build());
        assertEquals(106, r.cycles());
        assertEquals(100, r.stallCycles()[1][D1Node.S_LOAD]);
        assertEquals(100, r.portStallCycles());
    }

    @Test
    void storeWaitsForTheResultsItWrites() {
        // matrix 10 blocks [0,10) -> results 22; store 128 B = 2 slots on one port [22,24).
        NodeProgram.Builder b = NodeProgram.builder("t", 1);
        b.thread(0).matrix(DType.BF16, 10, 0, 0).store(128);
        NodeResult r = run(b.build());
        assertEquals(24, r.cycles());
        assertEquals(12, r.stallCycles()[0][D1Node.S_DRAIN]);
    }

    @Test
    void signalReleasesAWaitingThread() {
        // T0: matrix [0,10) -> 22; signal drains to 22, takes 1 cycle. T1 waits from 0, is woken at
        // 22, passes in 1 cycle (23), then one SIMD instruction [23,24) -> 24 + 5 = 29.
        NodeProgram.Builder b = NodeProgram.builder("t", 2);
        b.thread(0).matrix(DType.BF16, 10, 0, 0).signal(0, 1);
        b.thread(1).waitSem(0, 1).vector(DType.FP32, 1, 0, 0);
        NodeResult r = run(b.build());
        assertEquals(29, r.cycles());
        assertEquals(22, r.stallCycles()[1][D1Node.S_SEMAPHORE]);
        assertEquals(32, r.flops()[DType.FP32.ordinal()]);
    }

    @Test
    void localDmaCopyPaysSetUpAndRouterPorts() {
        // DMA issue 1 cycle; engine: set-up 30, then 640 B = 10 cycles of router read and write
        // [30,40); semaphores 0 and 1 count it at 40; the waiting thread passes at 41.
        NodeProgram.Builder b = NodeProgram.builder("t", 1);
        b.thread(0).dma(0, 640, 0, 1).waitSem(1, 1).waitSem(0, 1);
        NodeResult r = run(b.build());
        assertEquals(42, r.cycles());
        assertEquals(10, r.busyCycles()[D1Node.R_RREAD]);
        assertEquals(10, r.busyCycles()[D1Node.R_RWRITE]);
    }

    @Test
    void barrierReleasesAllThreadsAtTheLastArrival() {
        // T0 arrives at 0, T1 after 20 SIMD instructions drained: [0,20) -> 25; release at 25,
        // both pass at 26; T0 then 1 SIMD [26,27) -> 32.
        NodeProgram.Builder b = NodeProgram.builder("t", 2);
        b.thread(0).barrier(0, 2).vector(DType.FP32, 1, 0, 0);
        b.thread(1).vector(DType.FP32, 20, 0, 0).barrier(0, 2);
        NodeResult r = run(b.build());
        assertEquals(32, r.cycles());
        assertEquals(25, r.stallCycles()[0][D1Node.S_BARRIER]);
    }

    @Test
    void programThatDoesNotFitTheSramFailsWithAClearMessage() {
        NodeProgram.Builder b = NodeProgram.builder("big", 1);
        b.alloc("A", 800_000);
        b.alloc("B", 500_000);
        b.thread(0).load(64);
        ConfigException e = assertThrows(ConfigException.class, () -> run(b.build()));
        assertTrue(e.getMessage().contains("needs 1300000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("A 800000, B 500000"), e.getMessage());
        assertTrue(e.getMessage().contains("1217232"), e.getMessage());
    }

    @Test
    void sendOnALoneNodeIsRejected() {
        NodeProgram.Builder b = NodeProgram.builder("t", 1);
        b.thread(0).send(1, 64, 0);
        assertThrows(ConfigException.class, () -> run(b.build()));
    }

    @Test
    void sameProgramTwiceGivesIdenticalResults() {
        NodeProgram prog = io.dojosim.d1.kernel.NodeKernels.gemm(p, 100, 72, 60, DType.BF16);
        NodeResult a = run(prog);
        NodeResult c = run(prog);
        assertEquals(a.cycles(), c.cycles());
        assertEquals(java.util.Arrays.deepToString(a.stallCycles()), java.util.Arrays.deepToString(c.stallCycles()));
    }
}
