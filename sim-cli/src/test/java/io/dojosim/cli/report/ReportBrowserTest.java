package io.dojosim.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Main;
import io.dojosim.cli.sweep.FakeRunner;
import io.dojosim.cli.sweep.SweepExecutorTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless browser: it loads without console errors and draws the
 * heatmaps (every cell and link counted), the distributions and the sweep charts; and the
 * error capture itself works (a page that throws is caught).
 */
class ReportBrowserTest {
    @TempDir
    Path dir;

    static int report(String... args) {
        return Main.newCommandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true)).execute(args);
    }

    /**
     * A run folder with: an 18 x 20 chip whose sites (0,0) .. (5,0) are disabled, a per-node
     * matrix-pipe utilization stat for the 354 active nodes, an east-link utilization for every
     * active node with an active east neighbour (x < 17 and not in the disabled row part:
     * 17 x 20 - 6 = 334 links), and a heatmaps.json with a 5 x 5 tile and 2 links.
     */
    static Path runFolder(Path dir) throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("summary.json"), "{\n \"schemaVersion\": 1,\n \"workload\": {\"name\": \"resnet50\", \"source\": \"generator\"},\n"
                + " \"system\": {\"scope\": \"tile\", \"chips\": 25},\n \"plan\": {\"reason\": \"a </script> in text must not end the block\"},\n"
                + " \"stepTimeSeconds\": 0.00898, \"achievedTflops\": 700.65, \"mfu\": 0.0773,\n"
                + " \"utilization\": {\"nodeMatrixPipe\": 0.0786, \"meshLinks\": 0.003, \"ethernet\": 0.022},\n"
                + " \"messageLatency\": {\"count\": 165, \"mean\": 7.4e-5, \"p50\": 3.9e-5, \"p99\": 4.57e-4, \"max\": 4.6e-4},\n"
                + " \"host\": {\"wallSeconds\": 6.5}\n}\n");
        StringBuilder s = new StringBuilder("{\"pod\": {\"tile[0]\": {\"chip[0,0]\": {\n");
        s.append("\"messageLatencyPs\": {\"unit\": \"ps\", \"count\": 10, \"mean\": 5e6, \"min\": 1000000, \"p50\": 4000000, \"p99\": 9000000, \"max\": 9500000, \"description\": \"d\"},\n");
        s.append("\"hopLatencyCycles\": {\"unit\": \"cycles\", \"count\": 6, \"mean\": 3.0, \"min\": 1, \"p50\": 3, \"p99\": 5, \"max\": 5,"
                + " \"histogram\": {\"bounds\": [1, 2, 3, 4, 5, 6], \"counts\": [1, 1, 2, 1, 1]}, \"description\": \"d\"}");
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 18; x++) {
                if (y == 0 && x < 6) {
                    continue;
                }
                s.append(",\n\"node[").append(x).append(',').append(y).append("]\": {\"matrixPipe\": {\"busy\": {\"unit\": \"ratio\", \"value\": ")
                        .append((x * 20 + y) / 360.0).append(", \"description\": \"d\"}}");
                if (x < 17 && !(y == 0 && x < 6)) {
                    s.append(", \"router\": {\"east\": {\"utilization\": {\"unit\": \"ratio\", \"value\": ").append(y / 20.0)
                            .append(", \"description\": \"d\"}}}");
                }
                s.append('}');
            }
        }
        s.append("\n}}}}\n");
        Files.writeString(run.resolve("stats.json"), s.toString());
        StringBuilder tile = new StringBuilder("{\"schemaVersion\": 1, \"heatmaps\": [{\"name\": \"tile[0] chip utilization\", \"level\": \"tile\", "
                + "\"unit\": \"ratio\", \"width\": 5, \"height\": 5, \"values\": [");
        for (int i = 0; i < 25; i++) {
            tile.append(i == 0 ? "" : ", ").append(i / 25.0);
        }
        tile.append("], \"links\": [{\"x\": 0, \"y\": 0, \"dir\": \"E\", \"value\": 0.5}, {\"x\": 4, \"y\": 4, \"dir\": \"N\", \"value\": 0.9}]}]}\n");
        Files.writeString(run.resolve("heatmaps.json"), tile.toString());
        return run;
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void runReportLoadsWithoutErrorsAndDrawsEveryHeatmapCellAndLink() throws Exception {
        Path run = runFolder(dir);
        Path html = dir.resolve("run.html");
        assertEquals(0, report("report", run.toString(), "-o", html.toString()));
        String page = Files.readString(html);
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(page).find(), "no external resources");
        assertEquals(1, count(page, "</script>\\s*<script>") , "the data block is closed once, by its own tag: '</script>' in the data is escaped");

        Chromium c = Chromium.load(html, dir);
        assertEquals(List.of(), c.consoleLines(), "no console messages or page errors:\n" + c.log);
        assertNull(c.rootAttribute("data-errors"), "no errors captured by the page");
        assertEquals("1", c.rootAttribute("data-report-ready"), "the script ran to its end");
        // Explicit tile map (25 cells, 2 links), derived node map (354 cells), derived east-link map (334 links).
        assertEquals("3", c.rootAttribute("data-heatmaps"));
        assertEquals(String.valueOf(25 + 354), c.rootAttribute("data-heatmap-cells"));
        assertEquals(String.valueOf(2 + 334), c.rootAttribute("data-heatmap-links"));
        assertEquals(25 + 354, count(c.dom, "<rect[^>]*class=\"cell\""));
        assertEquals(6, count(c.dom, "<rect[^>]*class=\"cell-off\""), "the six disabled sites are drawn grey");
        assertEquals("3", c.rootAttribute("data-distributions"), "summary latency and two stats distributions");
        // the first screen: step time, MFU and TFLOPS are in the fixture's summary (no samples/s, no plan shape, no time split)
        assertEquals("3", c.rootAttribute("data-headline"));
        assertTrue(c.dom.contains("8.980 ms") && c.dom.contains("7.73 %") && c.dom.contains(">701<"), "headline figures drawn");
        assertEquals("0", c.rootAttribute("data-breakdown"));
        assertTrue(c.dom.contains("pod.tile[0].chip[0,0].node[*].matrixPipe.busy"), "derived map named by its stat path");
        assertTrue(c.dom.contains("a &lt;/script&gt; in text must not end the block"), "the summary text is shown as text");
        assertEquals(5, count(c.dom, "<rect[^>]*fill=\"#c8102e\""), "the histogram has one bar per bucket");
    }

    @Test
    void sweepReportDrawsEachMetricAgainstEachAxis() throws Exception {
        Path sw = dir.resolve("sweep");
        SweepExecutorTest.run(SweepExecutorTest.plan(dir, SweepExecutorTest.SPEC), sw, new FakeRunner(3), 2, new StringWriter());
        assertEquals(0, report("report", sw.toString()));
        Chromium c = Chromium.load(sw.resolve("report.html"), dir);
        assertEquals(List.of(), c.consoleLines(), c.log);
        assertNull(c.rootAttribute("data-errors"));
        assertEquals("1", c.rootAttribute("data-report-ready"));
        assertEquals("2", c.rootAttribute("data-sweep-charts"), "one chart per axis (clock, threads)");
        // 8 points, 2 failed (threads = 3): 6 dots in each of the 2 charts.
        assertEquals(12, count(c.dom, "<circle"));
        assertTrue(c.dom.contains("<option value=\"achievedTflops\" selected") || c.dom.contains("achievedTflops vs d1.node.clockHz"), "default metric");
        assertTrue(c.dom.contains("achievedTflops vs d1.node.threads"));
        assertEquals(2, count(c.dom, "class=\"status-failed\""));
    }

    @Test
    void theHarnessCatchesAPageThatThrows() throws Exception {
        Path run = runFolder(dir);
        Path html = dir.resolve("broken.html");
        assertEquals(0, report("report", run.toString(), "-o", html.toString()));
        Files.writeString(html, Files.readString(html).replace("</body>", "<script>undefinedFunction();</script></body>"));
        Chromium c = Chromium.load(html, dir);
        assertEquals("1", c.rootAttribute("data-errors"), c.dom.substring(0, Math.min(400, c.dom.length())));
        List<String> lines = new ArrayList<>(c.consoleLines());
        assertFalse(lines.isEmpty(), "the browser log shows the error too:\n" + c.log);
    }
}
