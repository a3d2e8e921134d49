package io.dojosim.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParamTableTest {
    private static final String TABLE = """
            # a comment
            group: demo
            description: a demo group
            doc: docs/demo.md

            key: clockHz
            type: long
            default: 2000000000
            range: 1000000 10000000000
            unit: Hz
            source: published: HC34-U
            description: clock

            key: sites
            type: string_list
            default: 0,0;17,19
            unit: x,y
            source: assumed: docs/demo.md#sites
            description: harvested sites

            key: mode
            type: enum
            default: flit
            allowed: flit;packet
            source: simulator: docs/demo.md
            description: fidelity

            key: note
            type: string
            default:
            source: simulator: docs/demo.md
            description: empty by default

            key: required
            type: double
            range: 0.5 1.0E15
            unit: ratio
            source: derived: 1 / 2
            description: no default
            """;

    @Test
    void readsEveryFieldWithItsTypeAndTheGroupPrefix() {
        ParamGroup g = ParamTable.parse(TABLE, "demo.params");
        assertEquals("demo", g.name());
        assertEquals("docs/demo.md", g.docPage());
        ParamDef clock = g.params().get(0);
        assertEquals("demo.clockHz", clock.key());
        assertEquals(ParamType.LONG, clock.type());
        assertEquals(2_000_000_000L, clock.defaultValue());
        assertEquals(1e10, clock.max());
        assertEquals(ParamSource.published("HC34-U"), clock.source());
        assertEquals(List.of("0,0", "17,19"), g.params().get(1).defaultValue());
        assertEquals(List.of("flit", "packet"), g.params().get(2).allowed());
        assertEquals("", g.params().get(3).defaultValue());
        ParamDef req = g.params().get(4);
        assertNull(req.defaultValue());
        assertEquals(0.5, req.min());
        assertEquals(1e15, req.max());
        assertEquals(ParamSource.Kind.DERIVED, req.source().kind());
    }

    @Test
    void formatThenParseGivesAnEqualGroup() {
        ParamGroup g = ParamTable.parse(TABLE, "demo.params");
        assertEquals(g, ParamTable.parse(ParamTable.format(g), "again"));
        assertEquals(CoreParams.GROUP, ParamTable.parse(ParamTable.format(CoreParams.GROUP), "sim.params"));
    }

    @Test
    void aMalformedTableNamesTheResourceAndTheLineOfTheBlock() {
        String bad = TABLE.replace("type: enum", "type: enum\ncolour: red");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParamTable.parse(bad, "demo.params"));
        assertTrue(e.getMessage().startsWith("parameter table demo.params:21: unknown field 'colour'"), e.getMessage());
        String badDefault = TABLE.replace("default: 2000000000", "default: 1");
        e = assertThrows(IllegalStateException.class, () -> ParamTable.parse(badDefault, "demo.params"));
        assertTrue(e.getMessage().startsWith("parameter table demo.params:6: key 'demo.clockHz': value '1' is not allowed"), e.getMessage());
    }
}
