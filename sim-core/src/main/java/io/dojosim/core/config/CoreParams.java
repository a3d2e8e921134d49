package io.dojosim.core.config;

/**
 * Parameters of the simulation kernel itself.
 *
 * <p>The declarations are data: the table {@code sim.params} beside this class, read by {@link ParamTable}.
 */
public final class CoreParams {
    private CoreParams() {
    }

    public static final ParamGroup GROUP = ParamTable.read(CoreParams.class, "sim.params");
}
