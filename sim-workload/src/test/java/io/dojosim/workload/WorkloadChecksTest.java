package io.dojosim.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadChecksTest {
    static final WorkloadMetadata MD = new WorkloadMetadata("t", "test", 0, 0, 0, List.of(), 0, ParallelismHint.NONE,
            java.util.Map.of());

    static PointToPointOp p2p(long id, PointToPointOp.Direction d, int peer, long tag, long bytes) {
        return new PointToPointOp(id, "p" + id, d, peer, tag, bytes, List.of(), "", Phase.UNSPECIFIED, Operation.NO_DURATION);
    }

    static CollectiveOp coll(long id, CollectiveKind k, long bytes, long... deps) {
        List<Long> d = new java.util.ArrayList<>();
        for (long x : deps) {
            d.add(x);
        }
        return new CollectiveOp(id, "c" + id, k, bytes, CommGroup.of(ParallelDim.ALL), 0, d, "", Phase.UNSPECIFIED,
                Operation.NO_DURATION);
    }

    @Test
    void matchingRanksHaveNoIssues() {
        Workload w = new Workload(MD, List.of(
                new RankGraph(0, List.of(p2p(1, PointToPointOp.Direction.SEND, 1, 7, 64), coll(2, CollectiveKind.ALL_REDUCE, 8, 1))),
                new RankGraph(1, List.of(p2p(1, PointToPointOp.Direction.RECV, 0, 7, 64), coll(2, CollectiveKind.ALL_REDUCE, 8, 1)))));
        assertEquals(List.of(), WorkloadChecks.crossRank(w));
    }

    @Test
    void mismatchesAreNamed() {
        Workload w = new Workload(MD, List.of(
                new RankGraph(0, List.of(p2p(1, PointToPointOp.Direction.SEND, 1, 7, 64),
                        coll(2, CollectiveKind.ALL_REDUCE, 8, 1), coll(3, CollectiveKind.ALL_GATHER, 8, 2))),
                new RankGraph(1, List.of(p2p(1, PointToPointOp.Direction.RECV, 0, 7, 32),
                        coll(2, CollectiveKind.ALL_REDUCE, 8, 1), coll(3, CollectiveKind.ALL_GATHER, 16, 2)))));
        List<String> issues = WorkloadChecks.crossRank(w);
        assertEquals(2, issues.size(), issues.toString());
        assertTrue(issues.get(0).contains("rank 0 sends [64] bytes to rank 1 (tag 7) but rank 1 receives [32]"), issues.get(0));
        assertTrue(issues.get(1).contains("rank 1 differs from rank 0 at collective #1 (ALL_GATHER 16 B vs ALL_GATHER 8 B)"),
                issues.get(1));
    }

    @Test
    void tinyMlpExampleIsConsistent() {
        Workload w = io.dojosim.workload.io.WorkloadFormat.read(java.nio.file.Path.of("../configs/workloads/tiny-mlp.yaml"));
        assertEquals(List.of(), WorkloadChecks.crossRank(w));
    }
}
