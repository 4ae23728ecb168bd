package io.yoo.installer.core.descriptor;

import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.util.List;
import java.util.Optional;

/**
 * One IPv6 install link DHCPv6 serves: {@code network.ipv6}'s prefix (the one-segment form) or
 * the {@code ipv6} of an item of {@code network.subnets}. A relayed DHCPv6 request belongs to the
 * segment whose prefix holds the relay's link-address; a direct one to the server's own segment.
 *
 * @param relay        the DHCPv6 relay agent's address on this link ({@code dhcrelay -6} puts its
 *                     downstream interface's global address in the link-address); empty = not
 *                     said, or the server's own link
 * @param leaseSeconds preferred lifetime of dynamic addresses here (valid: twice that)
 */
public record Ipv6Segment(Ipv6 prefix, int length, Optional<Ipv6> poolStart, Optional<Ipv6> poolEnd, List<Ipv6> dns,
        Optional<Ipv6> relay, int leaseSeconds) {

    public Ipv6Segment {
        dns = List.copyOf(dns);
    }

    public boolean contains(Ipv6 a) {
        return a.inPrefix(prefix, length);
    }

    /** True when {@code a} is in the dynamic pool. */
    public boolean inPool(Ipv6 a) {
        return poolStart.isPresent() && a.compareTo(poolStart.get()) >= 0 && a.compareTo(poolEnd.get()) <= 0;
    }

    public String cidr() {
        return prefix + "/" + length;
    }

    /** {@code prefix [pool A-B] [via relay R]}, for banners and messages. */
    public String describe() {
        return cidr() + poolStart.map(a -> " pool " + a + "-" + poolEnd.orElseThrow()).orElse("")
                + relay.map(r -> " via relay " + r).orElse("");
    }
}
