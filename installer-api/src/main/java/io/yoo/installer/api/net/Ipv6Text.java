package io.yoo.installer.api.net;

import java.net.Inet6Address;

/**
 * An IPv6 address as RFC 5952 text ({@code fd00:77::b1}), the one form the descriptor, the API and
 * the logs show, so that the same machine's address compares equal as text wherever it was seen.
 * Unlike {@link Inet6Address#getHostAddress()} it compresses zeros and drops the scope.
 */
public final class Ipv6Text {
    private Ipv6Text() {}

    public static String format(Inet6Address address) {
        return format(address.getAddress());
    }

    /**
     * Lower-case hex groups without leading zeros; the longest run of two or more zero groups
     * (the first of equally long ones) as {@code ::}. IPv4-mapped addresses get no dotted tail.
     */
    public static String format(byte[] address) {
        if (address.length != 16) {
            throw new IllegalArgumentException("not an IPv6 address: " + address.length + " bytes");
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group stays "0" (RFC 5952 4.2.2)
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) { // strictly longer: of equal runs the first wins (4.2.3)
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }
}
