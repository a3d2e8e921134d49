package io.dojosim.d1.node;

import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
import io.dojosim.d1.NodeParams;

/**
 * Runs one node program alone at a chosen fidelity: {@code cycle} (the event-driven
 * {@link D1Node}) or {@code roofline} ({@link NodeRoofline}).
 *
 * <p>Caveats: a lone node has no network; SEND, DMA to another node and chip barriers fail.
 */
public final class NodeSimulation {
    private NodeSimulation() {
    }

    /** Node fidelities. */
    public enum Fidelity {
        CYCLE, ROOFLINE;

        /** @throws io.dojosim.core.config.ConfigException for an unknown word */
        public static Fidelity parse(String s) {
            switch (s.trim()) {
                case "cycle": return CYCLE;
                case "roofline": return ROOFLINE;
                default: throw new io.dojosim.core.config.ConfigException("node fidelity '" + s + "' is not known; allowed: cycle, roofline");
            }
        }
    }

    /** Runs the program on a lone node at cycle fidelity on a fresh simulator. */
    public static NodeResult run(NodeParams p, NodeProgram prog) {
        Simulator sim = new Simulator(1);
        D1Node n = new D1Node(sim, "node", p, 0, prog, null, null);
        n.start();
        sim.run();
        if (!n.finished()) {
            throw new SimulationError("node", sim.now(), "program '" + prog.name() + "' deadlocked: " + n.blockedDescription());
        }
        return NodeResult.of(n);
    }

    /** Runs the program at the given fidelity. */
    public static NodeResult run(NodeParams p, NodeProgram prog, Fidelity f) {
        return f == Fidelity.CYCLE ? run(p, prog) : NodeRoofline.estimate(p, prog);
    }
}
