package io.dojosim.core.component;

import io.dojosim.core.engine.Simulator;

/** A named output port of a component's kernel (partition); sending requires a link. */
public final class OutPort {
    private final Simulator sim;
    private final String name;
    private Link link;

    OutPort(Simulator sim, String name) {
        this.sim = sim;
        this.name = name;
    }

    /** @return the kernel (partition) of the component that owns this port */
    public Simulator simulator() {
        return sim;
    }

    public String name() {
        return name;
    }

    public boolean isConnected() {
        return link != null;
    }

    public Link link() {
        return link;
    }

    void bind(Link l) {
        if (link != null) {
            throw new IllegalStateException("output port " + name + " is already connected");
        }
        link = l;
    }

    /**
     * Sends a message over the link; it arrives after the link latency.
     *
     * @throws IllegalStateException when the port is not connected
     */
    public void send(long payload) {
        Link l = link;
        if (l == null) {
            throw new IllegalStateException("output port " + name + " is not connected");
        }
        l.send(payload);
    }
}
