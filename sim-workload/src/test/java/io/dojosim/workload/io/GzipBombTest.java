package io.dojosim.workload.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A gzip-compressed Chakra trace is refused by the bytes it inflates to, before they are held
 * (issue 17, case 1: 38 KB of gzip inflating to 40 MB of zeros took 6.5 GB); a stream within the
 * limit inflates whole.
 */
class GzipBombTest {
    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    @Test
    void aStreamInflatingPastTheLimitIsRefusedNamingTheLimit() throws IOException {
        byte[] bomb = gzip(new byte[10 << 20]);
        assertTrue(bomb.length < 64 << 10, "10 MiB of zeros compress to a few KiB");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ChakraTrace.inflateBounded(Path.of("z.0.et"), new GZIPInputStream(new ByteArrayInputStream(bomb)), 1 << 20));
        assertTrue(e.getMessage().startsWith("z.0.et: the gzip stream inflates to more than 1048576 bytes"), e.getMessage());
    }

    @Test
    void aStreamWithinTheLimitInflatesWhole() throws IOException {
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
        assertArrayEquals(data, ChakraTrace.inflateBounded(Path.of("ok.0.et"), new GZIPInputStream(new ByteArrayInputStream(gzip(data))), 300_000));
    }

    @Test
    void zerosAreRefusedAtTheirFirstEmptyMessage() {
        ConfigException e = assertThrows(ConfigException.class, () -> ChakraTrace.parse("z.0.et", new byte[1000]));
        assertTrue(e.getMessage().startsWith("z.0.et: byte offset 0: an empty message"), e.getMessage());
    }
}
