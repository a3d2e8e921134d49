package io.dojosim.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One declared parameter: its full key ({@code d1.node.sramBytes}), type, default, unit, allowed
 * range or words, the source of the default and one line of description. {@link #coerce} turns a
 * raw value from a file or the command line into the canonical Java type, or explains what is
 * allowed.
 *
 * <p>Canonical types: INT {@code Integer}, LONG and BYTES {@code Long}, DOUBLE {@code Double},
 * BOOLEAN {@code Boolean}, STRING and ENUM {@code String}, STRING_LIST {@code List<String>}.
 */
public record ParamDef(String key, ParamType type, Object defaultValue, String unit, double min, double max,
                       List<String> allowed, ParamSource source, String description) {

    public ParamDef {
        Check.require(key != null && key.matches("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*"), "bad parameter key: " + key);
        Check.require(type != null && source != null && description != null, "parameter " + key + " is incomplete");
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
        unit = unit == null ? "" : unit;
        Check.require(type != ParamType.ENUM || !allowed.isEmpty(), "enum parameter " + key + " needs allowed words");
        if (defaultValue != null) {
            defaultValue = coerceChecked(key, type, defaultValue, min, max, allowed);
        }
    }

    /**
     * @return the value in its canonical type
     * @throws ConfigException naming the key, the value and what is allowed
     */
    public Object coerce(Object raw) {
        return coerceChecked(key, type, raw, min, max, allowed);
    }

    /** @return a sentence saying what values are allowed */
    public String allowedText() {
        return allowedText(type, min, max, allowed);
    }

    private static String allowedText(ParamType type, double min, double max, List<String> allowed) {
        switch (type) {
            case ENUM:
                return "one of " + String.join(", ", allowed);
            case BOOLEAN:
                return "true or false";
            case STRING:
                return "a string";
            case STRING_LIST:
                return "a list of strings";
            case BYTES:
                return "a byte count in [" + fmt(min) + ", " + fmt(max) + "], a number or with a unit (B, KB, MB, GB, KiB, MiB, GiB)";
            case INT:
            case LONG:
                return "an integer in [" + fmt(min) + ", " + fmt(max) + "]";
            default:
                return "a number in [" + fmt(min) + ", " + fmt(max) + "]";
        }
    }

    private static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e18) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%g", d);
    }

    private static ConfigException bad(String key, Object raw, ParamType type, double min, double max, List<String> allowed) {
        return new ConfigException("key '" + key + "': value '" + raw + "' is not allowed; expected "
                + allowedText(type, min, max, allowed));
    }

    private static Object coerceChecked(String key, ParamType type, Object raw, double min, double max, List<String> allowed) {
        if (raw == null) {
            throw bad(key, "null", type, min, max, allowed);
        }
        switch (type) {
            case BOOLEAN: {
                if (raw instanceof Boolean) return raw;
                if (raw instanceof String) {
                    String s = ((String) raw).trim();
                    if (s.equals("true")) return Boolean.TRUE;
                    if (s.equals("false")) return Boolean.FALSE;
                }
                throw bad(key, raw, type, min, max, allowed);
            }
            case STRING:
                if (raw instanceof String) return raw;
                if (raw instanceof Number || raw instanceof Boolean) return raw.toString();
                throw bad(key, raw, type, min, max, allowed);
            case ENUM: {
                String s = raw.toString().trim();
                if (allowed.contains(s)) return s;
                throw bad(key, raw, type, min, max, allowed);
            }
            case STRING_LIST: {
                if (raw instanceof List) {
                    List<String> out = new ArrayList<>();
                    for (Object o : (List<?>) raw) {
                        if (o instanceof List || o instanceof java.util.Map || o == null) throw bad(key, raw, type, min, max, allowed);
                        out.add(o.toString());
                    }
                    return List.copyOf(out);
                }
                if (raw instanceof String) {
                    String s = ((String) raw).trim();
                    if (s.isEmpty() || s.equals("[]")) return List.of();
                    if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
                    List<String> out = new ArrayList<>();
                    for (String part : s.split(";")) {
                        if (!part.isBlank()) out.add(part.trim());
                    }
                    return List.copyOf(out);
                }
                throw bad(key, raw, type, min, max, allowed);
            }
            case BYTES: {
                long v;
                if (raw instanceof Number && (raw instanceof Integer || raw instanceof Long)) {
                    v = ((Number) raw).longValue();
                } else if (raw instanceof Number) {
                    double d = ((Number) raw).doubleValue();
                    if (d != Math.rint(d)) throw bad(key, raw, type, min, max, allowed);
                    v = (long) d;
                } else if (raw instanceof String) {
                    Long parsed = Sizes.parseBytesOrNull((String) raw);
                    if (parsed == null) throw bad(key, raw, type, min, max, allowed);
                    v = parsed;
                } else {
                    throw bad(key, raw, type, min, max, allowed);
                }
                if (v < min || v > max) throw bad(key, raw, type, min, max, allowed);
                return v;
            }
            case INT:
            case LONG: {
                long v;
                if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
                    v = ((Number) raw).longValue();
                } else if (raw instanceof java.math.BigInteger) {
                    throw bad(key, raw, type, min, max, allowed);
                } else if (raw instanceof String) {
                    v = parseInteger((String) raw, () -> bad(key, raw, type, min, max, allowed));
                } else if (raw instanceof Number) {
                    double d = ((Number) raw).doubleValue();
                    if (d != Math.rint(d) || Math.abs(d) > 9e18) throw bad(key, raw, type, min, max, allowed);
                    v = (long) d;
                } else {
                    throw bad(key, raw, type, min, max, allowed);
                }
                if (v < min || v > max) throw bad(key, raw, type, min, max, allowed);
                if (type == ParamType.INT) {
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw bad(key, raw, type, min, max, allowed);
                    return (int) v;
                }
                return v;
            }
            case DOUBLE: {
                double v;
                if (raw instanceof Number) {
                    v = ((Number) raw).doubleValue();
                } else if (raw instanceof String) {
                    try {
                        v = Double.parseDouble(((String) raw).trim());
                    } catch (NumberFormatException e) {
                        throw bad(key, raw, type, min, max, allowed);
                    }
                } else {
                    throw bad(key, raw, type, min, max, allowed);
                }
                if (Double.isNaN(v) || v < min || v > max) throw bad(key, raw, type, min, max, allowed);
                return v;
            }
            default:
                throw new IllegalStateException("unhandled type " + type);
        }
    }

    /**
     * Reads an integer written as a YAML file may write it: digits with optional underscores, or a
     * decimal or exponent form of an integer value ({@code 2.5e9}, {@code 1.0E3}), so that
     * {@code --set} accepts the same numbers as a file.
     */
    static long parseInteger(String text, java.util.function.Supplier<ConfigException> bad) {
        String t = text.trim().replace("_", "");
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            // perhaps 2.5e9
        }
        if (t.length() > 64 || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,3})?")) {
            throw bad.get();
        }
        try {
            return new java.math.BigDecimal(t).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw bad.get();
        }
    }
}
