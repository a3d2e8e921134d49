package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import java.nio.charset.StandardCharsets;

/**
 * A reader of the protocol-buffers wire format (protobuf.dev, "Encoding"): varints, 64-bit and
 * 32-bit fixed values, length-delimited fields and packed repeated scalars, over a byte range.
 * Written for Chakra traces; no generated code and no protobuf runtime.
 *
 * <p>Errors name the file and the absolute byte offset.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private final String file;
    private final byte[] buf;
    private int pos;
    private final int end;

    ProtoReader(String file, byte[] buf, int start, int end) {
        this.file = file;
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    boolean atEnd() {
        return pos >= end;
    }

    int pos() {
        return pos;
    }

    int end() {
        return end;
    }

    ConfigException error(String what) {
        return new ConfigException(file + ": byte offset " + pos + ": " + what);
    }

    long readVarint() {
        long result = 0;
        int start = pos;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                pos = start;
                throw error("truncated varint (the data ends inside a number)");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        pos = start;
        throw error("malformed varint longer than 10 bytes");
    }

    /** @return the next tag (field number << 3 | wire type); field number 0 is an error */
    int readTag() {
        int at = pos;
        long tag = readVarint();
        if ((tag >>> 3) == 0 || tag > 0xFFFFFFFFL) {
            pos = at;
            throw error("invalid field tag " + tag + " (field number 0 or too large)");
        }
        return (int) tag;
    }

    long readFixed64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (buf[pos++] & 0xff) << (8 * i);
        }
        return v;
    }

    int readFixed32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buf[pos++] & 0xff) << (8 * i);
        }
        return v;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw error("truncated field: " + n + " bytes needed, " + (end - pos) + " left");
        }
    }

    /** @return a reader over the next length-delimited field's bytes, skipping them here */
    ProtoReader readLengthDelimited() {
        int at = pos;
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            long left = end - pos;
            pos = at;
            throw error("length " + len + " runs past the end of the enclosing message (" + left
                    + " bytes follow the length); the file is truncated or not a Chakra trace");
        }
        ProtoReader sub = new ProtoReader(file, buf, pos, pos + (int) len);
        pos += (int) len;
        return sub;
    }

    String readString() {
        ProtoReader r = readLengthDelimited();
        return new String(buf, r.pos, r.end - r.pos, StandardCharsets.UTF_8);
    }

    /** Skips a field of this wire type. */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LEN -> readLengthDelimited();
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw error("unsupported wire type " + wireType + " (groups are not used by Chakra)");
        }
    }

    /** Reads a repeated varint field, packed (wire type 2) or one element (wire type 0). */
    void readRepeatedVarint(int wireType, java.util.List<Long> out) {
        if (wireType == LEN) {
            ProtoReader r = readLengthDelimited();
            while (!r.atEnd()) {
                out.add(r.readVarint());
            }
        } else if (wireType == VARINT) {
            out.add(readVarint());
        } else {
            throw error("wire type " + wireType + " for a repeated integer field; expected 0 or 2");
        }
    }

    static long zigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
