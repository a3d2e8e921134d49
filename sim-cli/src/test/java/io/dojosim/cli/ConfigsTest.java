package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every config shipped in configs/ is valid, and the ExaPOD file states the built-in defaults. */
class ConfigsTest {
    static List<Path> configs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "configs"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyShippedConfigValidates() throws IOException {
        List<Path> files = configs();
        assertTrue(files.size() >= 8, "configs/ holds the ExaPOD, tile, tray, chip and what-if configs: " + files);
        for (Path p : files) {
            CliRunner r = CliRunner.run("validate", p.toString());
            assertEquals(0, r.exit, p + ": " + r);
        }
    }

    @Test
    void theExaPodConfigRestatesTheDefaults() {
        var defaults = Catalog.get().defaults();
        var exapod = new ConfigLoader(Catalog.get()).resolve(Path.of("..", "configs", "exapod.yaml"), List.of());
        assertEquals(defaults.values(), exapod.values());
    }
}
