package io.dojosim.pod.step;

import io.dojosim.pod.Endpoint;
import io.dojosim.pod.FlowNetwork;
import io.dojosim.pod.LinkKind;
import io.dojosim.pod.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Mesh heatmaps of a run ({@link Heatmap}, the form docs/report.md describes): the chips of the first tile with the utilization of their
 * die-to-die links, and the node sites of one chip of the representative replica.
 *
 * <pre>
 *   x -&gt;   (0,0) (1,0) ...      link dir: E = x + 1, W = x - 1, N = y - 1, S = y + 1
 *   y
 * </pre>
 *
 * <p>Caveats: replicas are folded and a region's nodes work in lockstep, so every node of a busy
 * chip shows the same compute utilization; the link maps carry the flow model's measured bytes.
 */
final class Heatmaps {
    private static final int[] DIR_OF = {Topology.W, Topology.E, Topology.S, Topology.N};
    private static final String[] DIR_NAME = {"W", "E", "S", "N"};

    private Heatmaps() {
    }

    static List<Heatmap> of(Topology topo, FlowNetwork net, PodStepBackend backend, Plan plan, double matrixUtil,
                                        int meshWidth, int meshHeight, List<String> disabledSites, long windowPs) {
        List<Heatmap> maps = new ArrayList<>();
        boolean[] busy = new boolean[topo.chips()];
        for (int rep = 0; rep < plan.dataParallel(); rep++) {
            for (int j = 0; j < plan.replicaChips(); j++) {
                busy[backend.chip(rep, j)] = true;
            }
        }
        int cw = topo.config().chipsX();
        int ch = topo.config().chipsY();
        List<Double> values = new ArrayList<>();
        List<Heatmap.LinkValue> links = new ArrayList<>();
        int[][] at = new int[ch][cw];
        for (int c = 0; c < topo.chips(); c++) {
            if (topo.tileOf(c) == 0) {
                at[topo.chipY(c)][topo.chipX(c)] = c + 1;
            }
        }
        double window = windowPs / 1e12;
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int c = at[y][x] - 1;
                values.add(c < 0 || !topo.alive(c) ? null : busy[c] ? matrixUtil : 0.0);
                if (c < 0 || !topo.alive(c)) continue;
                for (int d = 0; d < 4; d++) {
                    int nb = topo.neighbour(c, DIR_OF[d]);
                    if (nb < 0 || !topo.alive(nb) || topo.tileOf(nb) != 0) continue;
                    double util = 0;
                    for (int l : topo.route(Endpoint.chip(c), Endpoint.chip(nb))) {
                        if (topo.kind(l) == LinkKind.DIE_TO_DIE) {
                            util = Math.max(util, net.carriedBytes(l) / (topo.capacity(l) * window));
                        }
                    }
                    links.add(new Heatmap.LinkValue(x, y, DIR_NAME[d], util));
                }
            }
        }
        maps.add(new Heatmap("tile[0]: chips (matrix-pipe utilization) and die-to-die links", "tile", "ratio", cw, ch, values, links));

        List<Double> nodes = new ArrayList<>();
        java.util.Set<String> off = new java.util.HashSet<>(disabledSites);
        int firstChip = backend.chip(0, 0);
        for (int y = 0; y < meshHeight; y++) {
            for (int x = 0; x < meshWidth; x++) {
                nodes.add(off.contains(x + "," + y) ? null : busy[firstChip] ? matrixUtil : 0.0);
            }
        }
        maps.add(new Heatmap("chip " + firstChip + ": node sites (matrix-pipe utilization; harvested sites empty)", "chip", "ratio", meshWidth, meshHeight,
                nodes, List.of()));
        return maps;
    }
}
