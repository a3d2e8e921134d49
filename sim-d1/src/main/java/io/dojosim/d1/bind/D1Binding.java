package io.dojosim.d1.bind;

import io.dojosim.core.bind.CoreBinding;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.chip.ChipParams;
import io.dojosim.d1.chip.ChipSimSpec;
import io.dojosim.noc.Site;
import io.dojosim.noc.bind.NocBinding;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds the {@code d1.node.*} and {@code d1.chip.*} keys of a resolved config into
 * {@link NodeParams} and {@link ChipParams}: the only place they are read, and the one place the
 * harvested sites are checked against the mesh with the file and line they came from
 * (docs/adr/0082-typed-system-spec.md).
 */
public final class D1Binding {
    private D1Binding() {
    }

    /** @return the {@code d1.node.*} keys as a record */
    public static NodeParams node(ResolvedConfig c) {
        String p = "d1.node.";
        return new NodeParams(c.getLong(p + "clockHz"), c.getInt(p + "matrixBlockM"), c.getInt(p + "matrixBlockN"),
                c.getInt(p + "matrixBlockK"), c.getInt(p + "matrixBlocksPerCycle"), c.getInt(p + "simdBytes"),
                c.getInt(p + "fp32FmaPerCycle"), c.getInt(p + "simdHalfFmaPerCycle"), c.getInt(p + "threads"),
                c.getInt(p + "vectorIssueWidth"), c.getInt(p + "vectorRegistersPerThread"), c.getInt(p + "matrixAccumulatorBlocks"),
                c.getLong(p + "sramBytes"), c.getLong(p + "codeReserveBytes"), c.getInt(p + "sramLoadPorts"),
                c.getInt(p + "sramStorePorts"), c.getInt(p + "sramPortBytes"), c.getInt(p + "routerReadBytesPerCycle"),
                c.getInt(p + "routerWriteBytesPerCycle"), c.getInt(p + "scalarLoadBytesPerCycle"), c.getInt(p + "scalarStoreBytesPerCycle"),
                c.getInt(p + "sramLatencyCycles"), c.getInt(p + "matrixLatencyCycles"), c.getInt(p + "simdLatencyCycles"),
                c.getInt(p + "dmaSetupCycles"), c.getInt(p + "semaphoreCycles"), c.getDouble(p + "nodePowerWatts"));
    }

    /**
     * @return the {@code d1.chip.*} keys as a record, the disabled sites typed
     * @throws ConfigException naming the file and line when a disabled site is not "x,y", lies off
     *                         the mesh, is listed twice, or the sites do not leave {@code activeNodes}
     */
    public static ChipParams chip(ResolvedConfig c) {
        String p = "d1.chip.";
        int w = c.getInt(p + "meshWidth");
        int h = c.getInt(p + "meshHeight");
        int active = c.getInt(p + "activeNodes");
        List<Site> sites = sites(c, w, h, active);
        return new ChipParams(w, h, active, sites, c.getInt(p + "serdesLanes"), c.getDouble(p + "serdesLaneGbps"),
                c.getLong(p + "dieToDieLatencyPs"), c.getDouble(p + "dieToDieEfficiency"), c.getInt(p + "barrierHopCycles"),
                c.getInt(p + "gemmPanelK"), c.getString(p + "gemmGrid"));
    }

    private static volatile ChipSimSpec defaultMachine;

    /**
     * @return the chip simulation of the built-in defaults of {@code sim.*}, {@code noc.*},
     * {@code d1.node.*} and {@code d1.chip.*}: the machine the shipped calibration table measured
     * ({@link io.dojosim.d1.chip.ChipCalibration#DEFAULT_MACHINE})
     */
    public static ChipSimSpec defaultChipSim() {
        ChipSimSpec d = defaultMachine;
        if (d == null) {
            d = chipSim(new io.dojosim.core.config.ParamCatalog(List.of(io.dojosim.core.config.CoreParams.GROUP,
                    io.dojosim.noc.NocParams.GROUP, io.dojosim.d1.D1Params.NODE, io.dojosim.d1.D1Params.CHIP)).defaults());
            defaultMachine = d;
        }
        return d;
    }

    /** @return the kernel, network-on-chip, node and die parameters of a cycle-level chip simulation */
    public static ChipSimSpec chipSim(ResolvedConfig c) {
        return new ChipSimSpec(CoreBinding.sim(c), NocBinding.noc(c), node(c), chip(c));
    }

    /** Disabled sites must lie on the mesh, be distinct, and leave exactly {@code activeNodes} sites. */
    private static List<Site> sites(ResolvedConfig c, int w, int h, int active) {
        List<String> raw = c.getStringList("d1.chip.disabledSites");
        String where = c.origins().get("d1.chip.disabledSites");
        Set<Site> seen = new HashSet<>();
        List<Site> out = new java.util.ArrayList<>(raw.size());
        for (String s : raw) {
            Site site;
            try {
                site = Site.parse(s);
            } catch (ConfigException e) {
                throw new ConfigException(where + ": key 'd1.chip.disabledSites': site '" + s
                        + "' is not allowed; expected \"x,y\" with 0 <= x < " + w + " and 0 <= y < " + h);
            }
            if (site.x() >= w || site.y() >= h) {
                throw new ConfigException(where + ": key 'd1.chip.disabledSites': site '" + s
                        + "' is off the " + w + " x " + h + " mesh; expected 0 <= x < " + w + " and 0 <= y < " + h);
            }
            if (!seen.add(site)) {
                throw new ConfigException(where + ": key 'd1.chip.disabledSites': site '" + s + "' is listed twice");
            }
            out.add(site);
        }
        if ((long) w * h - raw.size() != active) {
            throw new ConfigException(c.origins().get("d1.chip.activeNodes") + ": keys 'd1.chip.activeNodes' (" + active
                    + ") and 'd1.chip.disabledSites' (" + raw.size() + " sites) disagree: a " + w + " x " + h
                    + " mesh with " + raw.size() + " disabled sites has " + ((long) w * h - raw.size())
                    + " active nodes; set activeNodes to that, or list " + ((long) w * h - active) + " disabled sites");
        }
        return List.copyOf(out);
    }

    /** @return the {@code d1.energy.*} keys (docs/model/energy.md), or their defaults when the catalog lacks the group (tests of one model alone) */
    public static io.dojosim.d1.energy.D1Energy energy(ResolvedConfig c) {
        if (c.catalog().group("d1.energy") == null) {
            c = new io.dojosim.core.config.ParamCatalog(List.of(io.dojosim.d1.energy.D1EnergyParams.GROUP)).defaults();
        }
        String p = "d1.energy.";
        List<String> pts = c.getStringList(p + "vfCurve");
        double[] hz = new double[pts.size()];
        double[] v = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            String s = pts.get(i).trim();
            int colon = s.indexOf(':');
            try {
                if (colon < 0) throw new NumberFormatException();
                hz[i] = Double.parseDouble(s.substring(0, colon).trim());
                v[i] = Double.parseDouble(s.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("key 'd1.energy.vfCurve': entry '" + s + "' is not \"Hz:volts\" (two numbers, e.g. 2.0e9:0.80)");
            }
        }
        return new io.dojosim.d1.energy.D1Energy(c.getDouble(p + "matrixPjPerFlop16"), c.getDouble(p + "matrixPjPerFlop8"), c.getDouble(p + "simdPjPerFlop32"),
                c.getDouble(p + "simdPjPerFlop16"), c.getDouble(p + "sramReadPjPerByte"), c.getDouble(p + "sramWritePjPerByte"),
                c.getDouble(p + "meshHopPjPerByte"), c.getDouble(p + "nodeStaticWatts"), c.getDouble(p + "chipUncoreWatts"), hz, v,
                c.getLong(p + "referenceClockHz"));
    }
}
