package io.dojosim.core.config;

import java.util.Locale;

/** Parses byte sizes such as {@code 1MiB}, {@code 1.25MB}, {@code 32 GB} or {@code 4096}. */
public final class Sizes {
    private Sizes() {
    }

    /** @return the byte count, or null when the text is not a size */
    public static Long parseBytesOrNull(String text) {
        String s = text.trim().replace("_", "");
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        double number;
        try {
            number = Double.parseDouble(s.substring(0, i));
        } catch (NumberFormatException e) {
            return null;
        }
        String unit = s.substring(i).trim().toUpperCase(Locale.ROOT);
        double mult;
        switch (unit) {
            case "": case "B": mult = 1; break;
            case "K": case "KB": mult = 1e3; break;
            case "M": case "MB": mult = 1e6; break;
            case "G": case "GB": mult = 1e9; break;
            case "T": case "TB": mult = 1e12; break;
            case "KIB": mult = 1024.0; break;
            case "MIB": mult = 1024.0 * 1024; break;
            case "GIB": mult = 1024.0 * 1024 * 1024; break;
            case "TIB": mult = 1024.0 * 1024 * 1024 * 1024; break;
            default: return null;
        }
        double bytes = number * mult;
        if (bytes != Math.rint(bytes) || bytes > 9e18) {
            return null;
        }
        return (long) bytes;
    }

    /** @throws ConfigException when the text is not a size */
    public static long parseBytes(String what, String text) {
        Long v = parseBytesOrNull(text);
        if (v == null) {
            throw new ConfigException(what + ": '" + text + "' is not a byte size; write a number or a number with B, KB, MB, GB, TB, KiB, MiB, GiB or TiB");
        }
        return v;
    }
}
