package io.dojosim.cli.sweep;

import io.dojosim.core.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the unfinished points of a plan on a local pool of {@code jobs} threads, commits each
 * point's record atomically as it finishes, and rebuilds the tables at the end.
 *
 * <p>A point whose runner throws {@link ConfigException} is recorded {@code failed} with the
 * message (bad input: the sweep goes on, and a restart keeps it); a result that cannot be written
 * ({@link io.dojosim.cli.files.OutputException}: a full disk, a file-size limit) and any other
 * exception or out-of-memory error is recorded {@code error} (a restart runs it again). A point
 * stopped by Ctrl-C is not recorded at all. Points already finished with the same fingerprint are
 * skipped.
 *
 * <p>Caveats: the points share one JVM heap; {@code -j} trades memory for speed.
 */
public final class SweepExecutor {
    /**
     * What a sweep session did.
     *
     * @param skipped points already finished before this session
     * @param ran     points run in this session
     * @param failed  points failed with bad input (in the whole sweep)
     * @param errors  points failed with an internal error (in the whole sweep)
     */
    public record Outcome(int total, int skipped, int ran, int failed, int errors, List<PointRecord> records) {
    }

    private SweepExecutor() {
    }

    public static Outcome run(SweepPlan plan, SweepStore store, PointRunner runner, int jobs, Progress.Factory progressFactory)
            throws InterruptedException {
        store.writePlan(plan);
        List<SweepPoint> todo = new ArrayList<>();
        for (SweepPoint p : plan.points()) {
            if (store.finished(p) == null) {
                todo.add(p);
            }
        }
        int skipped = plan.points().size() - todo.size();
        Progress progress = progressFactory.create(plan.points().size(), skipped, jobs);
        progress.start(plan.spec().name());
        if (!todo.isEmpty()) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "sweep-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, todo.size())), tf);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (SweepPoint p : todo) {
                    fs.add(pool.submit(() -> runOne(plan, store, runner, p, progress)));
                }
                for (Future<?> f : fs) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("sweep worker failed outside a point: " + e.getCause(), e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        progress.end();
        List<PointRecord> recs = store.writeTables(plan);
        int failed = 0;
        int errors = 0;
        for (PointRecord r : recs) {
            if (r == null || r.status().equals(PointRecord.ERROR)) {
                errors++;
            } else if (r.status().equals(PointRecord.FAILED)) {
                failed++;
            }
        }
        return new Outcome(plan.points().size(), skipped, todo.size(), failed, errors, recs);
    }

    /**
     * Runs this shard's unfinished points on a local pool, each through {@link AtomicPoint} (so a
     * scheduler that starts a shard twice, or two engines on one folder, write each point once),
     * and writes sweep.json but not the tables: other shards may still be running. The tables come
     * from {@link SweepMerge} once every shard is done.
     *
     * @param attempt a name unique to this process (host and process id), for the attempt folders
     */
    public static Outcome runShard(SweepPlan plan, SweepStore store, PointRunner runner, int jobs, Shard shard, String attempt,
            Progress.Factory progressFactory) throws InterruptedException {
        store.writePlan(plan);
        List<SweepPoint> mine = new ArrayList<>();
        List<SweepPoint> todo = new ArrayList<>();
        for (SweepPoint p : plan.points()) {
            if (shard.contains(p)) {
                mine.add(p);
                if (store.finished(p) == null) todo.add(p);
            }
        }
        Progress progress = progressFactory.create(mine.size(), mine.size() - todo.size(), jobs);
        progress.start(plan.spec().name() + " shard " + shard);
        List<PointRecord> recs = new ArrayList<>();
        if (!todo.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, todo.size())), r -> {
                Thread t = new Thread(r, "sweep-shard-worker");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<PointRecord>> fs = new ArrayList<>();
                for (SweepPoint p : todo) {
                    fs.add(pool.submit(() -> {
                        long t0 = System.nanoTime();
                        PointRecord r = AtomicPoint.run(plan, store, runner, p, attempt);
                        progress.finished(r, SweepPlanner.describe(p.params()), (System.nanoTime() - t0) / 1e9);
                        return r;
                    }));
                }
                for (Future<PointRecord> f : fs) {
                    try {
                        recs.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("sweep worker failed outside a point: " + e.getCause(), e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        progress.end();
        int failed = 0;
        int errors = 0;
        for (SweepPoint p : mine) {
            PointRecord r = store.finished(p);
            if (r == null || r.status().equals(PointRecord.ERROR)) {
                errors++;
            } else if (r.status().equals(PointRecord.FAILED)) {
                failed++;
            }
        }
        return new Outcome(mine.size(), mine.size() - todo.size(), todo.size(), failed, errors, recs);
    }

    private static void runOne(SweepPlan plan, SweepStore store, PointRunner runner, SweepPoint p, Progress progress) {
        if (io.dojosim.core.engine.SimulationInterrupted.requested()) {
            return; // Ctrl-C: start no new point; the tables are written for the finished ones
        }
        long t0 = System.nanoTime();
        PointRecord rec;
        Path dir;
        try {
            dir = store.prepare(p);
        } catch (RuntimeException e) {
            // a file-system problem, not the point's input: recorded as an error, retried on restart
            rec = PointRecord.notRun(p, PointRecord.ERROR, "internal error: " + e.getMessage());
            store.commit(rec);
            progress.finished(rec, SweepPlanner.describe(p.params()), (System.nanoTime() - t0) / 1e9);
            return;
        }
        try {
            rec = PointRecord.run(plan, runner, p, dir);
        } catch (io.dojosim.core.engine.SimulationInterrupted e) {
            // Ctrl-C: the point did not finish; no record, so a restart runs it
            return;
        } catch (io.dojosim.cli.files.OutputException e) {
            // a full disk or a lost folder is not the point's input: an error, retried on restart
            rec = PointRecord.notRun(p, PointRecord.ERROR, "output error: " + e.getMessage());
        } catch (ConfigException e) {
            rec = PointRecord.notRun(p, PointRecord.FAILED, e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            rec = PointRecord.notRun(p, PointRecord.ERROR, "output error: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            rec = PointRecord.notRun(p, PointRecord.ERROR, "internal error: out of memory (fewer -j, or more heap with DOJOSIM_JAVA_OPTS=-Xmx<size>)");
        } catch (Exception | StackOverflowError | AssertionError e) {
            rec = PointRecord.notRun(p, PointRecord.ERROR, "internal error: " + e);
        }
        try {
            store.commit(rec);
        } catch (ConfigException e) {
            // the record itself cannot be written (a full disk): the point stays unfinished and is run again on restart
            rec = PointRecord.notRun(p, PointRecord.ERROR, "output error: " + e.getMessage());
        }
        progress.finished(rec, SweepPlanner.describe(p.params()), (System.nanoTime() - t0) / 1e9);
    }
}
