package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;

/**
 * Cross-parameter checks that no single parameter can make. They run where the config is bound
 * into the system spec ({@link io.dojosim.pod.bind.SpecBinder}; the harvested sites in
 * {@link io.dojosim.d1.bind.D1Binding#chip}), each raising one
 * {@link io.dojosim.core.config.ConfigException} naming the keys in conflict and what would be allowed.
 */
final class SystemChecks {
    private SystemChecks() {
    }

    /** Binds the config once and drops the result: every check the binders make. */
    static void check(ResolvedConfig c) {
        bind(c);
    }

    /**
     * @return the system the config describes, bound once, after the admission check of its size
     * against the heap ({@link io.dojosim.pod.PodAdmission})
     */
    static io.dojosim.pod.spec.SystemSpec bind(ResolvedConfig c) {
        io.dojosim.pod.spec.SystemSpec s = io.dojosim.pod.bind.SpecBinder.bind(c);
        io.dojosim.pod.PodAdmission.check(io.dojosim.pod.PodConfig.of(s), Runtime.getRuntime().maxMemory());
        return s;
    }
}
