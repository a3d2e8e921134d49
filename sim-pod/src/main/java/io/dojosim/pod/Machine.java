package io.dojosim.pod;


/**
 * The assembled Dojo system of a configuration: the link graph ({@link Topology}) and what
 * {@code dojosim info} reports about it ({@link MachineInfo}). Immutable once built; one machine
 * can serve several simulations.
 *
 * <p>Source: dojo-facts sections 5 to 7 and the assumptions of section 10, as {@link PodParams}.
 */
public final class Machine {
    private final PodConfig config;
    private final Topology topology;
    private MachineInfo info;

    private Machine(PodConfig config) {
        this.config = config;
        this.topology = new Topology(config);
    }

    /**
     * Builds the machine a system spec describes (its {@code d1} and {@code pod} groups).
     *
     * @throws io.dojosim.core.config.ConfigException for contradictory or out-of-system values
     */
    public static Machine build(io.dojosim.pod.spec.SystemSpec c) {
        return new Machine(PodConfig.of(c));
    }

    public PodConfig config() {
        return config;
    }

    public Topology topology() {
        return topology;
    }

    /** @return counts, peaks, memories, link rates and bisections (computed on first use) */
    public synchronized MachineInfo info() {
        if (info == null) info = new MachineInfo(topology);
        return info;
    }
}
