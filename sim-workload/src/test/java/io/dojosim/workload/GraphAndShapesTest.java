package io.dojosim.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphAndShapesTest {

    @Test
    void shapeFlopsByHand() {
        // GEMM: 2 * batch * m * n * k
        assertEquals(2L * 3 * 4 * 5 * 6, new GemmShape(3, 4, 5, 6).flops(Phase.FORWARD));
        // depthwise-ish group conv: 8 -> 8 channels in 4 groups, 3x3, stride 2, pad 1 on 7x7:
        // P = Q = (7 + 2 - 3) / 2 + 1 = 4; FLOPs = 2 * N * K * P * Q * (C/g) * R * S = 2*2*8*16*2*9
        ConvShape c = new ConvShape(2, 8, 7, 7, 8, 3, 3, 2, 1, 4);
        assertEquals(4, c.p());
        assertEquals(2L * 2 * 8 * 16 * 2 * 9, c.flops(Phase.FORWARD));
        assertEquals(c.flops(Phase.FORWARD), c.flops(Phase.BACKWARD_WEIGHT_GRAD));
        assertEquals(8L * 2 * 9, c.weightElements());
        // attention: 4 * b * h * s * kv * d forward, twice in the input-gradient phase
        AttentionShape a = new AttentionShape(2, 3, 5, 7, 11);
        assertEquals(4L * 2 * 3 * 5 * 7 * 11, a.flops(Phase.FORWARD));
        assertEquals(8L * 2 * 3 * 5 * 7 * 11, a.flops(Phase.BACKWARD_INPUT_GRAD));
    }

    @Test
    void recordsRefuseInconsistentFigures() {
        assertThrows(ConfigException.class, () -> new ConvShape(1, 6, 5, 5, 4, 3, 3, 1, 0, 4)); // 6 % 4 != 0
        assertThrows(ConfigException.class, () -> new ConvShape(1, 3, 2, 2, 4, 3, 3, 1, 0, 1)); // filter > input
        ConfigException e = assertThrows(ConfigException.class, () -> ComputeOp.builder(1, "x", ComputeKind.GEMM)
                .shape(new GemmShape(1, 2, 2, 2)).flops(15).build());
        assertTrue(e.getMessage().contains("disagree with the shape, which gives 16"), e.getMessage());
        assertThrows(ConfigException.class, () -> ComputeOp.builder(1, "x", ComputeKind.ATTENTION)
                .shape(AttentionShape.self(1, 1, 2, 2)).phase(Phase.BACKWARD_WEIGHT_GRAD).build());
        assertThrows(ConfigException.class, () -> new MemoryOp(1, "m", MemoryOp.Direction.HBM_TO_SRAM, -1, "", List.of(),
                "", Phase.UNSPECIFIED, Operation.NO_DURATION));
        assertThrows(ConfigException.class, () -> new CommGroup(ParallelDim.DATA, "", List.of(1, 1), List.of()));
    }

    @Test
    void costingFollowsWhatTheOperationCarries() {
        assertEquals(Costing.MODELED, ComputeOp.builder(1, "a", ComputeKind.OTHER).flops(5).build().costing());
        assertEquals(Costing.MODELED, ComputeOp.builder(1, "a", ComputeKind.OTHER).inputBytes(5).build().costing());
        assertEquals(Costing.REPLAYED, ComputeOp.builder(1, "a", ComputeKind.OTHER).measuredDurationPs(7).build().costing());
        assertEquals(Costing.FREE, ComputeOp.builder(1, "a", ComputeKind.OTHER).build().costing());
        assertEquals(Costing.REPLAYED, new CollectiveOp(1, "c", CollectiveKind.ALL_REDUCE, 0, CommGroup.of(ParallelDim.ALL), 0,
                List.of(), "", Phase.UNSPECIFIED, 9).costing());
    }

    static MarkerOp m(long id, Long... deps) {
        return new MarkerOp(id, "m" + id, "", List.of(deps), "", Phase.UNSPECIFIED);
    }

    @Test
    void indicesPredecessorsSuccessorsAndTopologicalOrder() {
        // ids 10 <- 20 <- 40, 10 <- 30 <- 40, listed out of order
        RankGraph g = new RankGraph(0, List.of(m(40, 20L, 30L), m(20, 10L), m(10), m(30, 10L)));
        assertEquals(2, g.indexOf(10));
        assertEquals(-1, g.indexOf(99));
        assertArrayEquals(new int[] {1, 3}, g.predecessors(0));
        assertArrayEquals(new int[] {1, 3}, g.successors(2));
        assertArrayEquals(new int[] {2, 1, 3, 0}, g.topologicalOrder());
        long[] cp = WorkloadSummary.criticalPath(g);
        assertEquals(3, cp[0]);
        ConfigException e = assertThrows(ConfigException.class, () -> new RankGraph(0, List.of(m(5, 5L))));
        assertTrue(e.getMessage().contains("cycle through operations 5 -> 5"), e.getMessage());
    }
}
