package io.dojosim.core.stats;

import java.util.Map;

/**
 * A registry's statistics at one simulated time ({@link StatsRegistry#snapshot(long)}): the tree
 * stats.json holds, each dot-separated name part a level and each statistic a leaf with its
 * {@code unit}, values and {@code description}. Models hand it on unread; the command line writes it.
 *
 * <p>Caveats: the tree is the registry's own nested maps, sorted by name; it is not copied.
 */
public record StatsSnapshot(Map<String, Object> tree) {
    /** @return the snapshot of the registry at {@code nowPs} */
    public static StatsSnapshot of(StatsRegistry stats, long nowPs) {
        return new StatsSnapshot(stats.snapshot(nowPs));
    }
}
