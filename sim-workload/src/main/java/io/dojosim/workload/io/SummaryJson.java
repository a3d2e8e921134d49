package io.dojosim.workload.io;

import io.dojosim.workload.WorkloadSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link WorkloadSummary} as JSON (the {@code --json FILE} of {@code workload inspect}). */
public final class SummaryJson {
    private SummaryJson() {
    }

    public static String toJson(WorkloadSummary s) {
        try {
            return WorkloadFormat.jsonMapper().writeValueAsString(s.toMap()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(WorkloadSummary s, Path file) throws IOException {
        Files.writeString(file, toJson(s), StandardCharsets.UTF_8);
    }
}
