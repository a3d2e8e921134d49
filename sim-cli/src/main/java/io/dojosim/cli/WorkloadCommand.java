package io.dojosim.cli;

import io.dojosim.cli.files.RecordFields;
import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadSummary;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import io.dojosim.workload.io.ChakraWriter;
import io.dojosim.workload.io.ImportOptions;
import io.dojosim.workload.io.WorkloadFormat;
import io.dojosim.workload.io.WorkloadLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dojosim workload list|inspect|convert}: the built-in workloads, a summary of any workload
 * (operations by type, FLOPs, bytes, communication, re-costing counts, critical path, per-rank
 * counts) and conversion between the formats (docs/workload-format.md).
 */
@Command(name = "workload", mixinStandardHelpOptions = true,
        description = "Built-in workloads, workload summaries and format conversion.",
        subcommands = {WorkloadCommand.ListCommand.class, WorkloadCommand.InspectCommand.class,
            WorkloadCommand.ConvertCommand.class})
public final class WorkloadCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options naming a workload and, for built-ins, its parameters. */
    static final class Source {
        @Parameters(index = "0", paramLabel = "WORKLOAD",
                description = "A built-in name (see 'workload list'), a .yaml/.json file, a Calculon model .json, "
                        + "a Chakra .et file or prefix of prefix.N.et files, a Chakra JSON or PyTorch execution-trace "
                        + ".json, or an ASTRA-sim 1.0 .txt file.")
        String workload;

        @Option(names = "--batch", paramLabel = "N", description = "Batch size of a built-in workload (default: the model's), or of a trace (default: inferred from its shapes).")
        long batch;

        @Option(names = "--data-type", paramLabel = "TYPE", description = "Compute data type of a built-in workload: "
                + "BF16, CFP8, FP32, FP16, INT8 (default BF16).")
        DataType dataType = DataType.BF16;

        @Option(names = "--gradient-type", paramLabel = "TYPE", description = "Weight-gradient data type of a built-in "
                + "workload (default FP32).")
        DataType gradientType = DataType.FP32;

        @Option(names = "--dim", paramLabel = "NAME=VALUE", description = "A model dimension of a built-in workload "
                + "(repeatable), e.g. --dim layers=2.")
        Map<String, Long> dims = new LinkedHashMap<>();

        @Option(names = "--chakra-duration-unit-ps", paramLabel = "PS", description = "Picoseconds per unit of Chakra "
                + "duration_micros (default 1000000).")
        long chakraUnitPs = ImportOptions.DEFAULTS.chakraDurationUnitPs();

        @Option(names = "--astra-cycle-ps", paramLabel = "PS", description = "Picoseconds per ASTRA-sim 1.0 compute "
                + "cycle (default 1000).")
        long astraCyclePs = ImportOptions.DEFAULTS.astraCyclePs();

        @Option(names = "--replay-scale", paramLabel = "X", description = "Factor on the recorded duration of trace "
                + "operations that are replayed rather than re-costed (default 1; trace.replayScale in a run).")
        double replayScale = 1.0;

        Workload load() {
            GeneratorParams p = new GeneratorParams(batch, dataType, gradientType, dims);
            return WorkloadLoader.load(workload, p, new ImportOptions(chakraUnitPs, astraCyclePs, replayScale, batch));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in workloads and their dimensions.")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--json", paramLabel = "FILE", description = "Also write the list as JSON.")
        Path json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Object> rows = new ArrayList<>();
            out.printf(Locale.ROOT, "%-14s %7s %6s  %s%n", "name", "global", "batch", "description / dimensions (--dim NAME=VALUE)");
            for (Generators.Info i : Generators.list()) {
                out.printf(Locale.ROOT, "%-14s %7d %6d  %s%n", i.name(), i.globalBatch(), i.defaultBatch(), i.description());
                StringBuilder d = new StringBuilder();
                i.dims().forEach((k, v) -> d.append(d.length() == 0 ? "" : ", ").append(k).append('=').append(v));
                out.printf(Locale.ROOT, "%-14s %7s %6s  %s%n", "", "", "", d);
                out.printf(Locale.ROOT, "%-14s %7s %6s  global batch: %s%n", "", "", "", i.globalBatchSource());
                rows.add(RecordFields.of(i, "name", "description", "defaultBatch", "globalBatch", "globalBatchSource", "dims"));
            }
            out.flush();
            if (json != null) {
                Output.writeJson(json, rows);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Summarize a workload: operations by type, FLOPs, bytes, communication volume, "
                    + "re-costing counts, critical path, per-rank counts; ranks, communicator groups, and which "
                    + "operations the Dojo model re-costs and which replay their recorded duration.")
    static final class InspectCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Source source = new Source();

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
        Path json;

        @Option(names = "--max-ranks", paramLabel = "N", description = "Per-rank rows to print (default 16).")
        int maxRanks = 16;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Workload w = source.load();
            WorkloadSummary s = WorkloadSummary.of(w);
            io.dojosim.workload.TraceReport t = io.dojosim.workload.TraceReport.of(w);
            spec.commandLine().getOut().print(s.toTable(maxRanks));
            spec.commandLine().getOut().print(t.toTable());
            spec.commandLine().getOut().flush();
            if (json != null) {
                com.fasterxml.jackson.databind.node.ObjectNode m = io.dojosim.workload.io.SummaryJson.tree(s);
                m.set("trace", io.dojosim.workload.io.SummaryJson.tree(t));
                Output.writeJson(json, m);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Write a workload in the dojosim format (.yaml/.json) or as Chakra traces (OUT.N.et).")
    static final class ConvertCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Source source = new Source();

        @Parameters(index = "1", paramLabel = "OUT", description = "Output: a .yaml/.yml/.json file, or a prefix "
                + "ending in .et (OUT.et writes OUT.0.et, OUT.1.et, ...).")
        String out;

        @Option(names = "--gzip", description = "Compress Chakra output (.et.gz).")
        boolean gzip;

        @Override
        public Integer call() throws IOException {
            String l = out.toLowerCase(Locale.ROOT);
            boolean text = l.endsWith(".yaml") || l.endsWith(".yml") || l.endsWith(".json");
            if (!text && !l.endsWith(".et")) {
                throw new ConfigException(out + ": unknown output type; allowed: .yaml, .yml, .json, .et");
            }
            Workload w = source.load();
            // like every other output of dojosim, a missing folder is created; one that cannot be is bad input
            try {
                Path dir = Path.of(out).toAbsolutePath().getParent();
                if (dir != null) Files.createDirectories(dir);
                if (text) {
                    WorkloadFormat.write(w, Path.of(out));
                } else {
                    ChakraWriter.write(w, Path.of(out.substring(0, out.length() - 3)), gzip);
                }
            } catch (IOException e) {
                throw new ConfigException(out + ": cannot be written (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); name a file in a folder that exists or can be created");
            }
            return ExitCodes.OK;
        }
    }
}
