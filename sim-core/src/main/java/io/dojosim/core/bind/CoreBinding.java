package io.dojosim.core.bind;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.SimSpec;

/**
 * Binds the {@code sim.*} keys of a resolved config into {@link SimSpec}: the only place they are
 * read. Packages named {@code bind} are each module's edge: the only model-side code that sees a
 * {@link ResolvedConfig} (docs/adr/0082-typed-system-spec.md).
 */
public final class CoreBinding {
    private CoreBinding() {
    }

    /** @return the {@code sim.*} keys as a record (the defaults when the catalog lacks the group) */
    public static SimSpec sim(ResolvedConfig c) {
        if (c.catalog().group("sim") == null) {
            return SimSpec.defaults();
        }
        return new SimSpec(c.getLong("sim.seed"), SimSpec.EventSet.of(c.getString("sim.eventSet")), c.getBool("sim.idleSkipping"));
    }
}
