package io.dojosim.core.component;

import io.dojosim.core.config.Check;
import io.dojosim.core.engine.Simulator;

/**
 * A one-way connection from an output port to an input port with a fixed latency of at least one
 * cycle. The smallest latency of the links that cross a partition is the lookahead of the parallel
 * kernel, which is why no link may be instantaneous.
 */
public final class Link {
    private final Simulator sim;
    private final String name;
    private final long latencyPs;
    private final InPort target;
    private long messages;

    private Link(Simulator sim, String name, long latencyPs, InPort target) {
        this.sim = sim;
        this.name = name;
        this.latencyPs = latencyPs;
        this.target = target;
    }

    /**
     * Connects {@code from} to {@code to}.
     *
     * @param minLatencyPs one cycle of the sending clock: the latency may not be shorter
     */
    public static Link connect(Simulator sim, OutPort from, InPort to, long latencyPs, long minLatencyPs) {
        Check.require(minLatencyPs >= 1, "link minimum latency must be >= 1 ps");
        Check.require(latencyPs >= minLatencyPs, "link " + from.name() + " -> " + to.name()
                + ": latency " + latencyPs + " ps is below one cycle (" + minLatencyPs + " ps)");
        Link l = new Link(sim, from.name() + "->" + to.name(), latencyPs, to);
        to.markConnected();
        from.bind(l);
        return l;
    }

    public String name() {
        return name;
    }

    public long latencyPs() {
        return latencyPs;
    }

    /** @return messages sent so far */
    public long messages() {
        return messages;
    }

    void send(long payload) {
        messages++;
        sim.schedule(sim.now() + latencyPs, Simulator.PRIORITY_DELIVERY, target, 0, payload);
    }
}
