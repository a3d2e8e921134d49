package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dojosim.core.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dojosim plan} and the plan search inside {@code dojosim run}, on a 2 x 2-chip tile. */
class PlanCommandTest {
    private static final String[] SMALL = {"--set", "pod.system.scope=tile", "--set", "pod.tile.chipsX=2", "--set", "pod.tile.chipsY=2",
            "--set", "pod.dip.perTileEdge=2", "--set", "run.globalBatch=8"};

    @TempDir
    Path dir;

    private static String[] args(String... head) {
        String[] a = new String[head.length + SMALL.length];
        System.arraycopy(head, 0, a, 0, head.length);
        System.arraycopy(SMALL, 0, a, head.length, SMALL.length);
        return a;
    }

    @Test
    void planPrintsTheTopPlansAndWritesEveryCandidate() throws IOException {
        Path json = dir.resolve("plan.json");
        CliRunner r = CliRunner.run(args("plan", "-w", "resnet50", "--top", "3", "--json", json.toString()));
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("global batch 8 (run.globalBatch)"), r.out);
        assertTrue(r.out.contains("chosen"), r.out);
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertEquals(8, n.get("globalBatch").asInt());
        int chosen = 0;
        int simulated = 0;
        for (JsonNode c : n.get("candidates")) {
            if (c.get("status").asText().equals("chosen")) chosen++;
            if (c.has("simulatedStepSeconds")) simulated++;
        }
        assertEquals(1, chosen);
        assertEquals(n.get("simulated").asInt(), simulated);
        assertEquals(n.get("estimated").asInt() + n.get("rejected").asInt(), n.get("candidates").size());
    }

    @Test
    void planRefusesAWorkloadFileNamingTheKey() {
        CliRunner r = CliRunner.run(args("plan", "-w", Path.of("..", "configs", "workloads", "tiny-mlp.yaml").toString()));
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("run.workload") && r.err.contains("is a workload file") && r.err.contains("allowed: resnet50"), r.err);
        // a misspelt name is not called a file
        CliRunner typo = CliRunner.run(args("plan", "-w", "gtp3-175b"));
        assertEquals(2, typo.exit, typo.toString());
        assertTrue(typo.err.contains("'gtp3-175b' is not a built-in workload") && typo.err.contains("allowed: resnet50"), typo.err);
    }

    @Test
    @SuppressWarnings("unchecked")
    void runSearchesAndItsResolvedConfigReproducesTheChosenPlan() throws IOException {
        Path out = dir.resolve("run");
        CliRunner r = CliRunner.run(args("run", "-q", "-w", "resnet50", "-o", out.toString()));
        assertEquals(0, r.exit, r.toString());
        Map<String, Object> s = new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
        Map<String, Object> plan = (Map<String, Object>) s.get("plan");
        Map<String, Object> search = (Map<String, Object>) plan.get("search");
        assertEquals(8, search.get("globalBatch"));
        Map<String, Object> wl = (Map<String, Object>) s.get("workload");
        assertEquals(8, wl.get("samplesPerStep"));
        double step = (Double) s.get("stepTimeSeconds");
        assertEquals(8 / step, (Double) s.get("samplesPerSecond"), 1e-6 * 8 / step);
        // the resolved config fixes the plan and the global batch: no search, the same step and accounting
        ResolvedConfig again = new ConfigLoader(Catalog.get()).resolve(out.resolve("resolved-config.yaml"), List.of());
        Map<String, Object> s2 = RunService.run(again, null, null).summary();
        assertEquals(null, ((Map<String, Object>) s2.get("plan")).get("search"));
        assertEquals(s.get("stepTimeSeconds"), s2.get("stepTimeSeconds"));
        assertEquals(s.get("samplesPerSecond"), s2.get("samplesPerSecond"));
        assertEquals(s.get("mfu"), s2.get("mfu"));
    }

    @Test
    void aGlobalBatchBeyondTheFixedReplicasExitsTwo() {
        CliRunner r = CliRunner.run(args("run", "-q", "-w", "resnet50", "--set", "run.batchPerReplica=1", "--set", "run.mapping.replicaChips=1"));
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("run.globalBatch") && r.err.contains("allowed: at most 4"), r.err);
    }
}
