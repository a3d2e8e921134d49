package io.dojosim.noc;

import io.dojosim.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * One site of a mesh, column {@code x} and row {@code y} (row 0 is north; see {@link MeshShape}).
 * The typed form of the {@code "x,y"} strings of {@code d1.chip.disabledSites}: they are parsed
 * here and nowhere else.
 *
 * @param x column, at least 0
 * @param y row, at least 0
 */
public record Site(int x, int y) {
    public Site {
        if (x < 0 || y < 0) {
            throw new ConfigException("site " + x + "," + y + " has a negative coordinate");
        }
    }

    /**
     * @param s {@code "x,y"} with integers (white space around either is allowed)
     * @throws ConfigException naming the entry when it is not of that form
     */
    public static Site parse(String s) {
        String[] p = s.trim().split(",");
        try {
            if (p.length != 2) throw new NumberFormatException();
            int x = Integer.parseInt(p[0].trim());
            int y = Integer.parseInt(p[1].trim());
            if (x >= 0 && y >= 0) return new Site(x, y);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("disabled site '" + s + "' is not \"x,y\" with integers");
    }

    /** @return every entry parsed, in order */
    public static List<Site> parseAll(List<String> sites) {
        List<Site> out = new ArrayList<>(sites.size());
        for (String s : sites) out.add(parse(s));
        return List.copyOf(out);
    }

    /** @return the node id of this site on a mesh of that width: {@code y * width + x} */
    public int id(int width) {
        return y * width + x;
    }

    /** @return {@code "x,y"}, the form the config writes */
    @Override
    public String toString() {
        return x + "," + y;
    }
}
