package io.dojosim.cli.files;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies named components (accessors) of a result record into an ordered JSON object, each under its own
 * name: the writers at the edge declare a block as the list of its field names, in the document's
 * order, instead of one {@code put("x", r.x())} line per field. The list is the schema: a
 * component the list does not name is not written, so a record may grow without changing a
 * document.
 *
 * <p>Caveats: the names are checked when the block is written, not when it is compiled; a name
 * that is not a component of the record is our bug and fails with the record type and the name.
 */
public final class RecordFields {
    private RecordFields() {
    }

    /** @return a new ordered object holding the named components of {@code r}, in the order given */
    public static Map<String, Object> of(Record r, String... components) {
        return put(new LinkedHashMap<>(), r, components);
    }

    /** Puts the named components of {@code r} into {@code m}, in the order given; @return {@code m} */
    public static Map<String, Object> put(Map<String, Object> m, Record r, String... components) {
        for (String name : components) m.put(name, component(r, name));
        return m;
    }

    /** @return the value of {@code r}'s accessor {@code name} (a component, or a public method without arguments) */
    public static Object component(Record r, String name) {
        Method accessor;
        try {
            accessor = r.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(r.getClass().getName() + " has no accessor '" + name + "'", e);
        }
        try {
            accessor.setAccessible(true);
            return accessor.invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read '" + name + "' of " + r.getClass().getName(), e);
        }
    }
}
