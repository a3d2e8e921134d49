package io.dojosim.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dojosim sweep on the command line, with the real run executor on a small workload. */
class SweepCommandTest {
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

    @Test
    void badAxisKeyFailsAtOnceWithFileAndLineAndRunsNothing() throws IOException {
        Path spec = dir.resolve("bad.yaml");
        Files.writeString(spec, "schemaVersion: 1\nworkload: resnet50\naxes:\n  - key: d1.node.clockHz\n    values: [2e9]\n"
                + "  - key: pod.system.scop\n    values: [tile]\n");
        R r = cli("sweep", spec.toString(), "-o", dir.resolve("out").toString());
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.startsWith("error: ") && r.err.contains("bad.yaml:6") && r.err.contains("unknown key 'pod.system.scop'")
                && r.err.contains("scope"), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace");
        assertFalse(Files.exists(dir.resolve("out")), "nothing ran, no folder made");
        R j = cli("sweep", spec.toString(), "-j", "0");
        assertEquals(2, j.exit);
        assertTrue(j.err.contains("-j 0: the number of jobs must be at least 1"), j.err);
    }

    @Test
    void dryRunListsThePoints() throws IOException {
        Path spec = dir.resolve("s.yaml");
        Files.writeString(spec, "schemaVersion: 1\nworkload: resnet50\naxes:\n  - key: d1.node.threads\n    range: 2:4:2\n");
        R r = cli("sweep", spec.toString(), "--dry-run");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("2 points; base workload 'resnet50'"), r.out);
        assertTrue(r.out.matches("(?s).*p0000-[0-9a-f]{8}  d1.node.threads=2\n.*p0001-[0-9a-f]{8}  d1.node.threads=4\n.*"), r.out);
    }

    @Test
    void realRunsOfASmallWorkloadThenResumeCheckAndReport() throws IOException {
        Path wl = Path.of("../configs/workloads/tiny-mlp.yaml").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(wl), wl.toString());
        Files.copy(wl, dir.resolve("tiny-mlp.yaml"));
        Path spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, "schemaVersion: 1\nset:\n  pod.system.scope: tile\n  run.traceRanks: rank0\nworkload: tiny-mlp.yaml\naxes:\n"
                + "  - key: d1.node.clockHz\n    values: [1.0e9, 2.0e9]\n");
        Path out = dir.resolve("out");
        R r = cli("sweep", spec.toString(), "-j", "2", "-o", out.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("2 points: 2 ok"), r.out);
        assertTrue(r.err.contains("sweep: 2/2 "), "plain progress lines when not on a terminal: " + r.err);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, csv.size());
        int col = List.of(csv.get(0).split(",")).indexOf("stepTimeSeconds");
        assertTrue(col > 0, csv.get(0));
        double slow = Double.parseDouble(csv.get(1).split(",")[col]);
        double fast = Double.parseDouble(csv.get(2).split(",")[col]);
        assertTrue(slow > fast, "half the clock, a longer step: " + slow + " vs " + fast);
        for (String line : csv.subList(1, 3)) {
            Path p = out.resolve("points").resolve(line.split(",")[1]);
            for (String f : List.of("summary.json", "stats.json", "resolved-config.yaml", "point.json")) {
                assertTrue(Files.isRegularFile(p.resolve(f)), p + "/" + f);
            }
        }
        String before = Files.readString(out.resolve("results.csv"));
        R again = cli("sweep", spec.toString(), "-o", out.toString());
        assertEquals(0, again.exit);
        assertTrue(again.out.contains("2 were already finished"), again.out);
        assertEquals(before, Files.readString(out.resolve("results.csv")));

        Path base = dir.resolve("baseline.json");
        assertEquals(0, cli("check", "--baseline", base.toString(), "--update-baseline", out.toString()).exit);
        R check = cli("check", "--baseline", base.toString(), out.toString());
        assertEquals(0, check.exit, check.toString());
        assertEquals(0, cli("report", out.toString()).exit);
        assertTrue(Files.readString(out.resolve("report.html")).contains("d1.node.clockHz"));
    }

    @Test
    void crossCheckedSweepCarriesEachPointsBandsIdenticallyAtAnyJobCount() throws IOException {
        Path wl = Path.of("../configs/workloads/tiny-mlp.yaml").toAbsolutePath().normalize();
        Files.copy(wl, dir.resolve("tiny-mlp.yaml"));
        Path spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, "schemaVersion: 1\nset:\n  pod.system.scope: tile\n  run.traceRanks: rank0\nworkload: tiny-mlp.yaml\naxes:\n"
                + "  - key: pod.collective.algorithm\n    values: [ring, 2d]\n");
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        R r1 = cli("sweep", spec.toString(), "--cross-check", "-j", "1", "-o", one.toString());
        assertEquals(0, r1.exit, r1 + Files.readString(one.resolve("results.csv")));
        R r2 = cli("sweep", spec.toString(), "--cross-check", "-j", "2", "-o", two.toString());
        assertEquals(0, r2.exit, r2.toString());
        // the bands are modeled figures, the checks' host times are not: the tables are byte-identical
        assertEquals(Files.readString(one.resolve("results.csv")), Files.readString(two.resolve("results.csv")));
        assertEquals(Files.readString(one.resolve("results.jsonl")), Files.readString(two.resolve("results.jsonl")));
        List<String> csv = Files.readAllLines(one.resolve("results.csv"));
        List<String> head = List.of(csv.get(0).split(","));
        int band = head.indexOf("crossCheck.figures.stepTimeSeconds.plusMinus");
        assertTrue(band > 0, csv.get(0));
        assertFalse(csv.get(0).contains("wallSeconds"), csv.get(0));
        assertTrue(Files.readString(one.resolve("sweep.json")).contains("\"crossCheck\" : true"), "sweep.json says the points were cross-checked");
        for (String line : csv.subList(1, 3)) {
            String[] cells = line.split(",");
            java.util.Map<String, Object> summary = io.dojosim.cli.files.JsonFiles.readMap(one.resolve("points").resolve(cells[1]).resolve("summary.json"));
            java.util.Map<?, ?> figs = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) summary.get("crossCheck")).get("figures");
            double expected = ((Number) ((java.util.Map<?, ?>) figs.get("stepTimeSeconds")).get("plusMinus")).doubleValue();
            assertEquals(expected, Double.parseDouble(cells[band]), 0.0, "the table carries the point's band");
            assertTrue(expected > 0, "the checks moved the step time: " + expected);
        }
        // the sweep report plots every metric, the bands among them
        String html = io.dojosim.cli.report.ReportBuilder.build(one, "test");
        assertTrue(html.contains("crossCheck.figures.stepTimeSeconds.plusMinus"), "the report carries the bands");
        // without the flag: no band columns
        R plain = cli("sweep", spec.toString(), "-j", "2", "-o", dir.resolve("plain").toString());
        assertEquals(0, plain.exit, plain.toString());
        assertFalse(Files.readString(dir.resolve("plain").resolve("results.csv")).contains("crossCheck"));
    }

    @Test
    void crossCheckSpecKeyTakesTrueOrFalseOnly() throws IOException {
        Path spec = dir.resolve("cc.yaml");
        Files.writeString(spec, "schemaVersion: 1\nworkload: resnet50\ncrossCheck: maybe\n");
        R r = cli("sweep", spec.toString(), "--dry-run");
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("cc.yaml:3") && r.err.contains("key 'crossCheck': value 'maybe' is not allowed; allowed: true or false"), r.err);
        Files.writeString(spec, "schemaVersion: 1\nworkload: resnet50\ncrossCheck: true\n");
        assertTrue(SweepSpecParser.parse(spec).crossCheck());
    }
}
