package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: summary.json (outside its host key) and stats.json are byte-identical on 1, 2 and 4
 * threads, on a chip, a tile and a pod. The compute operations are timed by the cycle-level chip
 * simulation, in parallel on the threads (docs/adr/0070-parallel-flit-engine.md); the run checks
 * that the threads really shared the work.
 */
class RunThreadsTest {
    @TempDir
    Path dir;

    private static final String WORKLOAD = Path.of("src", "test", "resources", "workloads", "three-gemms.yaml").toString();

    /** chip: replicas of one chip on a tile; tile: one replica spanning the tile; pod: one-chip replicas on the ExaPOD */
    private static ResolvedConfig config(String scope) {
        String system = scope.equals("pod") ? "pod" : "tile";
        int replicaChips = scope.equals("tile") ? 25 : 1;
        return new ConfigLoader(Catalog.get()).resolve(null, List.of("pod.system.scope=" + system, "run.workload=" + WORKLOAD,
                "run.computeFidelity=cycle", "run.mapping.replicaChips=" + replicaChips));
    }

    private static String withoutHost(Path summary) throws IOException {
        String s = Files.readString(summary);
        int h = s.indexOf("\"host\"");
        assertTrue(h > 0, "summary has a host key");
        return s.substring(0, h);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"chip", "tile", "pod"})
    void resultsAreByteIdenticalOnOneTwoAndFourThreads(String scope) throws IOException {
        ResolvedConfig c = config(scope);
        Path ref = dir.resolve(scope + "-1");
        try (Workers w = new Workers(1)) {
            RunService.run(c, ref, null, w);
        }
        for (int threads : new int[] {2, 4}) {
            Path out = dir.resolve(scope + "-" + threads);
            try (Workers w = new Workers(threads)) {
                RunService.run(c, out, null, w);
                Workers.Report r = w.report();
                assertEquals(1, r.rounds(), "the operations were timed in one split round");
                assertTrue(r.items()[0] > 0 && r.items()[1] > 0, "two threads timed operations: " + java.util.Arrays.toString(r.items()));
            }
            assertEquals(withoutHost(ref.resolve("summary.json")), withoutHost(out.resolve("summary.json")), threads + " threads");
            assertEquals(Files.readString(ref.resolve("stats.json")), Files.readString(out.resolve("stats.json")), threads + " threads");
        }
    }
}
