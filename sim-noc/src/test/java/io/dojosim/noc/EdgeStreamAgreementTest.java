package io.dojosim.noc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.ClockDomain;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Long streams from the nodes of one row of the D1 die to the east edge port of that row (the
 * first leg of a region-crossing transfer, ADR 0065), at packet and flit fidelity with table
 * routing. Every node of the row sends {@value #MESSAGES} messages of 2 KiB at time zero; they merge
 * on the row's east links. The edge port ejects one flit per cycle, so the row finishes after
 * the row's flits, 18 x 8 x 32 = 4,608 cycles, plus the pipeline. Round-robin allocation at each
 * merge (the west input against the node's own) gives a node half of what reaches its router:
 * the node nearest the port finishes first, then the next one west (a parking lot), and the order
 * of completions is what the next leg of a crossing sees (ADR 0106). Before the packet model's VC
 * allocation had the flit model's round-robin grant, the packet mesh finished the row west to east
 * (node 0 at cycle 4,099, node 16 at 4,579): through traffic won every tie.
 */
class EdgeStreamAgreementTest {
    private static final int MESSAGES = 8;
    private static final int ROW = 5;

    /** @return per node x of the row, the cycle its last message was delivered */
    static long[] row(NocParams.Fidelity f) {
        NocParams p = NocParams.defaults().withRouting(NocParams.Routing.TABLE).withFidelity(f);
        MeshShape m = MeshShape.withDisabled(18, 20, List.of("0,0", "17,0", "0,19", "17,19", "8,0", "9,19"));
        Simulator sim = new Simulator(1);
        MeshNetwork net = new MeshNetwork(sim, new Clock(sim, new ClockDomain("noc", p.clockHz())), "noc", m, p);
        long[] done = new long[m.width()];
        net.setDeliveryListener((now, tag) -> done[(int) tag] = Math.max(done[(int) tag], now / p.periodPs()));
        int port = m.edgeTerminal(MeshShape.EAST, ROW);
        for (int k = 0; k < MESSAGES; k++) {
            for (int x = 0; x < m.width(); x++) net.send(m.node(x, ROW), port, 2048, x);
        }
        sim.run();
        return done;
    }

    @Test
    void nodesNearerTheEdgePortFinishFirstAtBothFidelities() {
        for (NocParams.Fidelity f : NocParams.Fidelity.values()) {
            long[] done = row(f);
            // each node sends 8 x 32 = 256 flits. The nearest (x = 17) has every other cycle of the
            // port: done at 2 x 256 cycles (+1, the cycle its last flit reaches the port). Node 16
            // had a quarter until then (128 flits) and half after: its other 128 flits take 256
            // cycles more; by induction every node finishes 256 cycles after its east neighbour.
            for (int x = 17; x >= 2; x--) {
                assertEquals(1 + 256L * (19 - x), done[x], f + ": node " + x);
            }
            // nodes 1 and 0 share the last stretch; the port never idles: 4,608 flits in 4,611 cycles
            assertEquals(1 + 256L * 18, done[1], f + ": node 1");
            assertEquals(18L * MESSAGES * 32 + 3, done[0], f + ": node 0");
        }
    }
}
