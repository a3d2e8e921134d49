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

    /**
     * Measures the laid-out page in the browser, independently of the report's own script, and
     * writes the results on the html element: {@code data-check-svgs} (SVG charts), {@code
     * data-check-empty} (names of charts without a data mark: a timeline without a busy span, a
     * roofline without a point, any other SVG without a shape of non-zero size),
     * {@code data-check-overlaps} (pairs of text labels of one SVG whose bounding boxes meet by
     * more than half a pixel, with their texts), {@code data-check-first-screen} (headline figures
     * whose box lies inside the window) and {@code data-check-below} (first-screen sections that
     * start below the window).
     */
    static final String CHECKER = "<script>(function () {\n"
            + "var r = document.documentElement; var empty = []; var overlaps = []; var svgs = document.querySelectorAll('main svg');\n"
            + "function area(b) { return b.width * b.height; }\n"
            + "svgs.forEach(function (s, i) {\n"
            + "  var name = (s.getAttribute('class') || 'svg') + '#' + i; var marks;\n"
            + "  if (s.classList.contains('timeline')) { marks = s.querySelectorAll('rect.busy'); }\n"
            + "  else if (s.classList.contains('roofline')) { marks = s.querySelectorAll('circle.op'); }\n"
            + "  else { marks = s.querySelectorAll('rect, circle, path, polyline'); }\n"
            + "  var n = 0; marks.forEach(function (m) { var b = m.getBoundingClientRect(); if (b.width > 0 && b.height > 0) { n++; } });\n"
            + "  if (n === 0) { empty.push(name); }\n"
            + "  var texts = Array.prototype.slice.call(s.querySelectorAll('text')).map(function (t) { return [t.textContent, t.getBoundingClientRect()]; })\n"
            + "      .filter(function (t) { return area(t[1]) > 0; });\n"
            + "  for (var a = 0; a < texts.length; a++) { for (var b = a + 1; b < texts.length; b++) {\n"
            + "    var p = texts[a][1], q = texts[b][1];\n"
            + "    var w = Math.min(p.right, q.right) - Math.max(p.left, q.left), h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);\n"
            + "    if (w > 0.5 && h > 0.5) { overlaps.push(name + ': ' + texts[a][0] + ' / ' + texts[b][0]); } } }\n"
            + "});\n"
            + "var first = 0; document.querySelectorAll('.headline .figure').forEach(function (f) { var b = f.getBoundingClientRect();\n"
            + "  if (b.height > 0 && b.top >= 0 && b.bottom <= window.innerHeight && b.right <= window.innerWidth) { first++; } });\n"
            + "var below = []; document.querySelectorAll('[data-first-screen]').forEach(function (e) {\n"
            + "  if (e.getBoundingClientRect().top >= window.innerHeight) { below.push(e.getAttribute('data-first-screen')); } });\n"
            + "r.setAttribute('data-check-svgs', String(svgs.length)); r.setAttribute('data-check-empty', empty.join('; '));\n"
            + "r.setAttribute('data-check-overlaps', overlaps.join('; ')); r.setAttribute('data-check-first-screen', String(first));\n"
            + "r.setAttribute('data-check-below', below.join('; '));\n"
            + "})();</script>";

    /** @return the page at {@code html} loaded with {@link #CHECKER} run after the report's own script */
    static Chromium loadChecked(Path html, Path dir) throws Exception {
        Path checked = html.resolveSibling("checked-" + html.getFileName());
        Files.writeString(checked, Files.readString(html).replace("</body>", CHECKER + "</body>"));
        return Chromium.load(checked, dir);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRealRunsFirstScreenHasTheHeadlineTheTimelineAndTheRooflineAndNoLabelOverlaps() throws Exception {
        // ResNet-50 on the training tile: five replicas of five chips (a few seconds)
        io.dojosim.core.config.ResolvedConfig c = new io.dojosim.cli.ConfigLoader(io.dojosim.cli.Catalog.get()).resolve(null,
                List.of("pod.system.scope=tile", "run.workload=resnet50", "run.plan.search=off", "run.batchPerReplica=4", "run.mapping.replicaChips=5"));
        Path run = dir.resolve("resnet");
        java.util.Map<String, Object> summary = io.dojosim.cli.RunService.run(c, run, null).summary();
        Path html = dir.resolve("resnet.html");
        assertEquals(0, report("report", run.toString(), "-o", html.toString()));
        Chromium b = loadChecked(html, dir);
        assertEquals(List.of(), b.consoleLines(), b.log);
        assertNull(b.rootAttribute("data-errors"));
        assertEquals("1", b.rootAttribute("data-report-ready"));
        // headline: step time, samples/s, MFU, TFLOPS, energy, plan; every one inside the 1280 x 900 window
        assertEquals("6", b.rootAttribute("data-headline"));
        assertEquals("6", b.rootAttribute("data-check-first-screen"), "the headline figures are on the first screen");
        assertEquals("", b.rootAttribute("data-check-below"), "the time breakdown, the timeline and the roofline start on the first screen");
        // the roofline has a point per compute type of the summary's block
        List<Object> types = (List<Object>) ((java.util.Map<String, Object>) summary.get("roofline")).get("types");
        assertEquals(String.valueOf(types.size()), b.rootAttribute("data-roofline-points"));
        assertEquals(types.size(), count(b.dom, "<circle[^>]*class=\"op\""));
        // the timeline draws every busy interval of the summary's block
        int intervals = 0;
        assertNull(summary.get("timeline"), "the timeline is a picture, not metrics: timeline.json, not summary.json");
        java.util.Map<String, Object> timeline = io.dojosim.cli.files.JsonFiles.readMap(run.resolve("timeline.json"));
        for (Object st : (List<Object>) timeline.get("streams")) {
            intervals += ((List<Object>) ((java.util.Map<String, Object>) st).get("busy")).size();
        }
        assertTrue(intervals >= 2, "compute and communication streams: " + intervals);
        double computeDrawn = 0;
        for (Object st : (List<Object>) timeline.get("streams")) {
            java.util.Map<String, Object> m = (java.util.Map<String, Object>) st;
            if (m.get("stream").equals("compute")) computeDrawn = ((Number) m.get("drawnBusySeconds")).doubleValue();
        }
        double computeSeconds = ((Number) summary.get("computeSeconds")).doubleValue();
        assertTrue(computeDrawn >= computeSeconds * (1 - 1e-9) && computeDrawn <= ((Number) timeline.get("stepSeconds")).doubleValue() * (1 + 1e-9),
                "the drawn compute stream covers the compute busy time, within the step: " + computeDrawn + " vs " + computeSeconds);
        assertEquals(String.valueOf(intervals), b.rootAttribute("data-timeline-marks"));
        assertEquals(intervals, count(b.dom, "<rect[^>]*class=\"busy\""));
        assertTrue(Integer.parseInt(b.rootAttribute("data-check-svgs")) >= 4, "timeline, roofline and heatmaps at least");
        assertEquals("", b.rootAttribute("data-check-empty"), "every chart has data");
        assertEquals("", b.rootAttribute("data-check-overlaps"), "no two labels of a chart overlap");
        // stats.json's step-time distribution has one sample (one step): shown as a figure, not drawn
        assertTrue(b.dom.contains("one value: no distribution to draw"), "a one-sample distribution is a figure");
        assertTrue(b.dom.contains("<details class=\"raw\">"), "the raw summary table is collapsed");
    }

    @Test
    void theFixturesLatencyStripsAndHeatmapsHaveNoOverlappingLabels() throws Exception {
        Path run = runFolder(dir);
        Path html = dir.resolve("run.html");
        assertEquals(0, report("report", run.toString(), "-o", html.toString()));
        Chromium b = loadChecked(html, dir);
        assertEquals("1", b.rootAttribute("data-report-ready"));
        assertEquals("", b.rootAttribute("data-check-empty"), "every chart has data");
        assertEquals("", b.rootAttribute("data-check-overlaps"), "no two labels of a chart overlap");
        assertEquals("3", b.rootAttribute("data-check-first-screen"), "the fixture's three headline figures on the first screen");
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
