package io.dojosim.pod;

/**
 * Utilization of one level's links over a statistics window.
 *
 * @param kind            the level
 * @param links           links of that level in the system (each direction counts once)
 * @param linksUsed       links that carried any byte
 * @param bytes           bytes carried, summed over the links (a byte crossing three links counts three times)
 * @param meanUtilization bytes / (sum of capacities x window), over all links of the level
 * @param maxUtilization  the busiest link's bytes / (its capacity x window)
 */
public record LevelUtilization(LinkKind kind, long links, long linksUsed, double bytes, double meanUtilization,
                               double maxUtilization) {
}
