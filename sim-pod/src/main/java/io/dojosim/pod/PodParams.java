package io.dojosim.pod;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamTable;
import java.util.List;

/**
 * Declared parameters of the machine above the D1 die: the training tile ({@code pod.tile}), the
 * Dojo Interface Processor with its HBM ({@code pod.dip}), the tray ({@code pod.tray}), the system
 * size and what-if switches ({@code pod.system}), the Ethernet Z-plane ({@code pod.ethernet}), the
 * coarse on-chip mesh used by the flow model ({@code pod.coarse}) and the collective defaults
 * ({@code pod.collective}). Published figures cite dojo-facts keys; unpublished ones are assumptions
 * argued in docs/model/tile.md, dip.md, pod.md and collectives.md.
 *
 * <p>The declarations are data: the tables {@code pod-system.params}, {@code pod-tray.params}, {@code pod-tile.params}, {@code pod-dip.params}, {@code pod-ethernet.params}, {@code pod-coarse.params}, {@code pod-collective.params} beside this class, read by {@link ParamTable}.
 */
public final class PodParams {
    private PodParams() {
    }

    public static final ParamGroup SYSTEM = ParamTable.read(PodParams.class, "pod-system.params");

    public static final ParamGroup TRAY = ParamTable.read(PodParams.class, "pod-tray.params");

    public static final ParamGroup TILE = ParamTable.read(PodParams.class, "pod-tile.params");

    public static final ParamGroup DIP = ParamTable.read(PodParams.class, "pod-dip.params");

    public static final ParamGroup ETHERNET = ParamTable.read(PodParams.class, "pod-ethernet.params");

    public static final ParamGroup COARSE = ParamTable.read(PodParams.class, "pod-coarse.params");

    public static final ParamGroup COLLECTIVE = ParamTable.read(PodParams.class, "pod-collective.params");

    /**
     * @return a catalog of the kernel, D1 and pod groups alone, for tests and benchmarks that run
     * without the command line (the command line's catalog lists every module's groups)
     */
    public static io.dojosim.core.config.ParamCatalog standaloneCatalog() {
        List<ParamGroup> g = new java.util.ArrayList<>();
        g.add(io.dojosim.core.config.CoreParams.GROUP);
        g.add(io.dojosim.d1.D1Params.NODE);
        g.add(io.dojosim.d1.D1Params.CHIP);
        g.addAll(ALL);
        return new io.dojosim.core.config.ParamCatalog(g);
    }

    /** Every group of this module, in the order {@code dojosim describe} prints them. */
    public static final List<ParamGroup> ALL = List.of(SYSTEM, TRAY, TILE, DIP, ETHERNET, COARSE, COLLECTIVE);
}
