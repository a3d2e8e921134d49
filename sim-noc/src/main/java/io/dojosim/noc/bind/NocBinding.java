package io.dojosim.noc.bind;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.noc.NocParams;
import java.util.Locale;

/**
 * Binds the {@code noc.*} keys of a resolved config into {@link NocParams}: the only place they
 * are read (docs/adr/0082-typed-system-spec.md).
 */
public final class NocBinding {
    private NocBinding() {
    }

    /** @return the {@code noc.*} keys as a record; {@link NocParams#defaults()} when the catalog lacks the group */
    public static NocParams noc(ResolvedConfig c) {
        if (c.catalog().group("noc") == null) {
            return NocParams.defaults();
        }
        NocParams.Measurement m = new NocParams.Measurement(c.getLong("noc.measure.warmupCycles"), c.getLong("noc.measure.measureCycles"),
                c.getLong("noc.measure.samplePeriodCycles"), c.getInt("noc.measure.maxSamplePeriods"),
                c.getDouble("noc.measure.convergenceThreshold"), c.getDouble("noc.measure.latencyThresholdCycles"),
                c.getString("noc.measure.mode").equals("throughput"));
        return new NocParams(c.getLong("noc.clockHz"), c.getInt("noc.routingDelayCycles"), c.getInt("noc.vcAllocDelayCycles"),
                c.getInt("noc.swAllocDelayCycles"), c.getInt("noc.stDelayCycles"), c.getBool("noc.speculativeSwitchAlloc"),
                c.getInt("noc.linkLatencyCycles"),
                c.getInt("noc.creditDelayCycles"), c.getInt("noc.vcs"), c.getInt("noc.bufferFlits"), c.getInt("noc.flitBytes"),
                c.getInt("noc.packetFlits"), NocParams.Routing.valueOf(c.getString("noc.routing").toUpperCase(Locale.ROOT)),
                NocParams.Fidelity.valueOf(c.getString("noc.fidelity").toUpperCase(Locale.ROOT)),
                c.getDouble("noc.injectionFlitsPerCycle"), c.getDouble("noc.ejectionFlitsPerCycle"), m,
                deadLinks(c));
    }

    /** @return {@code noc.deadLinks} parsed; a bad entry names the file it came from */
    private static java.util.List<io.dojosim.noc.MeshLink> deadLinks(ResolvedConfig c) {
        try {
            return io.dojosim.noc.MeshLink.parseAll(c.getStringList("noc.deadLinks"));
        } catch (io.dojosim.core.config.ConfigException e) {
            throw new io.dojosim.core.config.ConfigException(c.origins().get("noc.deadLinks") + ": " + e.getMessage());
        }
    }

    /** @return true when {@code noc.routing} was set by a file or {@code --set}, false when it is the default (or the group is absent) */
    public static boolean routingExplicit(ResolvedConfig c) {
        return c.catalog().group("noc") != null && !"default".equals(c.origins().get("noc.routing"));
    }
}
