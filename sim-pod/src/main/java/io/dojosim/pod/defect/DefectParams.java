package io.dojosim.pod.defect;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;

/**
 * Declared rates of the defects {@code dojosim montecarlo} draws ({@code pod.defects}): dead chips
 * per tile, the share of slow chips and their slowdown, dead nodes per chip beyond the harvested ones. None is published; the defaults are
 * assumptions argued in docs/model/energy.md#monte-carlo. {@code dojosim run} ignores them.
 */
public final class DefectParams {
    private DefectParams() {
    }

    private static final String A = "docs/model/energy.md#monte-carlo";

    public static final ParamGroup GROUP = ParamGroup.builder("pod.defects",
                    "defect rates of dojosim montecarlo: dead chips and dead links per tile, slow chips and their slowdown",
                    "docs/model/energy.md")
            .doubleParam("deadChipsPerTile", 0.3, 0.0, 25.0, "chips", ParamSource.assumed(A
                            + " (tiles are built from known-good dies, HC34-S; a die failing in service is rare: assumed mean 0.3 per tile)"),
                    "mean of the Poisson number of dead chips per tile, placed uniformly on the tile")
            .doubleParam("deadLinksPerTile", 0.3, 0.0, 1000.0, "links", ParamSource.assumed(A + " (a failed die-to-die link bundle: assumed as rare as a dead chip)"),
                    "mean of the Poisson number of failed links between neighbouring chips of a tile, placed uniformly on the tile's internal links")
            .doubleParam("slowChipFraction", 0.02, 0.0, 1.0, "ratio", ParamSource.assumed(A
                            + " (Tesla's Stress tool hunts slow and faulty cores in production, Tom's Hardware 2024; assumed 2 % of chips)"),
                    "probability that an alive chip is slow")
            .doubleParam("slowdownMax", 1.3, 1.0, 100.0, "ratio", ParamSource.assumed(A + " (a slow chip computes 1 to 1.3 x slower: thermal or voltage margin, assumed)"),
                    "a slow chip's compute takes a factor drawn uniformly in [1, slowdownMax] longer")
            .doubleParam("deadNodesPerChip", 0.02, 0.0, 100.0, "nodes", ParamSource.assumed(A
                            + " (harvesting removes the nodes dead at test, HC34-S; a node failing in service is rarer: assumed mean 0.02 per chip, about one chip in 50)"),
                    "mean of the Poisson number of nodes per alive chip that failed beyond the harvested ones (at most activeNodes - 1)")
            .build();
}
