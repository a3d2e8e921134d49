package io.dojosim.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecordsTest {
    private record Router(int vcs, int bufferFlits, String routing) {
        Router {
            if (vcs < 1) throw new IllegalArgumentException("vcs must be >= 1");
        }
    }

    @Test
    void replacesTheNamedComponentsAndKeepsTheOthers() {
        Router r = new Router(2, 8, "xy");
        assertEquals(new Router(4, 8, "xy"), Records.with(r, "vcs", 4));
        assertEquals(new Router(2, 16, "table"), Records.with(r, "routing", "table", "bufferFlits", 16));
        assertEquals(new Router(2, 8, "xy"), r);
    }

    @Test
    void theCopyPassesThroughTheCanonicalConstructorsChecks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Records.with(new Router(2, 8, "xy"), "vcs", 0));
        assertEquals("vcs must be >= 1", e.getMessage());
    }

    @Test
    void anUnknownComponentNamesTheRecordAndTheName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Records.with(new Router(2, 8, "xy"), "colour", 1));
        assertTrue(e.getMessage().endsWith("Router has no component 'colour'"), e.getMessage());
    }

    @Test
    void componentsAreListedByNameInDeclarationOrder() {
        assertEquals(java.util.List.of("vcs", "bufferFlits", "routing"),
                java.util.List.copyOf(Records.components(new Router(2, 8, "xy")).keySet()));
        assertEquals(java.util.List.of(2, 8, "xy"), java.util.List.copyOf(Records.components(new Router(2, 8, "xy")).values()));
    }
}
