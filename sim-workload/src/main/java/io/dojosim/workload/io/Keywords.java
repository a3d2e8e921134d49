package io.dojosim.workload.io;

import java.util.List;

/**
 * One row of an ordered keyword table, the way trace importers read meaning out of free text (a
 * kernel name, a type string): a value and the words that stand for it. {@link #first} gives the
 * value of the first row one of whose words the text contains, so a longer word goes in a row above
 * a shorter one it contains ("reducescatter" above "reduce").
 *
 * @param value the meaning of the row
 * @param words lower-case substrings, any of which selects the row
 */
record Keywords<T>(T value, String... words) {

    /** @return the value of the first row in {@code rows} with a word that {@code text} contains, else {@code fallback} */
    static <T> T first(String text, List<Keywords<T>> rows, T fallback) {
        for (Keywords<T> row : rows) {
            for (String w : row.words) {
                if (text.contains(w)) return row.value;
            }
        }
        return fallback;
    }
}
