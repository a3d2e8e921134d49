package io.dojosim.cli;

import io.dojosim.workload.Workload;
import io.dojosim.workload.io.AstraSimTextImporter;
import io.dojosim.workload.io.ChakraImporter;
import io.dojosim.workload.io.ImportOptions;
import io.dojosim.workload.io.WorkloadFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a workload file by its name: {@code .yaml}/{@code .yml}/{@code .json} in dojosim's own
 * format, a Chakra trace ({@code .et}, {@code .et.gz} or the prefix of a {@code prefix.N.et} set),
 * or an ASTRA-sim 1.0 text workload ({@code .txt}).
 */
public final class WorkloadFiles {
    private WorkloadFiles() {
    }

    public static Workload read(String spec) {
        String lower = spec.toLowerCase(Locale.ROOT);
        if (ChakraImporter.isChakra(spec)) {
            return ChakraImporter.load(spec, ImportOptions.DEFAULTS);
        }
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p)) {
            throw WorkloadResolver.unknown(spec);
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
            return WorkloadFormat.read(p);
        }
        if (lower.endsWith(".txt")) {
            return AstraSimTextImporter.load(p, ImportOptions.DEFAULTS);
        }
        throw WorkloadResolver.unknown(spec);
    }
}
