package io.dojosim.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Every parameter group the command line knows, and the lookups strict binding needs. */
public final class ParamCatalog {
    private final List<ParamGroup> groups;
    private final Map<String, ParamDef> byKey = new LinkedHashMap<>();

    public ParamCatalog(List<ParamGroup> groups) {
        this.groups = List.copyOf(groups);
        for (ParamGroup g : groups) {
            for (ParamDef d : g.params()) {
                if (byKey.put(d.key(), d) != null) {
                    throw new IllegalStateException("parameter declared twice: " + d.key());
                }
            }
        }
        for (String k : byKey.keySet()) {
            if (isPrefix(k)) {
                throw new IllegalStateException("parameter key is also a group: " + k);
            }
        }
    }

    public List<ParamGroup> groups() {
        return groups;
    }

    /** @return the definition of the key, or null */
    public ParamDef find(String key) {
        return byKey.get(key);
    }

    /** @return the group of that exact name, or null */
    public ParamGroup group(String name) {
        for (ParamGroup g : groups) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        return null;
    }

    /** @return true when some key starts with {@code prefix + "."} */
    public boolean isPrefix(String prefix) {
        String p = prefix + ".";
        for (String k : byKey.keySet()) {
            if (k.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** @return the names allowed directly under a prefix ("" for the top level), sorted */
    public List<String> childrenOf(String prefix) {
        TreeSet<String> out = new TreeSet<>();
        String p = prefix.isEmpty() ? "" : prefix + ".";
        for (String k : byKey.keySet()) {
            if (k.startsWith(p)) {
                String rest = k.substring(p.length());
                int dot = rest.indexOf('.');
                out.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return new ArrayList<>(out);
    }

    /** @return the config with every default */
    public ResolvedConfig defaults() {
        Map<String, Object> values = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        for (ParamDef d : byKey.values()) {
            values.put(d.key(), d.defaultValue());
            origins.put(d.key(), "default");
        }
        return new ResolvedConfig(this, values, origins);
    }

    public Map<String, ParamDef> all() {
        return Collections.unmodifiableMap(byKey);
    }
}
