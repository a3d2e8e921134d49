package io.dojosim.core.engine;

/**
 * A broken invariant inside the simulator: our bug, not the user's. It names the component path
 * and the simulated time; the command line exits with code 4.
 */
public final class SimulationError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationError(String componentPath, long timePs, String message) {
        super(componentPath + " @ " + timePs + " ps: " + message);
    }
}
