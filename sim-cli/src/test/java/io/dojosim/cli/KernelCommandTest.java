package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCommandTest {
    private int run(StringWriter out, StringWriter err, String... args) {
        return Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void nodeGemmWritesTheRequiredJsonFields(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("k.json");
        StringWriter out = new StringWriter();
        int rc = run(out, new StringWriter(), "kernel", "--kernel", "gemm", "--scope", "node", "--m", "32", "--n", "32", "--k", "32",
                "--json", json.toString());
        assertEquals(0, rc, out.toString());
        String s = Files.readString(json);
        // 32^3 BF16 on one node: 128 blocks + 17 latency + 32 store = 177 cycles (NodeKernelsTest)
        assertTrue(s.contains("\"cycles\" : 177"), s);
        assertTrue(s.contains("\"achievedTflops\""), s);
        assertTrue(s.contains("\"peakTflops\" : 1.024"), s);
        assertTrue(s.contains("\"utilization\""), s);
    }

    @Test
    void badInputExitsWithTwoAndAMessage() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "kernel", "--dtype", "fp64"));
        assertTrue(err.toString().contains("allowed: fp32, bf16"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "kernel", "--kernel", "alltoall", "--scope", "node"));
        assertTrue(err.toString().contains("--scope chip"), err.toString());
    }
}
