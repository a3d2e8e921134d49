package io.dojosim.cli;

import io.dojosim.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads workload files by their extension (the importers live in sim-workload's io package). */
final class WorkloadFiles {
    private WorkloadFiles() {
    }

    static Workload read(String spec) {
        Path p = Path.of(spec);
        if (!Files.exists(p) && !Files.exists(Path.of(spec + ".0.et"))) {
            throw WorkloadResolver.unknown(spec);
        }
        throw WorkloadResolver.unknown(spec);
    }
}
