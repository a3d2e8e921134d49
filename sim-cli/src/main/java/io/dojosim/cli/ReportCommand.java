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
 * CSS, script and data) of a run or a sweep folder. See docs/report.md.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a self-contained HTML report of a run or sweep folder: summary, mesh heatmaps,",
                "utilization per level, latency distributions, and for a sweep each metric against each axis."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A run folder (with summary.json) or a sweep folder (with sweep.json).")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The HTML file (default: DIR/report.html).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String html = ReportBuilder.build(dir, "dojosim " + VersionCommand.version());
        Path file = out != null ? out : dir.resolve("report.html");
        JsonFiles.writeText(file, html);
        spec.commandLine().getOut().println("report: " + file + " (" + html.length() / 1024 + " KiB, self-contained; open it in a browser)");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
