package io.dojosim.cli.files;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Checked views of a JSON tree read back from a file (summary.json, a sweep's records, a
 * baseline): each object a {@code Map<String, Object>} in the file's order, each array a list.
 * Readers of the documents the command line wrote use these instead of unchecked casts.
 *
 * <p>Caveats: {@link #object} and {@link #list} copy one level (a shallow copy, cheap for the
 * documents dojosim writes); a value of another type gives an empty map or list.
 */
public final class JsonTree {
    private JsonTree() {
    }

    /** @return the object's members in order, with string keys, or an empty map when {@code o} is not an object */
    public static Map<String, Object> object(Object o) {
        if (!(o instanceof Map<?, ?> m)) return Collections.emptyMap();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }

    /** @return the array's elements, or an empty list when {@code o} is not an array */
    public static List<Object> list(Object o) {
        if (!(o instanceof List<?> l)) return Collections.emptyList();
        return new ArrayList<>(l);
    }

    /** @return the number's value, or {@code fallback} when {@code o} is not a number */
    public static double number(Object o, double fallback) {
        return o instanceof Number n ? n.doubleValue() : fallback;
    }

    /**
     * Visits the leaves of a JSON tree depth first, in the file's order: an object's member under
     * {@code path.key}, an array's element under {@code path[i]}.
     *
     * @param skip subtrees (or leaves) whose path it accepts are not visited
     * @param leaf called with the path and value of each leaf (a number, string, boolean or null)
     */
    public static void forEachLeaf(String path, Object v, Predicate<String> skip, BiConsumer<String, Object> leaf) {
        if (skip.test(path)) return;
        if (v instanceof Map) {
            for (Map.Entry<String, Object> e : object(v).entrySet()) {
                forEachLeaf(path + "." + e.getKey(), e.getValue(), skip, leaf);
            }
        } else if (v instanceof List) {
            List<Object> l = list(v);
            for (int i = 0; i < l.size(); i++) {
                forEachLeaf(path + "[" + i + "]", l.get(i), skip, leaf);
            }
        } else {
            leaf.accept(path, v);
        }
    }
}
