package io.yoo.installer.api.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 address as an unsigned 32-bit value. Parsing never does a DNS lookup (unlike
 * {@link InetAddress#getByName}), so untrusted text cannot trigger network traffic.
 */
public record Ipv4(int value) implements Comparable<Ipv4> {
    private static final Pattern OCTET = Pattern.compile("\\d{1,3}");

    public static Ipv4 parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "': expected four dotted numbers like 10.0.0.1");
        }
        int v = 0;
        for (String p : parts) {
            if (!OCTET.matcher(p).matches() || (p.length() > 1 && p.startsWith("0"))) {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "': '" + p + "' is not a number 0-255");
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "': " + octet + " is over 255");
            }
            v = (v << 8) | octet;
        }
        return new Ipv4(v);
    }

    public static Ipv4 of(byte[] b, int offset) {
        return new Ipv4(((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16)
                | ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF));
    }

    public static Ipv4 of(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        return of(address.getAddress(), 0);
    }

    public long unsigned() {
        return Integer.toUnsignedLong(value);
    }

    public Ipv4 plus(long n) {
        return new Ipv4((int) (unsigned() + n));
    }

    public byte[] toBytes() {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    public Inet4Address toInetAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public int octet(int index) {
        return (value >>> (8 * (3 - index))) & 0xFF;
    }

    @Override
    public String toString() {
        return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
    }

    @Override
    public int compareTo(Ipv4 o) {
        return Integer.compareUnsigned(value, o.value);
    }
}
