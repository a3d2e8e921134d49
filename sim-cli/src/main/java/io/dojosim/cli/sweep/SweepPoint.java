package io.dojosim.cli.sweep;

import java.util.Map;

/**
 * One point of a sweep.
 *
 * @param index       its position in point order (0-based; the last axis varies fastest)
 * @param id          {@code p<index>-<hash>}: the index zero-padded, then 8 hex digits of a SHA-256 of its
 *                    parameters; it names the point's directory
 * @param params      the axis values of this point, by key in axis order, as the catalog coerced them
 * @param fingerprint a SHA-256 of every resolved parameter (workload and steps are parameters too);
 *                    a stored result with another fingerprint is stale
 */
public record SweepPoint(int index, String id, Map<String, Object> params, String fingerprint) {
    public SweepPoint {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
}
