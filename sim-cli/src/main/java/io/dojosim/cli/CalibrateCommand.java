package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.d1.chip.ChipCalibration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dojosim calibrate}: runs workloads at {@code run.computeFidelity = cycle} on the
 * configured machine and writes the chip GEMM shares it measured as a calibration table
 * (docs/model/d1-chip.md#calibrated), merged with the file's entries if it exists. The shipped
 * table of sim-d1 is written this way for the default machine at tile scope.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the whole-die GEMM shares of workloads at cycle fidelity and write them as a calibration table",
                "(the calibrated compute fidelity's input; docs/model/d1-chip.md#calibrated)."})
public final class CalibrateCommand extends SimulatingCommand {
    @Option(names = {"-w", "--workload"}, paramLabel = "WORKLOAD", required = true,
            description = "A workload to run (repeatable); each runs as `dojosim run` would, at cycle compute fidelity.")
    List<String> workloads;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The table to write (entries already there are kept).")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter pw = spec.commandLine().getOut();
        Map<String, ChipCalibration.Entry> table = new TreeMap<>();
        if (Files.exists(out)) {
            try (Reader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
                for (ChipCalibration.Entry e : ChipCalibration.read(r, out.toString())) table.put(e.key(), e);
            }
        }
        int before = table.size();
        config.addOverride("run.computeFidelity", "cycle");
        try (Workers workers = threadsOption.workers(ThreadsOption.Gain.IDLE_CORES)) {
            for (String w : workloads) {
                config.addOverride("run.workload", w);
                ResolvedConfig c = config.resolve();
                long t0 = System.nanoTime();
                Map<String, Object> s = RunService.run(c, null, null, workers).summary();
                pw.printf(Locale.ROOT, "%-14s step time %.9g s at cycle fidelity (compute %.9g s), %.1f s wall%n", w, (Double) s.get("stepTimeSeconds"),
                        (Double) s.get("computeSeconds"), (System.nanoTime() - t0) / 1e9);
                // written after each workload, so a long calibration keeps what it measured
                write(table);
                pw.flush();
            }
        }
        if (table.isEmpty()) {
            throw new ConfigException("calibrate: the workloads " + workloads + " have no whole-die GEMM share on this machine; nothing to write");
        }
        pw.printf(Locale.ROOT, "wrote %d entries (%d new) to %s%n", table.size(), table.size() - before, out);
        return ExitCodes.OK;
    }

    private void write(Map<String, ChipCalibration.Entry> table) {
        for (ChipCalibration.Entry e : ChipCalibration.measured()) table.put(e.key(), e);
        StringBuilder sb = new StringBuilder(ChipCalibration.header()).append('\n');
        for (ChipCalibration.Entry e : table.values()) sb.append(e.line()).append('\n');
        Output.writeText(out, sb.toString());
    }
}
