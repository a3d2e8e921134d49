package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cross-parameter checks that no single parameter can make. Each raises one
 * {@link ConfigException} naming the keys in conflict and what would be allowed.
 */
final class SystemChecks {
    private SystemChecks() {
    }

    static void check(ResolvedConfig c) {
        checkHarvesting(c);
        io.dojosim.pod.PodAdmission.check(io.dojosim.pod.PodConfig.from(c), Runtime.getRuntime().maxMemory());
    }

    /** Disabled sites must lie on the mesh, be distinct, and leave exactly {@code activeNodes} sites. */
    static void checkHarvesting(ResolvedConfig c) {
        int w = c.getInt("d1.chip.meshWidth");
        int h = c.getInt("d1.chip.meshHeight");
        int active = c.getInt("d1.chip.activeNodes");
        List<String> sites = c.getStringList("d1.chip.disabledSites");
        Set<String> seen = new HashSet<>();
        for (String s : sites) {
            String[] xy = s.split(",");
            int x;
            int y;
            try {
                if (xy.length != 2) throw new NumberFormatException();
                x = Integer.parseInt(xy[0].trim());
                y = Integer.parseInt(xy[1].trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(origin(c, "d1.chip.disabledSites") + ": key 'd1.chip.disabledSites': site '" + s
                        + "' is not allowed; expected \"x,y\" with 0 <= x < " + w + " and 0 <= y < " + h);
            }
            if (x < 0 || x >= w || y < 0 || y >= h) {
                throw new ConfigException(origin(c, "d1.chip.disabledSites") + ": key 'd1.chip.disabledSites': site '" + s
                        + "' is off the " + w + " x " + h + " mesh; expected 0 <= x < " + w + " and 0 <= y < " + h);
            }
            if (!seen.add(x + "," + y)) {
                throw new ConfigException(origin(c, "d1.chip.disabledSites") + ": key 'd1.chip.disabledSites': site '" + s + "' is listed twice");
            }
        }
        if ((long) w * h - sites.size() != active) {
            throw new ConfigException(origin(c, "d1.chip.activeNodes") + ": keys 'd1.chip.activeNodes' (" + active
                    + ") and 'd1.chip.disabledSites' (" + sites.size() + " sites) disagree: a " + w + " x " + h
                    + " mesh with " + sites.size() + " disabled sites has " + ((long) w * h - sites.size())
                    + " active nodes; set activeNodes to that, or list " + ((long) w * h - active) + " disabled sites");
        }
    }

    private static String origin(ResolvedConfig c, String key) {
        return c.origins().get(key);
    }
}
