package io.dojosim.d1;

import static io.dojosim.core.config.Check.require;

import io.dojosim.core.time.ClockDomain;

/**
 * Checked, immutable parameters of one D1 training node, built from the {@code d1.node} group of
 * {@link D1Params}, bound by {@code io.dojosim.d1.bind.D1Binding#node}. Peaks and port bandwidths are computed here from the pipe widths and the clock;
 * nothing stores a peak.
 *
 * <p>Caveats: the scalar (integer-side) SRAM ports are only part of the published port sums; no
 * micro-operation uses them.
 */
public record NodeParams(long clockHz, int matrixBlockM, int matrixBlockN, int matrixBlockK, int matrixBlocksPerCycle,
                         int simdBytes, int fp32FmaPerCycle, int simdHalfFmaPerCycle, int threads, int vectorIssueWidth,
                         int vectorRegistersPerThread, int matrixAccumulatorBlocks, long sramBytes, long codeReserveBytes,
                         int sramLoadPorts, int sramStorePorts, int sramPortBytes, int routerReadBytesPerCycle,
                         int routerWriteBytesPerCycle, int scalarLoadBytesPerCycle, int scalarStoreBytesPerCycle,
                         int sramLatencyCycles, int matrixLatencyCycles, int simdLatencyCycles, int dmaSetupCycles,
                         int semaphoreCycles, double nodePowerWatts) {

    public NodeParams {
        require(clockHz >= 100_000_000L, "d1.node.clockHz must be >= 1e8");
        require(matrixBlockM >= 1 && matrixBlockN >= 1 && matrixBlockK >= 1, "d1.node.matrixBlock{M,N,K} must be >= 1");
        require(matrixBlocksPerCycle >= 1, "d1.node.matrixBlocksPerCycle must be >= 1");
        require(threads >= 1 && threads <= 16, "d1.node.threads must be in [1, 16]");
        require(vectorIssueWidth >= 1, "d1.node.vectorIssueWidth must be >= 1");
        require(sramBytes > codeReserveBytes, "d1.node.codeReserveBytes (" + codeReserveBytes
                + ") must be smaller than d1.node.sramBytes (" + sramBytes + ")");
        require(sramLoadPorts >= 1 && sramStorePorts >= 1, "d1.node needs at least one SRAM load and one store port");
        require(sramPortBytes >= 8 && routerReadBytesPerCycle >= 8 && routerWriteBytesPerCycle >= 8, "d1.node port widths must be >= 8 bytes");
        require(vectorRegistersPerThread >= 2, "d1.node.vectorRegistersPerThread must be >= 2");
    }

    /** @return the node's clock domain */
    public ClockDomain clock() {
        return new ClockDomain("d1.node", clockHz);
    }

    /** @return multiply-accumulates of one matrix block (8 x 8 x 4 = 256 by default) */
    public int macsPerMatrixBlock() {
        return matrixBlockM * matrixBlockN * matrixBlockK;
    }

    /** @return matrix-pipe multiply-accumulates per cycle */
    public int matrixMacsPerCycle() {
        return macsPerMatrixBlock() * matrixBlocksPerCycle;
    }

    /** @return fused multiply-adds of one SIMD instruction of this type */
    public int simdFmaPerInstruction(DType t) {
        return t == DType.FP32 ? fp32FmaPerCycle : simdHalfFmaPerCycle;
    }

    /** @return peak FLOP per cycle of the type: matrix pipe for matrix types, SIMD pipe for FP32 */
    public long peakFlopsPerCycle(DType t) {
        return t.onMatrixPipe() ? 2L * matrixMacsPerCycle() : 2L * fp32FmaPerCycle;
    }

    /** @return peak FLOP per second of one node for the type */
    public double peakFlopsPerSecond(DType t) {
        return peakFlopsPerCycle(t) * (double) clockHz;
    }

    /**
     * SRAM available to a node program's data: capacity minus the code reserve. This is the
     * cycle-level node's notion of usable SRAM (what a program's buffers may occupy); the mapper's
     * footprint test uses {@code run.mapping.sramUsableFraction} of {@link #sramBytes()} instead
     * ({@code io.dojosim.pod.spec.SystemSpec.Mapping}); ADR 0082 says why both remain.
     */
    public long dataBytes() {
        return sramBytes - codeReserveBytes;
    }

    /**
     * Port-sum check (dojo-facts 2.3): SRAM read bandwidth per cycle of all ports that read, that is
     * the vector load ports, the router read port and the scalar load port (2 x 64 + 64 + 8 = 200 B).
     */
    public int sramReadBytesPerCycle() {
        return sramLoadPorts * sramPortBytes + routerReadBytesPerCycle + scalarLoadBytesPerCycle;
    }

    /** Port-sum check: vector store, router write and scalar store (64 + 64 + 8 = 136 B per cycle). */
    public int sramWriteBytesPerCycle() {
        return sramStorePorts * sramPortBytes + routerWriteBytesPerCycle + scalarStoreBytesPerCycle;
    }

    /** @return total SRAM load bandwidth in bytes per second (published 400 GB/s) */
    public double sramLoadBytesPerSecond() {
        return sramReadBytesPerCycle() * (double) clockHz;
    }

    /** @return total SRAM store bandwidth in bytes per second (published 270 GB/s; the port sum gives 272) */
    public double sramStoreBytesPerSecond() {
        return sramWriteBytesPerCycle() * (double) clockHz;
    }

    /** @return these parameters at another clock (a power cap's throttled clock, docs/model/energy.md) */
    public NodeParams withClockHz(long hz) {
        return new NodeParams(hz, matrixBlockM, matrixBlockN, matrixBlockK, matrixBlocksPerCycle, simdBytes, fp32FmaPerCycle, simdHalfFmaPerCycle, threads, vectorIssueWidth, vectorRegistersPerThread, matrixAccumulatorBlocks, sramBytes, codeReserveBytes, sramLoadPorts, sramStorePorts, sramPortBytes, routerReadBytesPerCycle, routerWriteBytesPerCycle, scalarLoadBytesPerCycle, scalarStoreBytesPerCycle, sramLatencyCycles, matrixLatencyCycles, simdLatencyCycles, dmaSetupCycles, semaphoreCycles, nodePowerWatts);
    }
}
