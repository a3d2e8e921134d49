package io.dojosim.d1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;
import io.dojosim.d1.chip.ChipParams;
import io.dojosim.d1.chip.D1Chip;
import io.dojosim.d1.node.NodeProgram;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import org.junit.jupiter.api.Test;

class ChipEdgeTest {
    @Test
    void twoDiesJoinedThroughEdgePortsDeliverAcrossTheDieToDieLink() {
        ResolvedConfig c = TestConfigs.defaults().with("d1.chip.meshWidth", 4, "t").with("d1.chip.meshHeight", 4, "t")
                .with("d1.chip.activeNodes", 16, "t").with("d1.chip.disabledSites", "[]", "t");
        NodeParams np = io.dojosim.d1.bind.D1Binding.node(c);
        ChipParams cp = io.dojosim.d1.bind.D1Binding.chip(c);
        NocParams noc = io.dojosim.noc.bind.NocBinding.noc(c);
        Simulator sim = new Simulator(1);
        NodeProgram[] a = new NodeProgram[16];
        NodeProgram[] b = new NodeProgram[16];
        NodeProgram.Builder pb = NodeProgram.builder("receiver", 1);
        pb.thread(0).recv(0, 1);
        b[4] = pb.build(); // node (0,1) of die B, next to its west edge port 1
        D1Chip chipA = new D1Chip(sim, "chipA", cp, np, noc, a);
        D1Chip chipB = new D1Chip(sim, "chipB", cp, np, noc, b);
        long[] leftAt = {-1};
        chipA.setEdgeListener((nowPs, side, index, bytes, tag) -> {
            leftAt[0] = nowPs;
            sim.schedule(nowPs + cp.dieToDieLatencyPs(), 0, (t, k, arg) ->
                    chipB.injectFromEdge(MeshShape.WEST, index, 4, bytes, (int) tag), 0, 0);
        });
        chipA.start();
        chipB.start();
        // node (3,1) of die A sends 640 B out of its east edge port 1
        chipA.sendToEdge(7, MeshShape.EAST, 1, 640, 0);
        sim.run();
        assertTrue(chipB.finished(), chipB.blockedDescription());
        assertEquals(1, chipA.edgeMessagesOut());
        assertEquals(1, chipB.edgeMessagesIn());
        long arrivedCycle = chipB.node(4).finishCycle();
        // at least: 10 flits out of die A, 100 ns = 200 cycles of link, 10 flits into die B
        assertTrue(leftAt[0] >= 10 * 500, "left at " + leftAt[0]);
        assertTrue(arrivedCycle * 500 >= leftAt[0] + cp.dieToDieLatencyPs() + 10 * 500, "arrived at cycle " + arrivedCycle);
        assertEquals(640, chipB.node(4).routerWriteBytes());
    }
}
