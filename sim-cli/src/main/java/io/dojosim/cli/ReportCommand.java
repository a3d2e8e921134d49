package io.dojosim.cli;

import io.dojosim.cli.report.ReportBuilder;
import io.dojosim.cli.files.JsonFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dojosim report DIR [-o FILE]}: writes a self-contained HTML report (no network: inline
 * CSS, script and data) of a run or a sweep folder. {@code dojosim report --compare BASE NEW}:
 * a page comparing two folders, with the table of what moved the step time. See docs/report.md.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a self-contained HTML report of a run or sweep folder: summary, mesh heatmaps,",
                "utilization per level, latency distributions, and for a sweep each metric against each axis.",
                "With --compare BASE NEW: what moved the step time between two run (or sweep) folders, and every metric's change."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "DIR", description = "A run folder (with summary.json) or a sweep folder (with sweep.json).")
    Path dir;

    @Option(names = "--compare", arity = "2", paramLabel = "DIR",
            description = "Compare two folders, BASE then NEW (written to NEW/compare.html unless -o).")
    java.util.List<Path> compare;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The HTML file (default: DIR/report.html).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (compare != null) {
            if (dir != null) {
                throw new io.dojosim.core.config.ConfigException("report: give either DIR or --compare BASE NEW, not both");
            }
            String html = io.dojosim.cli.report.CompareReport.build(compare.get(0), compare.get(1), "dojosim " + VersionCommand.version());
            Path file = out != null ? out : compare.get(1).resolve("compare.html");
            JsonFiles.writeText(file, html);
            spec.commandLine().getOut().println("comparison: " + file + " (" + compare.get(0) + " -> " + compare.get(1) + ")");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        if (dir == null) {
            throw new io.dojosim.core.config.ConfigException("report: give a run or sweep folder DIR, or --compare BASE NEW");
        }
        String html = ReportBuilder.build(dir, "dojosim " + VersionCommand.version());
        Path file = out != null ? out : dir.resolve("report.html");
        JsonFiles.writeText(file, html);
        spec.commandLine().getOut().println("report: " + file + " (" + html.length() / 1024 + " KiB, self-contained; open it in a browser)");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
