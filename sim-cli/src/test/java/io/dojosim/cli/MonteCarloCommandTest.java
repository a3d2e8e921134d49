package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dojosim montecarlo: the same report at -j 1 and -j 2, resumable, dead chips simulated, the energy block in a run. */
class MonteCarloCommandTest {
    @TempDir
    Path dir;

    static String[] args(Path out, String jobs) {
        return new String[] {"montecarlo", "-w", "resnet50", "--set", "pod.system.scope=tile", "--set", "run.plan.search=off",
                "--set", "run.batchPerReplica=4", "--set", "run.mapping.replicaChips=5", "--set", "pod.defects.deadChipsPerTile=1.5",
                "--set", "pod.defects.slowChipFraction=0.05", "--set", "pod.defects.deadLinksPerTile=1", "--samples", "6", "--seed", "3", "-j", jobs, "-o", out.toString()};
    }

    @Test
    void oneJobAndTwoJobsGiveTheSameReportAndARestartResumes() throws Exception {
        CliRunner one = CliRunner.run(args(dir.resolve("j1"), "1"));
        assertEquals(0, one.exit, one.toString());
        CliRunner two = CliRunner.run(args(dir.resolve("j2"), "2"));
        assertEquals(0, two.exit, two.toString());
        String a = Files.readString(dir.resolve("j1/montecarlo.json"));
        String b = Files.readString(dir.resolve("j2/montecarlo.json"));
        assertEquals(a, b, "the report does not depend on -j");
        assertEquals(Files.readString(dir.resolve("j1/samples.csv")), Files.readString(dir.resolve("j2/samples.csv")));
        long withDead = Files.readAllLines(dir.resolve("j1/samples.csv")).stream().skip(1)
                .filter(l -> l.split(",")[1].equals("ok") && Integer.parseInt(l.split(",")[2]) > 0).count();
        assertTrue(withDead > 0, "some sample ran with dead chips");
        long withDeadLinks = Files.readAllLines(dir.resolve("j1/samples.csv")).stream().skip(1)
                .filter(l -> l.split(",")[1].equals("ok") && Integer.parseInt(l.split(",")[3]) > 0).count();
        assertTrue(withDeadLinks > 0, "some sample ran with dead links");
        long withSlow = Files.readAllLines(dir.resolve("j1/samples.csv")).stream().skip(1)
                .filter(l -> l.split(",")[1].equals("ok") && Integer.parseInt(l.split(",")[4]) > 0).count();
        assertTrue(withSlow > 0, "some sample ran with slow chips, simulated (pod.system.slowChips)");
        assertTrue(Files.exists(dir.resolve("j1/worst-sample.json")));
        assertTrue(one.out.contains("p95") && one.out.contains("gflopsPerWatt"), one.out);
        // a restart with the same folder finds every sample finished: no simulation but the healthy reference
        CliRunner again = CliRunner.run(args(dir.resolve("j1"), "2"));
        assertEquals(0, again.exit, again.toString());
        assertTrue(again.out.contains("6 samples (1 simulations)"), again.out);
        assertEquals(a, Files.readString(dir.resolve("j1/montecarlo.json")));
    }

    @Test
    void runReportsEnergyAndEfficiencyAndItsLevelsSumToTheTotal() throws Exception {
        Path json = dir.resolve("s.json");
        CliRunner r = CliRunner.run("run", "-w", "resnet50", "--set", "pod.system.scope=tile", "--set", "run.plan.search=off",
                "--set", "run.batchPerReplica=4", "--set", "run.mapping.replicaChips=5", "--json", json.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("J per step") && r.out.contains("samples/J") && r.out.contains("GFLOPS/W"), r.out);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> s = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toFile(), java.util.Map.class);
        java.util.Map<?, ?> e = (java.util.Map<?, ?>) s.get("energy");
        double total = ((Number) e.get("joulesPerStep")).doubleValue();
        double levels = ((java.util.Map<?, ?>) e.get("byLevel")).values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
        assertEquals(total, levels, 1e-9 * total);
        long samples = ((Number) ((java.util.Map<?, ?>) s.get("workload")).get("samplesPerStep")).longValue();
        assertEquals(samples / total, ((Number) e.get("samplesPerJoule")).doubleValue(), 1e-9);
    }

    @Test
    void badSampleCountIsABadInput() {
        CliRunner r = CliRunner.run("montecarlo", "--samples", "0", "-o", dir.resolve("x").toString());
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("--samples 0"), r.err);
    }
}
