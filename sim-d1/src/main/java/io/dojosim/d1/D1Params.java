package io.dojosim.d1;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;
import java.util.List;

/**
 * Declared parameters of the D1 training node ({@code d1.node}) and the D1 die ({@code d1.chip}),
 * with the source of every default. Published figures cite dojo-facts keys (AID21, HC34-U, ...);
 * unpublished ones are assumptions from dojo-facts section 10, each argued on the page its source
 * names (docs/model/d1-node.md#assumptions, docs/model/d1-chip.md#assumptions).
 *
 * <p>Model code does not read these keys: {@code io.dojosim.d1.bind.D1Binding} binds them once into
 * the checked, immutable {@link NodeParams} and {@link io.dojosim.d1.chip.ChipParams}.
 */
public final class D1Params {
    private D1Params() {
    }

    private static final String NODE_A = "docs/model/d1-node.md#assumptions";
    private static final String CHIP_A = "docs/model/d1-chip.md#assumptions";

    public static final ParamGroup NODE = ParamGroup.builder("d1.node",
                    "D1 training node: core clock, matrix and SIMD pipes, SRAM and its ports, threads",
                    "docs/model/d1-node.md")
            .longParam("clockHz", 2_000_000_000L, 100_000_000L, 10_000_000_000L, "Hz",
                    ParamSource.published("HC34-U D1 slide '@ 2 GHz'; CNC22"), "core clock frequency")
            .intParam("matrixBlockM", 8, 1, 256, "rows", ParamSource.published("CNC22: 8x8x4 matrix multiplication pipe"),
                    "rows of the output block of one matrix-pipe operation")
            .intParam("matrixBlockN", 8, 1, 256, "columns", ParamSource.published("CNC22: 8x8x4 matrix multiplication pipe"),
                    "columns of the output block of one matrix-pipe operation")
            .intParam("matrixBlockK", 4, 1, 256, "elements", ParamSource.published("CNC22: 8x8x4 matrix multiplication pipe"),
                    "reduction depth of one matrix-pipe operation")
            .intParam("matrixBlocksPerCycle", 1, 1, 64, "blocks/cycle",
                    ParamSource.derived("AID21 1,024 GFLOPS/node at 2 GHz = 256 MAC/cycle = one 8x8x4 block per cycle (dojo-facts C4)"),
                    "matrix blocks the pipe accepts per cycle (BF16, CFP8, FP16, INT8)")
            .intParam("simdBytes", 64, 8, 4096, "bytes",
                    ParamSource.published("HC34-U via TNP22, CNC22: 512-bit SIMD"), "SIMD vector width")
            .intParam("fp32FmaPerCycle", 16, 1, 4096, "FMA/cycle",
                    ParamSource.derived("AID21 64 GFLOPS FP32/node at 2 GHz = 16 FMA per cycle = one 64 B FP32 vector"),
                    "FP32 fused multiply-adds per cycle on the SIMD pipe")
            .intParam("simdHalfFmaPerCycle", 32, 1, 4096, "FMA/cycle", ParamSource.assumed(NODE_A),
                    "16-bit (BF16/FP16) and CFP8 fused multiply-adds per cycle on the SIMD pipe (64 B of 16-bit lanes)")
            .intParam("threads", 4, 1, 16, "threads", ParamSource.published("HC34-U: 4-way SMT"), "hardware threads per node")
            .intParam("vectorIssueWidth", 2, 1, 8, "ops/cycle", ParamSource.published("HC34-U via CNC22: 2-wide vector scheduler"),
                    "vector operations (matrix blocks, SIMD instructions) issued per cycle across threads")
            .intParam("vectorRegistersPerThread", 32, 2, 1024, "registers", ParamSource.assumed(NODE_A),
                    "64 B vector registers per thread; bounds the operand panels a GEMM micro-kernel keeps in flight")
            .intParam("matrixAccumulatorBlocks", 16, 1, 1024, "blocks", ParamSource.assumed(NODE_A),
                    "8x8 FP32 output blocks the matrix pipe accumulates at once (register blocking of GEMM)")
            .bytesParam("sramBytes", 1_250_000L, 1024, 1L << 40, ParamSource.published("AID21; HC34-U; MICRO23 (440 MB per die)"),
                    "local SRAM capacity (1.25 MB)")
            .bytesParam("codeReserveBytes", 32_768L, 0, 1L << 40, ParamSource.assumed(NODE_A),
                    "SRAM kept for code, stack and descriptors (the SRAM holds code and data; I-cache 16-32 KB fed from it)")
            .intParam("sramLoadPorts", 2, 1, 16, "ports", ParamSource.published("CNC22: two 64 B load ports"), "64 B SRAM load ports for the pipes")
            .intParam("sramStorePorts", 1, 1, 16, "ports", ParamSource.published("CNC22: one 64 B store port"), "64 B SRAM store ports for the pipes")
            .intParam("sramPortBytes", 64, 8, 4096, "bytes", ParamSource.published("CNC22: 64 B ports"), "bytes per SRAM port per cycle")
            .intParam("routerReadBytesPerCycle", 64, 8, 4096, "bytes", ParamSource.published("HC34-U, TNP22: one 64 B read per cycle"), "SRAM read bandwidth of the router port")
            .intParam("routerWriteBytesPerCycle", 64, 8, 4096, "bytes", ParamSource.published("HC34-U, TNP22: one 64 B write per cycle"), "SRAM write bandwidth of the router port")
            .intParam("scalarLoadBytesPerCycle", 8, 0, 4096, "bytes", ParamSource.assumed(NODE_A + " (dojo-facts port-sum check)"),
                    "64-bit integer-side SRAM read per cycle; not used by micro-operations, counted in the published 400 GB/s")
            .intParam("scalarStoreBytesPerCycle", 8, 0, 4096, "bytes", ParamSource.assumed(NODE_A + " (dojo-facts port-sum check)"),
                    "64-bit integer-side SRAM write per cycle; not used by micro-operations, counted in the published 270 GB/s")
            .intParam("sramLatencyCycles", 5, 1, 100, "cycles", ParamSource.assumed(NODE_A + " (CNC22 estimate; dojo-facts s10: 4-6)"), "SRAM load-to-use latency")
            .intParam("matrixLatencyCycles", 12, 1, 200, "cycles", ParamSource.assumed(NODE_A + " (dojo-facts s10: 8-16)"), "matrix pipe latency from last issue to result")
            .intParam("simdLatencyCycles", 5, 1, 200, "cycles", ParamSource.assumed(NODE_A + " (dojo-facts s10: 4-6)"), "SIMD FMA latency from last issue to result")
            .intParam("dmaSetupCycles", 30, 0, 10000, "cycles", ParamSource.assumed(NODE_A + " (dojo-facts s10: 10-50)"), "DMA / list-parser descriptor set-up cost")
            .intParam("semaphoreCycles", 1, 1, 1000, "cycles", ParamSource.assumed(NODE_A),
                    "cycles a semaphore signal, a satisfied wait or a local barrier release takes")
            .doubleParam("nodePowerWatts", 400.0 / 354.0, 0.0, 1000.0, "W", ParamSource.assumed(NODE_A + " (dojo-facts s10: 400 W / 354 flat)"),
                    "power of one active node, flat (for energy estimates only)")
            .build();

    public static final ParamGroup CHIP = ParamGroup.builder("d1.chip",
                    "D1 die: node array on the mesh, harvested sites, SerDes edges",
                    "docs/model/d1-chip.md")
            .intParam("meshWidth", 18, 1, 256, "sites", ParamSource.assumed(CHIP_A + " (dojo-facts s10: 18 x 20 unconfirmed)"), "node sites per mesh row")
            .intParam("meshHeight", 20, 1, 256, "sites", ParamSource.assumed(CHIP_A + " (dojo-facts s10)"), "node sites per mesh column")
            .intParam("activeNodes", 354, 1, 65536, "nodes", ParamSource.published("AID21, HC34-U, MICRO23: 354 nodes"),
                    "active nodes; sites beyond this count are disabled (harvested)")
            .stringListParam("disabledSites", List.of("0,0", "17,0", "0,19", "17,19", "8,0", "9,19"), "x,y",
                    ParamSource.assumed(CHIP_A + " and docs/model/noc.md#disabled-sites (harvesting published in HC34-S; which sites is per die)"),
                    "harvested sites as \"x,y\"; their count must equal width x height - activeNodes")
            .intParam("serdesLanes", 576, 4, 100000, "lanes", ParamSource.published("AID21: 576 bidirectional SerDes channels"), "SerDes lanes around the four edges")
            .doubleParam("serdesLaneGbps", 112.0, 1, 10000, "Gb/s", ParamSource.published("SA21 and AID21 coverage: 112 Gb/s class"), "bit rate of one lane per direction")
            .longParam("dieToDieLatencyPs", 100_000L, 1, 100_000_000L, "ps", ParamSource.published("CNC22 citing HC34-U: ~100 ns"), "added latency of a die-to-die crossing")
            .doubleParam("dieToDieEfficiency", 0.9, 0.01, 1.0, "ratio", ParamSource.assumed(CHIP_A + " (dojo-facts s10: ~90 %)"),
                    "fraction of the raw SerDes rate available to payload")
            .intParam("barrierHopCycles", 2, 1, 100, "cycles", ParamSource.assumed(CHIP_A + " (dojo-facts s10: 1 link + 1 router cycle per hop)"),
                    "cycles per mesh hop of a chip-wide barrier; a barrier costs 2 x diameter x this")
            .intParam("gemmPanelK", 64, 4, 65536, "elements", ParamSource.simulator(CHIP_A + " (kernel choice, not hardware)"),
                    "K depth of one SUMMA step of the chip GEMM kernel (panel width broadcast per step)")
            .enumParam("gemmGrid", "rectangle", List.of("rectangle", "compact"), ParamSource.simulator(CHIP_A + " (kernel choice, not hardware)"),
                    "SUMMA grid of the chip GEMM: the largest hole-free rectangle of the mesh, or all active nodes in index order")
            .build();
}
