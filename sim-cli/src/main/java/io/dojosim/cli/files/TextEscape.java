package io.dojosim.cli.files;

import java.util.function.IntFunction;

/**
 * Escaping of text written into the formats dojosim writes by hand: JSON strings (Chrome traces)
 * and XML or HTML attributes and text (JUnit XML, reports). One loop; each format is a function from
 * a character to its replacement.
 *
 * <p>Caveats: a character the function maps to null is written as it is; only characters below
 * U+0080 are looked at specially by the formats here.
 */
public final class TextEscape {
    private TextEscape() {
    }

    /** JSON string escapes (RFC 8259): quote, backslash, and every control character. */
    public static final IntFunction<String> JSON = c -> switch (c) {
        case '"' -> "\\\"";
        case '\\' -> "\\\\";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> c < 0x20 ? String.format("\\u%04x", c) : null;
    };

    /**
     * XML attribute escapes: markup characters as entities, a new line as {@code &#10;}, and other
     * control characters but tab (not allowed in XML 1.0) as a space.
     */
    public static final IntFunction<String> XML = c -> switch (c) {
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '&' -> "&amp;";
        case '"' -> "&quot;";
        case '\n' -> "&#10;";
        default -> c < 0x20 && c != '\t' ? " " : null;
    };

    /** HTML text and attribute escapes: the four markup characters; everything else as it is. */
    public static final IntFunction<String> HTML = c -> switch (c) {
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '&' -> "&amp;";
        case '"' -> "&quot;";
        default -> null;
    };

    /** Appends {@code s} to {@code sb} with each character {@code format} replaces replaced. */
    public static StringBuilder append(StringBuilder sb, String s, IntFunction<String> format) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = format.apply(c);
            if (r == null) {
                sb.append(c);
            } else {
                sb.append(r);
            }
        }
        return sb;
    }

    /** @return {@code s} escaped for {@code format} */
    public static String escape(String s, IntFunction<String> format) {
        return append(new StringBuilder(s.length() + 8), s, format).toString();
    }
}
