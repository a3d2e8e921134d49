package io.dojosim.core.component;

import io.dojosim.core.engine.EventHandler;

/** A named input port; a link delivers messages to it after the link latency. */
public final class InPort implements EventHandler {
    private final String name;
    private final int portId;
    private final PortHandler handler;
    private boolean connected;

    InPort(String name, int portId, PortHandler handler) {
        this.name = name;
        this.portId = portId;
        this.handler = handler;
    }

    public String name() {
        return name;
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
