package io.dojosim.pod.defect;

import static io.dojosim.core.config.Check.require;

import io.dojosim.core.random.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One drawn set of defects of a system: dead chips (as {@code pod.system.deadChips} entries,
 * "tile,x,y"), dead links, slow chips with their slowdown factors and chips with dead nodes.
 *
 * <pre>
 *   per tile:   dead ~ Poisson(deadChipsPerTile), at distinct uniform chips of the tile
 *               dead links ~ Poisson(deadLinksPerTile), at distinct uniform links between neighbours of the tile
 *   per alive chip: slow with probability slowChipFraction, slowdown ~ Uniform[1, slowdownMax]
 *   then, per tile and alive chip: dead nodes ~ min(Poisson(deadNodesPerChip), activeNodes - 1)
 * </pre>
 * (the dead nodes are drawn after everything else, so a map's other defects are those drawn
 * without them).
 * A draw is a pure function of the rates, the system's shape and the random stream, so a sample's
 * map does not depend on which thread draws it.
 *
 * @param deadChips  dead chips as "tile,x,y", in tile then row-major order
 * @param deadLinks  failed links between neighbouring chips as {@code pod.system.deadLinks} entries "tile,x,y,side" (side E or N)
 * @param slowChips  slow chips as "tile,x,y" -> slowdown factor (> 1)
 * @param deadNodes  chips with dead nodes beyond the harvested ones, "tile,x,y" -> nodes (>= 1)
 */
public record DefectMap(List<String> deadChips, List<String> deadLinks, Map<String, Double> slowChips, Map<String, Integer> deadNodes) {
    public DefectMap {
        deadChips = List.copyOf(deadChips);
        deadLinks = List.copyOf(deadLinks);
        slowChips = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slowChips));
        deadNodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deadNodes));
    }

    /** A map without dead nodes. */
    public DefectMap(List<String> deadChips, List<String> deadLinks, Map<String, Double> slowChips) {
        this(deadChips, deadLinks, slowChips, Map.of());
    }

    /** @return this map with other dead links */
    public DefectMap withDeadLinks(List<String> links) {
        return new DefectMap(deadChips, links, slowChips, deadNodes);
    }

    /** @return the chips with dead nodes as {@code pod.system.deadNodes} entries "tile,x,y,nodes" */
    public List<String> deadNodeEntries() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : deadNodes.entrySet()) out.add(e.getKey() + "," + e.getValue());
        return out;
    }

    /** @return dead nodes summed over chips */
    public int deadNodeCount() {
        int n = 0;
        for (int v : deadNodes.values()) n += v;
        return n;
    }

    /** The rates of {@link DefectParams}, checked. */
    public record Rates(double deadChipsPerTile, double deadLinksPerTile, double slowChipFraction, double slowdownMax,
                        double deadNodesPerChip) {
        public Rates {
            require(deadNodesPerChip >= 0, "pod.defects.deadNodesPerChip must be >= 0");
            require(deadChipsPerTile >= 0, "pod.defects.deadChipsPerTile must be >= 0");
            require(deadLinksPerTile >= 0, "pod.defects.deadLinksPerTile must be >= 0");
            require(slowChipFraction >= 0 && slowChipFraction <= 1, "pod.defects.slowChipFraction must be in [0, 1]");
            require(slowdownMax >= 1, "pod.defects.slowdownMax must be >= 1");
        }

        /** Rates without dead nodes. */
        public Rates(double deadChipsPerTile, double deadLinksPerTile, double slowChipFraction, double slowdownMax) {
            this(deadChipsPerTile, deadLinksPerTile, slowChipFraction, slowdownMax, 0.0);
        }
    }

    /** @return no defects */
    public static DefectMap none() {
        return new DefectMap(List.of(), List.of(), Map.of());
    }

    /**
     * Draws a map for {@code tiles} tiles of {@code chipsX x chipsY} chips; chips already in
     * {@code alreadyDead} ("tile,x,y", the config's own what-if) stay dead and are not drawn again.
     */
    public static DefectMap draw(Rates r, int tiles, int chipsX, int chipsY, List<String> alreadyDead, Rng rng) {
        return draw(r, tiles, chipsX, chipsY, 1, alreadyDead, rng);
    }

    /** As {@link #draw(Rates, int, int, int, List, Rng)}, with {@code activeNodes} nodes per chip for the dead nodes. */
    public static DefectMap draw(Rates r, int tiles, int chipsX, int chipsY, int activeNodes, List<String> alreadyDead, Rng rng) {
        int per = chipsX * chipsY;
        List<String> dead = new ArrayList<>();
        List<String> deadLinks = new ArrayList<>();
        Map<String, Double> slow = new LinkedHashMap<>();
        // the tile's links between neighbours: first every east link (x < chipsX - 1), then every north link (y < chipsY - 1)
        int eastLinks = (chipsX - 1) * chipsY;
        int links = eastLinks + chipsX * (chipsY - 1);
        for (int t = 0; t < tiles; t++) {
            boolean[] isDead = new boolean[per];
            int n = Math.min(per, poisson(r.deadChipsPerTile(), rng));
            for (int k = 0; k < n; k++) {
                int c = rng.nextInt(per);
                while (isDead[c]) c = (c + 1) % per;   // distinct chips: next free one
                isDead[c] = true;
            }
            for (int c = 0; c < per; c++) {
                String name = t + "," + (c % chipsX) + "," + (c / chipsX);
                if (isDead[c] || alreadyDead.contains(name)) {
                    dead.add(name);
                } else if (rng.nextBernoulli(r.slowChipFraction())) {
                    slow.put(name, 1.0 + rng.nextDouble() * (r.slowdownMax() - 1.0));
                }
            }
            if (links > 0) {
                boolean[] isDeadLink = new boolean[links];
                int m = Math.min(links, poisson(r.deadLinksPerTile(), rng));
                for (int k = 0; k < m; k++) {
                    int l = rng.nextInt(links);
                    while (isDeadLink[l]) l = (l + 1) % links;
                    isDeadLink[l] = true;
                }
                for (int l = 0; l < links; l++) {
                    if (!isDeadLink[l]) continue;
                    if (l < eastLinks) {
                        deadLinks.add(t + "," + (l % (chipsX - 1)) + "," + (l / (chipsX - 1)) + ",E");
                    } else {
                        int j = l - eastLinks;
                        deadLinks.add(t + "," + (j % chipsX) + "," + (j / chipsX) + ",N");
                    }
                }
            }
        }
        Map<String, Integer> deadNodes = new LinkedHashMap<>();
        if (r.deadNodesPerChip() > 0 && activeNodes > 1) {
            for (int t = 0; t < tiles; t++) {
                for (int c = 0; c < per; c++) {
                    String name = t + "," + (c % chipsX) + "," + (c / chipsX);
                    if (dead.contains(name)) continue;
                    int n = Math.min(activeNodes - 1, poisson(r.deadNodesPerChip(), rng));
                    if (n > 0) deadNodes.put(name, n);
                }
            }
        }
        return new DefectMap(dead, deadLinks, slow, deadNodes);
    }

    /** @return the largest slowdown of a slow chip, 1 when none is slow */
    public double maxSlowdown() {
        double m = 1.0;
        for (double s : slowChips.values()) m = Math.max(m, s);
        return m;
    }

    /** Knuth's method: count uniform draws until their product falls below e^-mean. */
    static int poisson(double mean, Rng rng) {
        if (mean <= 0) return 0;
        double limit = Math.exp(-mean);
        double p = rng.nextDouble();
        int k = 0;
        while (p > limit) {
            k++;
            p *= rng.nextDouble();
        }
        return k;
    }
}
