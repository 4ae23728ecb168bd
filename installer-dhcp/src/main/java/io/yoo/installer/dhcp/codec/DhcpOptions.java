package io.yoo.installer.dhcp.codec;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.SmbiosUuid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The options of one DHCP message, immutable, in the order they appeared (or were put). Values
 * of an option that occurs several times are concatenated (RFC 3396). Storage is one compact
 * byte array plus an index, so decoding a packet allocates about its own size and no more.
 */
public final class DhcpOptions {
    static final DhcpOptions EMPTY = new DhcpOptions(new byte[0], new byte[0], new int[] {0});

    private final byte[] values;
    private final byte[] codes;
    /** offsets[i] = start of the value of codes[i] in values; offsets[n] = values.length used. */
    private final int[] offsets;

    DhcpOptions(byte[] values, byte[] codes, int[] offsets) {
        this.values = values;
        this.codes = codes;
        this.offsets = offsets;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return codes.length;
    }

    /** The option codes, in order. */
    public int[] codes() {
        int[] c = new int[codes.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = codes[i] & 0xFF;
        }
        return c;
    }

    private int index(int code) {
        for (int i = 0; i < codes.length; i++) {
            if ((codes[i] & 0xFF) == code) {
                return i;
            }
        }
        return -1;
    }

    public boolean has(int code) {
        return index(code) >= 0;
    }

    /** Length of the value of {@code code}, or -1 when absent. */
    public int length(int code) {
        int i = index(code);
        return i < 0 ? -1 : offsets[i + 1] - offsets[i];
    }

    /** A copy of the raw value. */
    public Optional<byte[]> get(int code) {
        int i = index(code);
        return i < 0 ? Optional.empty() : Optional.of(Arrays.copyOfRange(values, offsets[i], offsets[i + 1]));
    }

    /** The first byte of {@code code}, or {@code dflt} when absent or empty. */
    public int u8(int code, int dflt) {
        int i = index(code);
        return i < 0 || offsets[i + 1] == offsets[i] ? dflt : values[offsets[i]] & 0xFF;
    }

    public OptionalInt u16(int code) {
        int i = index(code);
        if (i < 0 || offsets[i + 1] - offsets[i] < 2) {
            return OptionalInt.empty();
        }
        int o = offsets[i];
        return OptionalInt.of(((values[o] & 0xFF) << 8) | (values[o + 1] & 0xFF));
    }

    public OptionalInt u32(int code) {
        int i = index(code);
        if (i < 0 || offsets[i + 1] - offsets[i] != 4) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Ipv4.of(values, offsets[i]).value());
    }

    /** An option holding one address (exactly 4 bytes); empty otherwise. */
    public Optional<Ipv4> ip(int code) {
        int i = index(code);
        if (i < 0 || offsets[i + 1] - offsets[i] != 4) {
            return Optional.empty();
        }
        return Optional.of(Ipv4.of(values, offsets[i]));
    }

    /** An option holding a list of addresses (length a multiple of 4). */
    public List<Ipv4> ips(int code) {
        int i = index(code);
        if (i < 0 || (offsets[i + 1] - offsets[i]) % 4 != 0) {
            return List.of();
        }
        List<Ipv4> out = new ArrayList<>();
        for (int o = offsets[i]; o < offsets[i + 1]; o += 4) {
            out.add(Ipv4.of(values, o));
        }
        return out;
    }

    /**
     * A text option, without trailing NULs; non-printable bytes become '?', so the result is safe
     * to log and compare but never carries control characters.
     */
    public Optional<String> string(int code) {
        int i = index(code);
        if (i < 0) {
            return Optional.empty();
        }
        int s = offsets[i];
        int e = offsets[i + 1];
        while (e > s && values[e - 1] == 0) {
            e--;
        }
        return Optional.of(printable(values, s, e - s));
    }

    static String printable(byte[] b, int off, int len) {
        char[] c = new char[len];
        for (int k = 0; k < len; k++) {
            int v = b[off + k] & 0xFF;
            c[k] = v >= 0x20 && v < 0x7F ? (char) v : '?';
        }
        return new String(c);
    }

    // ---- typed views of the PXE/iPXE options ----

    public Optional<MessageType> messageType() {
        int t = u8(DhcpOption.MESSAGE_TYPE, -1);
        return Optional.ofNullable(MessageType.of(t));
    }

    /** Option 93: the first architecture type listed (0 BIOS, 7/9 EFI x64, 16 EFI x64 HTTP). */
    public OptionalInt clientArch() {
        return u16(DhcpOption.CLIENT_ARCH);
    }

    /**
     * Option 77. iPXE sends the bare string {@code iPXE}; RFC 3004 clients send length-prefixed
     * instances, of which this returns the first.
     */
    public Optional<String> userClass() {
        int i = index(DhcpOption.USER_CLASS);
        if (i < 0) {
            return Optional.empty();
        }
        int s = offsets[i];
        int len = offsets[i + 1] - s;
        if (len > 1 && (values[s] & 0xFF) > 0 && (values[s] & 0xFF) <= len - 1 && (values[s] & 0xFF) < 0x20) {
            return Optional.of(printable(values, s + 1, values[s] & 0xFF));
        }
        return string(DhcpOption.USER_CLASS);
    }

    /** Option 97 type 0: the SMBIOS UUID, undoing the GUID byte order of the wire. */
    public Optional<SmbiosUuid> clientUuid() {
        int i = index(DhcpOption.CLIENT_UUID);
        if (i < 0 || offsets[i + 1] - offsets[i] != 17 || values[offsets[i]] != 0) {
            return Optional.empty();
        }
        return Optional.of(SmbiosUuid.fromWireGuid(values, offsets[i] + 1));
    }

    /** Option 94: {@code [type, major, minor]} of the network interface (UNDI 2.1 = 1,2,1). */
    public Optional<int[]> clientNdi() {
        int i = index(DhcpOption.CLIENT_NDI);
        if (i < 0 || offsets[i + 1] - offsets[i] != 3) {
            return Optional.empty();
        }
        int o = offsets[i];
        return Optional.of(new int[] {values[o] & 0xFF, values[o + 1] & 0xFF, values[o + 2] & 0xFF});
    }

    /** The sub-options of an encapsulating option (43, 82, 175), or empty if absent or malformed. */
    public Optional<DhcpOptions> encapsulated(int code) {
        int i = index(code);
        if (i < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(DhcpCodec.parseSubOptions(values, offsets[i], offsets[i + 1]));
    }

    /** Option 118 (RFC 3011) or option 82 sub-option 5 (RFC 3527): the link the client is on. */
    public Optional<Ipv4> linkSelection() {
        Optional<Ipv4> sub = encapsulated(DhcpOption.RELAY_AGENT_INFO).flatMap(o -> o.ip(DhcpOption.AGENT_LINK_SELECTION));
        return sub.isPresent() ? sub : ip(DhcpOption.SUBNET_SELECTION);
    }

    /** Writes every option as code/len/value (split at 255 bytes, RFC 3396); returns the new position. */
    int writeTo(byte[] out, int pos) {
        for (int i = 0; i < codes.length; i++) {
            int s = offsets[i];
            int len = offsets[i + 1] - s;
            do {
                int chunk = Math.min(255, len);
                out[pos++] = codes[i];
                out[pos++] = (byte) chunk;
                System.arraycopy(values, s, out, pos, chunk);
                pos += chunk;
                s += chunk;
                len -= chunk;
            } while (len > 0);
        }
        return pos;
    }

    /** Bytes {@link #writeTo} needs. */
    int encodedLength() {
        int n = 0;
        for (int i = 0; i < codes.length; i++) {
            int len = offsets[i + 1] - offsets[i];
            n += len + 2 * Math.max(1, (len + 254) / 255);
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < codes.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(codes[i] & 0xFF).append('=');
            for (int o = offsets[i]; o < offsets[i + 1]; o++) {
                sb.append(String.format("%02x", values[o] & 0xFF));
            }
        }
        return sb.append('}').toString();
    }

    /** Builds options in the order put; putting a code again replaces its value. */
    public static final class Builder {
        private byte[] values = new byte[128];
        private byte[] codes = new byte[16];
        private int[] starts = new int[16];
        private int[] lens = new int[16];
        private int n;
        private int used;

        public Builder put(int code, byte[] value) {
            return put(code, value, 0, value.length);
        }

        public Builder put(int code, byte[] value, int off, int len) {
            if (code <= 0 || code >= 255) {
                throw new IllegalArgumentException("option code " + code + " is reserved");
            }
            remove(code);
            if (n == codes.length) {
                codes = Arrays.copyOf(codes, n * 2);
                starts = Arrays.copyOf(starts, n * 2);
                lens = Arrays.copyOf(lens, n * 2);
            }
            if (used + len > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, used + len));
            }
            System.arraycopy(value, off, values, used, len);
            codes[n] = (byte) code;
            starts[n] = used;
            lens[n] = len;
            used += len;
            n++;
            return this;
        }

        public Builder remove(int code) {
            for (int i = 0; i < n; i++) {
                if ((codes[i] & 0xFF) == code) {
                    System.arraycopy(codes, i + 1, codes, i, n - i - 1);
                    System.arraycopy(starts, i + 1, starts, i, n - i - 1);
                    System.arraycopy(lens, i + 1, lens, i, n - i - 1);
                    n--;
                    return this;
                }
            }
            return this;
        }

        public Builder u8(int code, int v) {
            return put(code, new byte[] {(byte) v});
        }

        public Builder u16(int code, int v) {
            return put(code, new byte[] {(byte) (v >>> 8), (byte) v});
        }

        public Builder u32(int code, int v) {
            return put(code, new Ipv4(v).toBytes());
        }

        public Builder ip(int code, Ipv4 ip) {
            return put(code, ip.toBytes());
        }

        public Builder ips(int code, List<Ipv4> ips) {
            byte[] b = new byte[ips.size() * 4];
            for (int i = 0; i < ips.size(); i++) {
                System.arraycopy(ips.get(i).toBytes(), 0, b, i * 4, 4);
            }
            return put(code, b);
        }

        public Builder string(int code, String s) {
            return put(code, s.getBytes(StandardCharsets.US_ASCII));
        }

        public Builder messageType(MessageType t) {
            return u8(DhcpOption.MESSAGE_TYPE, t.code());
        }

        /** Puts {@code sub} as the encapsulated value of {@code code} (43, 82, 175). */
        public Builder encapsulate(int code, DhcpOptions sub) {
            byte[] b = new byte[sub.encodedLength()];
            sub.writeTo(b, 0);
            return put(code, b);
        }

        public DhcpOptions build() {
            byte[] v = new byte[used];
            byte[] c = Arrays.copyOf(codes, n);
            int[] off = new int[n + 1];
            int p = 0;
            for (int i = 0; i < n; i++) {
                off[i] = p;
                System.arraycopy(values, starts[i], v, p, lens[i]);
                p += lens[i];
            }
            off[n] = p;
            return new DhcpOptions(v, c, off);
        }
    }
}
