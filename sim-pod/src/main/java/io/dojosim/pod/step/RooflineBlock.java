package io.dojosim.pod.step;

import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary's {@code roofline} block: per compute type of the timed replica, the FLOPs it
 * executed, its operand bytes and its busy time per step, with the roofs of the region of chips
 * one operation runs on (one pipeline stage's chips): the matrix-pipe and SIMD peaks and the
 * SRAM load bandwidth of its D1 nodes. A report draws each type as a point (arithmetic intensity
 * = FLOPs / bytes, achieved = FLOPs / busy time) under those roofs (Williams, Waterman and
 * Patterson, "Roofline", CACM 2009).
 *
 * <p>The {@code timeline} block ({@link #timeline}) is the step's streams as busy intervals.
 *
 * <p>Caveats: bytes are the operations' operands in HBM terms (inputs, outputs, weights), not
 * the SRAM traffic the node programs make, so the intensity is the operation's, not the
 * kernel's; recomputed forward work counts its FLOPs here (it is executed) although the
 * summary's {@code modeledFlops} leaves it out.
 */
final class RooflineBlock {
    /** Most busy intervals the {@code timeline} block keeps per stream. */
    static final int TIMELINE_INTERVALS = 200;

    private RooflineBlock() {
    }

    static Map<String, Object> of(Map<String, long[]> work, Map<String, Long> timeByTypePs, int steps, int stageChips, int nodesPerChip,
                                  NodeParams np, DType dtype) {
        Map<String, Object> b = new LinkedHashMap<>();
        double nodes = (double) stageChips * nodesPerChip;
        b.put("regionChips", stageChips);
        b.put("matrixPeakFlopsPerSecond", nodes * np.peakFlopsPerSecond(dtype));
        b.put("simdPeakFlopsPerSecond", nodes * 2.0 * np.simdFmaPerInstruction(dtype) * np.clockHz());
        b.put("sramLoadBytesPerSecond", nodes * np.sramLoadPorts() * (double) np.sramPortBytes() * np.clockHz());
        List<Object> classes = new ArrayList<>();
        for (Map.Entry<String, long[]> e : work.entrySet()) {
            long[] w = e.getValue();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", e.getKey());
            c.put("operations", w[0] / steps);
            c.put("flops", (double) w[1] / steps);
            c.put("bytes", (double) w[2] / steps);
            c.put("seconds", timeByTypePs.getOrDefault(e.getKey(), 0L) / 1e12 / steps);
            classes.add(c);
        }
        b.put("types", classes);
        return b;
    }

    /**
     * The summary's {@code timeline} block: the step's length and, per stream of the timed replica,
     * its busy intervals in seconds from the step's start ({@link StepExecutor#streamIntervals}),
     * at most {@code maxPerStream} each, for a picture of where the step's time goes.
     */
    static Map<String, Object> timeline(Map<String, List<long[]>> streams, long stepPs) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("stepSeconds", stepPs / 1e12);
        List<Object> list = new ArrayList<>();
        for (Map.Entry<String, List<long[]>> e : streams.entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stream", e.getKey());
            List<Object> busy = new ArrayList<>();
            long total = 0;
            for (long[] iv : e.getValue()) {
                busy.add(List.of(iv[0] / 1e12, iv[1] / 1e12));
                total += iv[1] - iv[0];
            }
            s.put("drawnBusySeconds", total / 1e12);
            s.put("busy", busy);
            list.add(s);
        }
        b.put("streams", list);
        return b;
    }
}
