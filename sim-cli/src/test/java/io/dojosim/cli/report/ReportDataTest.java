package io.dojosim.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.dojosim.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report inputs without a browser: derived heatmaps, strict heatmaps.json, determinism, bad folders. */
class ReportDataTest {
    @TempDir
    Path dir;

    record R(int exit, String out, String err) {
    }

    static R cli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.newCommandLine(new PrintWriter(o, true), new PrintWriter(e, true)).execute(args);
        return new R(code, o.toString(), e.toString());
    }

    private static Map<String, Object> leaf(double v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", "ratio");
        m.put("value", v);
        m.put("description", "d");
        return m;
    }

    @Test
    void derivedMapsTakeTheLastGridIndexAndDirectionsMakeLinks() {
        Map<String, Map<String, Object>> leaves = new LinkedHashMap<>();
        leaves.put("pod.tile[0].chip[1,0].d2d.busy", leaf(0.5));
        leaves.put("pod.tile[0].chip[0,1].d2d.busy", leaf(0.25));
        leaves.put("pod.tile[0].chip[0,0].node[2,1].pipe.busy", leaf(0.75));
        leaves.put("pod.tile[0].chip[0,0].node[0,0].pipe.busy", leaf(0.1));
        leaves.put("pod.tile[0].chip[0,0].node[1,1].router.east.util", leaf(0.3));
        leaves.put("pod.tile[0].chip[0,0].node[1,0].router.south.util", leaf(0.4));
        leaves.put("pod.replica[0].latency", leaf(1));
        List<Map<String, Object>> maps = ReportHeatmaps.derived(leaves);
        assertEquals(3, maps.size());
        // Sorted by name: "chip[*]" sorts before "chip[0,0]", so the tile map comes first.
        Map<String, Object> node = maps.get(1);
        assertEquals("pod.tile[0].chip[0,0].node[*].pipe.busy", node.get("name"));
        assertEquals(3, node.get("width"));
        assertEquals(2, node.get("height"));
        // row-major y*width+x: (0,0) -> 0, (2,1) -> 5; other cells have no value.
        assertEquals(java.util.Arrays.asList(0.1, null, null, null, null, 0.75), node.get("values"));
        assertEquals("node", node.get("level"));
        Map<String, Object> links = maps.get(2);
        assertEquals("pod.tile[0].chip[0,0].node[*].router.util", links.get("name"));
        assertEquals(List.of(), links.get("values"));
        assertEquals("[{x=1, y=1, dir=E, value=0.3}, {x=1, y=0, dir=S, value=0.4}]", links.get("links").toString());
        Map<String, Object> tile = maps.get(0);
        assertEquals("pod.tile[0].chip[*].d2d.busy", tile.get("name"));
        assertEquals(java.util.Arrays.asList(null, 0.5, 0.25, null), tile.get("values"));
        assertEquals("chip", tile.get("level"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEnergyBlockBecomesBarsByLevelAndByClass() throws IOException {
        Path run = dir.resolve("e");
        Files.createDirectories(run);
        Files.writeString(run.resolve("summary.json"), "{\"workload\": {\"name\": \"w\"}, \"energy\": {\"joulesPerStep\": 3.0,"
                + " \"byLevel\": {\"node\": 2.0, \"chip\": 1.0}, \"byClass\": {\"matrix\": 1.5, \"static\": 1.5},"
                + " \"averageWatts\": {\"system\": 3.0, \"perTile\": 3.0, \"perChip\": 0.5}, \"peakWatts\": {\"system\": 4.0, \"perTile\": 4.0, \"perChip\": 0.75}}}");
        Map<String, Object> d = ReportBuilder.run(run);
        assertEquals(java.util.List.of(java.util.List.of("node", 2.0), java.util.List.of("chip", 1.0)), d.get("energyByLevel"));
        assertEquals(java.util.List.of(java.util.List.of("matrix", 1.5), java.util.List.of("static", 1.5)), d.get("energyByClass"));
        assertEquals(java.util.List.of(java.util.List.of("system", 3.0, 4.0), java.util.List.of("perTile", 3.0, 4.0),
                java.util.List.of("perChip", 0.5, 0.75)), d.get("energyPower"));
        assertTrue(ReportBuilder.render(d).contains("energyByLevel"));
    }

    @Test
    void theCrossCheckBlockBecomesValuePlusMinusBandRowsAndTheModelBandsAreListed() throws IOException {
        Path run = dir.resolve("x");
        Files.createDirectories(run);
        Files.writeString(run.resolve("summary.json"), "{\"workload\": {\"name\": \"w\"},"
                + " \"computeModel\": {\"fidelity\": \"calibrated\", \"errorBand\": \"within 5 %\"},"
                + " \"networkModel\": {\"chipFidelity\": \"flow\", \"errorBand\": \"1.00 to 1.44x\"},"
                + " \"crossCheck\": {\"checks\": [{\"model\": \"network\", \"from\": \"flow\", \"to\": \"packet meshes\"}],"
                + " \"figures\": {\"stepTimeSeconds\": {\"value\": 2.0, \"plusMinus\": 0.5, \"relative\": 0.25}}}}");
        Map<String, Object> d = ReportBuilder.run(run);
        assertEquals(java.util.List.of(java.util.List.of("stepTimeSeconds", 2.0, 0.5, 0.25)), d.get("crossCheck"));
        assertEquals(java.util.List.of(java.util.List.of("network", "flow -> packet meshes")), d.get("crossCheckChecks"));
        assertEquals(java.util.List.of(java.util.List.of("compute (calibrated)", "within 5 %"),
                java.util.List.of("on-chip network (flow)", "1.00 to 1.44x")), d.get("modelBands"));
        assertTrue(ReportBuilder.render(d).contains("crossCheckChecks"));
        // a check with its sample (ADR 0107): the row says what it timed, both times and the ratio
        Files.writeString(run.resolve("summary.json"), "{\"workload\": {\"name\": \"w\"}, \"crossCheck\": {\"checks\": [{\"model\": \"collective\","
                + " \"from\": \"flow\", \"to\": \"packet mesh on chip 0\", \"sample\": {\"what\": \"all_reduce 'b'\", \"coarseSeconds\": 2.0e-6,"
                + " \"fineSeconds\": 2.5e-6, \"ratio\": 1.25}}], \"figures\": {}}}");
        assertEquals(java.util.List.of(java.util.List.of("collective", "flow -> packet mesh on chip 0", "all_reduce 'b': 2.00000e-06 s -> 2.50000e-06 s, x 1.2500")),
                ReportBuilder.run(run).get("crossCheckChecks"));
    }

    @Test
    void heatmapsJsonMistakesAreBadInputNamingTheEntry() throws IOException {
        Path run = ReportBrowserTest.runFolder(dir);
        Files.writeString(run.resolve("heatmaps.json"), "{\"heatmaps\": [{\"name\": \"x\", \"width\": 2, \"height\": 2, \"values\": [1, 2, 3]}]}");
        R r = cli("report", run.toString());
        assertEquals(2, r.exit);
        assertTrue(r.err.contains("heatmaps.json: heatmaps[0]: 'values' must be a list of width x height = 4 numbers"), r.err);
        Files.writeString(run.resolve("heatmaps.json"), "{\"heatmaps\": [{\"name\": \"x\", \"width\": 2, \"height\": 2, \"links\": [{\"x\": 2, \"y\": 0, \"dir\": \"E\", \"value\": 1}]}]}");
        R off = cli("report", run.toString());
        assertEquals(2, off.exit);
        assertTrue(off.err.contains("link at (2,0) is off the 2 x 2 mesh"), off.err);
        Files.writeString(run.resolve("heatmaps.json"), "{\"heatmaps\": [{\"name\": \"x\", \"width\": 2, \"height\": 2, \"colour\": \"red\"}]}");
        R key = cli("report", run.toString());
        assertTrue(key.err.contains("unknown key 'colour'; allowed: name, level, unit, width, height, values, links"), key.err);
        R none = cli("report", dir.resolve("nothing").toString());
        assertEquals(2, none.exit);
        assertTrue(none.err.contains("no such folder"), none.err);
    }

    @Test
    void sameFolderSameBytesAndNothingExternal() throws IOException {
        Path run = ReportBrowserTest.runFolder(dir);
        assertEquals(0, cli("report", run.toString(), "-o", dir.resolve("a.html").toString()).exit);
        assertEquals(0, cli("report", run.toString(), "-o", dir.resolve("b.html").toString()).exit);
        String a = Files.readString(dir.resolve("a.html"));
        assertEquals(a, Files.readString(dir.resolve("b.html")));
        assertFalse(a.contains("@DATA@") || a.contains("/*@JS@*/") || a.contains("/*@CSS@*/"), "every template slot filled");
        assertTrue(a.contains("default-src 'none'"), "the page may load nothing");
    }
}
