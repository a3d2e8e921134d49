package io.dojosim.pod.collective;

import io.dojosim.core.config.ConfigException;

/**
 * How a collective is decomposed into transfers: one ring over all members; 2D (mesh rows, then
 * columns); or hierarchical (rows and columns of a tile, then across the tiles of a tray, then
 * across trays; for nodes first rows and columns of the chip).
 */
public enum CollectiveAlgorithm {
    RING("ring"), TWO_D("2d"), HIERARCHICAL("hierarchical");

    private final String cliName;

    CollectiveAlgorithm(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** @throws ConfigException naming the allowed words */
    public static CollectiveAlgorithm parse(String s) {
        for (CollectiveAlgorithm a : values()) {
            if (a.cliName.equals(s.trim())) return a;
        }
        throw new ConfigException("--algorithm: '" + s + "' is not an algorithm; allowed: ring, 2d, hierarchical");
    }
}
