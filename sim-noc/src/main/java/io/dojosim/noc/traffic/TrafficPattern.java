package io.dojosim.noc.traffic;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.random.Rng;
import io.dojosim.noc.MeshShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Synthetic destination patterns, as BookSim2 defines them (traffic.cpp), over the active nodes of
 * a mesh with node id {@code y * W + x}.
 *
 * <ul>
 *   <li>{@code uniform}: any active node, the source included;</li>
 *   <li>{@code transpose}: (x, y) to (y, x) (square meshes);</li>
 *   <li>{@code bitcomp}, {@code bitrev}, {@code shuffle}: complement, reversal and left rotation
 *       of the bits of the node id (node count a power of two);</li>
 *   <li>{@code tornado}: x to (x + ceil(W/2) - 1) mod W, y likewise;</li>
 *   <li>{@code neighbor}: x to x + 1 mod W, y to y + 1 mod H;</li>
 *   <li>{@code hotspot:N1+N2+...@F}: with probability F (default 1) one of the hot nodes chosen
 *       uniformly, otherwise uniform.</li>
 * </ul>
 *
 * <p>Caveats: a permutation that maps a source onto a disabled site gives that source no traffic.
 */
public final class TrafficPattern {
    /** Names accepted by {@link #parse}. */
    public static final List<String> NAMES = List.of("uniform", "transpose", "bitcomp", "bitrev", "shuffle",
            "tornado", "neighbor", "hotspot:N1+N2@F");

    private final String name;
    private final MeshShape shape;
    private final int[] active;
    private final int[] perm; // permutation patterns: destination per node, -1 none
    private final int[] hot;
    private final double hotFraction;

    private TrafficPattern(String name, MeshShape shape, int[] perm, int[] hot, double hotFraction) {
        this.name = name;
        this.shape = shape;
        this.active = shape.activeNodeIds();
        this.perm = perm;
        this.hot = hot;
        this.hotFraction = hotFraction;
    }

    public String name() {
        return name;
    }

    /** @return true when the pattern gives source {@code src} a destination */
    public boolean sends(int src) {
        return perm == null || perm[src] >= 0;
    }

    /** @return the destination node of a packet from {@code src} */
    public int dest(int src, Rng rng) {
        if (perm != null) return perm[src];
        if (hot != null && (hotFraction >= 1.0 || rng.nextDouble() < hotFraction)) {
            return hot[hot.length == 1 ? 0 : rng.nextInt(hot.length)];
        }
        return active[rng.nextInt(active.length)];
    }

    /**
     * @throws ConfigException naming the pattern and what is allowed
     */
    public static TrafficPattern parse(String spec, MeshShape shape) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int w = shape.width();
        int h = shape.height();
        int n = shape.sites();
        if (s.equals("uniform")) return new TrafficPattern(s, shape, null, null, 0);
        if (s.startsWith("hotspot")) return hotspot(spec, shape);
        int[] perm = new int[n];
        boolean pow2 = Integer.bitCount(n) == 1;
        int bits = Integer.numberOfTrailingZeros(n);
        for (int src = 0; src < n; src++) {
            int x = shape.x(src);
            int y = shape.y(src);
            int d;
            switch (s) {
                case "transpose":
                    if (w != h) throw new ConfigException("traffic 'transpose' needs a square mesh, not " + w + " x " + h);
                    d = shape.node(y, x);
                    break;
                case "bitcomp":
                    requirePow2(s, pow2, n);
                    d = ~src & (n - 1);
                    break;
                case "bitrev": {
                    requirePow2(s, pow2, n);
                    int r = 0;
                    for (int b = 0; b < bits; b++) r |= ((src >> b) & 1) << (bits - 1 - b);
                    d = r;
                    break;
                }
                case "shuffle":
                    requirePow2(s, pow2, n);
                    d = ((src << 1) & (n - 1)) | ((src >> (bits - 1)) & 1);
                    break;
                case "tornado":
                    d = shape.node((x + (w + 1) / 2 - 1) % w, (y + (h + 1) / 2 - 1) % h);
                    break;
                case "neighbor":
                    d = shape.node((x + 1) % w, (y + 1) % h);
                    break;
                default:
                    throw new ConfigException("unknown traffic pattern '" + spec + "'; allowed: " + String.join(", ", NAMES));
            }
            perm[src] = shape.isDisabled(src) || shape.isDisabled(d) ? -1 : d;
        }
        return new TrafficPattern(s, shape, perm, null, 0);
    }

    private static void requirePow2(String s, boolean pow2, int n) {
        if (!pow2) throw new ConfigException("traffic '" + s + "' needs a node count that is a power of two, not " + n);
    }

    private static TrafficPattern hotspot(String spec, MeshShape shape) {
        String body = spec.trim();
        int colon = body.indexOf(':');
        if (colon < 0) throw new ConfigException("traffic '" + spec + "': write hotspot:N1+N2@F (hot node ids, optional fraction)");
        String rest = body.substring(colon + 1);
        double frac = 1.0;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                frac = Double.parseDouble(rest.substring(at + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("traffic '" + spec + "': fraction after @ is not a number");
            }
            if (!(frac > 0 && frac <= 1)) throw new ConfigException("traffic '" + spec + "': fraction must be in (0, 1]");
            rest = rest.substring(0, at);
        }
        List<Integer> hot = new ArrayList<>();
        for (String t : rest.split("\\+")) {
            try {
                int id = Integer.parseInt(t.trim());
                if (id < 0 || id >= shape.sites() || shape.isDisabled(id)) throw new NumberFormatException();
                hot.add(id);
            } catch (NumberFormatException e) {
                throw new ConfigException("traffic '" + spec + "': hot node '" + t + "' is not an active node id in [0, "
                        + (shape.sites() - 1) + "]");
            }
        }
        return new TrafficPattern("hotspot", shape, null, hot.stream().mapToInt(Integer::intValue).toArray(), frac);
    }
}
