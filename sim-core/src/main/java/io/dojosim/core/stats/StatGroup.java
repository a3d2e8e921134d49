package io.dojosim.core.stats;

import java.util.List;

/**
 * The statistics one model declares, in the order its registration code writes them; the unit
 * {@code dojosim describe --stats} prints under one heading.
 *
 * @param model       the model's class name, e.g. {@code D1Node}
 * @param description one line: what the model is and where its statistics appear in a run
 * @param stats       its declarations
 */
public record StatGroup(String model, String description, List<StatDef> stats) {
    public StatGroup {
        stats = List.copyOf(stats);
    }

    /** @return the declaration whose path is exactly {@code path} */
    public StatDef get(String path) {
        for (StatDef d : stats) {
            if (d.path().equals(path)) return d;
        }
        throw new IllegalArgumentException(model + " declares no statistic " + path);
    }
}
