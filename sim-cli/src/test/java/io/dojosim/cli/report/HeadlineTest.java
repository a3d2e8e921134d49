package io.dojosim.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run report's first screen: headline figures and the step's time split, from summary.json keys, none invented. */
class HeadlineTest {
    @Test
    void figuresAndSplitOfATileRunSummary() {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("dataParallel", 12);
        plan.put("replicaChips", 2);
        plan.put("pipelineStages", 2);
        plan.put("microBatches", 4);
        plan.put("pipelineSchedule", "1f1b");
        plan.put("stageIdleFraction", 0.25);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("plan", plan);
        s.put("stepTimeSeconds", 0.00258020327);
        s.put("samplesPerSecond", 105805.6174);
        s.put("tokensPerSecond", 0.0);
        s.put("achievedTflops", 2603.2575);
        s.put("peakTflops", 9062.4);
        s.put("mfu", 0.28725917);
        s.put("computeSeconds", 0.002551851853);
        s.put("communicationSeconds", 1.6229108E-4);
        s.put("exposedCommunicationSeconds", 2.8351417E-5);
        s.put("memorySeconds", 0.0);
        s.put("timeByOpType", Map.of("gemm", 2.1874E-5, "convolution", 0.002807364, "sendrecv", 0.0));
        s.put("computeLimitedBy", Map.of("matrix", 0.0025, "imbalance", 1.03736E-4));
        s.put("energy", Map.of("joulesPerStep", 48.56103882914742, "averageWatts", Map.of("system", 12961.003006957078)));
        assertEquals(List.of(List.of("step time", "2.580 ms"), List.of("samples / s", "105,806"), List.of("MFU", "28.73 %"),
                List.of("TFLOPS achieved", "2,603 of 9,062"),
                List.of("energy / step", "48.56 J, 12.96 kW"), List.of("plan", "12 replicas x 2 chips, 2 stages x 4 micro-batches (1f1b)")),
                Headline.figures(s));
        // no HBM streaming (0 s) and no sendrecv (0 s); stage idle is 25 % of 2.580 ms; op classes largest first
        assertEquals(List.of(List.of("compute busy", 0.002551851853), List.of("communication busy", 1.6229108E-4),
                List.of("communication exposed", 2.8351417E-5), List.of("stage idle (bubbles)", 0.25 * 0.00258020327),
                List.of("compute lost to imbalance", 1.03736E-4),
                List.of("op convolution", 0.002807364), List.of("op gemm", 2.1874E-5)), Headline.breakdown(s));
    }
}
