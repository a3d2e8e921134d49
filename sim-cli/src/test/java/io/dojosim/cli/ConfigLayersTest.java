package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.sweep.SweepPlan;
import io.dojosim.cli.sweep.SweepPlanner;
import io.dojosim.cli.sweep.SweepSpecParser;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repeated {@code -c}: a base config and what-if overlays, later files win, then {@code --set}; sweeps over overlay files. */
class ConfigLayersTest {
    private static final Path TILE = Path.of("..", "configs", "training-tile.yaml");
    private static final Path WHATIF = Path.of("..", "configs", "whatif-2.5ghz.yaml");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void laterFilesWinKeyByKeyThenSetWinsOverAll() throws IOException {
        Path base = write("base.yaml", "schemaVersion: 1\nd1:\n  node:\n    threads: 2\n    simdBytes: 128\n");
        Path whatIf = write("whatif.yaml", "schemaVersion: 1\nd1:\n  node:\n    simdBytes: 32\n    sramLoadPorts: 3\n");
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolveLayers(List.of(base, whatIf), List.of("d1.node.sramLoadPorts=1"));
        assertEquals(2, c.getInt("d1.node.threads"), "a key only the base sets keeps its value");
        assertEquals(32, c.getInt("d1.node.simdBytes"), "the later file wins");
        assertEquals(1, c.getInt("d1.node.sramLoadPorts"), "--set wins over every file");
        String simd = c.origins().get("d1.node.simdBytes");
        assertTrue(simd.matches(".*whatif\\.yaml:4, over .*base\\.yaml:5"), simd);
        assertTrue(c.origins().get("d1.node.threads").endsWith("base.yaml:4"), c.origins().get("d1.node.threads"));
        assertEquals(List.of("default (" + (c.values().size() - 3) + " keys)", base + " (1 key)", whatIf + " (1 key)", "--set (1 key)"),
                ConfigLoader.layers(c));
        // the order of the layers comes from which file replaced which, not from the names
        ResolvedConfig swapped = new ConfigLoader(Catalog.get()).resolveLayers(List.of(whatIf, base), List.of());
        assertEquals(128, swapped.getInt("d1.node.simdBytes"));
        assertEquals(List.of(whatIf + " (1 key)", base + " (2 keys)"), ConfigLoader.layers(swapped).subList(1, 3));
    }

    @Test
    void whatIfOnATileIsTheTileWithTheWhatIfsClock() {
        ResolvedConfig tile = new ConfigLoader(Catalog.get()).resolve(TILE, List.of());
        ResolvedConfig both = new ConfigLoader(Catalog.get()).resolveLayers(List.of(TILE, WHATIF), List.of());
        assertEquals("tile", both.getString("pod.system.scope"));
        assertEquals(2_500_000_000L, both.getLong("d1.node.clockHz"));
        assertEquals(2_000_000_000L, tile.getLong("d1.node.clockHz"));
        int differ = 0;
        for (String k : tile.values().keySet()) {
            if (!tile.values().get(k).equals(both.values().get(k))) differ++;
        }
        assertEquals(1, differ, "the what-if changes its one key and nothing else");
        String yaml = Output.resolvedConfigYaml(both);
        assertTrue(yaml.contains("# Layers, later wins: default (") && yaml.contains(TILE + " (2 keys) < " + WHATIF + " (1 key)\n"), yaml);
    }

    @Test
    void describeShowsEachLayerAndTheValueItSet() {
        CliRunner r = CliRunner.run("describe", "d1.node", "-c", TILE.toString(), "-c", WHATIF.toString(), "--set", "d1.node.threads=2");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.startsWith("Layers, later wins: default ("), r.out);
        assertTrue(r.out.contains(TILE + " (2 keys) < " + WHATIF + " (1 key) < --set (1 key)"), r.out);
        assertTrue(r.out.contains("d1.node.clockHz = 2500000000 Hz   <- " + WHATIF + ":6 (default 2000000000)"), r.out);
    }

    @Test
    void runAcceptsRepeatedConfigAndNamesAMissingFile() {
        CliRunner r = CliRunner.run("run", "-c", TILE.toString(), "-c", dir.resolve("nope.yaml").toString(), "-w", "tiny");
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("nope.yaml: no such file") && !r.err.contains("should be specified only once"), r.err);
    }

    @Test
    void aSweepAxisOfOverlayFilesLayersEachOnTheBaseBeforeTheSpecsSet() throws IOException {
        write("fast.yaml", "schemaVersion: 1\nd1:\n  node:\n    clockHz: 2500000000\n    threads: 3\n");
        Path spec = write("spec.yaml", "schemaVersion: 1\nworkload: tiny\nset:\n  d1.node.threads: 4\naxes:\n"
                + "  - overlay: [none, fast.yaml]\n  - key: d1.node.simdBytes\n    values: [32, 64]\n");
        ConfigLoader loader = new ConfigLoader(Catalog.get());
        SweepPlan p = SweepPlanner.plan(SweepSpecParser.parse(spec), Catalog.get().defaults(), c -> { }, loader::applyFile);
        assertEquals(4, p.points().size());
        assertEquals("overlay=fast.yaml, d1.node.simdBytes=64", SweepPlanner.describe(p.points().get(3).params()));
        ResolvedConfig none = p.configOf(p.points().get(1));
        ResolvedConfig fast = p.configOf(p.points().get(3));
        assertEquals(2_000_000_000L, none.getLong("d1.node.clockHz"));
        assertEquals(2_500_000_000L, fast.getLong("d1.node.clockHz"));
        assertEquals(4, fast.getInt("d1.node.threads"), "the spec's set applies after the overlay");
        assertEquals(64, fast.getInt("d1.node.simdBytes"));
        assertTrue(!p.points().get(1).fingerprint().equals(p.points().get(3).fingerprint()));

        Path bad = write("bad.yaml", "schemaVersion: 1\naxes:\n  - overlay: [none, missing.yaml]\n");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> SweepPlanner.plan(SweepSpecParser.parse(bad), Catalog.get().defaults(), c -> { }, loader::applyFile));
        assertTrue(e.getMessage().contains("bad.yaml:3") && e.getMessage().contains("overlay 'missing.yaml'")
                && e.getMessage().contains("no such file"), e.getMessage());
    }
}
