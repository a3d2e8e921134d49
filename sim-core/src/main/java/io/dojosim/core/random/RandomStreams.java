package io.dojosim.core.random;

import java.nio.charset.StandardCharsets;

/**
 * Random streams derived from one run seed: the stream of a component depends only on the seed and
 * the component's path, so adding a component changes no other component's stream.
 */
public final class RandomStreams {
    private final long seed;

    public RandomStreams(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** @return a new stream for the given component path */
    public Rng stream(String path) {
        return new Rng(Rng.mix(seed ^ Rng.mix(fnv1a64(path))));
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
