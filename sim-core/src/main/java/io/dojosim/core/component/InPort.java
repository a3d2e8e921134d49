package io.dojosim.core.component;

import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.Simulator;

/**
 * A named input port; a link delivers messages to it after the link latency. It belongs to the
 * kernel (partition) of its component, which decides whether a link to it crosses partitions.
 */
public final class InPort implements EventHandler {
    private final Simulator sim;
    private final String name;
    private final int portId;
    private final PortHandler handler;
    private boolean connected;

    InPort(Simulator sim, String name, int portId, PortHandler handler) {
        this.sim = sim;
        this.name = name;
        this.portId = portId;
        this.handler = handler;
    }

    public String name() {
        return name;
    }

    /** @return the kernel (partition) of the component that owns this port */
    public Simulator simulator() {
        return sim;
    }

    public int portId() {
        return portId;
    }

    public boolean isConnected() {
        return connected;
    }

    void markConnected() {
        if (connected) {
            throw new IllegalStateException("input port " + name + " is already connected");
        }
        connected = true;
    }

    @Override
    public void onEvent(long nowPs, int kind, long arg) {
        handler.receive(nowPs, portId, arg);
    }
}
