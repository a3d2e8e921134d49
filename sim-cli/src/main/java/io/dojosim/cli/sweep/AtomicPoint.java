package io.dojosim.cli.sweep;

import io.dojosim.cli.files.JsonFiles;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs one point so that several attempts at it may run at once without harm: a retried or
 * speculative Spark task, a batch job the scheduler started twice, two shards given one index.
 * Each attempt writes into its own folder {@code points/.attempts/<id>.<attempt>/} (run files,
 * then point.json), and then renames that folder to {@code points/<id>} in one atomic step. The
 * first attempt to finish wins; a later one finds the point finished, deletes its own folder and
 * returns the stored record, so a point's files are written once and never half.
 *
 * <p>Caveats: needs a file system where renaming a folder onto an existing non-empty folder fails
 * (POSIX rename; NFS and Lustre do this); an empty or unfinished {@code points/<id>} left by a
 * killed local run is replaced.
 */
public final class AtomicPoint {
    /** The folder, under {@code points/}, of attempts in flight. */
    public static final String ATTEMPTS = ".attempts";

    private AtomicPoint() {
    }

    /**
     * @param attempt a name unique to this attempt (a task attempt id, a host and process id)
     * @return the point's record: this attempt's, or the one an earlier attempt stored
     */
    public static PointRecord run(SweepPlan plan, SweepStore store, PointRunner runner, SweepPoint p, String attempt) {
        PointRecord done = store.finished(p);
        if (done != null) {
            return done;
        }
        Path points = store.dir().resolve(SweepStore.POINTS);
        Path tmp = points.resolve(ATTEMPTS).resolve(p.id() + "." + attempt.replaceAll("[^A-Za-z0-9_.-]", "_"));
        PointRecord rec;
        try {
            delete(tmp);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new ConfigException(tmp + ": cannot create the attempt folder: " + e.getMessage(), e);
        }
        try {
            rec = PointRecord.run(plan, runner, p, tmp);
        } catch (ConfigException e) {
            rec = PointRecord.notRun(p, PointRecord.FAILED, e.getMessage());
        } catch (Exception | StackOverflowError | AssertionError e) {
            rec = PointRecord.notRun(p, PointRecord.ERROR, "internal error: " + e);
        }
        JsonFiles.writeJson(tmp.resolve(SweepStore.RECORD), rec.toMap());
        Path target = store.pointDir(p);
        try {
            if (Files.isDirectory(target) && store.finished(p) == null) {
                delete(target); // an unfinished or stale attempt of a killed run, not a winner
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return rec;
        } catch (AtomicMoveNotSupportedException e) {
            quietDelete(tmp);
            throw new ConfigException(target + ": the file system cannot rename folders atomically; put the sweep folder on one that can");
        } catch (IOException e) {
            // FileAlreadyExists, DirectoryNotEmpty, or ENOTEMPTY as a plain FileSystemException: another attempt won
            PointRecord winner = store.finished(p);
            quietDelete(tmp);
            if (winner == null) {
                throw new IllegalStateException(target + ": cannot commit the point, and no other attempt holds it: " + e, e);
            }
            return winner;
        }
    }

    private static void quietDelete(Path d) {
        try {
            delete(d);
        } catch (IOException e) {
            // a leftover attempt folder is harmless: merge ignores .attempts
        }
    }

    static void delete(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path x : all) {
                Files.delete(x);
            }
        }
    }
}
