package io.dojosim.cli.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The merge step after shards (or a Spark job) filled one sweep folder: checks that every point of
 * the plan is present exactly once, finished and current, and that nothing else is there, then
 * writes the tables. Exactly once: one folder per point id, its point.json naming that id and the
 * plan's index and fingerprint; no folder for an id the plan does not have (a shard of another
 * spec or of an edited one).
 */
public final class SweepMerge {
    private SweepMerge() {
    }

    /** @return the problems found, one line each; empty when the folder holds every point once */
    public static List<String> problems(SweepPlan plan, SweepStore store) {
        List<String> out = new ArrayList<>();
        Map<String, SweepPoint> byId = new HashMap<>();
        for (SweepPoint p : plan.points()) {
            byId.put(p.id(), p);
        }
        Path points = store.dir().resolve(SweepStore.POINTS);
        if (Files.isDirectory(points)) {
            try (Stream<Path> s = Files.list(points)) {
                for (Path d : s.sorted().toList()) {
                    String name = d.getFileName().toString();
                    if (name.equals(AtomicPoint.ATTEMPTS)) continue;
                    if (!byId.containsKey(name)) {
                        out.add(name + ": a point folder the plan does not have (another spec, or the spec changed)");
                    }
                }
            } catch (IOException e) {
                out.add(points + ": cannot list: " + e.getMessage());
            }
        }
        for (SweepPoint p : plan.points()) {
            PointRecord r = store.load(p.id());
            if (r == null) {
                out.add(p.id() + ": missing (" + SweepPlanner.describe(p.params()) + ")");
            } else if (!p.fingerprint().equals(r.fingerprint())) {
                out.add(p.id() + ": stale, made from another config");
            } else if (r.index() != p.index() || !r.id().equals(p.id())) {
                out.add(p.id() + ": its point.json names point " + r.index() + " " + r.id());
            } else if (!r.finished()) {
                out.add(p.id() + ": not finished (status " + r.status() + ")");
            }
        }
        return out;
    }
}
