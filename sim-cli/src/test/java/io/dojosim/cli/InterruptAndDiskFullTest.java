package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a child process, as a user meets it (issue 17, cases 9 and 11): Ctrl-C
 * (SIGINT) stops a long run, which writes its resolved config and a summary marked
 * {@code "complete": false}, says so and exits 130; a run that hits a small file-size limit
 * ({@code ulimit -f}) exits 2 and leaves the previous run's folder byte for byte, with no
 * temporary files. The waits below are failure guards, not measurements.
 */
class InterruptAndDiskFullTest {
    @TempDir
    Path dir;

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void ctrlCWritesWhatExistsMarkedIncompleteAndExits130() throws Exception {
        Path out = dir.resolve("run");
        Path log = dir.resolve("child.log");
        // a run of minutes: ResNet-50 on a tile with every chip mesh at flit level
        Process child = new ProcessBuilder(java("run", "-c", "../configs/training-tile.yaml", "-w", "resnet50",
                "--set", "pod.coarse.chipFidelity=flit", "-o", out.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Thread.sleep(10_000); // the JVM starts and installs its handler; the step takes minutes more
            assertTrue(child.isAlive(), () -> "the run ended before Ctrl-C: " + read(log));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), () -> "the run did not stop after Ctrl-C: " + read(log));
        } finally {
            child.destroyForcibly();
        }
        String text = read(log);
        assertEquals(ExitCodes.INTERRUPTED, child.exitValue(), text);
        assertTrue(text.contains("interrupted at simulated time") && text.contains("\"complete\": false"), text);
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"complete\" : false"), summary);
        assertTrue(Files.readString(out.resolve("resolved-config.yaml")).contains("chipFidelity: \"flit\""));
        assertEquals(List.of("run"), siblings(), "no temporary folder is left");
    }

    @Test
    void aFileSizeLimitFailsTheRunAndLeavesThePreviousFolderUntouched() throws Exception {
        Path out = dir.resolve("run");
        CliRunner first = CliRunner.run("run", "-c", "../configs/training-tile.yaml", "-w", "../configs/workloads/three-gemms.yaml",
                "-o", out.toString());
        assertEquals(0, first.exit, first::toString);
        String stats = Files.readString(out.resolve("stats.json"));
        String summary = Files.readString(out.resolve("summary.json"));
        String config = Files.readString(out.resolve("resolved-config.yaml"));
        assertTrue(stats.length() > 5 * 1024, "stats.json must exceed the 5 KiB limit below");

        List<String> cmd = java("run", "-c", "../configs/training-tile.yaml", "-w", "../configs/workloads/three-gemms.yaml",
                "--steps", "2", "-o", out.toString());
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(concat(List.of("bash", "-c", "ulimit -f 5 && exec \"$@\"", "bash"), cmd))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), () -> "the run did not end: " + read(log));
        String text = read(log);
        assertEquals(ExitCodes.BAD_INPUT, child.exitValue(), text);
        assertTrue(text.contains("cannot write the run folder") && text.contains("unchanged"), text);
        assertFalse(text.contains("Exception"), text);
        assertEquals(stats, Files.readString(out.resolve("stats.json")));
        assertEquals(summary, Files.readString(out.resolve("summary.json")));
        assertEquals(config, Files.readString(out.resolve("resolved-config.yaml")), "no new config beside the old results");
        assertEquals(List.of("run"), siblings(), "no temporary folder is left");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable)";
        }
    }
}
