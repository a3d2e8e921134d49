package io.dojosim.d1.chip;

import java.util.Map;

/**
 * What a chip-scope kernel run measured.
 *
 * @param cycles             cycles until the last node finished
 * @param timePs             the same in picoseconds
 * @param usefulFlops        FLOPs the kernel needs (2 m n k for a GEMM), padding excluded
 * @param executedFlops      FLOPs the pipes executed, padding of partial blocks included
 * @param peakFlopsPerSecond modeled chip peak of the data type: active nodes x node peak
 * @param utilization        per resource (matrixPipe, simdPipe, sramLoadPorts, ...) over all active
 *                           nodes, plus meshLinksMean, meshLinksMax and meshEjectionMean
 * @param stallCycles        thread-cycles lost per stall reason, summed over nodes and threads
 * @param limiter            what bounds the run, in words
 * @param notes              routing used, grid, losses and other facts for the report
 */
public record ChipResult(long cycles, long timePs, long usefulFlops, long executedFlops, double peakFlopsPerSecond,
                         Map<String, Double> utilization, Map<String, Long> stallCycles, String limiter,
                         ChipNotes notes) {

    /** @return useful FLOPs per second */
    public double achievedFlopsPerSecond() {
        return timePs == 0 ? 0 : usefulFlops / (timePs / 1e12);
    }

    /** @return achieved / peak */
    public double fractionOfPeak() {
        return peakFlopsPerSecond == 0 ? 0 : achievedFlopsPerSecond() / peakFlopsPerSecond;
    }
}
