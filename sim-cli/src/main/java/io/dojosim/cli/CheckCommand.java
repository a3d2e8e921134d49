package io.dojosim.cli;

import io.dojosim.cli.check.Baseline;
import io.dojosim.cli.check.Comparison;
import io.dojosim.cli.check.JUnitXml;
import io.dojosim.cli.check.Results;
import io.dojosim.cli.check.Tolerances;
import io.dojosim.core.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dojosim check --baseline FILE [--tolerance 0.5%] [--junit FILE] [--update-baseline] DIR}:
 * compares the modeled metrics of a run or a sweep with a stored baseline and prints the
 * differences; when a step time moved outside tolerance, a table of what moved it
 * ({@link io.dojosim.cli.check.StepTimeExplanation}), also in the JUnit XML failure. Exit 0 within tolerance; 1 outside, or a metric or point missing or new; 2 bad
 * input. See docs/ci.md.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Compare the modeled metrics of a run or sweep folder with a baseline (CI regression check).",
                "Exit 0 within tolerance, 1 outside (or metrics missing or new). See docs/ci.md."})
public final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A run folder (with summary.json) or a sweep folder (with sweep.json).")
    Path dir;

    @Option(names = "--baseline", required = true, paramLabel = "FILE", description = "Baseline JSON file (written by --update-baseline).")
    Path baselineFile;

    @Option(names = "--tolerance", paramLabel = "TOL", description = "Relative tolerance: 0.5%% or 0.005 (default: the baseline's, else 0.5%%).")
    String tolerance;

    @Option(names = "--tolerance-for", paramLabel = "PATTERN=TOL",
            description = "Tolerance of the metrics matching a glob, e.g. 'messageLatency.*=5%%'; repeatable, first match wins.")
    List<String> toleranceFor = new ArrayList<>();

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write JUnit XML for CI servers.")
    Path junit;

    @Option(names = "--update-baseline", description = "Write the current metrics as the new baseline (keeps its tolerances) and exit 0.")
    boolean update;

    @Option(names = "--all", description = "Print every metric, not only those outside tolerance.")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Results current = Results.read(dir);
        Baseline base = update && !Files.exists(baselineFile) ? null : Baseline.read(baselineFile);

        double def = tolerance != null ? Tolerances.parse(tolerance, "--tolerance")
                : base != null && base.tolerance() != null ? Tolerances.parse(base.tolerance(), baselineFile + ": key 'tolerance'")
                : Tolerances.DEFAULT;
        Tolerances tol = new Tolerances(def);
        Map<String, String> fileOverrides = base == null ? Map.of() : base.tolerances();
        for (String t : toleranceFor) {
            int eq = t.lastIndexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--tolerance-for '" + t + "': expected PATTERN=TOL, for example 'messageLatency.*=5%'");
            }
            tol.with(t.substring(0, eq).trim(), Tolerances.parse(t.substring(eq + 1), "--tolerance-for " + t.substring(0, eq).trim()));
        }
        for (Map.Entry<String, String> e : fileOverrides.entrySet()) {
            tol.with(e.getKey(), Tolerances.parse(e.getValue(), baselineFile + ": tolerances." + e.getKey()));
        }

        if (update) {
            Map<String, String> keep = new LinkedHashMap<>(fileOverrides);
            new Baseline(current.kind(), base == null ? null : base.tolerance(), keep, current).write(baselineFile);
            String what = "";
            if (base != null) {
                Comparison c = Comparison.compare(base.results(), current, tol);
                what = " (was: " + c.count(Comparison.Verdict.OUTSIDE) + " outside tolerance, " + c.count(Comparison.Verdict.MISSING)
                        + " missing, " + c.count(Comparison.Verdict.EXTRA) + " new, " + c.count(Comparison.Verdict.STATUS) + " changed status)";
            }
            int metrics = current.points().values().stream().mapToInt(p -> p.metrics().size()).sum();
            out.println("baseline " + baselineFile + " written: " + current.points().size() + " point(s), " + metrics + " metrics" + what);
            out.flush();
            return ExitCodes.OK;
        }
        if (!base.kind().equals(current.kind())) {
            throw new ConfigException(baselineFile + ": a baseline of a " + base.kind() + " cannot check a " + current.kind() + " folder (" + dir + ")");
        }
        Comparison c = Comparison.compare(base.results(), current, tol);
        if (junit != null) {
            JUnitXml.write(junit, c, current.kind(), dir.toString());
        }
        String table = c.table(all);
        if (!table.isEmpty()) {
            out.print(table);
        }
        for (Map.Entry<String, io.dojosim.cli.check.StepTimeExplanation> e : c.explanations().entrySet()) {
            out.println();
            out.print((current.kind().equals("run") ? "" : "point " + e.getKey() + ": ") + e.getValue().text());
        }
        if (!c.explanations().isEmpty()) {
            out.println();
        }
        long n = c.rows().size();
        long ok = c.count(Comparison.Verdict.OK);
        out.println("check " + dir + " against " + baselineFile + ": " + (c.passed() ? "PASS" : "FAIL") + ", " + ok + " of " + n
                + " within tolerance (default " + Tolerances.format(def) + "); " + c.count(Comparison.Verdict.OUTSIDE) + " outside, "
                + c.count(Comparison.Verdict.MISSING) + " missing, " + c.count(Comparison.Verdict.EXTRA) + " new, "
                + c.count(Comparison.Verdict.STATUS) + " changed status");
        if (!c.passed()) {
            out.println("If the change is intended, accept it with: dojosim check --baseline " + baselineFile + " --update-baseline " + dir);
        }
        out.flush();
        return c.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
