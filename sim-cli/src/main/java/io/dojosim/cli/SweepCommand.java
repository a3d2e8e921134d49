package io.dojosim.cli;

import io.dojosim.cli.sweep.PointRunner;
import io.dojosim.cli.sweep.Progress;
import io.dojosim.cli.sweep.Shard;
import io.dojosim.cli.sweep.SweepEngine;
import io.dojosim.cli.sweep.SweepExecutor;
import io.dojosim.cli.sweep.SweepPlan;
import io.dojosim.cli.sweep.SweepPlanner;
import io.dojosim.cli.sweep.SweepPoint;
import io.dojosim.cli.sweep.SweepSpec;
import io.dojosim.cli.sweep.SweepSpecParser;
import io.dojosim.cli.sweep.SweepStore;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dojosim sweep SPEC.yaml [-j N] [-o DIR]}: runs every point of a sweep spec (a base
 * config and workload plus axes over config keys) on a local pool, resumably, and writes one
 * results table. See docs/sweeps.md.
 *
 * <p>Exit codes: 0 every point ran; 2 the spec is wrong (nothing runs) or some point failed with
 * bad input (the others are kept); 4 some point hit an internal error.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a sweep: a base config and workload plus axes over config keys; points run in parallel,",
                "resumably (start it again after a kill and it skips finished points). See docs/sweeps.md."})
public final class SweepCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", description = "Sweep spec (YAML); see sweeps/ for examples.")
    Path specFile;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Points run at once (default: the number of cores).")
    Integer jobs;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Sweep folder (default: sweep-<spec name>). Start again with the same folder to resume.")
    Path outDir;

    @Option(names = "--cross-check", description = "Run each point as `dojosim run --cross-check` (as the spec key crossCheck: true): "
            + "the results carry each headline figure's band (crossCheck.figures.*.plusMinus).")
    boolean crossCheck;

    @Option(names = "--dry-run", description = "Check the spec and list the points without running them.")
    boolean dryRun;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "Run only shard K (0-based) of N: the points whose index is K modulo N. Shards may share -o; merge with --merge.")
    String shard;

    @Option(names = "--merge", description = "Check that every point in -o is present exactly once (after shards or an engine), then write the tables.")
    boolean merge;

    @Option(names = "--engine", paramLabel = "NAME", description = "Where points run: local (default, a thread pool) or spark (the sim-spark jar; docs/sweeps.md).")
    String engine = "local";

    @Option(names = "--master", paramLabel = "URL", description = "With --engine spark: the Spark master, e.g. local[2] (default: spark-submit's).")
    String master;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PointRunner runner;

    private static final PointRunner DEFAULT_RUNNER = SweepCommand::runPoint;

    public SweepCommand() {
        this(DEFAULT_RUNNER);
    }

    /** @param runner what runs one point (tests pass their own) */
    SweepCommand(PointRunner runner) {
        this.runner = runner;
    }

    /** Plans a sweep: parses the spec and checks every point's config, before anything runs. */
    public static SweepPlan plan(Path specFile) {
        SweepSpec s = SweepSpecParser.parse(specFile);
        ParamCatalog catalog = Catalog.get();
        ResolvedConfig afterFile = s.baseConfig() == null ? catalog.defaults()
                : new ConfigLoader(catalog).applyFile(catalog.defaults(), s.baseConfig());
        ConfigLoader loader = new ConfigLoader(catalog);
        return SweepPlanner.plan(s, afterFile, SystemChecks::check, loader::applyFile);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (jobs != null && jobs < 1) {
            throw new ConfigException("-j " + jobs + ": the number of jobs must be at least 1");
        }
        SweepPlan plan = plan(specFile);
        if (crossCheck && !plan.spec().crossCheck()) plan = plan.withSpec(plan.spec().withCrossCheck());
        // the points run as dojosim run --cross-check; a runner given by a test keeps its own behaviour
        PointRunner runner = plan.spec().crossCheck() && this.runner == DEFAULT_RUNNER ? SweepCommand::runPointCrossChecked : this.runner;
        if (dryRun) {
            out.println("sweep " + plan.spec().name() + ": " + plan.points().size() + " points; base workload '"
                    + plan.base().getString("run.workload") + "', " + plan.base().getInt("run.steps") + " step(s)");
            for (SweepPoint p : plan.points()) {
                out.println("  " + p.id() + "  " + SweepPlanner.describe(p.params()));
            }
            out.flush();
            return ExitCodes.OK;
        }
        int j = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        Path dir = outDir != null ? outDir : Path.of("sweep-" + plan.spec().name());
        Shard sh = shard == null ? Shard.ALL : Shard.parse(shard);
        if (merge && shard != null) {
            throw new ConfigException("--merge and --shard: merge once, after every shard finished, without --shard");
        }
        if (master != null && engine.equals("local")) {
            throw new ConfigException("--master " + master + ": needs --engine spark");
        }
        if (merge) {
            return merge(plan, dir, out, err);
        }
        if (!engine.equals("local")) {
            SweepEngine e = findEngine(engine);
            String what;
            try (SweepStore store = new SweepStore(dir)) {
                store.lock(sh.isAll() ? null : "shard-" + sh.index() + "-of-" + sh.count());
                store.writePlan(plan);
                what = e.run(specFile, plan, store, sh, master);
            } catch (ConfigException | InterruptedException x) {
                throw x;
            } catch (Exception x) {
                throw new IllegalStateException("engine " + engine + " failed: " + x, x);
            }
            out.println(what);
            out.flush();
            return sh.isAll() ? merge(plan, dir, out, err) : ExitCodes.OK;
        }
        if (!sh.isAll()) {
            boolean term = System.console() != null;
            SweepExecutor.Outcome o;
            try (SweepStore store = new SweepStore(dir)) {
                store.lock("shard-" + sh.index() + "-of-" + sh.count());
                o = SweepExecutor.runShard(plan, store, runner, j, sh, attemptName(), (total, done, w) -> new Progress(err, term, total, done, w));
            }
            out.println("shard " + sh + ": " + o.total() + " of " + plan.points().size() + " points (" + o.skipped() + " were already finished, "
                    + o.failed() + " failed, " + o.errors() + " internal errors) in " + dir);
            out.println("next, when every shard is done: dojosim sweep " + specFile + " -o " + dir + " --merge");
            out.flush();
            return o.errors() > 0 ? ExitCodes.INTERNAL : o.failed() > 0 ? ExitCodes.BAD_INPUT : ExitCodes.OK;
        }
        boolean terminal = System.console() != null;
        boolean quiet = Main.quiet(spec);
        PrintWriter progressOut = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : err;
        SweepExecutor.Outcome o;
        try (SweepStore store = new SweepStore(dir)) {
            store.lock();
            store.checkSameSpec(plan);
            o = SweepExecutor.run(plan, store, runner, j, (total, done, w) -> new Progress(progressOut, terminal, total, done, w));
        }
        if (io.dojosim.core.engine.SimulationInterrupted.requested()) {
            err.println("interrupted: " + (o.total() - countMissing(o)) + " of " + o.total() + " points are finished and in "
                    + dir.resolve(SweepStore.CSV) + "; start the sweep again to run the rest");
            err.flush();
            return ExitCodes.INTERRUPTED;
        }
        if (!quiet) {
            out.println("results: " + dir.resolve(SweepStore.CSV) + ", " + dir.resolve(SweepStore.JSONL) + " (" + o.total() + " points: "
                    + (o.total() - o.failed() - o.errors()) + " ok, " + o.failed() + " failed, " + o.errors() + " internal errors; "
                    + o.skipped() + " were already finished)");
            out.println("next: dojosim report " + dir + "   |   dojosim check --baseline FILE " + dir);
            out.flush();
        }
        if (o.errors() > 0) {
            err.println("internal or output error in " + o.errors() + " point(s): see the 'error' column; starting the sweep again retries them");
            err.flush();
            return ExitCodes.INTERNAL;
        }
        if (o.failed() > 0) {
            err.println("error: " + o.failed() + " point(s) failed with bad input: see the 'error' column of " + dir.resolve(SweepStore.CSV));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }

    private static int countMissing(SweepExecutor.Outcome o) {
        int n = 0;
        for (io.dojosim.cli.sweep.PointRecord r : o.records()) {
            if (r == null || !r.finished()) n++;
        }
        return n;
    }

    private static int merge(SweepPlan plan, Path dir, PrintWriter out, PrintWriter err) {
        java.util.List<String> problems;
        java.util.List<io.dojosim.cli.sweep.PointRecord> recs;
        try (SweepStore store = new SweepStore(dir)) {
            store.lock();
            problems = io.dojosim.cli.sweep.SweepMerge.problems(plan, store);
            recs = problems.isEmpty() ? store.writeTables(plan) : java.util.List.of();
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder(dir + ": " + problems.size() + " problem(s) with the " + plan.points().size()
                    + " points; run the shards (or the sweep) again, then merge:");
            for (int i = 0; i < Math.min(20, problems.size()); i++) {
                sb.append("\n  ").append(problems.get(i));
            }
            if (problems.size() > 20) sb.append("\n  ... and ").append(problems.size() - 20).append(" more");
            throw new ConfigException(sb.toString());
        }
        long failed = recs.stream().filter(r -> r.status().equals(io.dojosim.cli.sweep.PointRecord.FAILED)).count();
        out.println("merged: every one of the " + plan.points().size() + " points present once; results: " + dir.resolve(SweepStore.CSV) + ", "
                + dir.resolve(SweepStore.JSONL) + " (" + failed + " failed)");
        out.flush();
        if (failed > 0) {
            err.println("error: " + failed + " point(s) failed with bad input: see the 'error' column of " + dir.resolve(SweepStore.CSV));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }

    private static SweepEngine findEngine(String name) {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("local"));
        for (SweepEngine e : java.util.ServiceLoader.load(SweepEngine.class)) {
            if (e.name().equals(name)) return e;
            names.add(e.name());
        }
        if (name.equals("spark")) {
            throw new ConfigException("--engine spark: Spark is not in this jar (./dojosim runs without it); run the sweep with the sim-spark jar:\n"
                    + "  spark-submit --class io.dojosim.spark.SparkSweepMain sim-spark/target/dojosim-spark.jar SPEC -o DIR\n"
                    + "or, without a Spark install: sim-spark/dojosim-spark sweep SPEC --engine spark --master local[2] (docs/sweeps.md)");
        }
        throw new ConfigException("--engine " + name + ": not allowed; engines here: " + String.join(", ", names));
    }

    /** @return a name unique to this process, for attempt folders */
    public static String attemptName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** As {@link #runPoint}, with {@code dojosim run --cross-check}: summary.json gets its crossCheck block (ADR 0107). */
    public static java.util.Map<String, Object> runPointCrossChecked(ResolvedConfig c, Path dir) {
        return RunService.run(c, dir, null, io.dojosim.core.engine.Workers.single(), true).summary();
    }

    /** Runs one point with {@code dojosim run}'s executor, writing its run files into its folder. */
    public static java.util.Map<String, Object> runPoint(ResolvedConfig c, Path dir) {
        return RunService.run(c, dir, null).summary();
    }
}
