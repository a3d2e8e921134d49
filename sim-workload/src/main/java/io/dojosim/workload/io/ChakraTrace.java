package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The raw content of one Chakra execution-trace file (mlcommons/chakra,
 * schema/protobuf/et_def.proto, described in our words in /work/shared/reference/workload-formats.md
 * section 2): a stream of length-delimited messages, a GlobalMetadata first and then Nodes, plain or
 * gzip-compressed (detected by the magic bytes 1f 8b).
 *
 * <p>Caveats: unknown fields are skipped; a file whose first message is a Node (older producers)
 * is read with a warning.
 *
 * @param source the form the trace was read from: "chakra" (protobuf), "chakra-json" or "pytorch-et"
 */
record ChakraTrace(String file, String version, Map<String, Attr> metadata, List<Node> nodes, List<String> warnings,
                   String source) {
    /** Attribute value of any oneof case: integers as long, floats as double, the rest as strings. */
    record Attr(String name, int field, List<Long> longs, List<Double> doubles, List<String> strings) {
        boolean isInteger() {
            return !longs.isEmpty() && field != 27 && field != 28;
        }
    }

    record IOInfo(String values, String shapes, String types) {
        static final IOInfo EMPTY = new IOInfo("", "", "");
    }

    record Node(long id, String name, int type, List<Long> ctrlDeps, List<Long> dataDeps, long startMicros,
                long durationMicros, IOInfo inputs, IOInfo outputs, Map<String, Attr> attrs, int offset) {
    }

    private ChakraTrace(String file, String version, Map<String, Attr> metadata, List<Node> nodes, List<String> warnings) {
        this(file, version, metadata, nodes, warnings, "chakra");
    }

    /**
     * The most bytes a trace may hold once inflated: a sixteenth of the heap (the parsed nodes take
     * about ten times the bytes they came from), at least 64 MiB.
     */
    static long maxTraceBytes() {
        return Math.min(Integer.MAX_VALUE - 8, Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 16));
    }

    static byte[] readMaybeGzip(Path path) {
        long limit = maxTraceBytes();
        try {
            long size = Files.size(path);
            if (size > limit) {
                throw new ConfigException(path + ": the trace holds " + size + " bytes; allowed: at most " + limit
                        + " bytes (a sixteenth of the Java heap; give more with DOJOSIM_JAVA_OPTS=-Xmx<size>)");
            }
            byte[] raw = Files.readAllBytes(path);
            if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    return inflateBounded(path, in, limit);
                }
            }
            return raw;
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the Chakra trace: " + e.getMessage(), e);
        }
    }

    /** Inflates at most {@code limit} bytes; a stream that would give more is refused before it is held. */
    static byte[] inflateBounded(Path path, java.io.InputStream in, long limit) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 16);
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > limit) {
                throw new ConfigException(path + ": the gzip stream inflates to more than " + limit + " bytes; allowed: at most "
                        + limit + " bytes inflated (a sixteenth of the Java heap; give more with DOJOSIM_JAVA_OPTS=-Xmx<size>)");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static ChakraTrace read(Path path) {
        return parse(path.toString(), readMaybeGzip(path));
    }

    static ChakraTrace parse(String file, byte[] data) {
        if (data.length == 0) {
            throw new ConfigException(file + ": the trace is empty (0 bytes); a Chakra trace holds a GlobalMetadata and its nodes");
        }
        ProtoReader stream = new ProtoReader(file, data, 0, data.length);
        List<String> warnings = new ArrayList<>();
        String version = "";
        Map<String, Attr> md = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        boolean first = true;
        while (!stream.atEnd()) {
            int offset = stream.pos();
            ProtoReader msg = stream.readLengthDelimited();
            if (msg.atEnd()) {
                throw new ConfigException(file + ": byte offset " + offset + ": an empty message (length 0); a Chakra node has at"
                        + " least an id, a name or a type, and GlobalMetadata a version");
            }
            if (first && looksLikeMetadata(file, data, msg)) {
                while (!msg.atEnd()) {
                    int tag = msg.readTag();
                    int f = tag >>> 3, wt = tag & 7;
                    if (f == 1 && wt == ProtoReader.LEN) {
                        version = msg.readString();
                    } else if (f == 2 && wt == ProtoReader.LEN) {
                        Attr a = attr(msg.readLengthDelimited());
                        md.put(a.name(), a);
                    } else {
                        msg.skip(wt);
                    }
                }
            } else {
                if (first) {
                    warnings.add(file + ": the first message is a node, not a GlobalMetadata (older producer)");
                }
                nodes.add(node(msg, offset));
            }
            first = false;
        }
        return new ChakraTrace(file, version, md, nodes, warnings);
    }

    /** GlobalMetadata has only fields 1 and 2, both length-delimited; a Node nearly always has a varint. */
    private static boolean looksLikeMetadata(String file, byte[] data, ProtoReader msg) {
        ProtoReader probe = new ProtoReader(file, data, msg.pos(), msg.end());
        while (!probe.atEnd()) {
            int tag = probe.readTag();
            int f = tag >>> 3, wt = tag & 7;
            if (f > 2 || wt != ProtoReader.LEN) {
                return false;
            }
            probe.skip(wt);
        }
        return true;
    }

    private static Node node(ProtoReader m, int offset) {
        long id = 0;
        String name = "";
        int type = 0;
        List<Long> ctrl = new ArrayList<>();
        List<Long> data = new ArrayList<>();
        long start = 0, dur = 0;
        IOInfo in = IOInfo.EMPTY, out = IOInfo.EMPTY;
        Map<String, Attr> attrs = new LinkedHashMap<>();
        while (!m.atEnd()) {
            int tag = m.readTag();
            int f = tag >>> 3, wt = tag & 7;
            switch (f) {
                case 1 -> id = wt == ProtoReader.VARINT ? m.readVarint() : skipWrong(m, wt, "id");
                case 2 -> name = wt == ProtoReader.LEN ? m.readString() : skipWrongS(m, wt);
                case 3 -> type = wt == ProtoReader.VARINT ? (int) m.readVarint() : (int) skipWrong(m, wt, "type");
                case 4 -> m.readRepeatedVarint(wt, ctrl);
                case 5 -> m.readRepeatedVarint(wt, data);
                case 6 -> start = wt == ProtoReader.VARINT ? m.readVarint() : skipWrong(m, wt, "start_time_micros");
                case 7 -> dur = wt == ProtoReader.VARINT ? m.readVarint() : skipWrong(m, wt, "duration_micros");
                case 8 -> in = wt == ProtoReader.LEN ? ioInfo(m.readLengthDelimited()) : in;
                case 9 -> out = wt == ProtoReader.LEN ? ioInfo(m.readLengthDelimited()) : out;
                case 10 -> {
                    if (wt != ProtoReader.LEN) {
                        throw m.error("node attribute (field 10) has wire type " + wt + "; expected 2");
                    }
                    Attr a = attr(m.readLengthDelimited());
                    attrs.put(a.name(), a);
                }
                default -> m.skip(wt);
            }
        }
        return new Node(id, name, type, ctrl, data, start, dur, in, out, attrs, offset);
    }

    private static long skipWrong(ProtoReader m, int wt, String field) {
        throw m.error("field " + field + " has wire type " + wt + "; expected 0 (varint)");
    }

    private static String skipWrongS(ProtoReader m, int wt) {
        throw m.error("field name has wire type " + wt + "; expected 2 (length-delimited)");
    }

    private static IOInfo ioInfo(ProtoReader m) {
        String v = "", s = "", t = "";
        while (!m.atEnd()) {
            int tag = m.readTag();
            int f = tag >>> 3, wt = tag & 7;
            if (wt == ProtoReader.LEN && f >= 1 && f <= 3) {
                String str = m.readString();
                if (f == 1) {
                    v = str;
                } else if (f == 2) {
                    s = str;
                } else {
                    t = str;
                }
            } else {
                m.skip(wt);
            }
        }
        return new IOInfo(v, s, t);
    }

    /** AttributeProto: 1 name, 2 doc_string, then one oneof case 3..32 (see et_def.proto). */
    private static Attr attr(ProtoReader m) {
        String name = "";
        int field = 0;
        List<Long> longs = new ArrayList<>();
        List<Double> doubles = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        while (!m.atEnd()) {
            int tag = m.readTag();
            int f = tag >>> 3, wt = tag & 7;
            if (f == 1 && wt == ProtoReader.LEN) {
                name = m.readString();
            } else if (f == 2 || f > 32 || f < 3) {
                m.skip(wt);
            } else {
                field = f;
                longs.clear();
                doubles.clear();
                strings.clear();
                if (f % 2 == 1) {
                    scalar(m, f, wt, longs, doubles, strings);
                } else {
                    if (wt != ProtoReader.LEN) {
                        throw m.error("list attribute '" + name + "' (field " + f + ") has wire type " + wt);
                    }
                    ProtoReader list = m.readLengthDelimited();
                    while (!list.atEnd()) {
                        int lt = list.readTag();
                        if ((lt >>> 3) != 1) {
                            list.skip(lt & 7);
                            continue;
                        }
                        int lwt = lt & 7;
                        int elem = f - 1;
                        if (lwt == ProtoReader.LEN && elem != 29 && elem != 31) {
                            ProtoReader packed = list.readLengthDelimited();
                            int pwt = elem == 3 || elem == 21 || elem == 25 ? ProtoReader.FIXED64
                                    : elem == 5 || elem == 19 || elem == 23 ? ProtoReader.FIXED32 : ProtoReader.VARINT;
                            while (!packed.atEnd()) {
                                scalar(packed, elem, pwt, longs, doubles, strings);
                            }
                        } else {
                            scalar(list, elem, lwt, longs, doubles, strings);
                        }
                    }
                }
            }
        }
        return new Attr(name, field, List.copyOf(longs), List.copyOf(doubles), List.copyOf(strings));
    }

    /** Decodes one scalar of oneof case f (odd numbers 3..31). */
    private static void scalar(ProtoReader m, int f, int wt, List<Long> longs, List<Double> doubles,
                               List<String> strings) {
        switch (f) {
            case 3 -> doubles.add(Double.longBitsToDouble(expect(m, wt, ProtoReader.FIXED64) ? m.readFixed64() : 0));
            case 5 -> doubles.add((double) Float.intBitsToFloat(expect(m, wt, ProtoReader.FIXED32) ? m.readFixed32() : 0));
            case 7 -> longs.add((long) (int) varint(m, wt));                  // int32: low 32 bits, signed
            case 9, 13 -> longs.add(varint(m, wt));                           // int64, uint64
            case 11 -> longs.add(varint(m, wt) & 0xFFFFFFFFL);                // uint32
            case 15 -> longs.add((long) (int) ProtoReader.zigZag(varint(m, wt) & 0xFFFFFFFFL)); // sint32
            case 17 -> longs.add(ProtoReader.zigZag(varint(m, wt)));          // sint64
            case 19 -> longs.add(expect(m, wt, ProtoReader.FIXED32) ? m.readFixed32() & 0xFFFFFFFFL : 0); // fixed32
            case 21, 25 -> longs.add(expect(m, wt, ProtoReader.FIXED64) ? m.readFixed64() : 0);            // fixed64, sfixed64
            case 23 -> longs.add(expect(m, wt, ProtoReader.FIXED32) ? (long) m.readFixed32() : 0);         // sfixed32
            case 27 -> longs.add(varint(m, wt) != 0 ? 1L : 0L);               // bool
            case 29, 31 -> {
                if (wt != ProtoReader.LEN) {
                    throw m.error("string attribute has wire type " + wt + "; expected 2");
                }
                strings.add(m.readString());
            }
            default -> m.skip(wt);
        }
    }

    private static long varint(ProtoReader m, int wt) {
        expect(m, wt, ProtoReader.VARINT);
        return m.readVarint();
    }

    private static boolean expect(ProtoReader m, int wt, int wanted) {
        if (wt != wanted) {
            throw m.error("attribute value has wire type " + wt + "; expected " + wanted);
        }
        return true;
    }
}
