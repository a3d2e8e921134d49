package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.Time;
import io.dojosim.pod.FlowNetwork;
import io.dojosim.pod.Topology;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.RankGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Slow chips inside the simulated step (docs/model/energy.md#stragglers): a data-parallel ring
 * waits for its slowest member's compute, by hand-computed schedules and on a whole tile.
 */
class PacedBackendTest {

    /** Runs {@code g} on the hand backend (compute = the number in the name, in ns; communication {@code commNs}), stage 0 slowed by {@code s}. */
    private static StepExecutor run(RankGraph g, long commNs, double s, List<String> starts) {
        Simulator sim = new Simulator(1);
        StepBackend b = PacedBackend.of(new StepExecutorTest.HandBackend(sim, commNs), new double[] {s});
        StepExecutor ex = new StepExecutor(sim, g, b, 1, 1, 0, (op, kind, st, e) -> starts.add(op.name() + "@" + st / Time.NS));
        ex.start();
        sim.run();
        return ex;
    }

    @Test
    void theAllReduceStartsWhenTheSlowReplicasComputeEnds() {
        // two replicas, one with a chip 1.5x slow: compute a(1000 ns) -> gradient all-reduce (500 ns)
        // healthy: the ring starts at 1000 ns, the step is 1500 ns;
        // paced:   the slow replica's compute ends at 1.5 x 1000 = 1500 ns, the ring starts then, step 2000 ns
        RankGraph g = new RankGraph(0, List.of(
                StepExecutorTest.compute(1, "a1000", ComputeKind.ELEMENTWISE, 0),
                StepExecutorTest.allReduce(2, 1000, 1L)));
        List<String> healthy = new ArrayList<>();
        assertEquals(1500 * Time.NS, run(g, 500, 1.0, healthy).stepTimePs());
        assertEquals(List.of("a1000@0", "ar2@1000"), healthy);
        List<String> paced = new ArrayList<>();
        StepExecutor ex = run(g, 500, 1.5, paced);
        assertEquals(List.of("a1000@0", "ar2@1500"), paced);
        assertEquals(2000 * Time.NS, ex.stepTimePs());
        assertEquals(1500 * Time.NS, ex.result().computePs());
    }

    @Test
    void overlappedCommunicationStaysHiddenSoThePacedStepIsBelowTheUpperBound() {
        // a(1000) -> all-reduce (1500 ns);  a -> c(1000): the ring overlaps c
        // healthy: max(1000 + 1500, 1000 + 1000) = 2500 ns, compute 2000 ns
        // paced 1.5: a ends 1500, ring 1500..3000, c 1500..3000: step 3000 ns
        // stretching the simulated totals after the fact (step + 0.5 x compute) would give 2500 + 0.5 x 2000 = 3500 ns
        RankGraph g = new RankGraph(0, List.of(
                StepExecutorTest.compute(1, "a1000", ComputeKind.ELEMENTWISE, 0),
                StepExecutorTest.allReduce(2, 1000, 1L),
                StepExecutorTest.compute(3, "c1000", ComputeKind.ELEMENTWISE, 0, 1L)));
        assertEquals(2500 * Time.NS, run(g, 1500, 1.0, new ArrayList<>()).stepTimePs());
        assertEquals(3000 * Time.NS, run(g, 1500, 1.5, new ArrayList<>()).stepTimePs());
    }

    @Test
    void noSlowStageLeavesTheBackendUnwrapped() {
        StepBackend b = new StepExecutorTest.HandBackend(new Simulator(1), 1);
        assertSame(b, PacedBackend.of(b, new double[] {1.0, 1.0}));
    }

    @Test
    void aStageIsAsSlowAsItsSlowestChipInAnyReplicaAndIdleChipsDoNotCount() {
        // a tile of 25 chips, replicas of 4 chips: 6 replicas and one idle chip
        Topology t = RunCollectiveMatchesStandaloneTest.topology("tile");
        Plan p = RunCollectiveMatchesStandaloneTest.plan("tile", 4);
        assertEquals(6, p.dataParallel());
        PodStepBackend b = new PodStepBackend(new FlowNetwork(new Simulator(1), t), p, null, CollectiveAlgorithm.RING, 1, 1);
        double[] chips = new double[t.chips()];
        Arrays.fill(chips, 1.0);
        chips[b.chip(3, 0, 2)] = 1.5;
        chips[b.chip(5, 0, 0)] = 1.2;
        assertEquals(1.5, b.stageSlowdowns(chips)[0]);
        Arrays.fill(chips, 1.0);
        chips[idleChip(b, t, p)] = 2.0;
        assertEquals(1.0, b.stageSlowdowns(chips)[0]);
    }

    private static int idleChip(PodStepBackend b, Topology t, Plan p) {
        boolean[] used = new boolean[t.chips()];
        for (int r = 0; r < p.dataParallel(); r++) {
            for (int j = 0; j < p.replicaChips(); j++) used[b.chip(r, j)] = true;
        }
        for (int c = 0; c < used.length; c++) {
            if (!used[c]) return c;
        }
        throw new AssertionError("no idle chip");
    }

    private static StepSummary step(String... sets) {
        List<String> all = new ArrayList<>(List.of("pod.system.scope=tile", "run.mapping.replicaChips=4"));
        all.addAll(List.of(sets));
        ResolvedConfig c = StepRunnerTest.config(all.toArray(String[]::new));
        return StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(c), StepRunnerTest.resnet(2), StepExecutor.TimelineSink.NONE).summary();
    }

    @Test
    void aSlowChipOfATileReplicaStretchesItsComputeAndTheStepUpToTheBound() {
        StepSummary healthy = step();
        Topology t = RunCollectiveMatchesStandaloneTest.topology("tile");
        Plan p = RunCollectiveMatchesStandaloneTest.plan("tile", 4);
        PodStepBackend b = new PodStepBackend(new FlowNetwork(new Simulator(1), t), p, null, CollectiveAlgorithm.RING, 1, 1);
        int slow = b.chip(2, 1);
        StepSummary paced = step("pod.system.slowChips=0," + t.chipX(slow) + "," + t.chipY(slow) + ",1.5");
        double c0 = healthy.computeSeconds();
        double s0 = healthy.stepTimeSeconds();
        double s1 = paced.stepTimeSeconds();
        // one compute stream, every operation 1.5x (rounded to the picosecond per operation)
        assertEquals(1.5 * c0, paced.computeSeconds(), 1e-9 * c0);
        assertTrue(s1 > s0, "the replica with the slow chip paces the step: " + s0 + " -> " + s1);
        double bound = s0 + 0.5 * c0;   // every compute operation on the critical path
        assertTrue(s1 <= bound * (1 + 1e-12), "at most the after-the-fact bound " + bound + ": " + s1);
        // the energy model sees the longer step: static power runs longer, levels still sum to the total
        var e0 = healthy.energy();
        var e1 = paced.energy();
        double j1 = ((Number) e1.joulesPerStep()).doubleValue();
        assertTrue(j1 > ((Number) e0.joulesPerStep()).doubleValue(), "a longer step costs static energy");
        double levels = ((Map<?, ?>) e1.byLevel()).values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
        assertEquals(j1, levels, 1e-9 * j1);
        // a slow chip the plan leaves idle changes nothing
        int idle = idleChip(b, t, p);
        assertEquals(healthy, step("pod.system.slowChips=0," + t.chipX(idle) + "," + t.chipY(idle) + ",2.0"));
    }

    @Test
    void badSlowChipEntriesAreRefusedWithTheKeyAndTheEntry() {
        assertRefused("pod.system.slowChips=0,1,1", "is not \"tile,x,y,slowdown\"");
        assertRefused("pod.system.slowChips=0,1,1,0.5", "slowdown a finite number >= 1");
        assertRefused("pod.system.slowChips=0,7,1,1.5", "names no chip");
        assertRefused("pod.system.slowChips=0,1,1,1.5", "names a dead chip", "pod.system.deadChips=0,1,1");
    }

    private static void assertRefused(String set, String says, String... more) {
        List<String> all = new ArrayList<>(List.of("pod.system.scope=tile", "run.mapping.replicaChips=4", set));
        all.addAll(List.of(more));
        Executable e = () -> StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config(all.toArray(String[]::new))),
                StepRunnerTest.resnet(2), StepExecutor.TimelineSink.NONE);
        ConfigException x = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, e);
        assertTrue(x.getMessage().contains("pod.system.slowChips") && x.getMessage().contains(says), x.getMessage());
    }
}
