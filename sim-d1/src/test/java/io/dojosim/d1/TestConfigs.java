package io.dojosim.d1;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import java.util.List;

/** Default configs for tests. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static ResolvedConfig defaults() {
        return new ParamCatalog(List.of(io.dojosim.core.config.CoreParams.GROUP, io.dojosim.noc.NocParams.GROUP, D1Params.NODE, D1Params.CHIP)).defaults();
    }

    public static NodeParams node() {
        return io.dojosim.d1.bind.D1Binding.node(defaults());
    }
}
