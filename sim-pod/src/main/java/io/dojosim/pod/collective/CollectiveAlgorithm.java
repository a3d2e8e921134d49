package io.dojosim.pod.collective;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.util.EnumKeys;

/**
 * How a collective is decomposed into transfers: one ring over all members; 2D (mesh rows, then
 * columns); hierarchical (rows of a tile, then the tile, then across the tiles of a tray, then
 * across trays; for nodes first rows and columns of the chip); or auto, the one of those three
 * with the smallest alpha-beta estimate for the group, primitive and size
 * ({@link AlgorithmSelector}, ADR 0072).
 */
public enum CollectiveAlgorithm {
    RING("ring"), TWO_D("2d"), HIERARCHICAL("hierarchical"), AUTO("auto");

    /** The algorithms a schedule can be built for, in the order auto prefers them on a tie. */
    private static final CollectiveAlgorithm[] CONCRETE = {RING, TWO_D, HIERARCHICAL};

    private final String cliName;

    CollectiveAlgorithm(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** @return ring, 2d and hierarchical (a copy), the candidates of auto */
    public static CollectiveAlgorithm[] concrete() {
        return CONCRETE.clone();
    }

    /** @throws ConfigException naming the allowed words */
    public static CollectiveAlgorithm parse(String s) {
        CollectiveAlgorithm a = EnumKeys.find(values(), CollectiveAlgorithm::cliName, s.trim());
        if (a != null) return a;
        throw new ConfigException("--algorithm: '" + s + "' is not an algorithm; allowed: ring, 2d, hierarchical, auto");
    }
}
