package io.dojosim.workload.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writer of the protocol-buffers wire format, the counterpart of {@link ProtoReader}. */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    ProtoWriter tag(int field, int wireType) {
        return varint(((long) field << 3) | wireType);
    }

    ProtoWriter varintField(int field, long v) {
        return tag(field, ProtoReader.VARINT).varint(v);
    }

    ProtoWriter fixed64Field(int field, long v) {
        tag(field, ProtoReader.FIXED64);
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    ProtoWriter fixed32Field(int field, int v) {
        tag(field, ProtoReader.FIXED32);
        for (int i = 0; i < 4; i++) {
            out.write((v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    ProtoWriter bytesField(int field, byte[] b) {
        tag(field, ProtoReader.LEN).varint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    ProtoWriter stringField(int field, String s) {
        return bytesField(field, s.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter messageField(int field, ProtoWriter m) {
        return bytesField(field, m.toByteArray());
    }

    ProtoWriter packedVarints(int field, java.util.List<Long> values) {
        ProtoWriter p = new ProtoWriter();
        for (long v : values) {
            p.varint(v);
        }
        return bytesField(field, p.toByteArray());
    }

    /** Appends a length-delimited message (protobuf's writeDelimitedTo framing). */
    ProtoWriter delimited(ProtoWriter m) {
        byte[] b = m.toByteArray();
        varint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
