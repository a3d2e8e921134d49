package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.MemoryOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.Phase;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mapper's arithmetic on hand-made workloads. */
class MapperTest {
    static final Mapper.SystemShape POD = new Mapper.SystemShape(3000, 25, 354, 1_250_000L);

    static Workload workload(long params, List<Operation> ops) {
        WorkloadMetadata m = new WorkloadMetadata("hand", "test", 8, 8, 0, List.of(io.dojosim.workload.DataType.BF16), params,
                ParallelismHint.NONE, Map.of());
        return new Workload(m, List.of(new RankGraph(0, ops)));
    }

    static ComputeOp fwd(long id, long weightBytes, long outBytes, Long... deps) {
        return ComputeOp.builder(id, "op" + id, ComputeKind.GEMM).flops(1).weightBytes(weightBytes).outputBytes(outBytes)
                .deps(List.of(deps)).phase(Phase.FORWARD).build();
    }

    @Test
    void footprintIsWeightsGradientsOptimizerAndActivations() {
        // weights 100 + 200, activations 10 + 20, gradients 300 (one all-reduce), optimizer 12 B x 1000 params
        List<Operation> ops = new ArrayList<>();
        ops.add(fwd(1, 100, 10));
        ops.add(fwd(2, 200, 20, 1L));
        ops.add(StepExecutorTest.allReduce(3, 300, 2L));
        assertEquals(300 + 30 + 300 + 12_000, Mapper.footprintBytes(workload(1000, ops), 12.0));
    }

    @Test
    void smallestRegionThatHoldsTheFootprint() {
        // usable SRAM per chip = 354 x 1.25 MB x 0.9 = 398.25 MB; 1 GB needs a tile row of 5 chips
        List<Operation> ops = List.of(fwd(1, 1_000_000_000L, 0));
        Mapper.Mapping m = Mapper.map(workload(0, ops), POD, 0, 0.0, 0.9, 0);
        assertEquals(5, m.plan().replicaChips());
        assertEquals(600, m.plan().dataParallel());
        assertEquals(0, m.plan().idleChips());
        assertEquals(0, m.plan().streamedBytes());
        assertEquals(2, m.graph().size(), "a weight gather across the 5 chips precedes the operation");
        // 3 GB needs a tile (25 chips = 9.96 GB)
        Mapper.Mapping t = Mapper.map(workload(0, List.of(fwd(1, 3_000_000_000L, 0))), POD, 0, 0.0, 0.9, 0);
        assertEquals(25, t.plan().replicaChips());
        assertEquals(120, t.plan().dataParallel());
    }

    @Test
    void aFootprintBeyondTheSystemStreamsWeightsFromHbm() {
        // 2 TB of weights in three layers: one replica spans the pod; each layer's weights are fetched
        List<Operation> ops = List.of(fwd(1, 700_000_000_000L, 0), fwd(2, 700_000_000_000L, 0, 1L), fwd(3, 600_000_000_000L, 0, 2L));
        Mapper.Mapping m = Mapper.map(workload(0, ops), POD, 0, 0.0, 0.9, 0);
        assertEquals(3000, m.plan().replicaChips());
        assertEquals(1, m.plan().dataParallel());
        assertEquals(2_000_000_000_000L, m.plan().streamedBytes());
        RankGraph g = m.graph();
        assertEquals(9, g.size(), "each layer: fetch from HBM, gather across the region's chips, compute");
        int memOps = 0;
        for (Operation op : g.ops()) {
            if (op instanceof MemoryOp) memOps++;
        }
        assertEquals(3, memOps);
        // the third fetch waits for the first layer (double buffering); the gather waits for the fetch
        MemoryOp third = (MemoryOp) g.ops().stream().filter(o -> o.name().equals("op3.weights")).findFirst().orElseThrow();
        assertEquals(List.of(1L), third.deps());
        CollectiveOp gather = (CollectiveOp) g.ops().stream().filter(o -> o.name().equals("op3.gather")).findFirst().orElseThrow();
        assertEquals(List.of(third.id()), gather.deps());
        assertEquals(600_000_000_000L, gather.bytes());
        ComputeOp op3 = (ComputeOp) g.op(g.indexOf(3));
        assertTrue(op3.deps().contains(gather.id()));
    }

    @Test
    void replicaSizeFromTheConfigIsCheckedAgainstTheSystem() {
        Mapper.Mapping m = Mapper.map(workload(0, List.of(fwd(1, 10, 0))), POD, 7, 0.0, 0.9, 0);
        assertEquals(7, m.plan().replicaChips());
        assertEquals(428, m.plan().dataParallel());
        assertEquals(4, m.plan().idleChips());
        io.dojosim.core.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(io.dojosim.core.config.ConfigException.class,
                () -> Mapper.map(workload(0, List.of(fwd(1, 10, 0))), POD, 3001, 0.0, 0.9, 0));
        assertTrue(e.getMessage().contains("run.mapping.replicaChips"), e.getMessage());
    }

    @Test
    void gradientAllReducesAreBucketedInGraphOrder() {
        // four 10 MB gradients with a 25 MB bucket: [1,2,3] (30 MB) and [4] (10 MB)
        List<Operation> ops = new ArrayList<>();
        for (long i = 1; i <= 4; i++) {
            ops.add(fwd(i, 0, 0));
            ops.add(StepExecutorTest.allReduce(10 + i, 10_000_000L, i));
        }
        ops.add(ComputeOp.builder(99, "opt", ComputeKind.OPTIMIZER_UPDATE).flops(1).deps(List.of(11L, 12L, 13L, 14L))
                .phase(Phase.OPTIMIZER).build());
        Mapper.Mapping m = Mapper.map(workload(0, ops), POD, 1, 0.0, 0.9, 25_000_000L);
        assertEquals(2, m.plan().gradientBuckets());
        // one-chip replicas: no weight gathers
        RankGraph g = m.graph();
        assertEquals(5 + 2, g.size());
        CollectiveOp b1 = (CollectiveOp) g.op(g.indexOf(13));
        assertEquals(30_000_000L, b1.bytes());
        assertEquals(List.of(1L, 2L, 3L), b1.deps());
        CollectiveOp b2 = (CollectiveOp) g.op(g.indexOf(14));
        assertEquals(10_000_000L, b2.bytes());
        assertEquals(List.of(13L, 14L), g.op(g.indexOf(99)).deps());
    }
}
