package io.dojosim.core.component;

import io.dojosim.core.config.Check;
import io.dojosim.core.engine.Simulator;

/**
 * A one-way connection from an output port to an input port with a fixed latency of at least one
 * cycle of the sending clock. A message sent at time t is delivered at t + latency with
 * {@link Simulator#PRIORITY_DELIVERY}, before the clock tick of that time.
 *
 * <p>When the two ports belong to different partitions of a
 * {@link io.dojosim.core.engine.PartitionedSimulator}, the link crosses partitions: it declares its
 * latency as a bound on the lookahead and sends through {@link Simulator#scheduleRemote}. That is
 * why no link may be instantaneous.
 */
public final class Link {
    private final Simulator from;
    private final Simulator to;
    private final boolean remote;
    private final String name;
    private final long latencyPs;
    private final InPort target;
    private long messages;

    private Link(Simulator from, Simulator to, String name, long latencyPs, InPort target) {
        this.from = from;
        this.to = to;
        this.remote = from != to;
        this.name = name;
        this.latencyPs = latencyPs;
        this.target = target;
    }

    /**
     * Connects {@code from} to {@code to}.
     *
     * @param sim          the kernel of the sending component (the out port's)
     * @param minLatencyPs one cycle of the sending clock: the latency may not be shorter
     */
    public static Link connect(Simulator sim, OutPort from, InPort to, long latencyPs, long minLatencyPs) {
        Check.require(minLatencyPs >= 1, "link minimum latency must be >= 1 ps");
        Check.require(latencyPs >= minLatencyPs, "link " + from.name() + " -> " + to.name()
                + ": latency " + latencyPs + " ps is below one cycle (" + minLatencyPs + " ps)");
        if (from.simulator() != sim) {
            throw new IllegalArgumentException("link " + from.name() + ": the port belongs to another simulator");
        }
        Simulator dst = to.simulator();
        sim.declareRemoteLatency(dst, latencyPs);
        Link l = new Link(sim, dst, from.name() + "->" + to.name(), latencyPs, to);
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

    /** @return true when the link joins two partitions of a parallel run */
    public boolean crossesPartitions() {
        return remote;
    }

    /** @return messages sent so far */
    public long messages() {
        return messages;
    }

    void send(long payload) {
        messages++;
        if (remote) {
            from.scheduleRemote(to, from.now() + latencyPs, Simulator.PRIORITY_DELIVERY, target, 0, payload);
        } else {
            from.schedule(from.now() + latencyPs, Simulator.PRIORITY_DELIVERY, target, 0, payload);
        }
    }
}
