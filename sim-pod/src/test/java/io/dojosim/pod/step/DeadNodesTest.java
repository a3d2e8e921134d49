package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Simulator;
import io.dojosim.pod.FlowNetwork;
import io.dojosim.pod.Topology;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.spec.SystemSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dead nodes beyond the harvested ones (pod.system.deadNodes, docs/model/energy.md#dead-nodes): a
 * chip that keeps k of its 354 nodes computes its share 354 / k times slower and holds k nodes' SRAM.
 */
class DeadNodesTest {
    private static SystemSpec spec(String... sets) {
        List<String> all = new ArrayList<>(List.of("pod.system.scope=tile", "run.mapping.replicaChips=4"));
        all.addAll(List.of(sets));
        return io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config(all.toArray(String[]::new)));
    }

    private static StepSummary step(String... sets) {
        return StepRunner.run(spec(sets), StepRunnerTest.resnet(2), StepExecutor.TimelineSink.NONE).summary();
    }

    /** A chip of replica 2 of the plan (6 replicas of 4 chips on the tile), as "0,x,y". */
    private static String planChip() {
        Topology t = RunCollectiveMatchesStandaloneTest.topology("tile");
        Plan p = RunCollectiveMatchesStandaloneTest.plan("tile", 4);
        int c = new PodStepBackend(new FlowNetwork(new Simulator(1), t), p, null, CollectiveAlgorithm.RING, 1, 1).chip(2, 1);
        return "0," + t.chipX(c) + "," + t.chipY(c);
    }

    @Test
    void aChipThatLosesNodesIsPacedAsASlowChipOfActiveOverRemainingNodes() {
        Topology t = RunCollectiveMatchesStandaloneTest.topology("tile");
        // 59 of 354 nodes dead: 354 / 295 = 1.2 exactly; with a 1.5 slow chip on the same chip: 1.8
        double[] s = StepRunner.chipSlowdowns(spec("pod.system.deadNodes=0,1,1,59"), t);
        int chip = t.chipsPerTile() * 0 + 1 * 5 + 1;
        assertEquals(1.2, s[chip], 1e-15);
        assertEquals(1.0, s[chip + 1]);
        assertEquals(1.8, StepRunner.chipSlowdowns(spec("pod.system.deadNodes=0,1,1,59", "pod.system.slowChips=0,1,1,1.5"), t)[chip], 1e-15);
        // two entries for one chip add up: 30 + 29 = 59
        assertEquals(1.2, StepRunner.chipSlowdowns(spec("pod.system.deadNodes=0,1,1,30;0,1,1,29"), t)[chip], 1e-15);
    }

    @Test
    void inTheStepDeadNodesStretchTheComputeExactlyAsTheEquivalentSlowChip() {
        StepSummary healthy = step();
        StepSummary dead = step("pod.system.deadNodes=" + planChip() + ",59");
        StepSummary slow = step("pod.system.slowChips=" + planChip() + ",1.2");
        double c0 = healthy.computeSeconds();
        // every compute operation of the one stage x 1.2 (rounded per operation to the picosecond)
        assertEquals(1.2 * c0, dead.computeSeconds(), 1e-9 * c0);
        assertEquals(slow.stepTimeSeconds(), dead.stepTimeSeconds(), 1e-12);
        assertTrue(dead.stepTimeSeconds() > healthy.stepTimeSeconds());
        // a chip the plan leaves idle: nothing changes
        assertEquals(healthy.stepTimeSeconds(), step("pod.system.deadNodes=0,4,4,100").stepTimeSeconds());
    }

    @Test
    void aChipLeftTooLittleSramForThePlansResidentBytesIsRefusedAtTheHandComputedBoundary() {
        SystemSpec base = spec();
        Plan p = StepRunner.map(base, StepRunnerTest.resnet(2)).plan();
        long resident = (long) Math.ceil((p.footprintBytes() - p.streamedBytes()) / (double) p.replicaChips());
        double nodeBytes = base.node().sramBytes() * base.run().mapping().sramUsableFraction();
        // the fewest nodes that hold the resident bytes: k = ceil(resident / usable SRAM per node)
        int k = (int) Math.ceil(resident / nodeBytes);
        assertTrue(k >= 1 && k < 354, "resident " + resident + " B needs " + k + " nodes");
        step("pod.system.deadNodes=" + planChip() + "," + (354 - k));       // k nodes left: fits
        ConfigException e = assertThrows(ConfigException.class, () -> step("pod.system.deadNodes=" + planChip() + "," + (354 - k + 1)));
        assertTrue(e.getMessage().contains("pod.system.deadNodes") && e.getMessage().contains("keeps " + (k - 1) + " of 354 nodes")
                && e.getMessage().contains(resident + " bytes resident"), e.getMessage());
    }

    @Test
    void badDeadNodeEntriesAreRefusedWithTheKeyAndTheEntry() {
        for (String[] c : new String[][] {{"0,1,1", "is not \"tile,x,y,nodes\""}, {"0,1,1,0", "nodes >= 1"}, {"0,7,1,3", "names no chip"},
                {"0,1,1,354", "no node"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> step("pod.system.deadNodes=" + c[0]));
            assertTrue(e.getMessage().contains("pod.system.deadNodes") && e.getMessage().contains(c[1]), e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> step("pod.system.deadNodes=0,1,1,3", "pod.system.deadChips=0,1,1"));
        assertTrue(e.getMessage().contains("names a dead chip"), e.getMessage());
    }
}
