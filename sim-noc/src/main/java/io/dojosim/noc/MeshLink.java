package io.dojosim.noc;

import io.dojosim.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One link between two neighbouring sites of a mesh, named by the site at one end and the side it
 * leaves on: the typed form of the {@code "x,y,side"} strings of {@code noc.deadLinks} (side N, E,
 * S or W). A link carries both directions; {@code "1,1,E"} and {@code "2,1,W"} name the same one.
 *
 * <pre>
 *   (1,1) --E--&gt; (2,1)      "1,1,E" == "2,1,W"
 * </pre>
 *
 * @param site the site at one end
 * @param port the side it leaves on: {@link MeshShape#NORTH}, EAST, SOUTH or WEST
 */
public record MeshLink(Site site, int port) {
    public MeshLink {
        if (site == null || port < MeshShape.NORTH || port > MeshShape.WEST) {
            throw new ConfigException("mesh link needs a site and a side N, E, S or W");
        }
    }

    /**
     * @param s {@code "x,y,side"}, side one of N, E, S, W (either case)
     * @throws ConfigException naming the entry and the allowed form
     */
    public static MeshLink parse(String s) {
        String[] p = s.trim().split(",");
        if (p.length == 3) {
            try {
                int x = Integer.parseInt(p[0].trim());
                int y = Integer.parseInt(p[1].trim());
                int port = side(p[2].trim().toUpperCase(Locale.ROOT));
                if (x >= 0 && y >= 0 && port > 0) return new MeshLink(new Site(x, y), port);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new ConfigException("key 'noc.deadLinks': entry '" + s
                + "' is not \"x,y,side\" with integers x, y >= 0 and side N, E, S or W (for example \"3,4,E\")");
    }

    private static int side(String s) {
        switch (s) {
            case "N": return MeshShape.NORTH;
            case "E": return MeshShape.EAST;
            case "S": return MeshShape.SOUTH;
            case "W": return MeshShape.WEST;
            default: return -1;
        }
    }

    /** @return every entry parsed, in order */
    public static List<MeshLink> parseAll(List<String> links) {
        List<MeshLink> out = new ArrayList<>(links.size());
        for (String s : links) out.add(parse(s));
        return List.copyOf(out);
    }

    /** @return {@code "x,y,side"}, the form the config writes */
    @Override
    public String toString() {
        return site + "," + "?NESW".charAt(port);
    }
}
