package io.dojosim.workload.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dojosim.core.util.Records;
import java.util.List;

/**
 * Writes a record into a JSON object as its components, each under its own name and in
 * declaration order: the writers of workload files and summaries use it for the records whose
 * component names are the document's keys (shapes, per-kind totals, communicator groups).
 *
 * <p>Caveats: components may be int, long, double, String or a list of those; another type is our
 * bug and fails with the record and the component.
 */
final class JsonRecords {
    private JsonRecords() {
    }

    /** Puts every component of {@code r} into {@code m}; @return {@code m} */
    static ObjectNode put(ObjectNode m, Record r) {
        Records.components(r).forEach((k, v) -> {
            if (v instanceof List<?> l) {
                ArrayNode a = m.putArray(k);
                for (Object x : l) a.add(node(m, x, r, k));
            } else {
                m.set(k, node(m, v, r, k));
            }
        });
        return m;
    }

    private static JsonNode node(ObjectNode m, Object v, Record r, String k) {
        if (v instanceof Integer i) return m.numberNode(i);
        if (v instanceof Long l) return m.numberNode(l);
        if (v instanceof Double d) return m.numberNode(d);
        if (v instanceof String s) return m.textNode(s);
        throw new IllegalArgumentException(r.getClass().getName() + "." + k + ": cannot write a " + (v == null ? "null" : v.getClass().getName()));
    }
}
