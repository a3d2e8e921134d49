package io.dojosim.cli.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordFieldsTest {
    private record Link(String name, long bytes, double meanUtilization) {
        double meanPercent() {
            return meanUtilization * 100;
        }

        public double bytesInKiB() {
            return bytes / 1024.0;
        }
    }

    @Test
    void copiesTheNamedComponentsInTheOrderGivenNotTheRecordOrder() {
        Map<String, Object> m = RecordFields.of(new Link("d2d", 4096, 0.25), "meanUtilization", "name");
        assertEquals(List.of("meanUtilization", "name"), List.copyOf(m.keySet()));
        assertEquals(0.25, m.get("meanUtilization"));
        assertEquals("d2d", m.get("name"));
    }

    @Test
    void putAppendsAfterWhatTheObjectAlreadyHoldsAndReadsPublicDerivedAccessors() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", "die_to_die");
        RecordFields.put(m, new Link("d2d", 4096, 0.25), "bytes", "bytesInKiB");
        assertEquals(List.of("level", "bytes", "bytesInKiB"), List.copyOf(m.keySet()));
        assertEquals(4096L, m.get("bytes"));
        assertEquals(4.0, m.get("bytesInKiB"));
    }

    @Test
    void aNameThatIsNoPublicAccessorFailsNamingTheRecordAndTheName() {
        Link l = new Link("d2d", 1, 0.5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RecordFields.of(l, "name", "bandwidth"));
        assertTrue(e.getMessage().contains("bandwidth") && e.getMessage().contains("Link"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> RecordFields.of(l, "meanPercent")); // package-private: not an accessor
    }
}
