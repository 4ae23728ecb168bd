package io.yoo.installer.dhcp.codec;

import io.yoo.installer.api.net.Ipv4;
import java.util.Arrays;

/**
 * Bytes ⇄ {@link DhcpPacket}, nothing else: no sockets, no policy. Decoding checks every length
 * against the datagram and throws {@link MalformedPacketException} for anything it cannot trust;
 * it allocates about the size of the packet (one compact copy of the option values plus a small
 * fixed index), never an amount a length field asks for.
 */
public final class DhcpCodec {
    private DhcpCodec() {}

    /** RFC 2131: the fixed BOOTP header is 236 bytes, then the magic cookie 99.130.83.99. */
    public static final int HEADER = 236;
    public static final int MIN_LENGTH = HEADER + 4;
    /** Replies are padded to the BOOTP minimum; some old PXE ROMs drop anything shorter. */
    public static final int MIN_REPLY = 300;
    public static final int MAX_LENGTH = 65_507;
    private static final int SNAME = 44;
    private static final int FILE = 108;

    public static DhcpPacket decode(byte[] buf) throws MalformedPacketException {
        return decode(buf, 0, buf.length);
    }

    public static DhcpPacket decode(byte[] buf, int off, int len) throws MalformedPacketException {
        if (len < MIN_LENGTH) {
            throw new MalformedPacketException("too short: " + len + " bytes, a DHCP message has at least " + MIN_LENGTH);
        }
        if (off < 0 || off + len > buf.length) {
            throw new MalformedPacketException("length beyond buffer");
        }
        int op = buf[off] & 0xFF;
        if (op != DhcpPacket.BOOTREQUEST && op != DhcpPacket.BOOTREPLY) {
            throw new MalformedPacketException("bad op " + op);
        }
        int hlen = buf[off + 2] & 0xFF;
        if (hlen > 16) {
            throw new MalformedPacketException("hlen " + hlen + " over 16");
        }
        if (buf[off + 236] != 99 || (buf[off + 237] & 0xFF) != 130 || buf[off + 238] != 83 || buf[off + 239] != 99) {
            throw new MalformedPacketException("no DHCP magic cookie (plain BOOTP is not served)");
        }
        DhcpOptions options = parseOptions(buf, off, len);
        int overload = options.u8(DhcpOption.OVERLOAD, 0);
        byte[] chaddr = Arrays.copyOfRange(buf, off + 28, off + 44);
        String sname = (overload & 2) != 0 ? "" : cString(buf, off + SNAME, 64);
        String file = (overload & 1) != 0 ? "" : cString(buf, off + FILE, 128);
        return new DhcpPacket(op, buf[off + 1] & 0xFF, hlen, buf[off + 3] & 0xFF, Ipv4.of(buf, off + 4).value(), u16(buf, off + 8), u16(buf, off + 10), Ipv4.of(buf, off + 12),
                Ipv4.of(buf, off + 16), Ipv4.of(buf, off + 20), Ipv4.of(buf, off + 24), chaddr, sname, file, options);
    }

    /** The options of a whole message: main area, then file and sname when option 52 says so. */
    private static DhcpOptions parseOptions(byte[] buf, int off, int len) throws MalformedPacketException {
        // regions: [start, end) triples; main first, then file (overload 1), then sname (2), RFC 2131 4.1
        int mainStart = off + MIN_LENGTH;
        int mainEnd = off + len;
        int[] starts = {mainStart, off + FILE, off + SNAME};
        int[] ends = {mainEnd, off + FILE + 128, off + SNAME + 64};
        boolean[] use = {true, false, false}; // file/sname switched on by option 52 in the main area

        Scratch sc = SCRATCH.get();
        short[] slot = sc.slot; // code -> 1 + distinct index; all zero between calls
        int[] sizes = sc.sizes;
        byte[] order = sc.order;
        try {
            return parse(buf, starts, ends, use, slot, sizes, order);
        } finally {
            // option codes 1-254 only ever enter the order table (0 and 255 are pad/end)
            for (int d = 0; d < 256 && order[d] != 0; d++) {
                slot[order[d] & 0xFF] = 0;
                order[d] = 0;
                sizes[d] = 0;
            }
        }
    }

    /** Per-thread index tables, so a decode allocates only its result (the packet path runs millions). */
    private static final class Scratch {
        final short[] slot = new short[256];
        final int[] sizes = new int[256];
        final byte[] order = new byte[256];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static DhcpOptions parse(byte[] buf, int[] starts, int[] ends, boolean[] use, short[] slot, int[] sizes,
            byte[] order) throws MalformedPacketException {
        int distinct = 0;
        int total = 0;
        for (int r = 0; r < 3; r++) {
            if (!use[r]) {
                continue;
            }
            int i = starts[r];
            int end = ends[r];
            while (i < end) {
                int code = buf[i] & 0xFF;
                if (code == DhcpOption.PAD) {
                    i++;
                    continue;
                }
                if (code == DhcpOption.END) {
                    break;
                }
                if (i + 1 >= end) {
                    throw new MalformedPacketException("option " + code + " has no length byte");
                }
                int l = buf[i + 1] & 0xFF;
                if (i + 2 + l > end) {
                    throw new MalformedPacketException("option " + code + " length " + l + " runs past the end");
                }
                if (r == 0 && code == DhcpOption.OVERLOAD && l == 1) {
                    int v = buf[i + 2] & 0xFF;
                    if (v < 1 || v > 3) {
                        throw new MalformedPacketException("option 52 value " + v + " is not 1-3");
                    }
                    use[1] = (v & 1) != 0;
                    use[2] = (v & 2) != 0;
                }
                if (slot[code] == 0) {
                    order[distinct] = (byte) code;
                    slot[code] = (short) (++distinct);
                }
                sizes[slot[code] - 1] += l;
                total += l;
                i += 2 + l;
            }
        }
        byte[] values = new byte[total];
        int[] offsets = new int[distinct + 1];
        int p = 0;
        for (int d = 0; d < distinct; d++) {
            offsets[d] = p;
            p += sizes[d];
            sizes[d] = offsets[d]; // reuse as write cursor
        }
        offsets[distinct] = p;
        for (int r = 0; r < 3; r++) {
            if (!use[r]) {
                continue;
            }
            int i = starts[r];
            int end = ends[r];
            while (i < end) {
                int code = buf[i] & 0xFF;
                if (code == DhcpOption.PAD) {
                    i++;
                    continue;
                }
                if (code == DhcpOption.END) {
                    break;
                }
                int l = buf[i + 1] & 0xFF;
                int d = slot[code] - 1;
                System.arraycopy(buf, i + 2, values, sizes[d], l);
                sizes[d] += l;
                i += 2 + l;
            }
        }
        return new DhcpOptions(values, Arrays.copyOf(order, distinct), offsets);
    }

    /** Sub-options inside an encapsulating option (43, 82, 175); null when malformed. */
    static DhcpOptions parseSubOptions(byte[] buf, int start, int end) {
        DhcpOptions.Builder b = DhcpOptions.builder();
        int i = start;
        while (i < end) {
            int code = buf[i] & 0xFF;
            if (code == DhcpOption.PAD) {
                i++;
                continue;
            }
            if (code == DhcpOption.END) {
                break;
            }
            if (i + 1 >= end) {
                return null;
            }
            int l = buf[i + 1] & 0xFF;
            if (i + 2 + l > end) {
                return null;
            }
            b.put(code, buf, i + 2, l);
            i += 2 + l;
        }
        return b.build();
    }

    private static String cString(byte[] buf, int off, int max) {
        int n = 0;
        while (n < max && buf[off + n] != 0) {
            n++;
        }
        return n == 0 ? "" : DhcpOptions.printable(buf, off, n);
    }

    private static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    /** Bytes {@link #encode} will write for {@code p}. */
    public static int encodedLength(DhcpPacket p) {
        return Math.max(MIN_REPLY, MIN_LENGTH + p.options().encodedLength() + 1);
    }

    /** Encodes into a new array. */
    public static byte[] encode(DhcpPacket p) {
        byte[] out = new byte[encodedLength(p)];
        encode(p, out, 0);
        return out;
    }

    /**
     * Encodes {@code p} into {@code out} at {@code off} (zero-filling the fixed fields and the
     * padding); returns the number of bytes written. Options go in the main area, ended by 255.
     */
    public static int encode(DhcpPacket p, byte[] out, int off) {
        int total = encodedLength(p);
        if (off + total > out.length) {
            throw new IllegalArgumentException("buffer too small: need " + total + " bytes");
        }
        Arrays.fill(out, off, off + total, (byte) 0);
        out[off] = (byte) p.op();
        out[off + 1] = (byte) p.htype();
        out[off + 2] = (byte) p.hlen();
        out[off + 3] = (byte) p.hops();
        putInt(out, off + 4, p.xid());
        out[off + 8] = (byte) (p.secs() >>> 8);
        out[off + 9] = (byte) p.secs();
        out[off + 10] = (byte) (p.flags() >>> 8);
        out[off + 11] = (byte) p.flags();
        putInt(out, off + 12, p.ciaddr().value());
        putInt(out, off + 16, p.yiaddr().value());
        putInt(out, off + 20, p.siaddr().value());
        putInt(out, off + 24, p.giaddr().value());
        System.arraycopy(p.chaddr(), 0, out, off + 28, 16);
        putString(out, off + SNAME, 64, p.sname());
        putString(out, off + FILE, 128, p.file());
        out[off + 236] = 99;
        out[off + 237] = (byte) 130;
        out[off + 238] = 83;
        out[off + 239] = 99;
        int pos = p.options().writeTo(out, off + MIN_LENGTH);
        out[pos] = (byte) DhcpOption.END;
        return total;
    }

    private static void putString(byte[] out, int off, int max, String s) {
        int n = Math.min(s.length(), max - 1); // always NUL-terminated
        for (int i = 0; i < n; i++) {
            out[off + i] = (byte) s.charAt(i);
        }
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
