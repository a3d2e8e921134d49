package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadCommandTest {
    @TempDir
    Path tmp;

    @Test
    void listShowsEveryBuiltIn() {
        CliRunner r = CliRunner.run("workload", "list");
        assertEquals(0, r.exit, r.toString());
        for (String n : new String[] {"resnet50", "bert-large", "gpt3-175b", "gpt3-13b", "gpt3-6.7b", "vision-bev"}) {
            assertTrue(r.out.contains(n), n + "\n" + r);
        }
    }

    @Test
    void inspectPrintsTableAndJson() throws Exception {
        Path json = tmp.resolve("s.json");
        CliRunner r = CliRunner.run("workload", "inspect", "../configs/workloads/tiny-mlp.yaml", "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("critical path") && r.out.contains("8 operations"), r.out);
        String j = Files.readString(json);
        // 5 GEMMs x 268,435,456 + GELU 2 x 1,048,576 + loss 163,840 + updates 2 x 50,331,648
        assertTrue(j.contains("\"totalFlops\" : 1445101568"), j);
    }

    @Test
    void inspectBuiltInWithDimensions() {
        CliRunner r = CliRunner.run("workload", "inspect", "gpt3-175b", "--dim", "layers=2", "--batch", "1");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("ATTENTION"), r.out);
    }

    @Test
    void badInputExitsTwoWithTheFileAndLine() throws Exception {
        Path f = tmp.resolve("w.yaml");
        Files.writeString(f, "schemaVersion: 1\nname: x\nbatchSize: one\n");
        CliRunner r = CliRunner.run("workload", "inspect", f.toString());
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains(f + ":3:") && r.err.contains("batchSize"), r.err);
        r = CliRunner.run("workload", "inspect", "resnet51");
        assertEquals(2, r.exit);
        assertTrue(r.err.contains("resnet50"), r.err);
    }

    @Test
    void convertToChakraAndBackKeepsTheGraph() throws Exception {
        Path et = tmp.resolve("ar.et");
        CliRunner r = CliRunner.run("workload", "convert", "../configs/workloads/allreduce-4npus.yaml", et.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(Files.exists(tmp.resolve("ar.3.et")));
        Path y = tmp.resolve("back.yaml");
        r = CliRunner.run("workload", "convert", tmp.resolve("ar").toString(), y.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(Files.readString(y).contains("bytes: 1048576"));
    }

    @Test
    void convertCreatesAMissingFolderAndRejectsOneThatCannotBe() throws Exception {
        Path et = tmp.resolve("new").resolve("sub").resolve("ar.et");
        CliRunner r = CliRunner.run("workload", "convert", "../configs/workloads/allreduce-4npus.yaml", et.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(Files.exists(tmp.resolve("new/sub/ar.0.et")));
        Path file = Files.writeString(tmp.resolve("plain"), "not a folder");
        for (String out : new String[] {file.resolve("ar.et").toString(), file.resolve("w.yaml").toString()}) {
            r = CliRunner.run("workload", "convert", "../configs/workloads/allreduce-4npus.yaml", out);
            assertEquals(ExitCodes.BAD_INPUT, r.exit, r.toString());
            assertTrue(r.err.contains(out + ": cannot be written"), r.err);
            assertFalse(r.err.contains("internal error"), r.err);
        }
    }
}
