package io.dojosim.core.component;

import io.dojosim.core.engine.Simulator;
import io.dojosim.core.random.Rng;
import io.dojosim.core.stats.Counter;
import io.dojosim.core.stats.Distribution;
import io.dojosim.core.stats.Unit;
import io.dojosim.core.stats.Utilization;

/**
 * Base of every simulated component: a hierarchical path such as
 * {@code pod.tile[3].chip[2,4].node[7,11]}, access to the kernel, a private random stream and
 * declared statistics. Components never hold references to siblings; they talk through
 * {@link OutPort}s and {@link InPort}s joined by {@link Link}s, wired by builders before time zero.
 */
public abstract class Component {
    protected final Simulator sim;
    private final String path;
    private Rng rng;

    protected Component(Simulator sim, String path) {
        this.sim = sim;
        this.path = path;
    }

    /** @return the hierarchical name of this component */
    public final String path() {
        return path;
    }

    /** @return this component's random stream, derived from the run seed and the path only */
    protected final Rng rng() {
        if (rng == null) {
            rng = sim.random().stream(path);
        }
        return rng;
    }

    protected final Counter counter(String name, Unit unit, String description) {
        return sim.stats().counter(path + "." + name, unit, description);
    }

    protected final Distribution distribution(String name, Unit unit, String description) {
        return sim.stats().distribution(path + "." + name, unit, description);
    }

    protected final Utilization utilization(String name, String description) {
        return sim.stats().utilization(path + "." + name, description);
    }

    /** Creates an input port delivering to {@code handler} with the given port id. */
    protected final InPort inPort(String name, int portId, PortHandler handler) {
        return new InPort(sim, path + "." + name, portId, handler);
    }

    /** Creates an unconnected output port. */
    protected final OutPort outPort(String name) {
        return new OutPort(sim, path + "." + name);
    }
}
