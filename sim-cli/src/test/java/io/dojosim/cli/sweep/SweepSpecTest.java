package io.dojosim.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Catalog;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and planning of sweep specs: axes, ranges, zips, ids, and strict errors with file and line. */
class SweepSpecTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path p = dir.resolve("spec.yaml");
        Files.writeString(p, text);
        return p;
    }

    private SweepPlan plan(String text) throws IOException {
        return SweepPlanner.plan(SweepSpecParser.parse(write(text)), Catalog.get().defaults(), c -> { });
    }

    private String error(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> plan(text));
        return e.getMessage();
    }

    @Test
    void cartesianProductOfListRangeAndZipWithTheLastAxisFastest() throws IOException {
        SweepPlan p = plan("schemaVersion: 1\nworkload: tiny\nsteps: 2\nset:\n  d1.node.simdBytes: 128\naxes:\n"
                + "  - key: d1.node.clockHz\n    values: [1.0e9, 2000000000]\n"
                + "  - key: d1.node.threads\n    range: 1:5:2\n"
                + "  - zip:\n      d1.node.sramLoadPorts: [1, 2]\n      d1.node.sramStorePorts: [3, 4]\n");
        // 2 clocks x 3 thread counts (1, 3, 5) x 2 zipped pairs = 12 points.
        assertEquals(12, p.points().size());
        assertEquals(List.of("d1.node.clockHz", "d1.node.threads", "d1.node.sramLoadPorts", "d1.node.sramStorePorts"), p.axisKeys());
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(SweepPlanner.describe(p.points().get(i).params()));
        }
        assertEquals(List.of(
                "d1.node.clockHz=1000000000, d1.node.threads=1, d1.node.sramLoadPorts=1, d1.node.sramStorePorts=3",
                "d1.node.clockHz=1000000000, d1.node.threads=1, d1.node.sramLoadPorts=2, d1.node.sramStorePorts=4",
                "d1.node.clockHz=1000000000, d1.node.threads=3, d1.node.sramLoadPorts=1, d1.node.sramStorePorts=3",
                "d1.node.clockHz=1000000000, d1.node.threads=3, d1.node.sramLoadPorts=2, d1.node.sramStorePorts=4"), first);
        assertEquals("d1.node.clockHz=2000000000, d1.node.threads=5, d1.node.sramLoadPorts=2, d1.node.sramStorePorts=4",
                SweepPlanner.describe(p.points().get(11).params()));
        assertEquals(128, p.configOf(p.points().get(5)).getInt("d1.node.simdBytes"), "base overrides reach every point");
        assertEquals(2, p.base().getInt("run.steps"));
        assertEquals("tiny", p.configOf(p.points().get(3)).getString("run.workload"));
        assertTrue(p.configOf(p.points().get(0)).origins().get("d1.node.threads").contains("spec.yaml:9"),
                p.configOf(p.points().get(0)).origins().toString());
    }

    @Test
    void idsAreIndexPlusParameterHashAndStable() throws IOException {
        String s = "schemaVersion: 1\nworkload: tiny\naxes:\n  - key: d1.node.threads\n    values: [1, 2]\n";
        SweepPlan a = plan(s);
        SweepPlan b = plan(s.replace("[1, 2]", "[1.0, 2]"));
        assertTrue(a.points().get(0).id().matches("p0000-[0-9a-f]{8}"), a.points().get(0).id());
        assertEquals(a.points().get(0).id(), b.points().get(0).id(), "same coerced value, same id");
        assertEquals(a.points().get(0).fingerprint(), b.points().get(0).fingerprint());
        SweepPlan c = plan(s.replace("workload: tiny", "workload: other"));
        assertTrue(c.configOf(c.points().get(0)).origins().get("run.workload").endsWith("spec.yaml:2"));
        assertEquals(a.points().get(1).id(), c.points().get(1).id(), "ids depend on the point's parameters only");
        assertTrue(!a.points().get(1).fingerprint().equals(c.points().get(1).fingerprint()), "the fingerprint sees the workload");
        assertTrue(!a.points().get(0).id().substring(6).equals(a.points().get(1).id().substring(6)));
    }

    @Test
    void decimalRangesAreExactAndNoAxesIsOnePoint() throws IOException {
        SpecNode n = SpecNode.read(write("r: 0.1:0.3:0.1\n"));
        assertEquals(List.of(0.1, 0.2, 0.3), SweepSpecParser.range(n.map("x").get("r"), "r"), "BigDecimal steps: 0.3 is reached exactly");
        SpecNode big = SpecNode.read(write("r: {from: 1e9, to: 2e9, step: 5e8}\n"));
        assertEquals(List.of(1_000_000_000L, 1_500_000_000L, 2_000_000_000L), SweepSpecParser.range(big.map("x").get("r"), "r"));
        assertEquals(1, plan("schemaVersion: 1\nworkload: tiny\n").points().size());
    }

    @Test
    void unknownAxisKeyNamesFileLineAndAllowedKeys() {
        String m = error("schemaVersion: 1\nworkload: tiny\naxes:\n  - key: d1.node.clockHz\n    values: [2e9]\n  - key: d1.node.thread\n    values: [1]\n");
        assertTrue(m.contains("spec.yaml:6") && m.contains("unknown key 'd1.node.thread'") && m.contains("threads"), m);
    }

    @Test
    void badValueNamesItsLineAndTheAllowedRange() {
        String m = error("schemaVersion: 1\nworkload: tiny\naxes:\n  - key: d1.node.threads\n    values: [2, 99]\n");
        assertTrue(m.contains("spec.yaml:4") && m.contains("'99'") && m.contains("[1, 16]"), m);
        String s = error("schemaVersion: 1\nworkload: tiny\nset:\n  d1.node.threads: 0\n");
        assertTrue(s.contains("spec.yaml:4") && s.contains("'0'"), s);
    }

    @Test
    void structuralErrors() {
        assertTrue(error("schemaVersion: 1\nworkload: tiny\nsteps: 1\nfoo: 2\n").contains("spec.yaml:4: unknown key 'foo'"));
        String both = error("schemaVersion: 1\nset:\n  run.steps: 2\nsteps: 1\n");
        assertTrue(both.contains("spec.yaml:4: key 'steps' and 'run.steps'"), both);
        assertTrue(error("workload: x\n").contains("missing required key 'schemaVersion'"));
        String zip = error("schemaVersion: 1\nworkload: t\naxes:\n  - zip:\n      d1.node.threads: [1, 2]\n      d1.node.simdBytes: [64]\n");
        assertTrue(zip.contains("spec.yaml:6") && zip.contains("has 2") && zip.contains("has 1"), zip);
        String twice = error("schemaVersion: 1\nworkload: t\naxes:\n  - key: d1.node.threads\n    values: [1]\n  - key: d1.node.threads\n    values: [2]\n");
        assertTrue(twice.contains("spec.yaml:6") && twice.contains("on two axes"), twice);
        String range = error("schemaVersion: 1\nworkload: t\naxes:\n  - key: d1.node.threads\n    range: 4:1:1\n");
        assertTrue(range.contains("spec.yaml:5") && range.contains("is empty"), range);
        String vr = error("schemaVersion: 1\nworkload: t\naxes:\n  - key: d1.node.threads\n    values: [1]\n    range: 1:2:1\n");
        assertTrue(vr.contains("exactly one of 'values'"), vr);
        String empty = error("schemaVersion: 1\nworkload: t\naxes:\n  - key: d1.node.threads\n    values: []\n");
        assertTrue(empty.contains("the list is empty"), empty);
        String dup = error("schemaVersion: 1\nworkload: t\nworkload: u\n");
        assertTrue(dup.contains("spec.yaml:3: duplicate key 'workload'"), dup);
        String steps = error("schemaVersion: 1\nworkload: t\nsteps: 0\n");
        assertTrue(steps.contains("spec.yaml:3") && steps.contains("'run.steps'") && steps.contains("'0'"), steps);
    }

    @Test
    void crossParameterFailureNamesThePoint() throws IOException {
        Path p = write("schemaVersion: 1\nworkload: t\naxes:\n  - key: d1.node.threads\n    values: [1, 2]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SweepPlanner.plan(SweepSpecParser.parse(p), Catalog.get().defaults(), c -> {
            if (c.getInt("d1.node.threads") == 2) {
                throw new ConfigException("threads 2 conflicts with something");
            }
        }));
        assertTrue(e.getMessage().contains("point p0001-") && e.getMessage().contains("d1.node.threads=2")
                && e.getMessage().contains("conflicts"), e.getMessage());
    }
}
