package io.dojosim.workload.io;

import com.fasterxml.jackson.core.JsonToken;
import io.dojosim.core.config.ConfigException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Strict binding of a {@link Tree} to values: every error names the file, line, key path, the
 * value found and what is allowed. {@link Obj#finish()} rejects keys that were not read.
 */
final class Binder {
    private final String file;

    Binder(String file) {
        this.file = file;
    }

    ConfigException error(Tree.Node at, String path, String message) {
        return new ConfigException(file + ":" + at.line() + ":" + at.column() + ": at '" + path + "': " + message);
    }

    static String describe(Tree.Node n) {
        if (n instanceof Tree.MapNode) {
            return "a mapping";
        }
        if (n instanceof Tree.ListNode) {
            return "a list";
        }
        Tree.Scalar s = (Tree.Scalar) n;
        return switch (s.token()) {
            case VALUE_STRING -> "the string \"" + s.text() + "\"";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + s.text();
            default -> "the number " + s.text();
        };
    }

    Obj obj(Tree.Node n, String path) {
        if (!(n instanceof Tree.MapNode m)) {
            throw error(n, path, "found " + describe(n) + "; expected a mapping of keys to values");
        }
        return new Obj(m, path);
    }

    List<Tree.Node> list(Tree.Node n, String path) {
        if (!(n instanceof Tree.ListNode l)) {
            throw error(n, path, "found " + describe(n) + "; expected a list");
        }
        return l.items();
    }

    long asLong(Tree.Node n, String path, long min) {
        if (n instanceof Tree.Scalar s && s.token() == JsonToken.VALUE_NUMBER_INT) {
            String t = s.text();
            if (t.length() < 18) {
                long v = Long.parseLong(t);
                if (v >= min) {
                    return v;
                }
            } else {
                BigInteger v = new BigInteger(t);
                if (v.bitLength() < 64 && v.longValue() >= min) {
                    return v.longValue();
                }
            }
            throw error(n, path, "value " + s.text() + " is out of range; allowed: an integer from " + min
                    + " to " + Long.MAX_VALUE);
        }
        throw error(n, path, "found " + describe(n) + "; expected an integer >= " + min);
    }

    int asInt(Tree.Node n, String path, int min) {
        long v = asLong(n, path, min);
        if (v > Integer.MAX_VALUE) {
            throw error(n, path, "value " + v + " is out of range; allowed: an integer from " + min + " to "
                    + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    String asString(Tree.Node n, String path) {
        if (n instanceof Tree.Scalar s && s.token() == JsonToken.VALUE_STRING) {
            return s.text();
        }
        throw error(n, path, "found " + describe(n) + "; expected a string");
    }

    boolean asBool(Tree.Node n, String path) {
        if (n instanceof Tree.Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
            return s.token() == JsonToken.VALUE_TRUE;
        }
        throw error(n, path, "found " + describe(n) + "; expected true or false");
    }

    <E extends Enum<E>> E asEnum(Tree.Node n, String path, Class<E> type) {
        if (n instanceof Tree.Scalar s && s.token() == JsonToken.VALUE_STRING) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s.text())) {
                    return e;
                }
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw error(n, path, "found " + describe(n) + "; allowed: " + allowed);
    }

    /** A mapping being bound: remembers which keys were read. */
    final class Obj {
        final Tree.MapNode node;
        final String path;
        private final Set<String> used = new HashSet<>();

        Obj(Tree.MapNode node, String path) {
            this.node = node;
            this.path = path;
        }

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        boolean has(String key) {
            return node.entries().containsKey(key);
        }

        Tree.Node req(String key) {
            used.add(key);
            Tree.Node n = node.entries().get(key);
            if (n == null) {
                throw Binder.this.error(node, at(key), "required key '" + key + "' is missing");
            }
            return n;
        }

        Tree.Node opt(String key) {
            used.add(key);
            return node.entries().get(key);
        }

        long reqLong(String key, long min) {
            return asLong(req(key), at(key), min);
        }

        long optLong(String key, long min, long def) {
            Tree.Node n = opt(key);
            return n == null ? def : asLong(n, at(key), min);
        }

        int reqInt(String key, int min) {
            return asInt(req(key), at(key), min);
        }

        int optInt(String key, int min, int def) {
            Tree.Node n = opt(key);
            return n == null ? def : asInt(n, at(key), min);
        }

        String reqString(String key) {
            return asString(req(key), at(key));
        }

        String optString(String key, String def) {
            Tree.Node n = opt(key);
            return n == null ? def : asString(n, at(key));
        }

        boolean optBool(String key, boolean def) {
            Tree.Node n = opt(key);
            return n == null ? def : asBool(n, at(key));
        }

        <E extends Enum<E>> E reqEnum(String key, Class<E> type) {
            return asEnum(req(key), at(key), type);
        }

        <E extends Enum<E>> E optEnum(String key, Class<E> type, E def) {
            Tree.Node n = opt(key);
            return n == null ? def : asEnum(n, at(key), type);
        }

        List<Long> optLongList(String key, long min) {
            Tree.Node n = opt(key);
            List<Long> out = new ArrayList<>();
            if (n != null) {
                List<Tree.Node> items = list(n, at(key));
                for (int i = 0; i < items.size(); i++) {
                    out.add(asLong(items.get(i), at(key) + "[" + i + "]", min));
                }
            }
            return out;
        }

        /** Throws on the first key that was not read, listing the allowed keys. */
        void finish(String... allowed) {
            for (String k : node.entries().keySet()) {
                if (!used.contains(k)) {
                    int[] pos = node.keyPositions().get(k);
                    throw new ConfigException(file + ":" + pos[0] + ":" + pos[1] + ": at '" + at(k)
                            + "': unknown key '" + k + "'; allowed here: " + String.join(", ", allowed));
                }
            }
        }

        /** Error at this mapping. */
        ConfigException error(String message) {
            return Binder.this.error(node, path.isEmpty() ? "(top level)" : path, message);
        }
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
