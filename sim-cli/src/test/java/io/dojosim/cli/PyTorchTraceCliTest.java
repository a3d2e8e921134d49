package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PyTorch-derived data-parallel training trace (configs/workloads/pytorch-ddp, written by our
 * Chakra writer in the structure Chakra's converter writes) from the command line.
 */
class PyTorchTraceCliTest {
    static final String TRACE = "../configs/workloads/pytorch-ddp/cnn-ddp";
    /** FLOPs of one rank's step, by hand (sim-workload PyTorchTraceImportTest). */
    static final long FLOPS_PER_RANK = 75_190_184L;

    @TempDir
    Path tmp;

    JsonNode run(String workload, String name) throws Exception {
        Path json = tmp.resolve(name + ".json");
        CliRunner r = CliRunner.run("run", "-c", "../configs/training-tile.yaml", "-w", workload, "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("trace      18 operations re-costed, 2 replayed (1.2 % of recorded time); 38 host operations"), r.out);
        return new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void aTrainingTraceReportsSamplesPerSecondAndMfu() throws Exception {
        JsonNode s = run(TRACE, "a");
        assertTrue(s.get("samplesPerSecond").asDouble() > 0, s.toString());
        assertTrue(s.get("mfu").asDouble() > 0, s.toString());
        assertEquals(8, s.get("workload").get("batchPerReplica").asLong(), "batch inferred from the first convolution");
        // the trace's ranks run rank by rank (ADR 0074), each its own copy of the data-parallel step
        long ranks = s.get("workload").get("ranks").asLong();
        long copies = s.get("plan").get("dataParallel").asLong();
        assertEquals((double) copies * ranks * FLOPS_PER_RANK, s.get("modeledFlops").asDouble());
        assertTrue(s.get("workload").get("rankPlacement").get("dataParallelRanks").asBoolean());
        assertEquals(copies * ranks * 8, s.get("workload").get("samplesPerStep").asLong(), "each data-parallel rank runs its own batch of 8");
        assertEquals(18, s.get("operations").get("trace").get("recosted").asLong());
        assertTrue(s.get("communicationSeconds").asDouble() > 0, "the all-reduce buckets run on the modeled links");
    }

    @Test
    void runGlobalBatchStatesATracesSamplesPerStepAndKeepsItsWork() throws Exception {
        JsonNode inferred = run(TRACE, "inferred");
        Path json = tmp.resolve("g.json");
        CliRunner r = CliRunner.run("run", "-c", "../configs/training-tile.yaml", "-w", TRACE, "--set", "run.globalBatch=64", "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        JsonNode s = new ObjectMapper().readTree(json.toFile());
        assertEquals(64, s.get("workload").get("samplesPerStep").asLong());
        assertEquals(64 / s.get("stepTimeSeconds").asDouble(), s.get("samplesPerSecond").asDouble(), 1e-9 * s.get("samplesPerSecond").asDouble());
        // the recorded work is the same: step, FLOPs and MFU do not move
        assertEquals(inferred.get("stepTimeSeconds").asDouble(), s.get("stepTimeSeconds").asDouble());
        assertEquals(inferred.get("modeledFlops").asDouble(), s.get("modeledFlops").asDouble());
        assertEquals(inferred.get("mfu").asDouble(), s.get("mfu").asDouble());
    }

    @Test
    void theTraceWrittenBackByOurWriterRunsToTheSameResult() throws Exception {
        Path out = tmp.resolve("rt.et");
        CliRunner c = CliRunner.run("workload", "convert", TRACE, out.toString());
        assertEquals(0, c.exit, c.toString());
        JsonNode a = run(TRACE, "a");
        JsonNode b = run(tmp.resolve("rt").toString(), "b");
        for (String k : new String[] {"stepTimeSeconds", "samplesPerSecond", "mfu", "modeledFlops", "computeSeconds",
            "communicationSeconds", "timeByOpType", "plan"}) {
            assertEquals(a.get(k), b.get(k), k);
        }
    }

    @Test
    void inspectShowsRanksGroupsAndWhatIsRecostedOrReplayed() throws Exception {
        Path json = tmp.resolve("i.json");
        CliRunner r = CliRunner.run("workload", "inspect", TRACE, "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("[0, 1] (2 rank graphs)"), r.out);
        // group "0": two buckets on each of two ranks, 173,140 + 896 bytes each
        assertTrue(r.out.matches("(?s).*\\n0 +4 +348,072  \\[0, 1\\]\\n.*"), r.out);
        assertTrue(r.out.contains("18 operations re-costed, 2 replayed (1.2 % of recorded time)"), r.out);
        assertTrue(r.out.contains("re-costed by the Dojo model") && r.out.contains("aten::conv2d"), r.out);
        assertTrue(r.out.contains("replayed (recorded duration)") && r.out.contains("nll_loss_forward"), r.out);
        JsonNode j = new ObjectMapper().readTree(json.toFile()).get("trace");
        assertEquals(4, j.get("recostedByName").get("aten::conv2d").get("count").asLong(), "conv1 and conv2 on two ranks");
        assertEquals(2 * (7_077_888L + 18_874_368L), j.get("recostedByName").get("aten::conv2d").get("flops").asLong());
    }

    @Test
    void badTracesStillExitTwoWithTheOffsetTheNodeAndWhatIsAllowed() throws Exception {
        byte[] b = Files.readAllBytes(Path.of(TRACE + ".0.et"));
        Path cut = tmp.resolve("cut.0.et");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length - 7));
        CliRunner r = CliRunner.run("workload", "inspect", cut.toString());
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("byte offset"), r.err);
        Path odd = tmp.resolve("odd.json");
        Files.writeString(odd, "{\"traceEvents\": []}");
        r = CliRunner.run("run", "-c", "../configs/training-tile.yaml", "-w", odd.toString());
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("Kineto") && r.err.contains("accepted:"), r.err);
    }
}
