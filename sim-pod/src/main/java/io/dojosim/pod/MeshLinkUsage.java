package io.dojosim.pod;

/**
 * How the chip meshes of a region of interest used their links over a window: router-to-router
 * links of every active site, both directions counted apart.
 *
 * @param links            links of all meshes built
 * @param linksUsed        links that carried at least one flit
 * @param meanUtilization  mean over the links of flits per cycle
 * @param maxUtilization   the busiest link's flits per cycle
 * @param bytes            flits times flit bytes over all links (a byte crossing n links counts n times)
 */
public record MeshLinkUsage(long links, long linksUsed, double meanUtilization, double maxUtilization, double bytes) {
    /** No mesh built. */
    public static final MeshLinkUsage NONE = new MeshLinkUsage(0, 0, 0, 0, 0);
}
