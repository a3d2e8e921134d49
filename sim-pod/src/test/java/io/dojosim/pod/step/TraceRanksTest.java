package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.DataType;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Multi-rank traces: identical ranks pass, differing ones are refused unless run.traceRanks = rank0. */
class TraceRanksTest {
    static RankGraph rank(int r, long flops, int peer, long durationPs) {
        return new RankGraph(r, List.of(
                ComputeOp.builder(1, "gemm", ComputeKind.GEMM).flops(flops).phase(Phase.FORWARD).measuredDurationPs(durationPs).build(),
                new PointToPointOp(2, "send", PointToPointOp.Direction.SEND, peer, 0, 1024, List.of(1L), "", Phase.FORWARD, -1)));
    }

    static Workload trace(RankGraph... ranks) {
        return new Workload(new WorkloadMetadata("t", "chakra", 1, 1, 0, List.of(DataType.BF16), 0, ParallelismHint.NONE, Map.of()),
                List.of(ranks));
    }

    @Test
    void ranksThatDifferOnlyInPeersAndMeasuredDurationsAreTheSame() {
        assertDoesNotThrow(() -> TraceRanks.check(trace(rank(0, 100, 1, 5), rank(1, 100, 0, 7)), "identical"));
    }

    @Test
    void differentWorkIsRefusedWithTheFirstDifferenceAndTheKey() {
        Workload w = trace(rank(0, 100, 1, 5), rank(1, 200, 0, 5));
        ConfigException e = assertThrows(ConfigException.class, () -> TraceRanks.check(w, "identical"));
        assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("100 FLOPs against 200")
                && e.getMessage().contains("run.traceRanks") && e.getMessage().contains("rank0"), e.getMessage());
        assertDoesNotThrow(() -> TraceRanks.check(w, "rank0"));
        RankGraph shorter = new RankGraph(2, List.of(ComputeOp.builder(1, "gemm", ComputeKind.GEMM).flops(100).phase(Phase.FORWARD).build()));
        ConfigException n = assertThrows(ConfigException.class, () -> TraceRanks.check(trace(rank(0, 100, 1, 5), shorter), "identical"));
        assertTrue(n.getMessage().contains("2 operations against 1"), n.getMessage());
    }
}
