package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad config gives one error naming file, line, key, value and what is allowed; exit 2. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private CliRunner validate(Path p, String... extra) {
        String[] args = new String[2 + extra.length];
        args[0] = "validate";
        args[1] = p.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return CliRunner.run(args);
    }

    private static void assertOneCleanError(CliRunner r) {
        assertEquals(ExitCodes.BAD_INPUT, r.exit, r.toString());
        assertTrue(r.err.startsWith("error: "), r.toString());
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r);
        assertFalse(r.err.contains("Exception"), "no exception class names: " + r);
    }

    @Test
    void validConfigPasses() throws IOException {
        Path p = write("ok.yaml", "schemaVersion: 1\nd1:\n  node:\n    clockHz: 2500000000\n");
        CliRunner r = validate(p);
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("1 of"), r.out);
    }

    @Test
    void unknownKeyNamesFileLineKeyAndAllowedKeys() throws IOException {
        Path p = write("unknown.yaml", "schemaVersion: 1\nd1:\n  node:\n    clockHz: 2000000000\n    sramMegabytes: 2\n");
        CliRunner r = validate(p);
        assertOneCleanError(r);
        assertTrue(r.err.contains("unknown.yaml:5"), r.err);
        assertTrue(r.err.contains("'d1.node.sramMegabytes'"), r.err);
        assertTrue(r.err.contains("sramBytes"), "lists the allowed keys: " + r.err);
    }

    @Test
    void unknownTopLevelGroupListsGroups() throws IOException {
        CliRunner r = validate(write("top.yaml", "schemaVersion: 1\nd2:\n  x: 1\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("top.yaml:2") && r.err.contains("'d2'") && r.err.contains("d1"), r.err);
    }

    @Test
    void missingSchemaVersionIsAMissingRequiredKey() throws IOException {
        CliRunner r = validate(write("nover.yaml", "d1:\n  node:\n    threads: 4\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("missing required key 'schemaVersion'"), r.err);
        assertTrue(r.err.contains("nover.yaml"), r.err);
    }

    @Test
    void wrongTypeNamesValueAndAllowedType() throws IOException {
        CliRunner r = validate(write("type.yaml", "schemaVersion: 1\nd1:\n  node:\n    clockHz: fast\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("type.yaml:4") && r.err.contains("'d1.node.clockHz'") && r.err.contains("'fast'")
                && r.err.contains("an integer in [100000000, 10000000000]"), r.err);
    }

    @Test
    void outOfRangeNamesTheRange() throws IOException {
        CliRunner r = validate(write("range.yaml", "schemaVersion: 1\nd1.node.threads: 0\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("range.yaml:2") && r.err.contains("'d1.node.threads'") && r.err.contains("'0'")
                && r.err.contains("[1, 16]"), r.err);
    }

    @Test
    void mappingWhereAValueBelongs() throws IOException {
        CliRunner r = validate(write("map.yaml", "schemaVersion: 1\nd1:\n  node:\n    threads:\n      a: 1\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("map.yaml:4") && r.err.contains("takes a value, found a mapping"), r.err);
    }

    @Test
    void duplicateKey() throws IOException {
        CliRunner r = validate(write("dup.yaml", "schemaVersion: 1\nd1:\n  node:\n    threads: 2\n    threads: 3\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("dup.yaml:5") && r.err.contains("duplicate key 'd1.node.threads'"), r.err);
    }

    @Test
    void brokenYamlSyntaxGivesLine() throws IOException {
        CliRunner r = validate(write("syntax.yaml", "schemaVersion: 1\nd1:\n  node:\n    threads: \"2\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("syntax.yaml:") && r.err.contains("not valid YAML"), r.err);
    }

    @Test
    void jsonConfigIsReadAndItsErrorsHaveLines() throws IOException {
        assertEquals(0, validate(write("ok.json", "{\n  \"schemaVersion\": 1,\n  \"d1\": {\"node\": {\"threads\": 2}}\n}\n")).exit);
        CliRunner r = validate(write("bad.json", "{\n  \"schemaVersion\": 1,\n  \"d1\": {\n    \"nodes\": 2\n  }\n}\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("bad.json:4") && r.err.contains("'d1.nodes'"), r.err);
    }

    @Test
    void missingFile() {
        CliRunner r = CliRunner.run("validate", dir.resolve("nope.yaml").toString());
        assertOneCleanError(r);
        assertTrue(r.err.contains("nope.yaml: no such file"), r.err);
    }

    @Test
    void setOverrideIsCheckedLikeTheFile() throws IOException {
        Path p = write("ok.yaml", "schemaVersion: 1\n");
        CliRunner r = validate(p, "--set", "d1.node.threads=99");
        assertOneCleanError(r);
        assertTrue(r.err.contains("--set d1.node.threads") && r.err.contains("'99'") && r.err.contains("[1, 16]"), r.err);
        CliRunner u = validate(p, "--set", "d1.node.thread=2");
        assertOneCleanError(u);
        assertTrue(u.err.contains("unknown key 'd1.node.thread'") && u.err.contains("threads"), u.err);
    }

    @Test
    void crossParameterHarvestingCheck() throws IOException {
        CliRunner r = validate(write("harvest.yaml", "schemaVersion: 1\nd1:\n  chip:\n    activeNodes: 350\n"));
        assertOneCleanError(r);
        assertTrue(r.err.contains("activeNodes") && r.err.contains("disabledSites") && r.err.contains("354"), r.err);
        CliRunner off = validate(write("off.yaml", "schemaVersion: 1\nd1:\n  chip:\n    disabledSites: [\"0,0\", \"18,3\", \"1,1\", \"2,2\", \"3,3\", \"4,4\"]\n"));
        assertOneCleanError(off);
        assertTrue(off.err.contains("'18,3'") && off.err.contains("off the 18 x 20 mesh"), off.err);
    }

    @Test
    void layersApplyInOrderAndRecordOrigins() throws IOException {
        Path p = write("layers.yaml", "schemaVersion: 1\nd1:\n  node:\n    threads: 2\n    simdBytes: 128\n");
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolve(p, List.of("d1.node.threads=3"));
        assertEquals(3, c.getInt("d1.node.threads"));
        assertEquals(128, c.getInt("d1.node.simdBytes"));
        assertEquals(2, c.getInt("d1.node.sramLoadPorts"));
        assertEquals("--set d1.node.threads", c.origins().get("d1.node.threads"));
        assertTrue(c.origins().get("d1.node.simdBytes").endsWith("layers.yaml:5"), c.origins().get("d1.node.simdBytes"));
        assertEquals("default", c.origins().get("d1.node.sramLoadPorts"));
    }

    @Test
    void resolvedConfigYamlReadsBackToTheSameConfig() throws IOException {
        Path p = write("in.yaml", "schemaVersion: 1\nd1:\n  node:\n    sramBytes: 2.5MB\n  chip:\n    serdesLaneGbps: 224\n");
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolve(p, List.of("sim.seed=42"));
        Path out = dir.resolve("resolved-config.yaml");
        Output.writeText(out, Output.resolvedConfigYaml(c));
        ResolvedConfig back = new ConfigLoader(Catalog.get()).resolve(out, List.of());
        assertEquals(c.values(), back.values());
        assertEquals(2_500_000L, back.getLong("d1.node.sramBytes"));
    }
}
