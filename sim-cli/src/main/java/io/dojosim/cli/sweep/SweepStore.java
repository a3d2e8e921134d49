package io.dojosim.cli.sweep;

import io.dojosim.cli.files.JsonFiles;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory of a sweep, the only state a sweep has, so that a sweep killed at any moment
 * (SIGKILL included) and started again loses nothing and repeats nothing that finished:
 *
 * <pre>
 *   DIR/sweep.json                 the plan: spec name, base workload and steps, axes, every point's id and values
 *   DIR/points/&lt;id&gt;/...            the point's run files (summary.json, stats.json, resolved-config.yaml)
 *   DIR/points/&lt;id&gt;/point.json      written last, atomically: the point is finished (status, metrics)
 *   DIR/results.csv, results.jsonl the tables, rebuilt from every point.json, in point order
 *   DIR/.lock                      held while a sweep writes here (released by the OS if the process dies)
 * </pre>
 *
 * <p>Caveats: a point directory without point.json is an unfinished attempt; it is emptied and run
 * again. A point.json whose fingerprint differs from the plan's (the spec or base config changed)
 * is stale and is run again too.
 */
public final class SweepStore implements AutoCloseable {
    public static final String PLAN = "sweep.json";
    public static final String POINTS = "points";
    public static final String RECORD = "point.json";
    public static final String CSV = "results.csv";
    public static final String JSONL = "results.jsonl";

    private final Path dir;
    private FileChannel lockChannel;
    private FileLock lock;

    public SweepStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** @return true when the folder holds a sweep (its sweep.json) */
    public static boolean isSweep(Path dir) {
        return Files.isRegularFile(dir.resolve(PLAN));
    }

    /** Takes the folder's lock, so two sweeps never write one folder. */
    public void lock() {
        lock(null);
    }

    /**
     * Takes a lock of the folder: the whole folder's ({@code name} null), or one shard's
     * ({@code .lock-NAME}), so two processes never run one shard on this host; shards of one sweep
     * share the folder.
     */
    public void lock(String name) {
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(name == null ? ".lock" : ".lock-" + name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw new ConfigException(dir + ": another sweep is writing this folder (its .lock is held); wait for it or use another -o");
            }
        } catch (IOException e) {
            throw new ConfigException(dir + ": cannot create the sweep folder: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // released by the OS when the process ends anyway
        }
    }

    public Path pointDir(SweepPoint p) {
        return dir.resolve(POINTS).resolve(p.id());
    }

    /** @return the stored record of the point if it is finished and current, else null */
    public PointRecord finished(SweepPoint p) {
        PointRecord r = load(p.id());
        if (r == null || !p.fingerprint().equals(r.fingerprint()) || !r.finished()) {
            return null;
        }
        return r;
    }

    /** @return the stored record of a point id, or null when there is none */
    public PointRecord load(String id) {
        Path f = dir.resolve(POINTS).resolve(id).resolve(RECORD);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return PointRecord.fromMap(JsonFiles.readMap(f));
    }

    /** Empties the point's folder (the leftovers of an unfinished attempt) and creates it. */
    public Path prepare(SweepPoint p) {
        Path d = pointDir(p);
        try {
            if (Files.exists(d)) {
                try (Stream<Path> s = Files.walk(d)) {
                    List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
                    for (Path x : all) {
                        if (!x.equals(d)) {
                            Files.delete(x);
                        }
                    }
                }
            }
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new ConfigException(d + ": cannot prepare the point folder: " + e.getMessage(), e);
        }
        return d;
    }

    /** Marks the point finished: writes point.json atomically. */
    public void commit(PointRecord r) {
        JsonFiles.writeJson(dir.resolve(POINTS).resolve(r.id()).resolve(RECORD), r.toMap());
    }

    /**
     * Refuses a folder that holds the sweep of another spec (a different name or spec file), so
     * that one folder never mixes two sweeps' points and tables.
     *
     * @throws ConfigException naming both specs
     */
    public void checkSameSpec(SweepPlan plan) {
        if (!isSweep(dir)) {
            return;
        }
        Map<String, Object> old = JsonFiles.readMap(dir.resolve(PLAN));
        String name = plan.spec().name();
        String file = plan.spec().file().getFileName().toString();
        if (!name.equals(old.get("name")) || !file.equals(old.get("spec"))) {
            throw new ConfigException(dir + " holds the sweep '" + old.get("name") + "' of spec " + old.get("spec") + "; spec " + file
                    + " (sweep '" + name + "') cannot share its folder; allowed: the same spec (to resume) or another -o folder");
        }
    }

    /** Writes sweep.json: the plan, so that check and report can read the sweep alone. */
    public void writePlan(SweepPlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 1);
        m.put("name", plan.spec().name());
        m.put("spec", plan.spec().file().getFileName().toString());
        m.put("workload", String.valueOf(plan.base().values().get("run.workload")));
        m.put("steps", plan.base().values().get("run.steps"));
        if (plan.spec().crossCheck()) m.put("crossCheck", true); // each point ran with --cross-check (ADR 0107)
        List<Object> axes = new ArrayList<>();
        for (SweepSpec.Axis a : plan.spec().axes()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("keys", a.keys());
            am.put("size", a.size());
            axes.add(am);
        }
        m.put("axes", axes);
        List<Object> pts = new ArrayList<>();
        for (SweepPoint p : plan.points()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("point", p.index());
            pm.put("id", p.id());
            pm.put("params", p.params());
            pm.put("fingerprint", p.fingerprint());
            pts.add(pm);
        }
        m.put("points", pts);
        JsonFiles.writeJson(dir.resolve(PLAN), m);
    }

    /**
     * Rebuilds results.csv and results.jsonl from the point records, in point order whatever the
     * order the points finished in. Columns: point, id, status, the axis keys, every metric (in
     * order of first appearance), error. A point with no record yet has status {@code missing}.
     *
     * @return the records in point order (null for a point not finished)
     */
    public List<PointRecord> writeTables(SweepPlan plan) {
        List<PointRecord> recs = new ArrayList<>();
        Set<String> metricNames = new LinkedHashSet<>();
        for (SweepPoint p : plan.points()) {
            PointRecord r = load(p.id());
            if (r != null && !p.fingerprint().equals(r.fingerprint())) {
                r = null;
            }
            recs.add(r);
            if (r != null) {
                metricNames.addAll(r.metrics().keySet());
            }
        }
        List<String> keys = plan.axisKeys();
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("point", "id", "status"));
        header.addAll(keys);
        header.addAll(metricNames);
        header.add("error");
        csvRow(csv, header);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < plan.points().size(); i++) {
            SweepPoint p = plan.points().get(i);
            PointRecord r = recs.get(i);
            String status = r == null ? "missing" : r.status();
            List<String> row = new ArrayList<>(List.of(Integer.toString(p.index()), p.id(), status));
            for (String k : keys) {
                row.add(SweepPlanner.text(p.params().get(k)));
            }
            for (String mname : metricNames) {
                Number v = r == null ? null : r.metrics().get(mname);
                row.add(v == null ? "" : v.toString());
            }
            row.add(r == null || r.error() == null ? "" : r.error());
            csvRow(csv, row);

            Map<String, Object> j = new LinkedHashMap<>();
            j.put("point", p.index());
            j.put("id", p.id());
            j.put("status", status);
            j.put("params", p.params());
            j.put("metrics", r == null ? Map.of() : r.metrics());
            if (r != null && r.error() != null) {
                j.put("error", r.error());
            }
            jsonl.append(JsonFiles.toJsonLine(j)).append('\n');
        }
        JsonFiles.writeText(dir.resolve(CSV), csv.toString());
        JsonFiles.writeText(dir.resolve(JSONL), jsonl.toString());
        return recs;
    }

    private static void csvRow(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        sb.append('\n');
    }
}
