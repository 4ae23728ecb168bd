package io.yoo.installer.dhcp.v6.codec;

import io.yoo.installer.dhcp.codec.MalformedPacketException;
import java.util.Arrays;

/**
 * Bytes ⇄ {@link Dhcp6Message} (RFC 8415), nothing else: no sockets, no policy. Decoding checks
 * every length against the datagram, and the structure of every option the server interprets
 * (DUIDs, IA_NA and its IAADDRs, ORO, elapsed time, rapid commit, user/vendor class, client
 * architecture, link-layer address, status code, DNS servers, relay message), and throws
 * {@link MalformedPacketException} for anything it cannot trust; the server drops and counts it.
 * Relay messages are decoded down to the client's message, at most {@link #MAX_RELAY_DEPTH}
 * relays deep (RFC 8415 HOP_COUNT_LIMIT): a deeper "nesting bomb" is malformed.
 */
public final class Dhcp6Codec {
    private Dhcp6Codec() {}

    /** RFC 8415 section 7.6 HOP_COUNT_LIMIT: no legitimate chain of relays is deeper. */
    public static final int MAX_RELAY_DEPTH = 8;
    public static final int CLIENT_HEADER = 4;
    public static final int RELAY_HEADER = 34;
    public static final int MAX_LENGTH = 65_535;
    /** RFC 8415 section 11.1: a DUID is at most 128 octets after its 2-octet type. */
    public static final int MAX_DUID = 130;

    public static Dhcp6Message decode(byte[] buf) throws MalformedPacketException {
        return decode(buf, 0, buf.length);
    }

    public static Dhcp6Message decode(byte[] buf, int off, int len) throws MalformedPacketException {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new MalformedPacketException("length beyond buffer");
        }
        if (len > MAX_LENGTH) {
            throw new MalformedPacketException("longer than a UDP datagram: " + len);
        }
        return decode(buf, off, len, 0);
    }

    private static Dhcp6Message decode(byte[] buf, int off, int len, int depth) throws MalformedPacketException {
        if (len < CLIENT_HEADER) {
            throw new MalformedPacketException("too short: " + len + " bytes, a DHCPv6 message has at least 4");
        }
        int type = buf[off] & 0xFF;
        if (type == 0) {
            throw new MalformedPacketException("message type 0");
        }
        if (!Dhcp6MessageType.isRelay(type)) {
            Dhcp6Options o = parseOptions(buf, off + CLIENT_HEADER, off + len);
            int xid = ((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
            return new Dhcp6Message.Client(type, xid, o);
        }
        if (depth >= MAX_RELAY_DEPTH) {
            throw new MalformedPacketException("relay messages nested deeper than " + MAX_RELAY_DEPTH);
        }
        if (len < RELAY_HEADER) {
            throw new MalformedPacketException("relay message too short: " + len + " bytes, at least " + RELAY_HEADER);
        }
        Dhcp6Options all = parseOptions(buf, off + RELAY_HEADER, off + len);
        int msgAt = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.code(i) == Dhcp6Option.RELAY_MSG) {
                if (msgAt >= 0) {
                    throw new MalformedPacketException("relay message with two relay-message options");
                }
                msgAt = i;
            }
        }
        if (msgAt < 0) {
            throw new MalformedPacketException("relay message without a relay-message option (9)");
        }
        byte[] inner = all.value(msgAt);
        Dhcp6Message relayed = decode(inner, 0, inner.length, depth + 1);
        return new Dhcp6Message.Relay(type, buf[off + 1] & 0xFF, Ipv6.of(buf, off + 2), Ipv6.of(buf, off + 18),
                without(all, msgAt), relayed);
    }

    private static Dhcp6Options without(Dhcp6Options o, int skip) {
        Dhcp6Options.Builder b = Dhcp6Options.builder();
        for (int i = 0; i < o.size(); i++) {
            if (i != skip) {
                b.put(o.code(i), o.value(i));
            }
        }
        return b.build();
    }

    /** Parses and checks an option area; throws when any length or checked structure is wrong. */
    static Dhcp6Options parseOptions(byte[] buf, int start, int end) throws MalformedPacketException {
        String problem = check(buf, start, end);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        return index(buf, start, end);
    }

    /** Parses an area {@link #check} accepted (inside an IA_NA, IAADDR). */
    static Dhcp6Options parseOptionsChecked(byte[] buf, int start, int end) {
        return index(buf, start, end);
    }

    private static Dhcp6Options index(byte[] buf, int start, int end) {
        int n = 0;
        for (int i = start; i + 4 <= end; i += 4 + Dhcp6Options.u16(buf, i + 2)) {
            n++;
        }
        int[] codes = new int[n];
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        int k = 0;
        for (int i = start; i + 4 <= end; i += 4 + lengths[k - 1]) {
            codes[k] = Dhcp6Options.u16(buf, i);
            lengths[k] = Dhcp6Options.u16(buf, i + 2);
            offsets[k] = i + 4 - start;
            k++;
        }
        return new Dhcp6Options(Arrays.copyOfRange(buf, start, end), codes, offsets, lengths);
    }

    /** Null when the options in [start, end) are well-formed, else what is wrong. */
    private static String check(byte[] b, int start, int end) {
        int i = start;
        while (i < end) {
            if (i + 4 > end) {
                return "option header truncated at offset " + (i - start);
            }
            int code = Dhcp6Options.u16(b, i);
            int l = Dhcp6Options.u16(b, i + 2);
            int v = i + 4;
            if (v + l > end) {
                return "option " + code + " length " + l + " runs past the end";
            }
            String p = checkOne(b, code, v, l);
            if (p != null) {
                return p;
            }
            i = v + l;
        }
        return null;
    }

    private static String checkOne(byte[] b, int code, int v, int l) {
        return switch (code) {
            case Dhcp6Option.CLIENTID, Dhcp6Option.SERVERID ->
                l < 2 || l > MAX_DUID ? "DUID option " + code + " length " + l + " not 2-" + MAX_DUID : null;
            case Dhcp6Option.IA_NA -> l < 12 ? "IA_NA length " + l + " under 12" : checkIa(b, v + 12, v + l);
            case Dhcp6Option.IAADDR -> l < 24 ? "IAADDR length " + l + " under 24" : check(b, v + 24, v + l);
            case Dhcp6Option.ORO -> l % 2 != 0 ? "ORO length " + l + " odd" : null;
            case Dhcp6Option.ELAPSED_TIME -> l != 2 ? "elapsed time length " + l + " not 2" : null;
            case Dhcp6Option.RAPID_COMMIT -> l != 0 ? "rapid commit length " + l + " not 0" : null;
            case Dhcp6Option.STATUS_CODE -> l < 2 ? "status code length " + l + " under 2" : null;
            case Dhcp6Option.USER_CLASS, Dhcp6Option.BOOTFILE_PARAM -> checkPrefixed(b, v, v + l, code);
            case Dhcp6Option.VENDOR_CLASS -> l < 4 ? "vendor class length " + l + " under 4" : checkPrefixed(b, v + 4, v + l, code);
            case Dhcp6Option.CLIENT_ARCH_TYPE -> l < 2 || l % 2 != 0 ? "client arch length " + l + " not even and > 0" : null;
            case Dhcp6Option.CLIENT_LINKLAYER_ADDR -> l < 2 ? "client link-layer address length " + l + " under 2" : null;
            case Dhcp6Option.DNS_SERVERS -> l % 16 != 0 ? "DNS servers length " + l + " not a multiple of 16" : null;
            default -> null;
        };
    }

    private static String checkIa(byte[] b, int start, int end) {
        String p = check(b, start, end);
        return p == null ? null : "in IA_NA: " + p;
    }

    private static String checkPrefixed(byte[] b, int start, int end, int code) {
        int p = start;
        while (p < end) {
            if (p + 2 > end) {
                return "option " + code + ": datum length truncated";
            }
            int l = Dhcp6Options.u16(b, p);
            if (p + 2 + l > end) {
                return "option " + code + ": datum length " + l + " runs past the option";
            }
            p += 2 + l;
        }
        return null;
    }

    /** Bytes {@link #encode} writes for {@code m}. */
    public static int encodedLength(Dhcp6Message m) {
        return switch (m) {
            case Dhcp6Message.Client c -> CLIENT_HEADER + c.options().encodedLength();
            case Dhcp6Message.Relay r -> RELAY_HEADER + r.options().encodedLength() + 4 + encodedLength(r.relayed());
        };
    }

    public static byte[] encode(Dhcp6Message m) {
        byte[] out = new byte[encodedLength(m)];
        encode(m, out, 0);
        return out;
    }

    /** Encodes {@code m} at {@code off}; returns the position after it. Relays: options, then option 9. */
    public static int encode(Dhcp6Message m, byte[] out, int off) {
        switch (m) {
            case Dhcp6Message.Client c -> {
                out[off] = (byte) c.type();
                out[off + 1] = (byte) (c.transactionId() >>> 16);
                out[off + 2] = (byte) (c.transactionId() >>> 8);
                out[off + 3] = (byte) c.transactionId();
                return c.options().writeTo(out, off + CLIENT_HEADER);
            }
            case Dhcp6Message.Relay r -> {
                out[off] = (byte) r.type();
                out[off + 1] = (byte) r.hopCount();
                r.linkAddress().write(out, off + 2);
                r.peerAddress().write(out, off + 18);
                int p = r.options().writeTo(out, off + RELAY_HEADER);
                int innerLen = encodedLength(r.relayed());
                if (innerLen > 0xFFFF) {
                    throw new IllegalArgumentException("relayed message longer than 65535 bytes");
                }
                out[p] = 0;
                out[p + 1] = (byte) Dhcp6Option.RELAY_MSG;
                out[p + 2] = (byte) (innerLen >>> 8);
                out[p + 3] = (byte) innerLen;
                return encode(r.relayed(), out, p + 4);
            }
        }
    }
}
