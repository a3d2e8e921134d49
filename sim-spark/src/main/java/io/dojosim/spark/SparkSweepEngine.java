package io.dojosim.spark;

import io.dojosim.cli.SweepCommand;
import io.dojosim.cli.sweep.Shard;
import io.dojosim.cli.sweep.SweepEngine;
import io.dojosim.cli.sweep.SweepPlan;
import io.dojosim.cli.sweep.SweepPoint;
import io.dojosim.cli.sweep.SweepStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code spark} sweep engine: each unfinished point of the shard is one Spark task
 * ({@link PointTask}), on the cluster {@code --master} names or the one {@code spark-submit} gives.
 * Tasks write into the shared sweep folder through {@link io.dojosim.cli.sweep.AtomicPoint}, so a
 * retried or speculative task writes a point once; the command then merges and writes the tables,
 * byte-identical to the local engine's.
 *
 * <p>Caveats: the spec, its base config and workload files and the sweep folder must be at the same
 * paths on every executor (a shared file system); one task per point, so a sweep of thousands of
 * points is thousands of tasks (Spark handles that; the driver's memory holds only ids).
 */
public final class SparkSweepEngine implements SweepEngine {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String run(Path specFile, SweepPlan plan, SweepStore store, Shard shard, String master) {
        List<Integer> todo = new ArrayList<>();
        for (SweepPoint p : plan.points()) {
            if (shard.contains(p) && store.finished(p) == null) {
                todo.add(p.index());
            }
        }
        if (todo.isEmpty()) {
            return "spark: nothing to run, every point of shard " + shard + " is finished";
        }
        SparkConf conf = new SparkConf().setAppName("dojosim sweep " + plan.spec().name());
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        String spec = specFile.toAbsolutePath().normalize().toString();
        String dir = store.dir().toAbsolutePath().normalize().toString();
        Map<String, Integer> statuses = new TreeMap<>();
        String where;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            where = sc.master();
            for (String s : sc.parallelize(todo, todo.size()).map(new PointTask(spec, dir)).collect()) {
                statuses.merge(s, 1, Integer::sum);
            }
        }
        return String.format(Locale.ROOT, "spark (%s): %d point(s) ran as tasks: %s", where, todo.size(), statuses);
    }

    /** Plans once per JVM and spec: executors re-plan from the spec file, as the driver did. */
    static SweepPlan planOf(String spec) {
        return PointTask.plan(spec);
    }

    /** For documentation: the runner tasks use, the same as the local engine's. */
    static Map<String, Object> runPoint(io.dojosim.core.config.ResolvedConfig c, Path dir) {
        return SweepCommand.runPoint(c, dir);
    }
}
