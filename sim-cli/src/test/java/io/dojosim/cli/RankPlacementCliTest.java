package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.DataType;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import io.dojosim.workload.io.ChakraWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dojosim run` on multi-rank Chakra traces: the placement is stated, unmatched messages and groups are exit 2. */
class RankPlacementCliTest {
    static WorkloadMetadata meta(String name) {
        return new WorkloadMetadata(name, "test", 0, 0, 0, List.of(DataType.BF16), 0, ParallelismHint.NONE, Map.of());
    }

    /** n ranks, each one all-reduce of 1 MiB on the process group its rank maps to. */
    static Path allReduceSet(Path dir, String name, int n, java.util.function.IntFunction<String> pg) throws Exception {
        List<RankGraph> ranks = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ranks.add(new RankGraph(r, List.of(new CollectiveOp(r, "all_reduce", CollectiveKind.ALL_REDUCE, 1L << 20,
                    new CommGroup(ParallelDim.ALL, pg.apply(r), List.of(), List.of()), 0, List.of(), "", Phase.UNSPECIFIED, -1))));
        }
        Path prefix = dir.resolve(name);
        ChakraWriter.write(new Workload(meta(name), ranks), prefix, false);
        return prefix;
    }

    @Test
    void anEightRankAllReduceSetRunsOnEightChipsAndSaysSoOrIsReplicatedWhenAsked(@TempDir Path dir) throws Exception {
        Path set = allReduceSet(dir, "ar8", 8, r -> "");
        CliRunner r = CliRunner.run("run", "-q", "-w", set.toString(), "--set", "pod.system.scope=tile", "-o", dir.resolve("a").toString());
        assertEquals(ExitCodes.OK, r.exit, r.toString());
        assertTrue(r.out.contains("8 ranks x 1 chips (17 idle chips)") && r.out.contains("note       8 ranks on 8 chips"), r.out);
        String summary = Files.readString(dir.resolve("a").resolve("summary.json"));
        assertTrue(summary.contains("\"rankPlacement\"") && summary.contains("\"replicated\" : false"), summary);
        CliRunner rep = CliRunner.run("run", "-q", "-w", set.toString(), "--set", "pod.system.scope=tile", "--set", "run.replicateRanks=true",
                "-o", dir.resolve("b").toString());
        assertEquals(ExitCodes.OK, rep.exit, rep.toString());
        assertTrue(rep.out.contains("replicated data parallel: 3 copies of the rank set on 24 chips"), rep.out);
    }

    @Test
    void aOneRankFileWhoseSendHasNoPartnerExitsTwoNamingNodeAndRank(@TempDir Path dir) throws Exception {
        Path prefix = dir.resolve("one");
        ChakraWriter.write(new Workload(meta("one"), List.of(new RankGraph(0, List.of(
                new PointToPointOp(2, "send.a", PointToPointOp.Direction.SEND, 1, 7, 131_072, List.of(), "", Phase.UNSPECIFIED, -1))))), prefix, false);
        CliRunner r = CliRunner.run("run", "-q", "-w", prefix.toString(), "--set", "pod.system.scope=tile", "-o", dir.resolve("o").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit, r.toString());
        assertTrue(r.err.contains("rank 0 node 2") && r.err.contains("run.unmatchedPointToPoint"), r.err);
        CliRunner warned = CliRunner.run("run", "-q", "-w", prefix.toString(), "--set", "pod.system.scope=tile", "--set",
                "run.unmatchedPointToPoint=warn", "-o", dir.resolve("w").toString());
        assertEquals(ExitCodes.OK, warned.exit, warned.toString());
        assertTrue(warned.out.contains("warning    rank 0 node 2"), warned.out);
    }

    @Test
    void anAstraSimCommunicatorGroupFileGivesTheRanksOfEachProcessGroup(@TempDir Path dir) throws Exception {
        // ranks 0, 1 all-reduce on process group "0", ranks 2, 3 on "1"
        Path set = allReduceSet(dir, "pg", 4, r -> r < 2 ? "0" : "1");
        Path groups = dir.resolve("groups.json");
        Files.writeString(groups, "{\"0\": [0, 1], \"1\": [2, 3]}\n");
        String[] base = {"run", "-q", "-w", set.toString(), "--set", "pod.system.scope=tile", "--set", "pod.tile.chipsX=4", "--set",
                "pod.tile.chipsY=1", "--set", "pod.dip.perTileEdge=1"};
        CliRunner named = CliRunner.run(concat(base, "-o", dir.resolve("n").toString()));
        CliRunner filed = CliRunner.run(concat(base, "--set", "run.commGroups=" + groups, "-o", dir.resolve("f").toString()));
        assertEquals(ExitCodes.OK, named.exit, named.toString());
        assertEquals(ExitCodes.OK, filed.exit, filed.toString());
        String a = Files.readString(dir.resolve("n").resolve("summary.json"));
        String b = Files.readString(dir.resolve("f").resolve("summary.json"));
        assertEquals(a.substring(a.indexOf("\"stepTimeSeconds\""), a.indexOf("\"host\"")), b.substring(b.indexOf("\"stepTimeSeconds\""), b.indexOf("\"host\"")));
        // a file that puts rank 2 in group "0" too: rank 2 never issues a collective on "0", which is refused
        Files.writeString(groups, "{\"0\": [0, 1, 2], \"1\": [3]}\n");
        CliRunner wrong = CliRunner.run(concat(base, "--set", "run.commGroups=" + groups, "-o", dir.resolve("x").toString()));
        assertEquals(ExitCodes.BAD_INPUT, wrong.exit, wrong.toString());
        assertTrue(wrong.err.contains("rank 2"), wrong.err);
        Files.writeString(groups, "[0, 1]\n");
        CliRunner bad = CliRunner.run(concat(base, "--set", "run.commGroups=" + groups, "-o", dir.resolve("y").toString()));
        assertEquals(ExitCodes.BAD_INPUT, bad.exit, bad.toString());
        assertTrue(bad.err.contains("groups.json") && bad.err.contains("group name -> list of ranks"), bad.err);
    }

    @Test
    void aRankByRankRunIsByteIdenticalOnOneAndTwoThreads(@TempDir Path dir) throws Exception {
        // 8 ranks of 44 nodes on one chip, each with a GEMM (timed in parallel on the threads), then a whole-set all-reduce
        List<RankGraph> ranks = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            ranks.add(new RankGraph(r, List.of(
                    io.dojosim.workload.ComputeOp.builder(1, "gemm", io.dojosim.workload.ComputeKind.GEMM)
                            .shape(new io.dojosim.workload.GemmShape(1, 256 + 32 * r, 512, 256)).dataType(DataType.BF16).build(),
                    new CollectiveOp(2, "all_reduce", CollectiveKind.ALL_REDUCE, 1L << 20, CommGroup.of(ParallelDim.ALL), 0, List.of(1L), "",
                            Phase.UNSPECIFIED, -1))));
        }
        Path file = dir.resolve("gemms.yaml");
        io.dojosim.workload.io.WorkloadFormat.write(new Workload(meta("gemms"), ranks), file);
        String[] summaries = new String[2];
        for (int t = 1; t <= 2; t++) {
            Path out = dir.resolve("t" + t);
            CliRunner r = CliRunner.run("run", "-q", "-w", file.toString(), "--set", "pod.system.scope=tile", "--set", "run.rankPlacement=nodes:44",
                    "--threads", Integer.toString(t), "-o", out.toString());
            assertEquals(ExitCodes.OK, r.exit, r.toString());
            String s = Files.readString(out.resolve("summary.json"));
            summaries[t - 1] = s.substring(0, s.indexOf("\"host\""));
        }
        assertEquals(summaries[0], summaries[1]);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
