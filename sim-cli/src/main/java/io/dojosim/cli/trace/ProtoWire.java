package io.dojosim.cli.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The protobuf wire format, the little of it a Perfetto trace needs: varint (wire type 0) and
 * length-delimited (wire type 2) fields, written into a reusable byte buffer, and a reader that
 * walks the fields of a message. See protobuf.dev/programming-guides/encoding.
 *
 * <pre>
 *   tag = field_number &lt;&lt; 3 | wire_type          varint: 7 bits a byte, low first, high bit = more
 *   length-delimited: tag, varint length, bytes
 * </pre>
 */
public final class ProtoWire {
    private byte[] buf = new byte[256];
    private int len;

    public void clear() {
        len = 0;
    }

    public int size() {
        return len;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    /** A varint field (uint64, uint32, enum, bool). */
    public void uint(int field, long value) {
        varint((long) field << 3);
        varint(value);
    }

    /** An int64 field holding a signed value (two's complement varint, as protobuf's int64). */
    public void sint64AsInt(int field, long value) {
        uint(field, value);
    }

    /** A double field (wire type 1: eight bytes, little-endian). */
    public void fixedDouble(int field, double value) {
        varint((long) field << 3 | 1);
        ensure(8);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (bits >>> (8 * i));
        }
    }

    /** A fixed64 field (wire type 1: eight bytes, little-endian), as Perfetto's flow ids. */
    public void fixed64(int field, long value) {
        varint((long) field << 3 | 1);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (value >>> (8 * i));
        }
    }

    public void string(int field, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint((long) field << 3 | 2);
        varint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** An embedded message field: the bytes of {@code m}. */
    public void message(int field, ProtoWire m) {
        varint((long) field << 3 | 2);
        varint(m.len);
        ensure(m.len);
        System.arraycopy(m.buf, 0, buf, len, m.len);
        len += m.len;
    }

    /** Writes {@code m} to {@code out} as length-delimited field {@code field}. */
    public static void writeField(OutputStream out, int field, ProtoWire m) throws IOException {
        ProtoWire head = new ProtoWire();
        head.varint((long) field << 3 | 2);
        head.varint(m.len);
        out.write(head.buf, 0, head.len);
        out.write(m.buf, 0, m.len);
    }

    /** One field read back: its number, and its varint value or its bytes. */
    public record Field(int number, long value, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** @return the fields of a message, in order (varint, 64-bit as its raw bits, and length-delimited; other wire types are an error) */
    public static List<Field> read(byte[] b) {
        List<Field> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < b.length) {
            long tag = readVarint(b, pos);
            int field = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            if (type == 0) {
                out.add(new Field(field, readVarint(b, pos), null));
            } else if (type == 1) {
                if (pos[0] + 8 > b.length) throw new IllegalArgumentException("field " + field + ": eight bytes past the end");
                long v = 0;
                for (int i = 7; i >= 0; i--) v = v << 8 | (b[pos[0] + i] & 0xFF);
                pos[0] += 8;
                out.add(new Field(field, v, null));
            } else if (type == 2) {
                int n = (int) readVarint(b, pos);
                if (n < 0 || pos[0] + n > b.length) throw new IllegalArgumentException("field " + field + ": length " + n + " past the end");
                out.add(new Field(field, 0, Arrays.copyOfRange(b, pos[0], pos[0] + n)));
                pos[0] += n;
            } else {
                throw new IllegalArgumentException("field " + field + ": wire type " + type + " not read here");
            }
        }
        return out;
    }

    private static long readVarint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) throw new IllegalArgumentException("varint past the end");
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) return v;
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }
}
