package io.dojosim.pod.step;

import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import java.util.ArrayList;
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
public record RooflineBlock(int regionChips, double matrixPeakFlopsPerSecond, double simdPeakFlopsPerSecond, double sramLoadBytesPerSecond,
                            List<TypeWork> types) {
    /** Most busy intervals the {@code timeline} block keeps per stream. */
    static final int TIMELINE_INTERVALS = 200;

    public RooflineBlock {
        types = List.copyOf(types);
    }

    /** One compute type's work per step: operations, executed FLOPs, operand bytes and busy seconds. */
    public record TypeWork(String type, long operations, double flops, double bytes, double seconds) {
    }

    /**
     * The step's streams as busy intervals (timeline.json).
     *
     * @param stepSeconds the step's length
     * @param streams     per stream of the timed replica, its busy intervals in seconds from the step's start
     */
    public record Timeline(double stepSeconds, List<Stream> streams) {
        public Timeline {
            streams = List.copyOf(streams);
        }
    }

    /**
     * @param drawnBusySeconds the busy time the drawn intervals cover
     * @param busy             intervals as {start, end} in seconds
     */
    public record Stream(String stream, double drawnBusySeconds, List<double[]> busy) {
        public Stream {
            busy = List.copyOf(busy);
        }
    }

    static RooflineBlock of(Map<String, long[]> work, Map<String, Long> timeByTypePs, int steps, int stageChips, int nodesPerChip,
                            NodeParams np, DType dtype) {
        double nodes = (double) stageChips * nodesPerChip;
        List<TypeWork> classes = new ArrayList<>();
        for (Map.Entry<String, long[]> e : work.entrySet()) {
            long[] w = e.getValue();
            classes.add(new TypeWork(e.getKey(), w[0] / steps, (double) w[1] / steps, (double) w[2] / steps,
                    timeByTypePs.getOrDefault(e.getKey(), 0L) / 1e12 / steps));
        }
        return new RooflineBlock(stageChips, nodes * np.peakFlopsPerSecond(dtype), nodes * 2.0 * np.simdFmaPerInstruction(dtype) * np.clockHz(),
                nodes * np.sramLoadPorts() * (double) np.sramPortBytes() * np.clockHz(), classes);
    }

    /**
     * The step's length and, per stream of the timed replica, its busy intervals in seconds from
     * the step's start ({@link StepExecutor#streamIntervals}), at most {@link #TIMELINE_INTERVALS}
     * each, for a picture of where the step's time goes.
     */
    static Timeline timeline(Map<String, List<long[]>> streams, long stepPs) {
        List<Stream> list = new ArrayList<>();
        for (Map.Entry<String, List<long[]>> e : streams.entrySet()) {
            List<double[]> busy = new ArrayList<>();
            long total = 0;
            for (long[] iv : e.getValue()) {
                busy.add(new double[] {iv[0] / 1e12, iv[1] / 1e12});
                total += iv[1] - iv[0];
            }
            list.add(new Stream(e.getKey(), total / 1e12, busy));
        }
        return new Timeline(stepPs / 1e12, list);
    }
}
