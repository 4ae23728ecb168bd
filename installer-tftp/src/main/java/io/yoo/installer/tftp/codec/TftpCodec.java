package io.yoo.installer.tftp.codec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Pure TFTP codec: datagram bytes in, {@link TftpPacket} out, and back. No sockets, no files.
 *
 * <p>Strings on the wire are NUL-terminated netascii; we decode them as ISO-8859-1 so that every
 * byte maps to exactly one char and nothing is lost or rejected here (the path guard decides
 * what a file name may contain). A request must end with a NUL; options come in name/value
 * pairs; a name repeated later is ignored (first one wins), as is an empty option name.
 */
public final class TftpCodec {
    private TftpCodec() {}

    /** Largest payload in a DATA packet (RFC 2348 blksize upper bound). */
    public static final int MAX_BLOCK_SIZE = 65464;
    /** Smallest blksize allowed by RFC 2348. */
    public static final int MIN_BLOCK_SIZE = 8;
    public static final int HEADER = 4;

    public static TftpPacket decode(byte[] bytes) throws MalformedPacketException {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** Decodes the datagram between position and limit; the buffer's position is consumed. */
    public static TftpPacket decode(ByteBuffer b) throws MalformedPacketException {
        if (b.remaining() < 2) {
            throw new MalformedPacketException("opcode", "datagram of " + b.remaining() + " bytes is shorter than an opcode");
        }
        int opcode = b.getShort() & 0xFFFF;
        try {
            return switch (opcode) {
                case TftpPacket.RRQ, TftpPacket.WRQ -> decodeRequest(opcode, b);
                case TftpPacket.DATA -> {
                    int block = blockNumber(b);
                    byte[] payload = new byte[b.remaining()];
                    b.get(payload);
                    yield new TftpPacket.Data(block, payload);
                }
                case TftpPacket.ACK -> {
                    int block = blockNumber(b);
                    // some clients pad ACKs; trailing bytes are harmless and ignored
                    yield new TftpPacket.Ack(block);
                }
                case TftpPacket.ERROR -> {
                    if (b.remaining() < 2) {
                        throw new MalformedPacketException("error code", "missing");
                    }
                    int code = b.getShort() & 0xFFFF;
                    // be lenient with peers that omit the final NUL of the message
                    String msg = b.hasRemaining() ? string(b, "error message", true) : "";
                    yield new TftpPacket.Error(code, msg);
                }
                case TftpPacket.OACK -> new TftpPacket.OptionAck(options(b));
                default -> throw new MalformedPacketException("opcode", "unknown opcode " + opcode);
            };
        } catch (BufferUnderflowException e) {
            throw new MalformedPacketException("packet", "truncated");
        }
    }

    private static int blockNumber(ByteBuffer b) throws MalformedPacketException {
        if (b.remaining() < 2) {
            throw new MalformedPacketException("block number", "missing");
        }
        return b.getShort() & 0xFFFF;
    }

    private static TftpPacket decodeRequest(int opcode, ByteBuffer b) throws MalformedPacketException {
        String filename = string(b, "filename", false);
        if (filename.isEmpty()) {
            throw new MalformedPacketException("filename", "empty");
        }
        String mode = string(b, "mode", false).toLowerCase(Locale.ROOT);
        if (mode.isEmpty()) {
            throw new MalformedPacketException("mode", "empty");
        }
        Map<String, String> options = options(b);
        return opcode == TftpPacket.RRQ
                ? new TftpPacket.ReadRequest(filename, mode, options)
                : new TftpPacket.WriteRequest(filename, mode, options);
    }

    private static Map<String, String> options(ByteBuffer b) throws MalformedPacketException {
        Map<String, String> options = new LinkedHashMap<>();
        while (b.hasRemaining()) {
            String name = string(b, "option name", false).toLowerCase(Locale.ROOT);
            if (!b.hasRemaining()) {
                throw new MalformedPacketException("option " + name, "value missing");
            }
            String value = string(b, "option " + name + " value", false);
            if (!name.isEmpty()) {
                options.putIfAbsent(name, value);
            }
        }
        return options;
    }

    private static String string(ByteBuffer b, String field, boolean lenient) throws MalformedPacketException {
        int start = b.position();
        int end = start;
        int limit = b.limit();
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        if (end == limit && !lenient) {
            throw new MalformedPacketException(field, "not terminated by a NUL byte");
        }
        byte[] raw = new byte[end - start];
        b.get(raw);
        if (end < limit) {
            b.get(); // the NUL
        }
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** Encodes any packet into a new array. */
    public static byte[] encode(TftpPacket p) {
        ByteBuffer b = ByteBuffer.allocate(size(p));
        encode(p, b);
        return b.array();
    }

    /** Encodes into {@code b} at its position (advancing it). */
    public static void encode(TftpPacket p, ByteBuffer b) {
        b.putShort((short) p.opcode());
        switch (p) {
            case TftpPacket.ReadRequest r -> request(b, r.filename(), r.mode(), r.options());
            case TftpPacket.WriteRequest w -> request(b, w.filename(), w.mode(), w.options());
            case TftpPacket.Data d -> b.putShort((short) d.block()).put(d.payload());
            case TftpPacket.Ack a -> b.putShort((short) a.block());
            case TftpPacket.Error e -> {
                b.putShort((short) e.code());
                putString(b, e.message());
            }
            case TftpPacket.OptionAck o -> o.options().forEach((k, v) -> {
                putString(b, k);
                putString(b, v);
            });
        }
    }

    /** Writes the 4-byte DATA header for wire block {@code block} (taken modulo 65536). */
    public static void putDataHeader(ByteBuffer b, long block) {
        b.putShort((short) TftpPacket.DATA).putShort((short) block);
    }

    private static void request(ByteBuffer b, String file, String mode, Map<String, String> options) {
        putString(b, file);
        putString(b, mode);
        options.forEach((k, v) -> {
            putString(b, k);
            putString(b, v);
        });
    }

    private static void putString(ByteBuffer b, String s) {
        b.put(s.getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0);
    }

    private static int size(TftpPacket p) {
        return switch (p) {
            case TftpPacket.ReadRequest r -> 2 + len(r.filename()) + len(r.mode()) + optionsLen(r.options());
            case TftpPacket.WriteRequest w -> 2 + len(w.filename()) + len(w.mode()) + optionsLen(w.options());
            case TftpPacket.Data d -> 4 + d.payload().length;
            case TftpPacket.Ack a -> 4;
            case TftpPacket.Error e -> 4 + len(e.message());
            case TftpPacket.OptionAck o -> 2 + optionsLen(o.options());
        };
    }

    private static int len(String s) {
        return s.length() + 1;
    }

    private static int optionsLen(Map<String, String> o) {
        int n = 0;
        for (Map.Entry<String, String> e : o.entrySet()) {
            n += len(e.getKey()) + len(e.getValue());
        }
        return n;
    }
}
