package io.yoo.installer.core.descriptor;

import io.yoo.installer.dhcp.v6.codec.Ipv6;

/** An IPv6 prefix as written in a descriptor ({@code fd00:77::/64}): host bits must be zero. */
record Ipv6Prefix(Ipv6 prefix, int length) {

    /** An install link's prefix: /16 to /64. */
    static Ipv6Prefix parse(String text) {
        return parse(text, 16, 64, "an install link's prefix is /16 to /64 (DHCPv6 ranges and SLAAC need a /64)");
    }

    /** A prefix whose length must be {@code min} to {@code max} ({@code why} says why, in the error). */
    static Ipv6Prefix parse(String text, int min, int max, String why) {
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("\\d{1,3}")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 prefix like fd00:77::/64");
        }
        Ipv6 p = Ipv6.parse(text.substring(0, slash));
        int len = Integer.parseInt(text.substring(slash + 1));
        if (len < min || len > max) {
            throw new IllegalArgumentException("prefix length /" + len + " of " + text + ": " + why);
        }
        Ipv6 masked = masked(p, len);
        if (!masked.equals(p)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: the prefix is " + masked + "/" + len);
        }
        return new Ipv6Prefix(p, len);
    }

    private static Ipv6 masked(Ipv6 p, int len) {
        if (len <= 64) {
            return new Ipv6(len == 64 ? p.hi() : p.hi() & (-1L << (64 - len)), 0);
        }
        return new Ipv6(p.hi(), len == 128 ? p.lo() : p.lo() & (-1L << (128 - len)));
    }

    /** True when the two prefixes share an address (one holds the other's start). */
    boolean overlaps(Ipv6 otherPrefix, int otherLength) {
        return otherPrefix.inPrefix(prefix, length) || prefix.inPrefix(otherPrefix, otherLength);
    }

    /** {@code first-last} in one /64, ascending: a DHCPv6 range. */
    static Ipv6[] range(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("bad pool '" + text + "': expected first-last like fd00:77::100-fd00:77::1ff");
        }
        Ipv6 a = Ipv6.parse(parts[0].trim());
        Ipv6 b = Ipv6.parse(parts[1].trim());
        if (a.hi() != b.hi()) {
            throw new IllegalArgumentException("bad pool '" + text + "': first and last must be in one /64");
        }
        if (a.compareTo(b) > 0) {
            throw new IllegalArgumentException("bad pool '" + text + "': the first address is after the last");
        }
        return new Ipv6[] {a, b};
    }

    @Override
    public String toString() {
        return prefix + "/" + length;
    }
}
