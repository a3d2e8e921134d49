package io.dojosim.workload.io;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamTable;

/**
 * Parameters of trace import that a run sets ({@code trace.*}); bound into {@link ImportOptions}
 * at the edge (the command line).
 *
 * <p>The declarations are data: the table {@code trace.params} beside this class, read by {@link ParamTable}.
 */
public final class TraceParams {
    private TraceParams() {
    }

    public static final ParamGroup GROUP = ParamTable.read(TraceParams.class, "trace.params");
}
