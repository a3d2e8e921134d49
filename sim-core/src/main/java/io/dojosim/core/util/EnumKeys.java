package io.dojosim.core.util;

import io.dojosim.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Looks up an enum constant by a key of its own (a config word, a command-line word, a trace
 * format's code): the one loop behind the {@code of}, {@code parse} and {@code fromCode} methods of
 * the model enums.
 *
 * <p>Caveats: a linear scan over the constants given; for parsing at the edge, not for hot paths.
 */
public final class EnumKeys {
    private EnumKeys() {
    }

    /** @return the first of {@code values} whose key equals {@code wanted}, or null when none does */
    public static <E, K> E find(E[] values, Function<E, K> key, K wanted) {
        for (E e : values) {
            if (Objects.equals(key.apply(e), wanted)) return e;
        }
        return null;
    }

    /** @return the constant's name in lower case, its word on the command line and in configs */
    public static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param what what the word was given for, first in the message (a flag such as {@code --kernel})
     * @return the constant of {@code type} whose {@link #word} is {@code s}
     * @throws ConfigException naming {@code what}, the word and the allowed words
     */
    public static <E extends Enum<E>> E parseWord(Class<E> type, String s, String what) {
        E e = find(type.getEnumConstants(), EnumKeys::word, s);
        if (e != null) return e;
        List<String> allowed = new ArrayList<>();
        for (E c : type.getEnumConstants()) allowed.add(word(c));
        throw new ConfigException(what + " '" + s + "' is not known; allowed: " + String.join(", ", allowed));
    }

    /** An enum whose word (on the command line, in configs and in results) is its lower-case name. */
    public interface Worded {
        /** @return the constant's word, {@link EnumKeys#word} */
        default String key() {
            return word((Enum<?>) this);
        }
    }
}
