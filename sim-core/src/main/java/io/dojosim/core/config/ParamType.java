package io.dojosim.core.config;

/** The value types a parameter may have. */
public enum ParamType {
    /** A 32-bit integer. */
    INT,
    /** A 64-bit integer. */
    LONG,
    /** A floating-point number. */
    DOUBLE,
    /** true or false. */
    BOOLEAN,
    /** Free text. */
    STRING,
    /** One of a fixed set of words. */
    ENUM,
    /** A list of strings (for example disabled sites as {@code "x,y"}). */
    STRING_LIST,
    /** A byte count, written as a number or with a unit: {@code 1.25MB}, {@code 32GiB}. */
    BYTES
}
