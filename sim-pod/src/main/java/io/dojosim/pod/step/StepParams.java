package io.dojosim.pod.step;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamTable;

/**
 * Parameters of {@code dojosim run}: the workload, the mapping and the executor.
 *
 * <p>The declarations are data: the table {@code run.params} beside this class, read by {@link ParamTable}.
 */
public final class StepParams {
    private StepParams() {
    }

    public static final ParamGroup GROUP = ParamTable.read(StepParams.class, "run.params");
}
