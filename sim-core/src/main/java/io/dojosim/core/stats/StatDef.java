package io.dojosim.core.stats;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The declaration of one statistic a model writes: its path, unit, kind and one line of
 * description. Each model keeps a static list of them (for example {@code D1Node.STATS}) and
 * registers its statistics through them, so the name, unit and text live in one place and
 * {@code dojosim describe --stats} can list what a run writes.
 *
 * <p>Path syntax: the dot-separated parts of {@link StatsRegistry} names, with two placeholders
 * the model fills in when it registers the statistic ({@link #name}):
 * <pre>
 *   &lt;node&gt;             the component path its builder gives (any text, dots included),
 *                      e.g. chip.node[3,4] or node
 *   {x}                one fragment of a part: no '.', '[' or ']', e.g. an index 7,
 *                      a coordinate pair 3,4, a link level mesh, a data type bf16
 *
 *   &lt;node&gt;.thread[{t}].stall.{reason}   -&gt;   chip.node[3,4].thread[0].stall.recv
 * </pre>
 * The description may hold {@code {x}} placeholders too, filled by {@link #describe}. A name
 * that several declarations match belongs to the most specific ({@link #literalLength}).
 *
 * <p>Caveats: declarations are used when a statistic is registered (model construction), never
 * on a hot path; {@link #matches} compiles a pattern on each call and is meant for tests and tools.
 *
 * @param path        the name pattern, as above
 * @param unit        the unit written beside every value
 * @param kind        the statistic's kind (counter, distribution, gauge, utilization)
 * @param description one line; may hold {@code {x}} placeholders
 */
public record StatDef(String path, Unit unit, Kind kind, String description) {

    /** The kinds of statistic {@link StatsRegistry} registers. */
    public enum Kind {
        COUNTER, DISTRIBUTION, GAUGE, UTILIZATION;

        /** @return the lower-case name printed by {@code describe} */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public StatDef {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException("statistic path '" + path + "' must be non-empty dot-separated parts");
        }
        if (description.isBlank() || description.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("statistic " + path + ": the description must be one non-blank line");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '{' || c == '<') {
                char close = c == '{' ? '}' : '>';
                int end = path.indexOf(close, i);
                if (end <= i + 1) {
                    throw new IllegalArgumentException("statistic path '" + path + "': unclosed or empty placeholder at " + i);
                }
                i = end;
            }
        }
    }

    public static StatDef counter(String path, Unit unit, String description) {
        return new StatDef(path, unit, Kind.COUNTER, description);
    }

    public static StatDef distribution(String path, Unit unit, String description) {
        return new StatDef(path, unit, Kind.DISTRIBUTION, description);
    }

    public static StatDef gauge(String path, Unit unit, String description) {
        return new StatDef(path, unit, Kind.GAUGE, description);
    }

    /** @return the number of placeholders in the path */
    public int placeholders() {
        return count(path);
    }

    /**
     * @param values one value per placeholder of the path, in order
     * @return the statistic's full name
     */
    public String name(String... values) {
        return fill(path, values, "path");
    }

    /**
     * @param values one value per {@code {x}} placeholder of the description, in order
     * @return the description with its placeholders filled
     */
    public String describe(String... values) {
        return fill(description, values, "description");
    }

    /**
     * @return the number of path characters outside placeholders: when several declarations match
     * a name ({@code <mesh>.messageLatencyPs} and {@code run.replica[{r}].messageLatencyPs} both
     * match {@code run.replica[0].messageLatencyPs}), the name belongs to the one with the most
     */
    public int literalLength() {
        int n = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '{' || c == '<') {
                i = path.indexOf(c == '{' ? '}' : '>', i);
            } else {
                n++;
            }
        }
        return n;
    }

    /** @return true when {@code fullName} is an instance of this declaration's path */
    public boolean matches(String fullName) {
        StringBuilder re = new StringBuilder();
        int lit = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '{' || c == '<') {
                if (i > lit) re.append(Pattern.quote(path.substring(lit, i)));
                re.append(c == '{' ? "[^.\\[\\]]+" : ".+");
                i = path.indexOf(c == '{' ? '}' : '>', i);
                lit = i + 1;
            }
        }
        if (lit < path.length()) re.append(Pattern.quote(path.substring(lit)));
        return Pattern.matches(re.toString(), fullName);
    }

    private String fill(String text, String[] values, String what) {
        int expected = count(text);
        if (values.length != expected) {
            throw new IllegalArgumentException("statistic " + path + ": the " + what + " has " + expected
                    + " placeholders, given " + values.length + " values");
        }
        if (expected == 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        int v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '<') {
                int end = text.indexOf(c == '{' ? '}' : '>', i);
                if (end > i + 1) {
                    b.append(values[v++]);
                    i = end;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Counts {@code {x}} and {@code <x>} placeholders (a lone brace or angle is text). */
    private static int count(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '<') {
                int end = text.indexOf(c == '{' ? '}' : '>', i);
                if (end > i + 1) {
                    n++;
                    i = end;
                }
            }
        }
        return n;
    }
}
