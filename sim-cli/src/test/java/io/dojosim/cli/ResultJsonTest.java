package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.d1.chip.ChipNotes;
import io.dojosim.pod.step.StepSummary;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The versioned mapper: the document's key order, and optional blocks left out exactly when the record has none. */
class ResultJsonTest {
    private static StepSummary summary(StepSummary.Workload w, StepSummary.Region region) {
        StepSummary.PlanInfo plan = new StepSummary.PlanInfo(2, 3, 3, 1, false, 1, 1, 3, 1, "none", 0.0, 0.0, 1, 1, 10, 20, 0, 1, "test", null);
        return new StepSummary(w, new StepSummary.SystemInfo("tile", 1, 7, 7 * 354L, 1.0), plan, 1, 2.0, 4.0, 0.0, 8.0, 4e-12, 1.0, 4e-12,
                1.0, 0.5, 0.25, 0.0, Map.of(), Map.of(), new StepSummary.Utilization(0.1, 0.2, 0.3, 0, 0, 0, 0, 0, 0),
                new StepSummary.MessageLatency(0, 0, 0, 0, 0), new StepSummary.Operations(3, 0, null), null, null, null, region);
    }

    private static StepSummary.Workload workload(String rankNote, List<String> warnings, StepSummary.GlobalBatch g) {
        return new StepSummary.Workload("w", "test", 4, 8, 0, 100, "bf16", 1, rankNote, null, warnings, g);
    }

    @Test
    void theSummaryOpensWithItsVersionAndKeepsTheDocumentsOrder() {
        Map<String, Object> s = ResultJson.step(summary(workload(null, List.of(), null), null));
        assertEquals(List.of("schemaVersion", "workload", "system", "plan", "steps", "stepTimeSeconds", "samplesPerSecond",
                "tokensPerSecond", "modeledFlops", "achievedTflops", "peakTflops", "mfu", "computeSeconds", "communicationSeconds",
                "exposedCommunicationSeconds", "memorySeconds", "timeByOpType", "computeLimitedBy", "utilization", "messageLatency",
                "operations"), List.copyOf(s.keySet()), "no computeModel, energy or region block when the record has none");
        assertEquals(1, s.get("schemaVersion"));
        assertEquals(List.of("name", "source", "batchPerReplica", "samplesPerStep", "tokensPerStep", "parameters", "dataType", "ranks"),
                List.copyOf(((Map<?, ?>) s.get("workload")).keySet()));
        assertEquals(List.of("modeled", "replayed"), List.copyOf(((Map<?, ?>) s.get("operations")).keySet()));
        assertEquals(List.of("nodeMatrixPipe", "nodeSimdPipe", "nodeSram", "meshLinks", "dieToDie", "tileToTile", "dipLinks", "dipHbm",
                "ethernet"), List.copyOf(((Map<?, ?>) s.get("utilization")).keySet()));
        assertEquals(0.2, ((Map<?, ?>) s.get("utilization")).get("nodeSimdPipe"));
    }

    @Test
    void optionalWorkloadFieldsAppearOnlyWhenSet() {
        StepSummary.Workload traced = workload("each rank its own stage", List.of("unmatched send"),
                new StepSummary.GlobalBatch(16, "run.globalBatch (the trace's samples per step)", OptionalLong.empty()));
        Map<?, ?> w = (Map<?, ?>) ResultJson.step(summary(traced, null)).get("workload");
        assertEquals(List.of("name", "source", "batchPerReplica", "samplesPerStep", "tokensPerStep", "parameters", "dataType", "ranks",
                "rankNote", "warnings", "globalBatch", "globalBatchSource"), List.copyOf(w.keySet()), "a trace's batch has no padding");
        StepSummary.Workload padded = workload(null, List.of(), new StepSummary.GlobalBatch(6, "run.globalBatch", OptionalLong.of(2)));
        Map<?, ?> p = (Map<?, ?>) ResultJson.step(summary(padded, null)).get("workload");
        assertEquals(2L, p.get("paddingSamples"));
        assertEquals(6L, p.get("globalBatch"));
    }

    @Test
    void chipNotesOfEachKernelKeepTheirFields() {
        ChipNotes gemm = new ChipNotes(null, null, new ChipNotes.Grid("18 x 18", 324, 4, 64), 0, "xy", 99, Map.of("idle", 1.5));
        assertEquals(List.of("grid", "usedNodes", "steps", "panelK", "routing", "events", "lossesPercentOfPeak"),
                List.copyOf(ResultJson.chipNotes(gemm).keySet()));
        ChipNotes exchange = new ChipNotes(null, null, null, 4096, "xy", 7, Map.of());
        assertEquals(Map.of("bytesPerPair", 4096L, "routing", "xy", "events", 7L), ResultJson.chipNotes(exchange));
        Map<String, Object> tiled = ResultJson.chipNotes(ChipNotes.tiled("2 x 1", gemm));
        assertEquals(List.of("blocks", "block"), List.copyOf(tiled.keySet()));
        assertEquals(ResultJson.chipNotes(gemm), tiled.get("block"));
        assertEquals(Map.of(), ResultJson.chipNotes(ChipNotes.NONE));
    }
}
