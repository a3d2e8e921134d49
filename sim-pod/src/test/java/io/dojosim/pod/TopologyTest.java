package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import org.junit.jupiter.api.Test;

class TopologyTest {
    static ResolvedConfig defaults() {
        return PodParams.standaloneCatalog().defaults();
    }

    static ResolvedConfig scope(String s) {
        return defaults().with("pod.system.scope", s, "test");
    }

    /**
     * The scope with the raw SerDes rate (d1.chip.dieToDieEfficiency = 1.0): the published 2 TB/s
     * per die edge and 10 TB/s tile bisection are signalling rates; the default applies sim-d1's
     * 90 % payload efficiency on top.
     */
    static ResolvedConfig raw(String s) {
        return scope(s).with("d1.chip.dieToDieEfficiency", 1.0, "test");
    }

    @Test
    void exapodHasThePublishedCounts() {
        Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(defaults())));
        assertEquals(120, t.tiles());
        assertEquals(3000, t.chips());
        assertEquals(1_062_000L, t.nodes());
        assertEquals(20, t.trays());
        assertEquals(400, t.dips()); // 20 per tray (AID22), 4 tile edges x 5
    }

    @Test
    void peaksFallOutOfNodeRates() {
        MachineInfo tile = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(scope("tile")))));
        // 25 chips x 354 nodes x 256 MAC x 2 FLOP x 2 GHz = 9.0624e15
        assertEquals(9.0624e15, tile.level("system").peakBf16Flops(), 1e6);
        MachineInfo tray = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(scope("tray")))));
        assertEquals(6 * 9.0624e15, tray.level("system").peakBf16Flops(), 1e6); // 54.4 PFLOPS
        MachineInfo pod = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(defaults()))));
        assertEquals(120 * 9.0624e15, pod.level("system").peakBf16Flops(), 1e6); // 1.087 EFLOPS
        assertEquals(1.087e18, pod.level("system").peakBf16Flops(), 0.001e18);
    }

    @Test
    void tileBisectionAndOffTileBandwidthComeFromTheGraph() {
        MachineInfo tile = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(raw("tile")))));
        // middle cut of 5 x 5 chips crosses 5 die-to-die links of 576/4 x 112 Gb/s / 8 = 2.016 TB/s
        assertEquals(5 * 2.016e12, tile.level("tile").bisectionBytesPerSecond(), 1e3);
        assertEquals(10e12, tile.level("tile").bisectionBytesPerSecond(), 0.01 * 10e12); // published 10 TB/s, within 1 %
        // four edges of 5 chips, each 9 TB/s / 5 = 1.8 TB/s: published 36 TB/s
        assertEquals(36e12, tile.offTileBytesPerSecond(), 1e3);
        // with the default 90 % payload efficiency the same cut carries 9.07 TB/s of payload
        MachineInfo payload = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(scope("tile")))));
        assertEquals(0.9 * 5 * 2.016e12, payload.level("tile").bisectionBytesPerSecond(), 1e3);
    }

    @Test
    void trayBisectionIsTheTileFabricCutAndAid22ReadsTheEdgeRateBothWays() {
        MachineInfo tray = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(scope("tray")))));
        // a 2 x 3 tray split 3 | 3 between its rows: 3 tile edges of 9 TB/s per direction
        assertEquals(27e12, tray.level("tray").bisectionBytesPerSecond(), 1e3);
        // the system at tray scope adds the paths through the Ethernet switch and the host: the 10 DIPs
        // of one half at 50 GB/s TTPoE and 32 GB/s PCIe
        assertEquals(27e12 + 10 * 50e9 + 10 * 32e9, tray.level("system").bisectionBytesPerSecond(), 1e3);
        // a cut across the short side is not balanced (2 | 4 tiles), so it is not the bisection
        // even though it crosses only 2 edges
        assertTrue(tray.level("tray").bisectionCut().contains("27.82 TB/s"), tray.level("tray").bisectionCut());
        // AID22's 13.4 TB/s is half of it: 9 TB/s per edge counted over both directions (TNP22's
        // 4.5 TB/s per edge); the published figure falls out within 1 %
        ResolvedConfig both = scope("tray").with("pod.tile.edgeRateCountsBothDirections", true, "test");
        MachineInfo half = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(both))));
        assertEquals(13.5e12, half.level("tray").bisectionBytesPerSecond(), 1e3);
        assertEquals(13.4e12, half.level("tray").bisectionBytesPerSecond(), 0.01 * 13.4e12);
        // ... at the price of the off-tile figure: 36 TB/s becomes both directions (18 per direction)
        assertEquals(18e12, half.offTileBytesPerSecond(), 1e3);
    }

    @Test
    void bisectionFollowsTheLinkParameters() {
        ResolvedConfig c = raw("tile").with("d1.chip.serdesLanes", 288, "test");
        MachineInfo tile = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(c))));
        assertEquals(5 * 1.008e12, tile.level("tile").bisectionBytesPerSecond(), 1e3);
        // a dead chip in the middle column removes its die-to-die links from the cut
        ResolvedConfig d = raw("tile").with("pod.system.deadChips", "0,2,2", "test");
        MachineInfo dead = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(d))));
        assertTrue(dead.level("tile").bisectionBytesPerSecond() < 5 * 2.016e12 - 1e9);
        assertEquals(24 * 354L, dead.level("system").nodes());
    }

    @Test
    void podBisectionIsTheEthernetOfHalfTheTrays() {
        MachineInfo pod = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(defaults()))));
        // 10 trays x 20 DIPs x 50 GB/s
        assertEquals(10e12, pod.level("system").bisectionBytesPerSecond(), 1e3);
        MachineInfo across = new MachineInfo(new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(defaults().with("pod.system.tileMeshAcrossTrays", true, "t")))));
        // plus 3 tile edges x 9 TB/s where the tile meshes of tray 9 and tray 10 meet
        assertEquals(10e12 + 27e12, across.level("system").bisectionBytesPerSecond(), 1e3);
    }

    @Test
    void routesAreDimensionOrderAndAvoidDeadChips() {
        Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(scope("tile"))));
        int[] r = t.route(Endpoint.chip(0), Endpoint.chip(24)); // (0,0) -> (4,4): 8 hops x 3 links
        assertEquals(24, r.length);
        assertEquals(LinkKind.MESH, t.kind(r[0]));
        assertEquals(LinkKind.DIE_TO_DIE, t.kind(r[1]));
        Topology d = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(scope("tile").with("pod.system.deadChips", "0,1,0", "t"))));
        int[] r2 = d.route(Endpoint.chip(0), Endpoint.chip(2)); // (1,0) dead: around it, 4 hops
        assertEquals(12, r2.length);
        assertThrows(ConfigException.class, () -> d.route(Endpoint.chip(1), Endpoint.chip(2)));
    }

    @Test
    void badDeadChipEntriesAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(scope("tile").with("pod.system.deadChips", "3,1,1", "t")))));
        assertTrue(e.getMessage().contains("pod.system.deadChips"), e.getMessage());
    }

    @Test
    void crossTrayTrafficUsesDipsAndEthernet() {
        Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(defaults())));
        int lastChip = t.chips() - 1;
        int[] r = t.route(Endpoint.chip(0), Endpoint.chip(lastChip));
        int eth = 0;
        int dip = 0;
        for (int l : r) {
            if (t.kind(l) == LinkKind.ETHERNET) eth++;
            if (t.kind(l) == LinkKind.DIP_LINK) dip++;
        }
        assertEquals(2, eth);
        assertEquals(2, dip);
        assertTrue(t.routeLatencyPs(r) >= 1_300_000L);
    }

    @Test
    void withTileMeshesAcrossTraysTheNextTrayIsReachedOverTileEdges() {
        Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(defaults().with("pod.system.tileMeshAcrossTrays", true, "t"))));
        // chip (0,4) of tile 3 (tray 0, tile row 1: domain row 9) faces chip (0,0) of tile 6 (tray 1, tile row 0: domain row 10)
        int a = 3 * 25 + 4 * 5;
        int b = 6 * 25;
        int[] r = t.route(Endpoint.chip(a), Endpoint.chip(b));
        assertEquals(3, r.length); // hub -> N side, tile edge, S side -> hub
        assertEquals(LinkKind.TILE_EDGE, t.kind(r[1]));
        // the cut around an interior tile is still 36 TB/s; four neighbours now
        assertEquals(200, t.domainHeight());
    }

    @Test
    void cabinetScopeBuildsTwoTrays() {
        Topology t = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(scope("cabinet"))));
        assertEquals(12, t.tiles());
        assertEquals(106_200L, t.nodes());
        assertEquals(40, t.dips());
    }
}
