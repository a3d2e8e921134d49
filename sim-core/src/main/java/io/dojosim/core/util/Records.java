package io.dojosim.core.util;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies of immutable records with some components replaced: the one generic "wither" behind
 * the {@code withX(...)} methods of parameter and result records, so that a record with twenty
 * components does not repeat its canonical constructor call once per wither. The copy goes through
 * the canonical constructor, so the record's invariants are checked again.
 *
 * <p>Caveats: reflective, for configuration and result records (a handful of copies per run), not
 * for hot paths; a component name or value type the record does not have is our bug and fails with
 * {@link IllegalArgumentException} naming the record and the component.
 */
public final class Records {
    private Records() {
    }

    /**
     * @param namesAndValues component name, new value, name, value, ...
     * @return a copy of {@code r} with those components replaced
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R r, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("with() needs name, value pairs");
        RecordComponent[] cs = r.getClass().getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        try {
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                cs[i].getAccessor().setAccessible(true);
                args[i] = cs[i].getAccessor().invoke(r);
            }
            for (int k = 0; k < namesAndValues.length; k += 2) {
                args[index(r, cs, (String) namesAndValues[k])] = namesAndValues[k + 1];
            }
            Constructor<?> c = r.getClass().getDeclaredConstructor(types);
            c.setAccessible(true);
            return (R) c.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re; // the record's own invariant check
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot copy " + r.getClass().getName() + ": " + e, e);
        }
    }

    /** @return the record's components, name to value, in declaration order (for writers that write a record field by field) */
    public static Map<String, Object> components(Record r) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                c.getAccessor().setAccessible(true);
                out.put(c.getName(), c.getAccessor().invoke(r));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot read " + r.getClass().getName() + ": " + e, e);
        }
        return out;
    }

    private static int index(Record r, RecordComponent[] cs, String name) {
        for (int i = 0; i < cs.length; i++) {
            if (cs[i].getName().equals(name)) return i;
        }
        throw new IllegalArgumentException(r.getClass().getName() + " has no component '" + name + "'");
    }
}
