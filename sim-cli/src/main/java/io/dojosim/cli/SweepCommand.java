package io.dojosim.cli;

import io.dojosim.cli.sweep.PointRunner;
import io.dojosim.cli.sweep.Progress;
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

    @Option(names = "--dry-run", description = "Check the spec and list the points without running them.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PointRunner runner;

    public SweepCommand() {
        this(SweepCommand::runPoint);
    }

    /** @param runner what runs one point (tests pass their own) */
    SweepCommand(PointRunner runner) {
        this.runner = runner;
    }

    /** Plans a sweep: parses the spec and checks every point's config, before anything runs. */
    static SweepPlan plan(Path specFile) {
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
        boolean terminal = System.console() != null;
        SweepExecutor.Outcome o;
        try (SweepStore store = new SweepStore(dir)) {
            store.lock();
            o = SweepExecutor.run(plan, store, runner, j, (total, done, w) -> new Progress(err, terminal, total, done, w));
        }
        out.println("results: " + dir.resolve(SweepStore.CSV) + ", " + dir.resolve(SweepStore.JSONL) + " (" + o.total() + " points: "
                + (o.total() - o.failed() - o.errors()) + " ok, " + o.failed() + " failed, " + o.errors() + " internal errors; "
                + o.skipped() + " were already finished)");
        out.println("next: dojosim report " + dir + "   |   dojosim check --baseline FILE " + dir);
        out.flush();
        if (o.errors() > 0) {
            err.println("internal error in " + o.errors() + " point(s): see the 'error' column; starting the sweep again retries them");
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

    /** Runs one point with {@code dojosim run}'s executor, writing its run files into its folder. */
    static java.util.Map<String, Object> runPoint(ResolvedConfig c, Path dir) {
        return RunService.run(c, dir, null).summary();
    }
}
