package io.yoo.installer.dhcp.v6.codec;

import io.yoo.installer.api.net.Ipv6Text;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 address as two longs (no scope): cheap to hash, compare and count with (a dynamic range
 * is {@code [start, end]} inside one /64, so arithmetic happens on {@link #lo}).
 */
public record Ipv6(long hi, long lo) implements Comparable<Ipv6> {
    public static final Ipv6 UNSPECIFIED = new Ipv6(0, 0);

    public static Ipv6 of(byte[] b, int off) {
        return new Ipv6(longAt(b, off), longAt(b, off + 8));
    }

    /** Parses a literal ({@code fd00::1}); never a DNS lookup. */
    public static Ipv6 parse(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!t.contains(":")) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        try {
            InetAddress a = InetAddress.ofLiteral(t);
            if (!(a instanceof Inet6Address)) {
                throw new IllegalArgumentException("not an IPv6 address: " + text);
            }
            return of(a.getAddress(), 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + text, e);
        }
    }

    public static Ipv6 of(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) {
            throw new IllegalArgumentException("not an IPv6 address: " + a);
        }
        return of(b, 0);
    }

    public byte[] toBytes() {
        byte[] b = new byte[16];
        write(b, 0);
        return b;
    }

    public void write(byte[] b, int off) {
        putLong(b, off, hi);
        putLong(b, off + 8, lo);
    }

    public Inet6Address toInet(int scopeId) {
        try {
            return Inet6Address.getByAddress(null, toBytes(), scopeId);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes: cannot happen
        }
    }

    public boolean isUnspecified() {
        return hi == 0 && lo == 0;
    }

    public boolean isLinkLocal() {
        return (hi >>> 54) == 0x3FA; // fe80::/10
    }

    public boolean isMulticast() {
        return (hi >>> 56) == 0xFF;
    }

    /** True when this address is inside {@code prefix}/{@code length}. */
    public boolean inPrefix(Ipv6 prefix, int length) {
        if (length <= 0) {
            return true;
        }
        if (length <= 64) {
            long mask = length == 64 ? -1L : ~(-1L >>> length);
            return (hi & mask) == (prefix.hi & mask);
        }
        long mask = length >= 128 ? -1L : ~(-1L >>> (length - 64));
        return hi == prefix.hi && (lo & mask) == (prefix.lo & mask);
    }

    /** This address plus {@code n} in the low 64 bits (ranges stay inside one /64). */
    public Ipv6 plus(long n) {
        return new Ipv6(hi, lo + n);
    }

    @Override
    public int compareTo(Ipv6 o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    /** RFC 5952 text ({@code fd00::1}), as the rest of the server writes IPv6 addresses. */
    @Override
    public String toString() {
        return Ipv6Text.format(toBytes());
    }

    static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
