package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dojosim info} and {@code dojosim collective}. */
class PodCommandsTest {
    @TempDir
    Path dir;

    @Test
    void infoOfTheExaPodWritesTheCountsAndThePeak() throws Exception {
        Path json = dir.resolve("info.json");
        CliRunner r = CliRunner.run("info", "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("1,062,000"), r.out);
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(1_062_000, n.get("nodes").asLong());
        assertEquals(3000, n.get("chips").asInt());
        assertEquals(120, n.get("tiles").asInt());
        assertEquals(1_087_488.0, n.get("peakBf16Tflops").asDouble(), 1e-6); // 120 x 25 x 354 x 1.024 TFLOPS
    }

    @Test
    void infoFollowsWhatIfSettings() throws Exception {
        Path json = dir.resolve("tile.json");
        CliRunner r = CliRunner.run("info", "--set", "pod.system.scope=tile", "--set", "d1.node.clockHz=1000000000",
                "--set", "pod.system.deadChips=0,4,4", "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(24, n.get("chips").asInt());
        assertEquals(24 * 354 * 0.512, n.get("peakBf16Tflops").asDouble(), 1e-6); // half the clock
    }

    @Test
    void collectiveWritesTimeBandwidthsAndTheEstimate() throws Exception {
        Path json = dir.resolve("c.json");
        CliRunner r = CliRunner.run("collective", "--op", "allreduce", "--bytes", "64MiB", "--scope", "tile", "--algorithm", "ring",
                "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        double t = n.get("timeSeconds").asDouble();
        assertTrue(t > 0);
        assertEquals(64.0 * 1024 * 1024 / t / 1e9, n.get("algBandwidthGBps").asDouble(), 1e-9);
        assertEquals(n.get("algBandwidthGBps").asDouble() * 2 * 24 / 25, n.get("busBandwidthGBps").asDouble(), 1e-9);
        assertTrue(n.get("alphaBetaBoundSeconds").asDouble() > 0);
        assertTrue(r.out.contains("die-to-die"), r.out);
    }

    @Test
    void collectiveRunsTwiceToTheSameBytes() throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        String[] args = {"collective", "--op", "alltoall", "--bytes", "1MiB", "--scope", "tray", "--algorithm", "hierarchical", "--json"};
        assertEquals(0, CliRunner.run(concat(args, a.toString())).exit);
        assertEquals(0, CliRunner.run(concat(args, b.toString())).exit);
        assertEquals(Files.readString(a), Files.readString(b));
    }

    @Test
    void autoPrintsItsChoiceAndTheEstimatesAndRunsTheChosenAlgorithm() throws Exception {
        Path json = dir.resolve("auto.json");
        CliRunner r = CliRunner.run("collective", "--op", "allgather", "--bytes", "256", "--scope", "tile", "--algorithm", "auto",
                "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        // 256 B over a tile: a ring pays 24 steps of latency, rows then columns 4 + 4 (issue 14);
        // each ring step is its two-chip closing hop (2 x 118 ns; eight chips, 22.848 us, before the
        // ring closed straight through chip 1, ADR 0106 follow-up)
        assertEquals("auto", n.get("requestedAlgorithm").asText());
        assertEquals("2d", n.get("algorithm").asText());
        assertEquals(5.664e-6, n.get("autoEstimatesSeconds").get("ring").asDouble(), 1e-9);
        assertEquals(3.808e-6, n.get("autoEstimatesSeconds").get("hierarchical").asDouble(), 1e-9);
        // the lone gather meets its estimate (the simulation rounds each transfer to whole picoseconds)
        assertEquals(n.get("autoEstimatesSeconds").get("2d").asDouble(), n.get("timeSeconds").asDouble(), 1e-11);
        assertTrue(r.out.contains("auto chose           2d"), r.out);
    }

    @Test
    void chipsNameTheMembersAndBadListsAreRefused() throws Exception {
        Path json = dir.resolve("chips.json");
        CliRunner r = CliRunner.run("collective", "--op", "allreduce", "--bytes", "1MiB", "--scope", "tray", "--chips", "25-29,0-4",
                "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        assertEquals(10, new ObjectMapper().readTree(Files.readString(json)).get("members").asInt());
        for (String bad : new String[] {"0-x", "7", "3,3", "0-200"}) {
            CliRunner b = CliRunner.run("collective", "--op", "allreduce", "--bytes", "1MiB", "--scope", "tray", "--chips", bad);
            assertEquals(2, b.exit, bad + ": " + b);
            assertTrue(b.err.contains("--chips") || b.err.contains("chip"), b.err);
        }
    }

    @Test
    void badCollectiveInputIsNamed() {
        CliRunner op = CliRunner.run("collective", "--op", "allsum", "--bytes", "1MiB");
        assertEquals(2, op.exit, op.toString());
        assertTrue(op.err.contains("allreduce"), op.err);
        CliRunner size = CliRunner.run("collective", "--op", "allreduce", "--bytes", "lots");
        assertEquals(2, size.exit, size.toString());
        assertTrue(size.err.contains("--bytes"), size.err);
        CliRunner scope = CliRunner.run("collective", "--op", "allreduce", "--bytes", "1MiB", "--scope", "galaxy");
        assertEquals(2, scope.exit, scope.toString());
        CliRunner dead = CliRunner.run("info", "--set", "pod.system.deadChips=999,0,0");
        assertEquals(2, dead.exit, dead.toString());
        assertTrue(dead.err.contains("pod.system.deadChips"), dead.err);
    }

    @Test
    void theRegionOfInterestCarriesTheNodeTrafficOfItsChip() throws Exception {
        // a tile of 1 x 2 chips of 4 x 4 nodes: chip 1 on the packet mesh, the rest on the flow model
        Path json = dir.resolve("roi.json");
        CliRunner r = CliRunner.run("collective", "--op", "allreduce", "--bytes", "64KiB", "--scope", "tile", "--members", "nodes",
                "--set", "pod.tile.chipsX=1", "--set", "pod.tile.chipsY=2", "--set", "pod.dip.perTileEdge=1",
                "--set", "d1.chip.meshWidth=4", "--set", "d1.chip.meshHeight=4", "--set", "d1.chip.activeNodes=16",
                "--set", "d1.chip.disabledSites=", "--set", "pod.coarse.chipFidelity=packet", "--set", "pod.coarse.roiChip=1",
                "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(32, n.get("members").asInt());
        assertEquals("nodes", n.get("memberKind").asText());
        assertEquals("packet", n.get("fidelity").asText());
        assertEquals(1, n.get("roiChip").asInt());
        // chip 1's ring reduce-scatter and all-gather: 2 x 15 steps x 16 nodes on its mesh
        assertEquals(2 * 15 * 16, n.get("meshTransfers").asInt());
        // node k of chip 0 and node k of chip 1 all-reduce across the die edge: 2 steps x 2 members
        // for each of the 16 ranks, each crossing chip 1's mesh; chip 0's own ring stays on the flow model
        assertEquals(16 * 2 * 2, n.get("crossingTransfers").asInt());
        assertEquals(2 * 15 * 16, n.get("flowTransfers").asInt());
        assertEquals("[1]", n.get("regionChips").toString());
        assertTrue(r.out.contains("packet in chip 1, flow between chips"), r.out);
        assertTrue(r.out.contains("chip mesh (noc)"), r.out);
        CliRunner bad = CliRunner.run("collective", "--op", "allreduce", "--bytes", "1MiB", "--members", "cores");
        assertEquals(2, bad.exit, bad.toString());
        assertTrue(bad.err.contains("--members"), bad.err);
    }

    private static String[] concat(String[] a, String last) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }
}
