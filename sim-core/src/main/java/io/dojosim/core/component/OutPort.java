package io.dojosim.core.component;

/** A named output port; sending requires a link. */
public final class OutPort {
    private final String name;
    private Link link;

    OutPort(String name) {
        this.name = name;
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

    /** Sends a message over the link; it arrives after the link latency. */
    public void send(long payload) {
        link.send(payload);
    }
}
