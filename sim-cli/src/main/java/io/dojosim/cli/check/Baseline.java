package io.dojosim.cli.check;

import io.dojosim.cli.files.JsonFiles;
import io.dojosim.cli.files.JsonTree;
import io.dojosim.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored baseline of modeled metrics (JSON, meant to be committed):
 *
 * <pre>
 * {
 *   "schemaVersion": 1,
 *   "kind": "run",                       // or "sweep"
 *   "tolerance": "0.5%",                 // optional default for this baseline
 *   "tolerances": {"messageLatency.*": "5%"},   // optional per-metric overrides (globs)
 *   "points": {
 *     "run": {"status": "ok", "metrics": {"stepTimeSeconds": 0.0123, ...}}
 *   }
 * }
 * </pre>
 *
 * A sweep's points are keyed by point id and carry their {@code params} for the reader.
 */
public record Baseline(String kind, String tolerance, Map<String, String> tolerances, Results results) {
    public static final int SCHEMA_VERSION = 1;

    /** Reads a baseline file. */
    public static Baseline read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such baseline file; create it with --update-baseline");
        }
        Map<String, Object> m = JsonFiles.readMap(file);
        Object ver = m.get("schemaVersion");
        if (!(ver instanceof Number) || ((Number) ver).intValue() != SCHEMA_VERSION) {
            throw new ConfigException(file + ": key 'schemaVersion': value '" + ver + "' is not allowed; expected " + SCHEMA_VERSION);
        }
        for (String k : m.keySet()) {
            if (!List.of("schemaVersion", "kind", "tolerance", "tolerances", "points").contains(k)) {
                throw new ConfigException(file + ": unknown key '" + k + "'; allowed: schemaVersion, kind, tolerance, tolerances, points");
            }
        }
        String kind = String.valueOf(m.get("kind"));
        if (!kind.equals("run") && !kind.equals("sweep")) {
            throw new ConfigException(file + ": key 'kind': value '" + kind + "' is not allowed; expected run or sweep");
        }
        String tol = m.get("tolerance") == null ? null : m.get("tolerance").toString();
        if (tol != null) {
            Tolerances.parse(tol, file + ": key 'tolerance'");
        }
        Map<String, String> tols = new LinkedHashMap<>();
        if (m.get("tolerances") instanceof Map) {
            for (Map.Entry<String, Object> e : (JsonTree.object(m.get("tolerances"))).entrySet()) {
                Tolerances.parse(String.valueOf(e.getValue()), file + ": key 'tolerances." + e.getKey() + "'");
                tols.put(e.getKey(), String.valueOf(e.getValue()));
            }
        } else if (m.containsKey("tolerances")) {
            throw new ConfigException(file + ": key 'tolerances' must be a mapping of metric pattern to tolerance");
        }
        if (!(m.get("points") instanceof Map)) {
            throw new ConfigException(file + ": key 'points' must be a mapping of point id to its metrics");
        }
        Map<String, Results.Point> pts = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : (JsonTree.object(m.get("points"))).entrySet()) {
            if (!(e.getValue() instanceof Map)) {
                throw new ConfigException(file + ": point '" + e.getKey() + "' must be a mapping with 'metrics'");
            }
            Map<String, Object> p = JsonTree.object(e.getValue());
            Map<String, Number> metrics = new LinkedHashMap<>();
            if (p.get("metrics") instanceof Map) {
                for (Map.Entry<String, Object> x : (JsonTree.object(p.get("metrics"))).entrySet()) {
                    if (!(x.getValue() instanceof Number)) {
                        throw new ConfigException(file + ": point '" + e.getKey() + "', metric '" + x.getKey() + "': expected a number, found "
                                + x.getValue());
                    }
                    metrics.put(x.getKey(), (Number) x.getValue());
                }
            }
            pts.put(e.getKey(), new Results.Point(JsonTree.object(p.getOrDefault("params", Map.of())),
                    String.valueOf(p.getOrDefault("status", "ok")), (String) p.get("error"), metrics));
        }
        return new Baseline(kind, tol, tols, new Results(kind, pts));
    }

    /** Writes the baseline (atomically). */
    public void write(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("kind", kind);
        if (tolerance != null) {
            m.put("tolerance", tolerance);
        }
        if (!tolerances.isEmpty()) {
            m.put("tolerances", tolerances);
        }
        m.put("points", results.toMap());
        JsonFiles.writeJson(file, m);
    }
}
