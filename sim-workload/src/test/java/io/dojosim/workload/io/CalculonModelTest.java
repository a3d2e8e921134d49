package io.dojosim.workload.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadSummary;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalculonModelTest {
    static final Path RES = Path.of("src/test/resources/calculon");

    @TempDir
    Path tmp;

    @Test
    void calculonGpt3MatchesTheBuiltIn() {
        GeneratorParams p = GeneratorParams.defaults().withBatchSize(1).withDim("layers", 2);
        Workload c = WorkloadLoader.load(RES.resolve("gpt3-175B.json").toString(), p, ImportOptions.DEFAULTS);
        Workload b = Generators.generate("gpt3-175b", p);
        assertEquals(b.ranks(), c.ranks());
        assertEquals(b.metadata().parameterCount(), c.metadata().parameterCount());
        assertEquals("gpt3-175B", c.metadata().name());
    }

    @Test
    void megatron1TFlopsFollowTheFormula() {
        // h 25600, 160 heads of 160, FFN 4h, seq 2048, 128 blocks, vocab 50257 (default)
        Workload w = WorkloadLoader.load(RES.resolve("megatron-1T.json").toString(),
                GeneratorParams.defaults().withBatchSize(1), ImportOptions.DEFAULTS);
        long b = 1, s = 2048, l = 128, h = 25600, v = 50257;
        long expected = 72 * b * s * l * h * h + 12 * b * s * s * l * h + 6 * b * s * h * v;
        WorkloadSummary sum = WorkloadSummary.of(w);
        assertEquals(expected, sum.computeByKind().get(io.dojosim.workload.ComputeKind.GEMM).flops()
                + sum.computeByKind().get(io.dojosim.workload.ComputeKind.ATTENTION).flops());
        // 128 (12 h^2 + 13 h) + V h + s h + 2 h = 1.008 T parameters ("1T")
        assertEquals(128L * (12L * h * h + 13 * h) + v * h + s * h + 2 * h, w.metadata().parameterCount());
    }

    @Test
    void badCalculonFileIsAUserError() throws Exception {
        Path f = tmp.resolve("m.json");
        Files.writeString(f, "{\"hidden\": 8, \"feedforward\": 32, \"seq_size\": 4, \"attn_heads\": 2, \"attn_size\": 4.5, \"num_blocks\": 1}");
        ConfigException e = assertThrows(ConfigException.class, () -> WorkloadLoader.load(f.toString()));
        assertTrue(e.getMessage().contains("'attn_size' must be an integer >= 1, found 4.5"), e.getMessage());
    }
}
