package io.dojosim.cli.sweep;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks a sweep spec against the parameter catalog and expands it into points, before anything
 * runs: each base override, each axis key and each axis value goes through
 * {@link ResolvedConfig#with}, so a misspelt key or a value out of range fails at once with the
 * spec's file and line (exit 2); then every point's full config goes through the cross-parameter
 * checks, and a failure names the point and its values.
 */
public final class SweepPlanner {
    private SweepPlanner() {
    }

    /**
     * @param spec       the parsed spec
     * @param afterFile  defaults with the spec's base config file applied
     * @param crossCheck cross-parameter checks for a whole config (throws {@link ConfigException})
     */
    public static SweepPlan plan(SweepSpec spec, ResolvedConfig afterFile, Consumer<ResolvedConfig> crossCheck) {
        return plan(spec, afterFile, crossCheck, SweepPlan.Overlays.NONE);
    }

    /**
     * As {@link #plan(SweepSpec, ResolvedConfig, Consumer)}, reading the files of an
     * {@link SweepSpec#OVERLAY} axis with {@code overlays}; each file is read and checked once here.
     */
    public static SweepPlan plan(SweepSpec spec, ResolvedConfig afterFile, Consumer<ResolvedConfig> crossCheck, SweepPlan.Overlays overlays) {
        ResolvedConfig base = afterFile;
        for (SweepSpec.Assignment a : spec.set()) {
            base = base.with(a.key(), a.raw(), a.origin());
        }
        // Every value of every axis, checked alone against the base: errors point at the value's line.
        List<List<List<Object>>> coerced = new ArrayList<>();
        Map<String, String> origins = new HashMap<>();
        SweepPlan layered = new SweepPlan(spec, base, List.of(), Map.of(), afterFile, overlays);
        for (SweepSpec.Axis axis : spec.axes()) {
            List<List<Object>> rows = new ArrayList<>();
            if (axis.isOverlay()) {
                for (List<Object> row : axis.rows()) {
                    try {
                        layered.baseWith(row.get(0)); // reads and checks the file: errors name its line
                    } catch (ConfigException e) {
                        throw new ConfigException(axis.origins().get(0) + ": overlay '" + row.get(0) + "': " + e.getMessage(), e);
                    }
                    rows.add(row);
                }
                coerced.add(rows);
                origins.put(SweepSpec.OVERLAY, axis.origins().get(0));
                continue;
            }
            for (List<Object> row : axis.rows()) {
                List<Object> out = new ArrayList<>();
                for (int k = 0; k < axis.keys().size(); k++) {
                    String key = axis.keys().get(k);
                    ResolvedConfig one = base.with(key, row.get(k), axis.origins().get(k));
                    out.add(one.values().get(key));
                }
                rows.add(out);
            }
            coerced.add(rows);
            for (int k = 0; k < axis.keys().size(); k++) {
                origins.put(axis.keys().get(k), axis.origins().get(k));
            }
        }
        int n = (int) spec.pointCount();
        int width = Math.max(4, Integer.toString(Math.max(0, n - 1)).length());
        List<SweepPoint> points = new ArrayList<>(n);
        SweepPlan probe = new SweepPlan(spec, base, List.of(), origins, afterFile, overlays);
        for (int i = 0; i < n; i++) {
            Map<String, Object> params = new LinkedHashMap<>();
            int rest = i;
            int[] pos = new int[spec.axes().size()];
            for (int a = spec.axes().size() - 1; a >= 0; a--) {
                int size = spec.axes().get(a).size();
                pos[a] = rest % size;
                rest /= size;
            }
            for (int a = 0; a < spec.axes().size(); a++) {
                SweepSpec.Axis axis = spec.axes().get(a);
                for (int k = 0; k < axis.keys().size(); k++) {
                    params.put(axis.keys().get(k), coerced.get(a).get(pos[a]).get(k));
                }
            }
            String id = "p" + String.format("%0" + width + "d", i) + "-" + sha256(paramsText(params)).substring(0, 8);
            SweepPoint provisional = new SweepPoint(i, id, params, "");
            ResolvedConfig c = probe.configOf(provisional);
            try {
                crossCheck.accept(c);
            } catch (ConfigException e) {
                throw new ConfigException(spec.file() + ": point " + id + " (" + describe(params) + "): " + e.getMessage(), e);
            }
            points.add(new SweepPoint(i, id, params, fingerprint(c)));
        }
        return new SweepPlan(spec, base, points, origins, afterFile, overlays);
    }

    /** @return "key=value, key=value" for messages and progress lines */
    public static String describe(Map<String, Object> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append('=').append(text(e.getValue()));
        }
        return sb.length() == 0 ? "no axes" : sb.toString();
    }

    /** @return the canonical text of a parameter value: lists joined with ';' */
    public static String text(Object v) {
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder();
            for (Object o : (List<?>) v) {
                if (sb.length() > 0) sb.append(';');
                sb.append(o);
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }

    private static String paramsText(Map<String, Object> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : params.entrySet()) {
            sb.append(e.getKey()).append('=').append(text(e.getValue())).append('\n');
        }
        return sb.toString();
    }

    private static String fingerprint(ResolvedConfig c) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : c.values().entrySet()) {
            sb.append(e.getKey()).append('=').append(text(e.getValue())).append('\n');
        }
        return sha256(sb.toString());
    }

    static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
