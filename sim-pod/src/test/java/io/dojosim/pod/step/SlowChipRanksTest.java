package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.pod.PodConfig;
import io.dojosim.pod.Topology;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.Phase;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow chips in a rank-faithful run (run.traceRanks, docs/model/energy.md#stragglers): a slow chip
 * paces the ranks placed on it, and the collective over every rank waits for them.
 */
class SlowChipRanksTest {
    /** n ranks: each computes (1 GFLOP of BF16 elementwise work), then all of them all-reduce 4 MiB; or only compute. */
    static Workload computeThenAllReduce(int n, boolean allReduce) {
        List<RankGraph> ranks = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            List<Operation> ops = new ArrayList<>();
            ops.add(ComputeOp.builder(1, "work", ComputeKind.ELEMENTWISE).dataType(DataType.BF16).flops(1L << 30)
                    .inputBytes(1L << 24).outputBytes(1L << 23).build());
            if (allReduce) {
                ops.add(new CollectiveOp(2, "all_reduce", CollectiveKind.ALL_REDUCE, 4L << 20, CommGroup.of(ParallelDim.ALL),
                        0, List.of(1L), "", Phase.UNSPECIFIED, -1));
            }
            ranks.add(new RankGraph(r, ops));
        }
        return new Workload(RankPlacementTest.meta("compute-allreduce-" + n), ranks);
    }

    private static long stepPs(Workload w, String... sets) {
        double s = RankPlacementTest.run(w, RankPlacementTest.with(RankPlacementTest.EIGHT_CHIPS, sets)).summary().stepTimeSeconds();
        return Math.round(s * 1e12);
    }

    /** @return the "tile,x,y" of the k-th chip of the ranks' placement order */
    private static String chipOfOrder(int k) {
        Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config(RankPlacementTest.EIGHT_CHIPS))));
        int c = PodStepBackend.chipOrder(t)[k];
        return "0," + t.chipX(c) + "," + t.chipY(c);
    }

    @Test
    void aSlowChipDelaysTheAllReduceOfEveryRankByItsRanksExtraComputeTime() {
        // 8 ranks on the 8 chips, one each. Healthy: compute C, then the all-reduce A: T = C + A.
        // Rank 3's chip 1.5x slow: its compute ends at round(1.5 C); the all-reduce waits for it:
        // T' = round(1.5 C) + A, so T' - T = round(1.5 C) - C, the compute-only runs' difference.
        long c = stepPs(computeThenAllReduce(8, false));
        long cSlow = stepPs(computeThenAllReduce(8, false), "pod.system.slowChips=" + chipOfOrder(3) + ",1.5");
        assertEquals(Math.round(1.5 * c), cSlow, 2, "the slow rank's compute is 1.5x: " + c + " -> " + cSlow);
        long t = stepPs(computeThenAllReduce(8, true));
        long tSlow = stepPs(computeThenAllReduce(8, true), "pod.system.slowChips=" + chipOfOrder(3) + ",1.5");
        assertTrue(t > c, "the all-reduce takes time");
        assertEquals(t + (cSlow - c), tSlow, 2, "the collective starts when the slow rank's compute ends");
    }

    @Test
    void ranksSharingASlowChipsNodesAreAllPacedAndAnUnusedSlowChipChangesNothing() {
        // nodes:177: two ranks per chip; 4 ranks on the first two chips of the order
        String[] nodes = {"run.rankPlacement=nodes:177"};
        long t = stepPs(computeThenAllReduce(4, true), nodes);
        long c = stepPs(computeThenAllReduce(4, false), nodes);
        long cSlow = stepPs(computeThenAllReduce(4, false), nodes[0], "pod.system.slowChips=" + chipOfOrder(1) + ",1.25");
        assertEquals(Math.round(1.25 * c), cSlow, 2);
        assertEquals(t + (cSlow - c), stepPs(computeThenAllReduce(4, true), nodes[0], "pod.system.slowChips=" + chipOfOrder(1) + ",1.25"), 2);
        // chip 5 of the order holds no rank
        assertEquals(t, stepPs(computeThenAllReduce(4, true), nodes[0], "pod.system.slowChips=" + chipOfOrder(5) + ",2.0"));
        // dead nodes pace the same way: 354 / (354 - 59) = 1.2
        long cDead = stepPs(computeThenAllReduce(4, false), nodes[0], "pod.system.deadNodes=" + chipOfOrder(0) + ",59");
        assertEquals(Math.round(1.2 * c), cDead, 2);
    }
}
