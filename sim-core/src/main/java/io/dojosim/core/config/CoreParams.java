package io.dojosim.core.config;

import java.util.List;

/** Parameters of the simulation kernel itself. */
public final class CoreParams {
    private CoreParams() {
    }

    public static final ParamGroup GROUP = ParamGroup.builder("sim", "simulation kernel: seed, event set, clocks", "docs/architecture.md")
            .longParam("seed", 1, 0, Long.MAX_VALUE, "", ParamSource.simulator("docs/architecture.md#determinism"),
                    "root seed; every component's random stream is derived from it and the component path")
            .enumParam("eventSet", "wheel", List.of("wheel", "linkedwheel", "heap4"), ParamSource.simulator("docs/adr/0002-pending-event-set.md"),
                    "pending-event set of the kernel: chunked timing wheel with overflow heap (wheel), linked timing wheel, or a 4-ary heap")
            .boolParam("idleSkipping", true, ParamSource.simulator("docs/architecture.md#clocks"),
                    "idle components leave their clock; off ticks every member every cycle (for testing)")
            .build();
}
