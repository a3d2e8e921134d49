package io.dojosim.core.util;

import java.util.Arrays;

/**
 * A growable list of {@code int}s on one array that doubles when full; reused through
 * {@link #clear()}, it allocates nothing once it has reached its peak size (ADR 0077). Hot paths
 * that keep a route or a work list use it instead of boxed collections.
 *
 * <p>Caveats: {@link #get} does not check the index against {@link #size()} beyond the array's
 * own bounds check, for speed.
 */
public final class IntList {
    private int[] a;
    private int n;

    /** An empty list with room for 16. */
    public IntList() {
        this(16);
    }

    /** An empty list with room for {@code capacity} (at least 1). */
    public IntList(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("int list capacity must be >= 1, got " + capacity);
        }
        a = new int[capacity];
    }

    /** Appends {@code v}. */
    public void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    /** @return the value at {@code i} */
    public int get(int i) {
        return a[i];
    }

    public int size() {
        return n;
    }

    /** Empties the list, keeping its array. */
    public void clear() {
        n = 0;
    }

    /** @return a new array holding the values, in order */
    public int[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
