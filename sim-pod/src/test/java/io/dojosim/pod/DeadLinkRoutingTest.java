package io.dojosim.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pod.system.deadLinks: flow-level routes go around failed links between chips, or say which key cut a chip off. */
class DeadLinkRoutingTest {
    static Topology tile(String... deadLinks) {
        ResolvedConfig c = PodParams.standaloneCatalog().defaults().with("pod.system.scope", "tile", "test")
                .with("pod.system.deadLinks", List.of(deadLinks), "test");
        return new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(c)));
    }

    /** @return the chips a chip-to-chip route visits, from the die-to-die links it crosses */
    static List<Integer> chips(Topology t, int[] route) {
        List<Integer> out = new ArrayList<>();
        for (int l : route) {
            if (t.kind(l) == LinkKind.DIE_TO_DIE) {
                out.add(t.chipOfVertex(t.src(l)));
                out.add(t.chipOfVertex(t.dst(l)));
            }
        }
        return out;
    }

    @Test
    void aDeadLinkIsAvoidedAtTheCostOfTwoHops() {
        // chip 0 (0,0) to chip 2 (2,0): dimension order crosses 0-1 and 1-2
        assertEquals(List.of(0, 1, 1, 2), chips(tile(), tile().route(Endpoint.chip(0), Endpoint.chip(2))));
        Topology t = tile("0,0,0,E");
        int[] r = t.route(Endpoint.chip(0), Endpoint.chip(2));
        List<Integer> c = chips(t, r);
        // both dimension orders start on the dead link: breadth-first search around it, 4 die-to-die hops
        assertEquals(8, c.size(), "4 hops: " + c);
        for (int i = 0; i < c.size(); i += 2) {
            assertTrue(!(c.get(i) == 0 && c.get(i + 1) == 1) && !(c.get(i) == 1 && c.get(i + 1) == 0), "the dead link is not used: " + c);
        }
        int dead = t.hubToSideLink(0, Topology.E);
        assertTrue(Arrays.stream(r).noneMatch(l -> l == dead), "the flow network's route avoids the link");
        // the reverse direction failed too
        assertEquals(8, chips(t, t.route(Endpoint.chip(2), Endpoint.chip(0))).size());
        // a route whose other dimension order is clear takes it: (0,0) -> (1,1) x-first is blocked, y-first is not
        assertEquals(List.of(0, 5, 5, 6), chips(t, t.route(Endpoint.chip(0), Endpoint.chip(6))));
    }

    @Test
    void linksThatCutAChipOffAreRefusedNamingTheKey() {
        Topology t = tile("0,0,0,E", "0,0,0,N");
        ConfigException e = assertThrows(ConfigException.class, () -> t.route(Endpoint.chip(0), Endpoint.chip(2)));
        assertTrue(e.getMessage().contains("pod.system.deadLinks"), e.getMessage());
    }

    @Test
    void badEntriesNameTheEntryAndWhatIsAllowed() {
        ConfigException side = assertThrows(ConfigException.class, () -> tile("0,0,0,X"));
        assertTrue(side.getMessage().contains("'0,0,0,X'") && side.getMessage().contains("W, E, S or N"), side.getMessage());
        ConfigException edge = assertThrows(ConfigException.class, () -> tile("0,0,0,W"));
        assertTrue(edge.getMessage().contains("no neighbour on side W"), edge.getMessage());
        ConfigException chip = assertThrows(ConfigException.class, () -> tile("3,0,0,E"));
        assertTrue(chip.getMessage().contains("pod.system.deadLinks") && chip.getMessage().contains("'3,0,0,E'"), chip.getMessage());
    }
}
