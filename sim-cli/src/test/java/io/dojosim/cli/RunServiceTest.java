package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job as a library call, on one training tile. */
class RunServiceTest {
    @TempDir
    Path dir;

    static ResolvedConfig tile(String workload) {
        return new ConfigLoader(Catalog.get()).resolve(null, List.of("pod.system.scope=tile", "run.workload=" + workload,
                "run.batchPerReplica=2", "run.mapping.replicaChips=5"));
    }

    private static Map<String, Object> simulated(Map<String, Object> summary) {
        Map<String, Object> m = new LinkedHashMap<>(summary);
        m.remove("host");
        return m;
    }

    @Test
    void writesTheThreeResultFilesAndTheyAreReproducible() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        RunService.RunResult ra = RunService.run(tile("resnet50"), a, null);
        RunService.run(tile("resnet50"), b, null);
        for (String f : List.of("summary.json", "stats.json", "resolved-config.yaml", "heatmaps.json")) {
            assertTrue(Files.isRegularFile(a.resolve(f)), f);
        }
        assertEquals(Files.readString(a.resolve("stats.json")), Files.readString(b.resolve("stats.json")));
        assertEquals(Files.readString(a.resolve("resolved-config.yaml")), Files.readString(b.resolve("resolved-config.yaml")));
        String sa = Files.readString(a.resolve("summary.json"));
        String sb = Files.readString(b.resolve("summary.json"));
        assertEquals(sa.substring(0, sa.indexOf("\"host\"")), sb.substring(0, sb.indexOf("\"host\"")),
                "everything outside host is byte-identical");
        assertEquals(1, ra.summary().get("schemaVersion"));
        // the resolved config runs again to the same result
        ResolvedConfig again = new ConfigLoader(Catalog.get()).resolve(a.resolve("resolved-config.yaml"), List.of());
        assertEquals(simulated(ra.summary()), simulated(RunService.run(again, null, null).summary()));
    }

    @Test
    void ourFormatAndAChakraTraceOfTheSameWorkloadGiveIdenticalResults() {
        // ASTRA-sim's 4-NPU 1 MB all-reduce: the published Chakra trace, and the same workload in our format
        String yaml = Path.of("..", "configs", "workloads", "allreduce-4npus.yaml").toString();
        String chakra = Path.of("..", "sim-workload", "src", "test", "resources", "chakra", "all_reduce_4npus", "all_reduce").toString();
        Map<String, Object> fromYaml = simulated(RunService.run(tile(yaml), null, null).summary());
        Map<String, Object> fromChakra = simulated(RunService.run(tile(chakra), null, null).summary());
        assertEquals(fromYaml, fromChakra);
        assertTrue((Double) fromYaml.get("stepTimeSeconds") > 0);
        assertTrue((Double) fromYaml.get("communicationSeconds") > 0, "the all-reduce runs on the modeled links");
    }

    @Test
    void anUnknownWorkloadIsBadInputNamingTheBuiltIns() {
        CliRunner r = CliRunner.run("run", "-w", "resnet51", "--set", "pod.system.scope=tile");
        assertEquals(ExitCodes.BAD_INPUT, r.exit, r.toString());
        assertTrue(r.err.contains("resnet51") && r.err.contains("resnet50"), r.err);
    }
}
