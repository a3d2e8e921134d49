package io.dojosim.d1;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;
import io.dojosim.core.config.ResolvedConfig;
import java.util.List;

/**
 * Declared parameters of the D1 training node ({@code d1.node}) and the D1 die ({@code d1.chip}),
 * with the source of every default. Published figures cite docs/reference/dojo-facts keys (AID21,
 * HC34-U, ...); unpublished ones are assumptions argued in docs/model/d1-node.md and d1-chip.md.
 */
public final class D1Params {
    private D1Params() {
    }

    public static final ParamGroup NODE = ParamGroup.builder("d1.node",
                    "D1 training node: core clock, matrix and SIMD pipes, SRAM and its ports, threads",
                    "docs/model/d1-node.md")
            .longParam("clockHz", 2_000_000_000L, 100_000_000L, 10_000_000_000L, "Hz",
                    ParamSource.published("HC34-U D1 slide '@ 2 GHz'; CNC22"), "core clock frequency")
            .intParam("matrixMacsPerCycle", 256, 1, 65536, "MAC/cycle",
                    ParamSource.derived("AID21 1,024 GFLOPS/node at 2 GHz = 512 FLOP = 256 MAC per cycle (dojo-facts C4)"),
                    "BF16/CFP8 multiply-accumulates per cycle of the matrix pipe (one 8x8x4 block)")
            .intParam("simdBytes", 64, 8, 4096, "bytes",
                    ParamSource.published("HC34-U via TNP22, CNC22: 512-bit SIMD"), "SIMD vector width")
            .intParam("fp32FmaPerCycle", 16, 1, 4096, "FMA/cycle",
                    ParamSource.derived("AID21 64 GFLOPS FP32/node at 2 GHz = 16 FMA per cycle"), "FP32 fused multiply-adds per cycle on the SIMD pipe")
            .intParam("threads", 4, 1, 16, "threads", ParamSource.published("HC34-U: 4-way SMT"), "hardware threads per node")
            .intParam("vectorIssueWidth", 2, 1, 8, "ops/cycle", ParamSource.published("HC34-U via CNC22: 2-wide vector scheduler"),
                    "vector operations issued per cycle across threads")
            .bytesParam("sramBytes", 1_250_000L, 1024, 1L << 40, ParamSource.published("AID21; HC34-U; MICRO23 (440 MB per die)"),
                    "local SRAM capacity (1.25 MB)")
            .intParam("sramLoadPorts", 2, 1, 16, "ports", ParamSource.published("CNC22: two 64 B load ports"), "64 B SRAM load ports for the pipes")
            .intParam("sramStorePorts", 1, 1, 16, "ports", ParamSource.published("CNC22: one 64 B store port"), "64 B SRAM store ports for the pipes")
            .intParam("sramPortBytes", 64, 8, 4096, "bytes", ParamSource.published("CNC22: 64 B ports"), "bytes per SRAM port per cycle")
            .intParam("routerReadBytesPerCycle", 64, 8, 4096, "bytes", ParamSource.published("HC34-U, TNP22: one 64 B read per cycle"), "SRAM read bandwidth of the router port")
            .intParam("routerWriteBytesPerCycle", 64, 8, 4096, "bytes", ParamSource.published("HC34-U, TNP22: one 64 B write per cycle"), "SRAM write bandwidth of the router port")
            .intParam("sramLatencyCycles", 5, 1, 100, "cycles", ParamSource.assumed("docs/model/d1-node.md#assumptions (CNC22 estimate)"), "SRAM load-to-use latency")
            .intParam("matrixLatencyCycles", 12, 1, 200, "cycles", ParamSource.assumed("docs/model/d1-node.md#assumptions (dojo-facts s10: 8-16)"), "matrix pipe latency")
            .intParam("simdLatencyCycles", 5, 1, 200, "cycles", ParamSource.assumed("docs/model/d1-node.md#assumptions (dojo-facts s10: 4-6)"), "SIMD FMA latency")
            .intParam("dmaSetupCycles", 30, 0, 10000, "cycles", ParamSource.assumed("docs/model/d1-node.md#assumptions (dojo-facts s10: 10-50)"), "DMA descriptor set-up cost")
            .build();

    public static final ParamGroup CHIP = ParamGroup.builder("d1.chip",
                    "D1 die: node array on the mesh, harvested sites, SerDes edges",
                    "docs/model/d1-chip.md")
            .intParam("meshWidth", 18, 1, 256, "sites", ParamSource.assumed("docs/model/d1-chip.md#assumptions (dojo-facts s10: 18 x 20 unconfirmed)"), "node sites per mesh row")
            .intParam("meshHeight", 20, 1, 256, "sites", ParamSource.assumed("docs/model/d1-chip.md#assumptions (dojo-facts s10)"), "node sites per mesh column")
            .intParam("activeNodes", 354, 1, 65536, "nodes", ParamSource.published("AID21, HC34-U, MICRO23: 354 nodes"),
                    "active nodes; sites beyond this count are disabled (harvested)")
            .stringListParam("disabledSites", List.of("0,0", "17,0", "0,19", "17,19", "8,0", "9,19"), "x,y",
                    ParamSource.assumed("docs/model/d1-chip.md#assumptions and docs/model/noc.md#disabled-sites (harvesting published in HC34-S; which sites is per die)"),
                    "harvested sites as \"x,y\"; their count must equal width x height - activeNodes")
            .intParam("serdesLanes", 576, 4, 100000, "lanes", ParamSource.published("AID21: 576 bidirectional SerDes channels"), "SerDes lanes around the four edges")
            .doubleParam("serdesLaneGbps", 112.0, 1, 10000, "Gb/s", ParamSource.published("SA21 and AID21 coverage: 112 Gb/s class"), "bit rate of one lane per direction")
            .longParam("dieToDieLatencyPs", 100_000L, 1, 100_000_000L, "ps", ParamSource.published("CNC22 citing HC34-U: ~100 ns"), "added latency of a die-to-die crossing")
            .doubleParam("dieToDieEfficiency", 1.0, 0.01, 1.0, "ratio", ParamSource.assumed("docs/model/d1-chip.md#assumptions (dojo-facts s10 suggests ~0.9)"),
                    "fraction of the raw SerDes rate available to payload")
            .build();

    /** Published per-edge SerDes bandwidth per direction: lanes / 4 x lane rate / 8, in bytes per second. */
    public static double edgeBytesPerSecondPerDirection(ResolvedConfig c) {
        return c.getInt("d1.chip.serdesLanes") / 4.0 * c.getDouble("d1.chip.serdesLaneGbps") * 1e9 / 8.0
                * c.getDouble("d1.chip.dieToDieEfficiency");
    }
}
