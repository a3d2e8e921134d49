package io.dojosim.pod.defect;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamTable;

/**
 * Declared rates of the defects {@code dojosim montecarlo} draws ({@code pod.defects}): dead chips
 * per tile, the share of slow chips and their slowdown, dead nodes per chip beyond the harvested ones. None is published; the defaults are
 * assumptions argued in docs/model/energy.md#monte-carlo. {@code dojosim run} ignores them.
 *
 * <p>The declarations are data: the table {@code pod-defects.params} beside this class, read by {@link ParamTable}.
 */
public final class DefectParams {
    private DefectParams() {
    }

    public static final ParamGroup GROUP = ParamTable.read(DefectParams.class, "pod-defects.params");
}
