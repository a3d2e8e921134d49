package io.dojosim.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatDefTest {
    private static final StatDef STALL = StatDef.counter("<node>.thread[{t}].stall.{reason}", Unit.CYCLES,
            "cycles the thread could not issue, by reason");
    private static final StatDef LINK = StatDef.gauge("pod.links.{level}.bytes", Unit.BYTES, "bytes carried summed over {label} links");

    @Test
    void nameFillsThePlaceholdersInOrder() {
        assertEquals(3, STALL.placeholders());
        assertEquals("chip.node[3,4].thread[0].stall.recv", STALL.name("chip.node[3,4]", "0", "recv"));
        assertEquals("pod.links.dietodie.bytes", LINK.name("dietodie"));
        assertEquals("bytes carried summed over die-to-die links", LINK.describe("die-to-die"));
        StatDef plain = StatDef.distribution("run.stepTimePs", Unit.PS, "simulated time of each training step");
        assertSame(plain.path(), plain.name());
    }

    @Test
    void theMostSpecificDeclarationIsTheOneWithTheMostLiteralCharacters() {
        StatDef mesh = StatDef.distribution("<mesh>.messageLatencyPs", Unit.PS, "send to delivery of the last byte");
        StatDef replica = StatDef.distribution("run.replica[{r}].messageLatencyPs", Unit.PS, "communication operations");
        assertTrue(mesh.matches("run.replica[0].messageLatencyPs") && replica.matches("run.replica[0].messageLatencyPs"));
        assertEquals(".messageLatencyPs".length(), mesh.literalLength());
        assertEquals("run.replica[].messageLatencyPs".length(), replica.literalLength());
        assertEquals(".thread[].stall.".length(), STALL.literalLength());
    }

    @Test
    void theWrongNumberOfValuesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> STALL.name("chip.node[0,0]", "0"));
        assertThrows(IllegalArgumentException.class, () -> LINK.describe());
    }

    @Test
    void matchesAcceptsInstancesOfThePatternOnly() {
        assertTrue(STALL.matches("chip.node[3,4].thread[0].stall.recv"));
        assertTrue(STALL.matches("node.thread[12].stall.barrier"));
        assertTrue(STALL.matches("pod.roi.chip[7].node[0,1].thread[3].stall.drain"));
        assertFalse(STALL.matches("chip.node[3,4].thread[0].stall"), "a part is missing");
        assertFalse(STALL.matches("chip.node[3,4].thread[0].stall.recv.extra"));
        assertFalse(STALL.matches("chip.node[3,4].thread[1.2].stall.recv"), "{t} holds no dot");
        assertFalse(STALL.matches("thread[0].stall.recv"), "<node> is not empty");
        assertTrue(LINK.matches("pod.links.mesh.bytes"));
        assertFalse(LINK.matches("pod.links.mesh.x.bytes"), "{level} is one part");
        assertFalse(LINK.matches("run.links.mesh.bytes"));
    }

    @Test
    void malformedDeclarationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StatDef.counter("a..b", Unit.COUNT, "x"));
        assertThrows(IllegalArgumentException.class, () -> StatDef.counter("a.{b", Unit.COUNT, "x"));
        assertThrows(IllegalArgumentException.class, () -> StatDef.counter("a.b", Unit.COUNT, " "));
        assertThrows(IllegalArgumentException.class, () -> StatDef.counter("a.b", Unit.COUNT, "two\nlines"));
    }

    @Test
    void theRegistryTakesNameUnitAndDescriptionFromTheDeclarationAndChecksItsKind() {
        StatsRegistry r = new StatsRegistry();
        Counter c = r.counter(STALL, STALL.name("node", "2", "recv"));
        assertEquals("node.thread[2].stall.recv", c.name());
        assertEquals(Unit.CYCLES, c.unit());
        assertEquals("cycles the thread could not issue, by reason", c.description());
        Gauge g = r.gauge(LINK, LINK.name("mesh"), LINK.describe("mesh"), () -> 5.0);
        assertEquals("bytes carried summed over mesh links", g.description());
        assertThrows(IllegalStateException.class, () -> r.distribution(STALL, "node.x"), "a counter registered as a distribution");
        assertEquals(List.of("node.thread[2].stall.recv", "pod.links.mesh.bytes"), r.all().stream().map(Stat::name).toList());
    }
}
