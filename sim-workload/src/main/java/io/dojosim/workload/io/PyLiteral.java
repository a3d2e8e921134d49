package io.dojosim.workload.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the list literals PyTorch-derived traces carry in {@code inputs.shapes},
 * {@code inputs.values} and {@code inputs.types}: Python's {@code str(list)} (Chakra's converter)
 * or JSON arrays (PyTorch execution-trace JSON). Lists become {@code List<Object>}, integers
 * {@code Long}, other numbers {@code Double}, quoted text and bare words (None, True, null)
 * {@code String}.
 *
 * <p>Caveats: returns null on anything it does not understand, so a caller treats the node as
 * unrecognised (and replays it) rather than failing the import.
 */
final class PyLiteral {
    private final String s;
    private int i;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** @return the parsed value, or null when {@code text} is not such a literal */
    static Object parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        PyLiteral p = new PyLiteral(text);
        try {
            Object v = p.value();
            p.ws();
            return p.i == p.s.length() ? v : null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** @return the parsed top-level list, or null when {@code text} is not a list */
    @SuppressWarnings("unchecked")
    static List<Object> list(String text) {
        Object v = parse(text);
        return v instanceof List<?> l ? (List<Object>) l : null;
    }

    /** @return the dimensions when {@code v} is a flat list of integers (a tensor shape), else null */
    static long[] dims(Object v) {
        if (!(v instanceof List<?> l)) {
            return null;
        }
        long[] d = new long[l.size()];
        for (int k = 0; k < d.length; k++) {
            if (!(l.get(k) instanceof Long x) || x < 0) {
                return null;
            }
            d[k] = x;
        }
        return d;
    }

    /** @return elements of a shape, or of every shape nested in a list of shapes (tensor lists); -1 when not a shape */
    static long numel(Object v) {
        long[] d = dims(v);
        if (d != null) {
            long n = 1;
            for (long x : d) {
                n = Math.multiplyExact(n, x);
            }
            return n;
        }
        if (v instanceof List<?> l && !l.isEmpty()) {
            long total = 0;
            for (Object e : l) {
                long n = numel(e);
                if (n < 0) {
                    return -1;
                }
                total = Math.addExact(total, n);
            }
            return total;
        }
        return -1;
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private Object value() {
        ws();
        char c = s.charAt(i);
        if (c == '[' || c == '(') {
            char close = c == '[' ? ']' : ')';
            i++;
            List<Object> out = new ArrayList<>();
            ws();
            if (s.charAt(i) == close) {
                i++;
                return out;
            }
            while (true) {
                out.add(value());
                ws();
                char d = s.charAt(i++);
                if (d == close) {
                    return out;
                }
                if (d != ',') {
                    throw new IllegalArgumentException("expected ,");
                }
                ws();
                if (s.charAt(i) == close) { // trailing comma of a Python tuple
                    i++;
                    return out;
                }
            }
        }
        if (c == '\'' || c == '"') {
            int end = i + 1;
            StringBuilder sb = new StringBuilder();
            while (s.charAt(end) != c) {
                if (s.charAt(end) == '\\') {
                    end++;
                }
                sb.append(s.charAt(end++));
            }
            i = end + 1;
            return sb.toString();
        }
        int start = i;
        while (i < s.length() && ",])".indexOf(s.charAt(i)) < 0 && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        String tok = s.substring(start, i);
        if (tok.isEmpty()) {
            throw new IllegalArgumentException("empty token");
        }
        try {
            return Long.parseLong(tok);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(tok);
            } catch (NumberFormatException e2) {
                return tok;
            }
        }
    }
}
