package io.dojosim.workload.io;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;

/**
 * Parameters of trace import that a run sets ({@code trace.*}); bound into {@link ImportOptions}
 * at the edge (the command line).
 */
public final class TraceParams {
    private TraceParams() {
    }

    public static final ParamGroup GROUP = ParamGroup.builder("trace",
                    "imported traces: how the time of operations that are not re-costed is obtained",
                    "docs/workload-format.md")
            .doubleParam("replayScale", 1.0, 0.0, 1_000_000.0, "ratio",
                    ParamSource.simulator("docs/workload-format.md#re-costing-by-shape"),
                    "factor on the recorded duration of every trace operation that is replayed rather than re-costed "
                            + "(1: as recorded on the traced machine; 0: replayed operations cost nothing)")
            .build();
}
