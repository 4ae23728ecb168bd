package io.yoo.installer.dhcp.v6.codec;

import java.util.HexFormat;
import io.yoo.installer.api.net.MacAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The options of one DHCPv6 message (or of an IA_NA / IAADDR), in wire order; a code may repeat
 * (several IA_NAs, several vendor classes). One compact copy of the option area plus an index.
 * Everything the server interprets was checked by {@link Dhcp6Codec} when decoding, so the typed
 * accessors below never throw on a decoded message.
 */
public final class Dhcp6Options {
    public static final Dhcp6Options EMPTY = new Dhcp6Options(new byte[0], new int[0], new int[0], new int[0]);

    private final byte[] data;
    private final int[] codes;
    private final int[] offsets;
    private final int[] lengths;

    Dhcp6Options(byte[] data, int[] codes, int[] offsets, int[] lengths) {
        this.data = data;
        this.codes = codes;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    public int size() {
        return codes.length;
    }

    public int code(int i) {
        return codes[i];
    }

    public byte[] value(int i) {
        return Arrays.copyOfRange(data, offsets[i], offsets[i] + lengths[i]);
    }

    public boolean has(int code) {
        return index(code) >= 0;
    }

    private int index(int code) {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        return -1;
    }

    /** The first option {@code code}'s value. */
    public Optional<byte[]> get(int code) {
        int i = index(code);
        return i < 0 ? Optional.empty() : Optional.of(value(i));
    }

    /** Every option {@code code}'s value, in order. */
    public List<byte[]> all(int code) {
        List<byte[]> out = new ArrayList<>(2);
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == code) {
                out.add(value(i));
            }
        }
        return out;
    }

    public Optional<Duid> clientId() {
        return get(Dhcp6Option.CLIENTID).map(Duid::new);
    }

    public Optional<Duid> serverId() {
        return get(Dhcp6Option.SERVERID).map(Duid::new);
    }

    /** ORO: the option codes the client asks for. */
    public int[] requested() {
        int i = index(Dhcp6Option.ORO);
        if (i < 0) {
            return new int[0];
        }
        int[] out = new int[lengths[i] / 2];
        for (int k = 0; k < out.length; k++) {
            out[k] = u16(data, offsets[i] + 2 * k);
        }
        return out;
    }

    public boolean requests(int code) {
        for (int c : requested()) {
            if (c == code) {
                return true;
            }
        }
        return false;
    }

    /** Elapsed time in hundredths of a second. */
    public OptionalInt elapsed() {
        int i = index(Dhcp6Option.ELAPSED_TIME);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(u16(data, offsets[i]));
    }

    public boolean rapidCommit() {
        return has(Dhcp6Option.RAPID_COMMIT);
    }

    /** Option 15: each user-class datum as text (iPXE sends {@code iPXE}). */
    public List<String> userClasses() {
        int i = index(Dhcp6Option.USER_CLASS);
        return i < 0 ? List.of() : lengthPrefixed(offsets[i], offsets[i] + lengths[i]);
    }

    /** Option 16's enterprise number. */
    public OptionalInt vendorEnterprise() {
        int i = index(Dhcp6Option.VENDOR_CLASS);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(i32(data, offsets[i]));
    }

    /** Option 16's vendor-class data as text (UEFI: {@code PXEClient:Arch:00007:UNDI:003016}). */
    public List<String> vendorClasses() {
        int i = index(Dhcp6Option.VENDOR_CLASS);
        return i < 0 ? List.of() : lengthPrefixed(offsets[i] + 4, offsets[i] + lengths[i]);
    }

    /** Option 61: the first architecture type the client lists (RFC 5970; 7 = EFI x64, 16 = EFI x64 HTTP). */
    public OptionalInt clientArch() {
        int i = index(Dhcp6Option.CLIENT_ARCH_TYPE);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(u16(data, offsets[i]));
    }

    public Optional<String> bootFileUrl() {
        int i = index(Dhcp6Option.BOOTFILE_URL);
        return i < 0 ? Optional.empty() : Optional.of(printable(data, offsets[i], lengths[i]));
    }

    public List<String> bootFileParams() {
        int i = index(Dhcp6Option.BOOTFILE_PARAM);
        return i < 0 ? List.of() : lengthPrefixed(offsets[i], offsets[i] + lengths[i]);
    }

    /** Option 79 (RFC 6939, added by relays): the client's MAC when the link-layer type is Ethernet (1). */
    public Optional<MacAddress> clientLinkLayerMac() {
        int i = index(Dhcp6Option.CLIENT_LINKLAYER_ADDR);
        if (i < 0 || lengths[i] != 8 || u16(data, offsets[i]) != 1) {
            return Optional.empty();
        }
        return Optional.of(MacAddress.of(data, offsets[i] + 2));
    }

    public Optional<byte[]> interfaceId() {
        return get(Dhcp6Option.INTERFACE_ID);
    }

    public Optional<StatusCode> status() {
        int i = index(Dhcp6Option.STATUS_CODE);
        return i < 0 ? Optional.empty()
                : Optional.of(new StatusCode(u16(data, offsets[i]), printable(data, offsets[i] + 2, lengths[i] - 2)));
    }

    /** Every IA_NA, decoded (their structure was checked when the message was decoded). */
    public List<IaNa> iaNas() {
        List<IaNa> out = new ArrayList<>(1);
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == Dhcp6Option.IA_NA) {
                out.add(IaNa.decodeChecked(data, offsets[i], lengths[i]));
            }
        }
        return out;
    }

    /** Every address in option 23. */
    public List<Ipv6> dnsServers() {
        int i = index(Dhcp6Option.DNS_SERVERS);
        List<Ipv6> out = new ArrayList<>();
        if (i >= 0) {
            for (int k = 0; k + 16 <= lengths[i]; k += 16) {
                out.add(Ipv6.of(data, offsets[i] + k));
            }
        }
        return out;
    }

    private List<String> lengthPrefixed(int start, int end) {
        List<String> out = new ArrayList<>(1);
        int p = start;
        while (p + 2 <= end) {
            int l = u16(data, p);
            if (p + 2 + l > end) {
                break; // checked at decode; a builder-made value could still be short
            }
            out.add(printable(data, p + 2, l));
            p += 2 + l;
        }
        return out;
    }

    /** Bytes {@link #writeTo} writes. */
    public int encodedLength() {
        int n = 0;
        for (int l : lengths) {
            n += 4 + l;
        }
        return n;
    }

    /** Writes the options in order; returns the position after them. */
    public int writeTo(byte[] out, int pos) {
        for (int i = 0; i < codes.length; i++) {
            out[pos] = (byte) (codes[i] >>> 8);
            out[pos + 1] = (byte) codes[i];
            out[pos + 2] = (byte) (lengths[i] >>> 8);
            out[pos + 3] = (byte) lengths[i];
            System.arraycopy(data, offsets[i], out, pos + 4, lengths[i]);
            pos += 4 + lengths[i];
        }
        return pos;
    }

    public byte[] toBytes() {
        byte[] out = new byte[encodedLength()];
        writeTo(out, 0);
        return out;
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    static int i32(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    /** Text for logs and policy: printable ASCII kept, anything else as {@code ?}. */
    static String printable(byte[] b, int off, int len) {
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            int v = b[off + i] & 0xFF;
            c[i] = v >= 0x20 && v < 0x7F ? (char) v : '?';
        }
        return new String(c);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < codes.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(codes[i]).append('=').append(HexFormat.of().formatHex(data, offsets[i], offsets[i] + lengths[i]));
        }
        return sb.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dhcp6Options other && Arrays.equals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for a reply, in the order added. */
    public static final class Builder {
        private byte[] data = new byte[256];
        private int used;
        private final List<int[]> index = new ArrayList<>(); // code, offset, length

        public Builder put(int code, byte[] value) {
            return put(code, value, 0, value.length);
        }

        public Builder put(int code, byte[] value, int off, int len) {
            if (len > 0xFFFF) {
                throw new IllegalArgumentException("option " + code + " longer than 65535 bytes");
            }
            if (used + len > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, used + len));
            }
            System.arraycopy(value, off, data, used, len);
            index.add(new int[] {code, used, len});
            used += len;
            return this;
        }

        public Builder empty(int code) {
            return put(code, new byte[0]);
        }

        public Builder u16(int code, int v) {
            return put(code, new byte[] {(byte) (v >>> 8), (byte) v});
        }

        public Builder string(int code, String s) {
            return put(code, s.getBytes(StandardCharsets.UTF_8));
        }

        /** A list of 2-byte-length-prefixed strings (user class, boot file params). */
        public Builder strings(int code, List<String> values) {
            return put(code, prefixed(new byte[0], values));
        }

        /** Option 16: enterprise number then length-prefixed data. */
        public Builder vendorClass(int enterprise, List<String> values) {
            byte[] head = {(byte) (enterprise >>> 24), (byte) (enterprise >>> 16), (byte) (enterprise >>> 8), (byte) enterprise};
            return put(Dhcp6Option.VENDOR_CLASS, prefixed(head, values));
        }

        public Builder ips(int code, List<Ipv6> ips) {
            byte[] b = new byte[16 * ips.size()];
            for (int i = 0; i < ips.size(); i++) {
                ips.get(i).write(b, 16 * i);
            }
            return put(code, b);
        }

        public Builder status(int code, String message) {
            byte[] m = message.getBytes(StandardCharsets.UTF_8);
            byte[] b = new byte[2 + m.length];
            b[0] = (byte) (code >>> 8);
            b[1] = (byte) code;
            System.arraycopy(m, 0, b, 2, m.length);
            return put(Dhcp6Option.STATUS_CODE, b);
        }

        public Builder iaNa(IaNa ia) {
            return put(Dhcp6Option.IA_NA, ia.encode());
        }

        private static byte[] prefixed(byte[] head, List<String> values) {
            int n = head.length;
            List<byte[]> bs = new ArrayList<>();
            for (String v : values) {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                bs.add(b);
                n += 2 + b.length;
            }
            byte[] out = Arrays.copyOf(head, n);
            int p = head.length;
            for (byte[] b : bs) {
                out[p] = (byte) (b.length >>> 8);
                out[p + 1] = (byte) b.length;
                System.arraycopy(b, 0, out, p + 2, b.length);
                p += 2 + b.length;
            }
            return out;
        }

        public Dhcp6Options build() {
            int n = index.size();
            int[] c = new int[n];
            int[] o = new int[n];
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                int[] e = index.get(i);
                c[i] = e[0];
                o[i] = e[1];
                l[i] = e[2];
            }
            return new Dhcp6Options(Arrays.copyOf(data, used), c, o, l);
        }
    }
}
