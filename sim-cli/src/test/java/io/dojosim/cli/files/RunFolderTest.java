package io.dojosim.cli.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run folders are written whole or not at all (issue 17, cases 8 and 9): a failure while writing,
 * here a full disk simulated by the writer's I/O error after its first file, leaves the previous
 * folder byte for byte and no temporary folder; outputs that cannot be written are refused by the
 * checks that run before any simulation.
 */
class RunFolderTest {
    @TempDir
    Path dir;

    private static void runFiles(Path d, String tag) throws IOException {
        Files.writeString(d.resolve("resolved-config.yaml"), "config " + tag + "\n");
        Files.writeString(d.resolve("stats.json"), "{\"stats\": \"" + tag + "\"}\n");
        Files.writeString(d.resolve("summary.json"), "{\"summary\": \"" + tag + "\"}\n");
    }

    private List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewFolderAppearsWithEveryFileAndNoTemporarySibling() throws IOException {
        Path out = dir.resolve("run");
        RunFolder.commit(out, d -> runFiles(d, "one"));
        assertEquals("{\"summary\": \"one\"}\n", Files.readString(out.resolve("summary.json")));
        assertEquals(List.of("run"), siblings());
    }

    @Test
    void aFailureHalfWayLeavesThePreviousFolderUntouchedAndNoTemporaryFiles() throws IOException {
        Path out = dir.resolve("run");
        RunFolder.commit(out, d -> {
            runFiles(d, "old");
            Files.writeString(d.resolve("heatmaps.json"), "{}\n");
        });
        ConfigException e = assertThrows(OutputException.class, () -> RunFolder.commit(out, d -> {
            Files.writeString(d.resolve("resolved-config.yaml"), "config new\n");
            throw new java.nio.file.FileSystemException(d.resolve("stats.json").toString(), null, "File too large");
        }));
        assertTrue(e.getMessage().contains("File too large") && e.getMessage().contains("unchanged"), e.getMessage());
        assertEquals("config old\n", Files.readString(out.resolve("resolved-config.yaml")), "the new config is not beside old results");
        assertEquals("{\"stats\": \"old\"}\n", Files.readString(out.resolve("stats.json")));
        assertEquals("{\"summary\": \"old\"}\n", Files.readString(out.resolve("summary.json")));
        assertTrue(Files.exists(out.resolve("heatmaps.json")));
        assertEquals(List.of("run"), siblings(), "no temporary folder is left");
        try (Stream<Path> s = Files.list(out)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void aNewRunReplacesTheRunFilesRemovesStaleOnesAndKeepsForeignFiles() throws IOException {
        Path out = dir.resolve("run");
        RunFolder.commit(out, d -> {
            runFiles(d, "old");
            Files.writeString(d.resolve("heatmaps.json"), "{}\n");
        });
        Files.writeString(out.resolve("notes.txt"), "mine\n");
        RunFolder.commit(out, d -> runFiles(d, "new"));
        assertEquals("{\"summary\": \"new\"}\n", Files.readString(out.resolve("summary.json")));
        assertEquals("config new\n", Files.readString(out.resolve("resolved-config.yaml")));
        assertFalse(Files.exists(out.resolve("heatmaps.json")), "a previous run's file the new run did not write is gone");
        assertEquals("mine\n", Files.readString(out.resolve("notes.txt")));
        assertEquals(List.of("run"), siblings());
    }

    @Test
    void outputsUnderAFileOrOnAFolderAreRefusedNamingThem() throws IOException {
        Path file = dir.resolve("README.md");
        Files.writeString(file, "x");
        ConfigException a = assertThrows(ConfigException.class, () -> RunFolder.checkDir(file.resolve("out"), "-o"));
        assertTrue(a.getMessage().startsWith("-o ") && a.getMessage().contains("README.md is a file"), a.getMessage());
        ConfigException b = assertThrows(ConfigException.class, () -> RunFolder.checkDir(file, "-o"));
        assertTrue(b.getMessage().contains("it is a file, not a folder"), b.getMessage());
        ConfigException c = assertThrows(ConfigException.class, () -> RunFolder.checkFile(dir, "--trace"));
        assertTrue(c.getMessage().contains("--trace") && c.getMessage().contains("it is a folder"), c.getMessage());
        ConfigException d = assertThrows(ConfigException.class, () -> RunFolder.checkFile(file.resolve("x.json"), "--json"));
        assertTrue(d.getMessage().contains("README.md is a file"), d.getMessage());
        RunFolder.checkDir(dir.resolve("new/deeper"), "-o");
        RunFolder.checkFile(dir.resolve("new/x.json"), "--json");
        assertEquals(List.of("README.md"), siblings(), "the checks create nothing");
    }

    @Test
    void aFailedJsonWriteLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.json");
        assertThrows(OutputException.class, () -> JsonFiles.write(target, w -> {
            w.write("{\"half\":");
            throw new IOException("No space left on device");
        }));
        assertEquals(List.of(), siblings());
    }
}
