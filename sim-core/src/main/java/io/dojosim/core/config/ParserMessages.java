package io.dojosim.core.config;

import java.util.regex.Pattern;

/**
 * A parser's message in the project's words: its first line, without Java class names and without
 * advice about parser features a user cannot set (issue 17, case 16: "enable
 * JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS").
 */
public final class ParserMessages {
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:java|javax|com|org|sun|jdk)\\.[\\w.$]+(?:Exception|Error)\\b:?\\s*");
    private static final Pattern FEATURE_ADVICE = Pattern.compile("(?i)\\s*[:;,]?\\s*\\(?\\s*(?:to allow|enable|disable|set)\\b[^\\n]*?(?:Feature|feature)\\b.*$");
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\s*\\(?(?:start marker )?at \\[Source:.*$");
    private static final Pattern CODE_QUOTES = Pattern.compile("`([^`]*)`");

    private ParserMessages() {
    }

    /** @return the message cleaned for a user */
    public static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "malformed input";
        }
        String m = message.split("\\R", 2)[0];
        m = SOURCE_LOCATION.matcher(m).replaceAll("");
        m = FEATURE_ADVICE.matcher(m).replaceAll("");
        m = CLASS_NAME.matcher(m).replaceAll("");
        m = CODE_QUOTES.matcher(m).replaceAll("'$1'");
        m = m.strip();
        return m.isEmpty() ? "malformed input" : m;
    }
}
