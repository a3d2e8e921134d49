package io.dojosim.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Main;
import io.dojosim.cli.sweep.FakeRunner;
import io.dojosim.cli.sweep.SweepExecutorTest;
import io.dojosim.cli.sweep.SweepPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** dojosim check: tolerances, missing and new metrics, JUnit XML, baseline updates, runs and sweeps. */
class CheckCommandTest {
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

    private Path run(String name, double stepTime, double tflops, String extra) throws IOException {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Files.writeString(d.resolve("summary.json"), "{\n \"schemaVersion\": 1,\n \"workload\": {\"name\": \"gpt\", \"samplesPerStep\": 64},\n"
                + " \"stepTimeSeconds\": " + stepTime + ",\n \"achievedTflops\": " + tflops + ",\n"
                + " \"utilization\": {\"meshLinks\": 0.25, \"ethernet\": 0}" + extra + ",\n"
                + " \"host\": {\"wallSeconds\": " + Math.random() + "}\n}\n");
        return d;
    }

    @Test
    void withinToleranceIsExitZeroAndOutsideIsOneWithADiffTable() throws IOException {
        Path base = dir.resolve("baseline.json");
        R u = cli("check", "--baseline", base.toString(), "--update-baseline", run("a", 2.0, 100.0, "").toString());
        assertEquals(0, u.exit, u.toString());
        assertTrue(u.out.contains("1 point(s), 5 metrics"), "samplesPerStep, stepTime, achievedTflops, 2 utilizations, not host: " + u.out);
        // 100 -> 100.4 is +0.4 %: inside the default 0.5 %; the host wall time differs and is ignored.
        R ok = cli("check", "--baseline", base.toString(), run("b", 2.0, 100.4, "").toString());
        assertEquals(0, ok.exit, ok.toString());
        assertTrue(ok.out.contains("PASS, 5 of 5 within tolerance"), ok.out);
        // 100 -> 100.6 is +0.6 %: outside 0.5 %, inside 1 % (given as a fraction).
        Path c = run("c", 2.0, 100.6, "");
        R bad = cli("check", "--baseline", base.toString(), c.toString());
        assertEquals(1, bad.exit, bad.toString());
        assertTrue(bad.out.contains("achievedTflops") && bad.out.contains("+0.600%") && bad.out.contains("outside"), bad.out);
        assertFalse(bad.out.contains("stepTimeSeconds"), "only failing rows without --all: " + bad.out);
        assertEquals(0, cli("check", "--baseline", base.toString(), "--tolerance", "0.01", c.toString()).exit);
        assertEquals(0, cli("check", "--baseline", base.toString(), "--tolerance-for", "achieved*=1%", c.toString()).exit);
        assertEquals(1, cli("check", "--baseline", base.toString(), "--tolerance-for", "step*=1%", c.toString()).exit);
        R all = cli("check", "--baseline", base.toString(), "--all", c.toString());
        assertTrue(all.out.contains("stepTimeSeconds") && all.out.contains("+0.000%"), all.out);
    }

    @Test
    void zeroBaselineNeedsZeroAndMissingOrNewMetricsFail() throws IOException {
        Path base = dir.resolve("baseline.json");
        cli("check", "--baseline", base.toString(), "--update-baseline", run("a", 2.0, 100.0, "").toString());
        R zero = cli("check", "--baseline", base.toString(), "--tolerance", "50%", run("z", 2.0, 100.0, "").toString());
        assertEquals(0, zero.exit);
        Path d = dir.resolve("z");
        Files.writeString(d.resolve("summary.json"), Files.readString(d.resolve("summary.json")).replace("\"ethernet\": 0", "\"ethernet\": 1e-9"));
        R nz = cli("check", "--baseline", base.toString(), "--tolerance", "50%", d.toString());
        assertEquals(1, nz.exit, "a baseline of 0 allows no change: " + nz);
        R extra = cli("check", "--baseline", base.toString(), run("e", 2.0, 100.0, ", \"mfu\": 0.4").toString());
        assertEquals(1, extra.exit);
        assertTrue(extra.out.contains("mfu") && extra.out.contains("extra") && extra.out.contains("1 new"), extra.out);
        Files.writeString(d.resolve("summary.json"), Files.readString(d.resolve("summary.json")).replace("\"achievedTflops\": 100.0,", ""));
        R missing = cli("check", "--baseline", base.toString(), d.toString());
        assertEquals(1, missing.exit);
        assertTrue(missing.out.contains("achievedTflops") && missing.out.contains("missing"), missing.out);
    }

    @Test
    void junitXmlHasOneTestcasePerMetricWithFailures() throws Exception {
        Path base = dir.resolve("baseline.json");
        cli("check", "--baseline", base.toString(), "--update-baseline", run("a", 2.0, 100.0, "").toString());
        Path xml = dir.resolve("junit.xml");
        R r = cli("check", "--baseline", base.toString(), "--junit", xml.toString(), run("b", 2.5, 100.0, "").toString());
        assertEquals(1, r.exit);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(5, cases.getLength());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("1", suite.getAttribute("failures"));
        Element step = null;
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals("stepTimeSeconds")) step = e;
        }
        Element f = (Element) step.getElementsByTagName("failure").item(0);
        assertTrue(f.getAttribute("message").contains("2.0 -> 2.5 (+25.000%, tolerance 0.5%)"), f.getAttribute("message"));
    }

    @Test
    void updateBaselineKeepsTolerancesAndBadInputIsExitTwo() throws IOException {
        Path base = dir.resolve("baseline.json");
        cli("check", "--baseline", base.toString(), "--update-baseline", run("a", 2.0, 100.0, "").toString());
        Files.writeString(base, Files.readString(base).replace("\"kind\" : \"run\",", "\"kind\" : \"run\",\n  \"tolerances\": {\"achievedTflops\": \"30%\"},"));
        assertEquals(0, cli("check", "--baseline", base.toString(), run("b", 2.0, 120.0, "").toString()).exit, "the file's override");
        R up = cli("check", "--baseline", base.toString(), "--update-baseline", run("c", 3.0, 50.0, "").toString());
        assertTrue(up.out.contains("was: 2 outside tolerance"), up.out);
        assertTrue(Files.readString(base).contains("\"achievedTflops\" : \"30%\"") && Files.readString(base).contains("\"stepTimeSeconds\" : 3.0"),
                Files.readString(base));

        R tol = cli("check", "--baseline", base.toString(), "--tolerance", "half", dir.resolve("a").toString());
        assertEquals(2, tol.exit);
        assertTrue(tol.err.contains("tolerance 'half' is not allowed; expected a percentage like 0.5% or a fraction like 0.005"), tol.err);
        R none = cli("check", "--baseline", dir.resolve("nope.json").toString(), dir.resolve("a").toString());
        assertEquals(2, none.exit);
        assertTrue(none.err.contains("nope.json: no such baseline file; create it with --update-baseline"), none.err);
        R notRun = cli("check", "--baseline", base.toString(), dir.toString());
        assertEquals(2, notRun.exit);
        assertTrue(notRun.err.contains("neither a run folder"), notRun.err);
    }

    @Test
    void sweepIsCheckedPointByPoint() throws Exception {
        SweepPlan plan = SweepExecutorTest.plan(dir, SweepExecutorTest.SPEC);
        Path sw = dir.resolve("sweep");
        SweepExecutorTest.run(plan, sw, new FakeRunner(-1), 2, new StringWriter());
        Path base = dir.resolve("sweep-baseline.json");
        assertEquals(0, cli("check", "--baseline", base.toString(), "--update-baseline", sw.toString()).exit);
        assertEquals(0, cli("check", "--baseline", base.toString(), sw.toString()).exit);
        // Point 5's step time moves by 10 %.
        String id = plan.points().get(5).id();
        Path rec = sw.resolve("points").resolve(id).resolve("point.json");
        Files.writeString(rec, Files.readString(rec).replace("\"stepTimeSeconds\" : 1.0", "\"stepTimeSeconds\" : 1.1"));
        Path xml = dir.resolve("j.xml");
        R r = cli("check", "--baseline", base.toString(), "--junit", xml.toString(), sw.toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.out.contains(id) && r.out.contains("+10.000%"), r.out);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertEquals(8, doc.getElementsByTagName("testcase").getLength(), "one testcase per point");
        assertEquals(1, doc.getElementsByTagName("failure").getLength());
        Element failed = (Element) doc.getElementsByTagName("failure").item(0).getParentNode();
        assertEquals(id + " (d1.node.clockHz=2000000000, d1.node.threads=2)", failed.getAttribute("name"));
        R kind = cli("check", "--baseline", base.toString(), run("a", 2.0, 100.0, "").toString());
        assertEquals(2, kind.exit);
        assertTrue(kind.err.contains("a baseline of a sweep cannot check a run folder"), kind.err);
    }
}
