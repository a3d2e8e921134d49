package io.dojosim.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Catalog;
import io.dojosim.cli.ConfigLoader;
import io.dojosim.cli.RunService;
import io.dojosim.core.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} says why a step time moved: which op classes, limits, link levels and plan keys changed, and by how much. */
class StepTimeExplanationTest {
    @TempDir
    Path dir;

    private static ResolvedConfig tile(String... more) {
        // at the roofline: the calibration table holds the 2 GHz machine's shares (since ADR 0105 also these), not the 2.2 GHz one's
        List<String> sets = new ArrayList<>(List.of("pod.system.scope=tile", "run.workload=resnet50", "run.batchPerReplica=2",
                "run.mapping.replicaChips=5", "run.computeFidelity=roofline"));
        sets.addAll(List.of(more));
        return new ConfigLoader(Catalog.get()).resolve(null, sets);
    }

    @Test
    void aTenPercentFasterClockFailsCheckWithATableOfWhatMoved() throws IOException {
        Path base = dir.resolve("base");
        Path fast = dir.resolve("fast");
        RunService.run(tile(), base, null);
        // 2.2 GHz: the clock period rounds from 454.5 to 455 ps, so every compute duration is 455/500 = 0.91 of its value
        RunService.run(tile("d1.node.clockHz=2200000000"), fast, null);
        Path baseline = dir.resolve("baseline.json");
        assertEquals(0, CheckCommandTest.cli("check", "--baseline", baseline.toString(), "--update-baseline", base.toString()).exit());
        Path junit = dir.resolve("junit.xml");
        CheckCommandTest.R r = CheckCommandTest.cli("check", "--baseline", baseline.toString(), "--junit", junit.toString(), fast.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("why the step time moved: step time "), r.out());
        String conv = line(r.out(), "op class            convolution");
        assertTrue(conv.endsWith("-9.000%"), "convolution time scales with the clock period exactly: " + conv);
        assertTrue(line(r.out(), "compute limited by  mesh").endsWith("-9.000%"), r.out());
        assertTrue(line(r.out(), "step split          compute busy").endsWith("-9.000%"), r.out());
        // the faster compute leaves more of the unchanged communication exposed: the table says so
        assertTrue(line(r.out(), "step split          communication exposed").matches(".*\\+\\d+\\.\\d{3}%"), r.out());
        assertTrue(r.out().contains("plan                unchanged"), "the plan is fixed by run.mapping.*: " + r.out());
        String xml = Files.readString(junit);
        assertTrue(xml.contains("why the step time moved") && xml.contains("op class") && xml.contains("convolution"), xml);

        // the same two runs, compared in the HTML report
        CheckCommandTest.R rep = CheckCommandTest.cli("report", "--compare", base.toString(), fast.toString(), "-o", dir.resolve("cmp.html").toString());
        assertEquals(0, rep.exit(), rep.toString());
        String html = Files.readString(dir.resolve("cmp.html"));
        assertTrue(html.contains("<td>convolution</td>") && html.contains("-9.000%") && html.contains("stepTimeSeconds"), html);
    }

    @Test
    void rowsAreTheMovedMetricsLargestChangeFirstAndAPlanChangeIsNamed() {
        Map<String, Number> b = new LinkedHashMap<>();
        b.put("stepTimeSeconds", 1.0e-3);
        b.put("timeByOpType.gemm", 4.0e-4);
        b.put("timeByOpType.allreduce", 2.0e-4);
        b.put("timeByOpType.elementwise", 1.0e-4);
        b.put("exposedCommunicationSeconds", 5.0e-5);
        b.put("utilization.meshLinks", 0.25);
        b.put("utilization.nodeMatrixPipe", 0.5);
        b.put("plan.dataParallel", 12);
        b.put("plan.pipelineStages", 2);
        Map<String, Number> c = new LinkedHashMap<>(b);
        c.put("stepTimeSeconds", 1.2e-3);
        c.put("timeByOpType.gemm", 4.1e-4);
        c.put("timeByOpType.allreduce", 3.5e-4);
        c.put("exposedCommunicationSeconds", 2.0e-4);
        c.put("utilization.meshLinks", 0.40);
        c.put("plan.dataParallel", 6);
        StepTimeExplanation x = StepTimeExplanation.of(b, c);
        assertNotNull(x);
        List<String> names = new ArrayList<>();
        for (StepTimeExplanation.Row row : x.rows()) {
            names.add(row.section() + ":" + row.item());
        }
        assertEquals(List.of("op class:allreduce", "op class:gemm", "step split:communication exposed (all levels)", "link level:meshLinks",
                "plan:dataParallel"), names, "elementwise, node pipes and pipeline stages did not move");
        assertTrue(x.planChanged());
        assertEquals("step time 1.000 ms -> 1.200 ms (+200.000 us, +20.000%)", x.headline());
        String t = x.text();
        assertTrue(t.contains("+150.000 us") && t.contains("+75.000%") && t.contains("+15.00 pt") && t.contains("-6"), t);
        assertFalse(t.contains("unchanged"), t);
    }

    private static String line(String text, String start) {
        for (String l : text.split("\n")) {
            if (l.trim().startsWith(start)) return l.trim();
        }
        throw new AssertionError("no line starting '" + start + "' in:\n" + text);
    }
}
