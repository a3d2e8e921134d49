package io.dojosim.core.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fully resolved configuration of a run: every declared key with its value (defaults, then
 * the config file, then {@code --set}) and where the value came from. Immutable; model builders read
 * it through typed getters and build their parameter records from it.
 */
public final class ResolvedConfig {
    private final ParamCatalog catalog;
    private final Map<String, Object> values;
    private final Map<String, String> origins;

    ResolvedConfig(ParamCatalog catalog, Map<String, Object> values, Map<String, String> origins) {
        this.catalog = catalog;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.origins = Collections.unmodifiableMap(new TreeMap<>(origins));
    }

    public ParamCatalog catalog() {
        return catalog;
    }

    /**
     * @param raw    the raw value (string, number, boolean or list)
     * @param origin where it came from, for example {@code configs/exapod.yaml:12} or {@code --set}
     * @return a copy with the key set
     * @throws ConfigException for an unknown key or a value that is not allowed
     */
    public ResolvedConfig with(String key, Object raw, String origin) {
        ParamDef d = catalog.find(key);
        if (d == null) {
            throw new ConfigException(origin + ": unknown key '" + key + "'" + suggestion(key));
        }
        Object v;
        try {
            v = d.coerce(raw);
        } catch (ConfigException e) {
            throw new ConfigException(origin + ": " + e.getMessage(), e);
        }
        Map<String, Object> nv = new TreeMap<>(values);
        Map<String, String> no = new TreeMap<>(origins);
        nv.put(key, v);
        no.put(key, origin);
        return new ResolvedConfig(catalog, nv, no);
    }

    /** @return text naming the keys allowed at the level where {@code key} failed */
    public String suggestion(String key) {
        String prefix = key;
        while (true) {
            int dot = prefix.lastIndexOf('.');
            prefix = dot < 0 ? "" : prefix.substring(0, dot);
            if (prefix.isEmpty() || catalog.isPrefix(prefix)) {
                break;
            }
        }
        List<String> kids = catalog.childrenOf(prefix);
        return "; allowed " + (prefix.isEmpty() ? "at the top level" : "under '" + prefix + "'") + ": " + String.join(", ", kids);
    }

    private Object req(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalStateException("no such parameter declared: " + key);
        }
        return values.get(key);
    }

    public int getInt(String key) {
        return (Integer) req(key);
    }

    public long getLong(String key) {
        return (Long) req(key);
    }

    public double getDouble(String key) {
        return (Double) req(key);
    }

    public boolean getBool(String key) {
        return (Boolean) req(key);
    }

    public String getString(String key) {
        return (String) req(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> getStringList(String key) {
        return (List<String>) req(key);
    }

    /** @return every key and value, sorted by key */
    public Map<String, Object> values() {
        return values;
    }

    /** @return where each value came from: {@code default}, a file and line, or {@code --set} */
    public Map<String, String> origins() {
        return origins;
    }
}
