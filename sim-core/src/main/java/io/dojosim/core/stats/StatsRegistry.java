package io.dojosim.core.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * All statistics of a run, by hierarchical name ({@code pod.tile[3].chip[2,4].router.flitsRouted}).
 * Names are unique; declaring one twice is a bug. {@link #resetAll} ends a warm-up;
 * {@link #snapshot} returns a tree, sorted by name, for output writers.
 */
public final class StatsRegistry {
    private final Map<String, Stat> stats = new TreeMap<>();

    private <T extends Stat> T add(T s) {
        if (stats.putIfAbsent(s.name(), s) != null) {
            throw new IllegalStateException("statistic declared twice: " + s.name());
        }
        return s;
    }

    public Counter counter(String name, Unit unit, String description) {
        return add(new Counter(name, unit, description));
    }

    public Distribution distribution(String name, Unit unit, String description) {
        return add(new Distribution(name, unit, description));
    }

    /** A utilization whose window opens at time 0. */
    public Utilization utilization(String name, String description) {
        return utilization(name, description, 0);
    }

    /** A utilization whose window opens at {@code nowPs} (a component created during the run). */
    public Utilization utilization(String name, String description, long nowPs) {
        return add(new Utilization(name, description, nowPs));
    }

    public Gauge gauge(String name, Unit unit, String description, DoubleSupplier supplier) {
        return add(new Gauge(name, unit, description, supplier));
    }

    /** A counter of declaration {@code d}, named {@code name} (from {@link StatDef#name}). */
    public Counter counter(StatDef d, String name) {
        return counter(d, name, d.description());
    }

    /** As {@link #counter(StatDef, String)}, with the description's placeholders filled ({@link StatDef#describe}). */
    public Counter counter(StatDef d, String name, String description) {
        return counter(name, kind(d, StatDef.Kind.COUNTER), description);
    }

    /** A distribution of declaration {@code d}, named {@code name}. */
    public Distribution distribution(StatDef d, String name) {
        return distribution(name, kind(d, StatDef.Kind.DISTRIBUTION), d.description());
    }

    /** A gauge of declaration {@code d}, named {@code name}, with its description filled. */
    public Gauge gauge(StatDef d, String name, String description, DoubleSupplier supplier) {
        return gauge(name, kind(d, StatDef.Kind.GAUGE), description, supplier);
    }

    /** A gauge of declaration {@code d}, named {@code name}. */
    public Gauge gauge(StatDef d, String name, DoubleSupplier supplier) {
        return gauge(d, name, d.description(), supplier);
    }

    private static Unit kind(StatDef d, StatDef.Kind k) {
        if (d.kind() != k) {
            throw new IllegalStateException("statistic " + d.path() + " is declared a " + d.kind().label() + ", registered as a " + k.label());
        }
        return d.unit();
    }

    /** @return the statistic of that exact name, or null */
    public Stat get(String name) {
        return stats.get(name);
    }

    /** @return every statistic, sorted by name */
    public Collection<Stat> all() {
        return Collections.unmodifiableCollection(stats.values());
    }

    /** Resets every statistic: the end of a warm-up. */
    public void resetAll(long nowPs) {
        for (Stat s : stats.values()) {
            s.reset(nowPs);
        }
    }

    /**
     * @return a tree of nested maps: each dot-separated name part is a level, and each statistic is
     * a leaf map holding {@code unit}, its values and {@code description}
     */
    public Map<String, Object> snapshot(long nowPs) {
        Map<String, Object> root = new TreeMap<>();
        for (Stat s : stats.values()) {
            List<String> parts = split(s.name());
            Map<String, Object> node = root;
            for (int i = 0; i < parts.size() - 1; i++) {
                node = child(node, parts.get(i), s.name());
            }
            Map<String, Object> leaf = new LinkedHashMap<>();
            leaf.put("unit", s.unit().symbol());
            leaf.putAll(s.values(nowPs));
            leaf.put("description", s.description());
            if (node.put(parts.get(parts.size() - 1), leaf) != null) {
                throw new IllegalStateException("statistic name collides with a group: " + s.name());
            }
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> node, String key, String full) {
        Object o = node.computeIfAbsent(key, k -> new TreeMap<String, Object>());
        if (!(o instanceof TreeMap)) {
            throw new IllegalStateException("statistic group collides with a statistic: " + full);
        }
        return (Map<String, Object>) o;
    }

    private static List<String> split(String name) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == '.' && depth == 0) {
                parts.add(name.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(name.substring(start));
        return parts;
    }
}
