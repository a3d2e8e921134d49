package io.dojosim.pod.step;

import io.dojosim.pod.Topology;

/**
 * Where the step's work runs, for timelines that draw a track per tile and per chip: every chip
 * of the machine (its tile and mesh coordinates, alive or not) and, per data-parallel replica,
 * pipeline stage and chip of the stage, the global chip index that runs it.
 *
 * <pre>
 *   chipOf(r, s, j) = chip j of stage s of replica r     (0 &lt;= j &lt; stageChips)
 *   chip c: tile tileOf[c], coordinates (chipX[c], chipY[c]) inside its tile
 * </pre>
 *
 * <p>Caveats: replicas are folded, so every replica runs the timed replica's schedule; a chip
 * of stage s of any replica does what stage s of the timed replica does.
 *
 * @param dataParallel replicas of the plan
 * @param stages       pipeline stages of a replica (1 when not pipelined)
 * @param stageChips   chips of one stage
 * @param tileOf       per global chip index, its tile
 * @param chipX        per global chip index, its column in the tile's chip mesh
 * @param chipY        per global chip index, its row in the tile's chip mesh
 * @param alive        per global chip index, whether it works (pod.system.deadChips)
 * @param replicaChip  per replica, per {@code stage * stageChips + j}, the global chip index
 */
public record TimelinePlacement(int dataParallel, int stages, int stageChips, int[] tileOf, int[] chipX, int[] chipY, boolean[] alive,
                                int[][] replicaChip) {
    /** @return the global chip index of chip {@code j} of stage {@code stage} of replica {@code replica} */
    public int chipOf(int replica, int stage, int j) {
        return replicaChip[replica][stage * stageChips + j];
    }

    /** @return the chips of the machine */
    public int chips() {
        return tileOf.length;
    }

    static TimelinePlacement of(Topology topo, PodStepBackend backend, Plan plan) {
        int n = topo.chips();
        int[] tile = new int[n];
        int[] x = new int[n];
        int[] y = new int[n];
        boolean[] alive = new boolean[n];
        for (int c = 0; c < n; c++) {
            tile[c] = topo.tileOf(c);
            x[c] = topo.chipX(c);
            y[c] = topo.chipY(c);
            alive[c] = topo.alive(c);
        }
        int[][] rc = new int[plan.dataParallel()][plan.replicaChips()];
        for (int r = 0; r < rc.length; r++) {
            for (int j = 0; j < plan.replicaChips(); j++) rc[r][j] = backend.chip(r, j);
        }
        return new TimelinePlacement(plan.dataParallel(), plan.pipelineStages(), plan.stageChips(), tile, x, y, alive, rc);
    }
}
