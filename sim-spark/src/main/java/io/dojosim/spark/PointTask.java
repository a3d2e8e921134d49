package io.dojosim.spark;

import io.dojosim.cli.SweepCommand;
import io.dojosim.cli.sweep.AtomicPoint;
import io.dojosim.cli.sweep.PointRecord;
import io.dojosim.cli.sweep.SweepPlan;
import io.dojosim.cli.sweep.SweepStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * One sweep point as a Spark task: re-plans the sweep from the spec (once per executor JVM), runs
 * the point with {@code dojosim run}'s executor into an attempt folder named after the task
 * attempt, and commits it with {@link AtomicPoint}. Returns the point's status.
 *
 * <p>Caveats: serialised to executors as two strings; the plan itself never crosses the wire.
 */
final class PointTask implements Function<Integer, String> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, SweepPlan> PLANS = new ConcurrentHashMap<>();

    private final String spec;
    private final String dir;

    PointTask(String spec, String dir) {
        this.spec = spec;
        this.dir = dir;
    }

    static SweepPlan plan(String spec) {
        return PLANS.computeIfAbsent(spec, s -> SweepCommand.plan(Path.of(s)));
    }

    @Override
    public String call(Integer index) {
        SweepPlan plan = plan(spec);
        TaskContext tc = TaskContext.get();
        String attempt = tc == null ? SweepCommand.attemptName()
                : SweepCommand.attemptName() + "-stage" + tc.stageId() + "-task" + tc.taskAttemptId() + "-try" + tc.attemptNumber();
        PointRecord r = AtomicPoint.run(plan, new SweepStore(Path.of(dir)), SweepCommand::runPoint, plan.points().get(index), attempt);
        return r.status();
    }
}
