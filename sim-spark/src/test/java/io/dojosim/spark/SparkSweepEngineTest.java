package io.dojosim.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real local Spark session (local[2]) runs a sweep's points as tasks; its results tables are
 * the local engine's byte for byte, and a second run finds every point finished.
 */
class SparkSweepEngineTest {
    @TempDir
    Path dir;

    record R(int exit, String out, String err) {
    }

    static R cli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new R(code, o.toString(), e.toString());
    }

    @Test
    void sparkLocalSessionGivesTheLocalEnginesTablesByteForByte() throws IOException {
        Files.copy(Path.of("../configs/workloads/tiny-mlp.yaml"), dir.resolve("tiny-mlp.yaml"));
        Path spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, "schemaVersion: 1\nset:\n  pod.system.scope: tile\n  run.traceRanks: rank0\nworkload: tiny-mlp.yaml\naxes:\n"
                + "  - key: d1.node.clockHz\n    values: [1.0e9, 2.0e9]\n  - key: d1.node.threads\n    values: [2, 4]\n");
        Path local = dir.resolve("local");
        R l = cli("sweep", spec.toString(), "-j", "2", "-o", local.toString());
        assertEquals(0, l.exit(), l.toString());

        Path spark = dir.resolve("spark");
        R s = cli("sweep", spec.toString(), "--engine", "spark", "--master", "local[2]", "-o", spark.toString());
        assertEquals(0, s.exit(), s.toString());
        assertTrue(s.out().contains("spark (local[2]): 4 point(s) ran as tasks: {ok=4}"), s.out());
        assertTrue(s.out().contains("every one of the 4 points present once"), s.out());
        for (String table : new String[] {"results.csv", "results.jsonl"}) {
            assertArrayEquals(Files.readAllBytes(local.resolve(table)), Files.readAllBytes(spark.resolve(table)), table);
        }
        R again = cli("sweep", spec.toString(), "--engine", "spark", "--master", "local[2]", "-o", spark.toString());
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("nothing to run"), again.out());
    }
}
