package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Resolves what a user names as a workload: a built-in name ({@link Generators}), a file of our
 * format (.yaml, .yml, .json), a Calculon LLM model file (.json with {@code num_blocks}: a GPT-style
 * decoder generated with its dimensions), a Chakra trace (an .et or .et.gz file, or the prefix of a
 * {@code prefix.N.et} set), a JSON trace (Chakra JSON, Chakra's feeder JSON or a PyTorch execution
 * trace, detected by content, see {@link TraceJson}; one file or the prefix of a {@code prefix.N.json}
 * set) or an ASTRA-sim 1.0 text workload (.txt).
 */
public final class WorkloadLoader {
    private WorkloadLoader() {
    }

    /**
     * @param spec a built-in name, a file or a Chakra prefix
     * @param gen parameters for a built-in generator (ignored for files)
     * @param opt unit conversions for imported traces
     * @throws ConfigException when nothing matches or the file is malformed
     */
    public static Workload load(String spec, GeneratorParams gen, ImportOptions opt) {
        try {
            return loadUnchecked(spec, gen, opt);
        } catch (ArithmeticException e) {
            // the last guard of every reader: a size, count or duration whose arithmetic overflows
            throw new ConfigException(spec + ": a size, count or duration in the workload is too large: its arithmetic overflows"
                    + " 64-bit integers; allowed: values whose products stay below " + Long.MAX_VALUE);
        }
    }

    private static Workload loadUnchecked(String spec, GeneratorParams gen, ImportOptions opt) {
        if (Generators.exists(spec)) {
            return Generators.generate(spec, gen);
        }
        String l = spec.toLowerCase(Locale.ROOT);
        if (ChakraImporter.isChakra(spec)) {
            return ChakraImporter.load(spec, opt);
        }
        if (ChakraImporter.isJsonSet(spec)) {
            return ChakraImporter.loadJsonSet(spec, opt);
        }
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p)) {
            throw new ConfigException("workload '" + spec + "' is neither a built-in workload ("
                    + String.join(", ", Generators.list().stream().map(Generators.Info::name).toList())
                    + ") nor an existing file or Chakra prefix");
        }
        if (l.endsWith(".json") && CalculonModel.looksLikeCalculon(p)) {
            return CalculonModel.load(p, gen);
        }
        if (l.endsWith(".json")) {
            TraceJson.Form form = TraceJson.detect(p);
            switch (form) {
                case CHAKRA_JSON, CHAKRA_FEEDER_JSON, PYTORCH_ET -> {
                    return ChakraImporter.loadJson(p, form, opt);
                }
                case UNKNOWN -> throw new ConfigException(spec + ": this JSON file is none of the accepted forms: "
                        + TraceJson.describe(p) + "; accepted: " + TraceJson.ACCEPTED);
                default -> {
                    // our format (or a Calculon file the check above did not take): read strictly below
                }
            }
        }
        if (l.endsWith(".yaml") || l.endsWith(".yml") || l.endsWith(".json")) {
            return WorkloadFormat.read(p);
        }
        if (l.endsWith(".txt")) {
            return AstraSimTextImporter.load(p, opt);
        }
        throw new ConfigException(spec + ": unknown workload file type; allowed: .yaml, .yml, .json (dojosim format), "
                + ".et, .et.gz or a prefix of prefix.N.et files (Chakra), .json (Chakra JSON, PyTorch execution trace), "
                + ".txt (ASTRA-sim 1.0)");
    }

    /** Loads with the generator defaults and default import options. */
    public static Workload load(String spec) {
        return load(spec, GeneratorParams.defaults(), ImportOptions.DEFAULTS);
    }
}
