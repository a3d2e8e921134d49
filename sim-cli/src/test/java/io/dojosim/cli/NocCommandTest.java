package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NocCommandTest {
    @Test
    void booksimPresetPrintsOneRowPerRateAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("noc.json");
        CliRunner r = CliRunner.run("noc", "--preset", "booksim", "--rates", "0.05:0.1:0.05", "--measure-cycles", "1000",
                "--warmup-cycles", "500", "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("mesh 8x8"), r.out);
        JsonNode a = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(2, a.size());
        for (String f : new String[] {"rate", "avgPacketLatencyCycles", "avgNetworkLatencyCycles", "p99PacketLatencyCycles",
                "acceptedFlitsPerNodePerCycle", "avgHops", "saturated", "simulatedCycles", "host"}) {
            assertTrue(a.get(0).has(f), f);
        }
        // host measurements only under host, so two identical runs differ only there (issue 17, case 14)
        assertTrue(a.get(0).get("host").has("wallSeconds") && a.get(0).get("host").has("routerCyclesPerSecond"));
        assertTrue(!a.get(0).has("wallSeconds") && !a.get(0).has("routerCyclesPerSecond"));
        assertEquals(0.05, a.get(0).get("rate").asDouble(), 1e-12);
        assertTrue(a.get(1).get("avgPacketLatencyCycles").asDouble() > 30); // zero load is 33.25 on 8 x 8
    }

    @Test
    void optionsOverrideThePresetAndBadInputExitsTwo() {
        CliRunner ok = CliRunner.run("noc", "--preset", "booksim", "--mesh", "4x4", "--vcs", "4", "--packet-flits", "4",
                "--fidelity", "packet", "--traffic", "tornado", "--rate", "0.1", "--measure-cycles", "500", "--warmup-cycles", "200");
        assertEquals(0, ok.exit, ok.toString());
        assertTrue(ok.out.contains("4 VCs x 8 flits, 4-flit packets") && ok.out.contains("packet fidelity"), ok.out);
        assertEquals(2, CliRunner.run("noc", "--rate", "1.5").exit);
        assertEquals(2, CliRunner.run("noc", "--rates", "0.3:0.1:0.1").exit);
        assertEquals(2, CliRunner.run("noc", "--preset", "nope", "--rate", "0.1").exit);
        assertEquals(2, CliRunner.run("noc", "--mesh", "8by8", "--rate", "0.1").exit);
        assertEquals(2, CliRunner.run("noc", "--traffic", "zigzag", "--rate", "0.1").exit);
        assertEquals(2, CliRunner.run("noc", "--d1-die", "--rate", "0.1").exit); // xy cannot avoid the holes
        CliRunner bad = CliRunner.run("noc", "--set", "noc.vcs=0", "--rate", "0.1");
        assertEquals(2, bad.exit);
        assertTrue(bad.err.contains("noc.vcs"), bad.err);
    }
}
