package io.dojosim.core.component;

/** Receives what links deliver to a component's input ports. */
@FunctionalInterface
public interface PortHandler {
    /**
     * @param nowPs   delivery time
     * @param portId  the id given to the input port when it was created
     * @param payload the primitive message; components index their own pools with it
     */
    void receive(long nowPs, int portId, long payload);
}
