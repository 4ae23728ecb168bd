package io.yoo.installer.core.descriptor;

import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The install network's IPv6 side ({@code network.ipv6}, issue #19): the server's address on the
 * install link, the link's prefix, an optional DHCPv6 range for machines in no descriptor, DNS,
 * and each machine's reserved address ({@code machines[].ipv6}) with, optionally, its DHCPv6 DUID
 * ({@code machines[].duid}; without it the machine is recognised by the MAC in its DUID-LL/LLT or
 * a relay's option 79). Router advertisements (default route, on-link prefix, the M flag) are the
 * network's job: see docs/ipv6.md.
 *
 * <p>With {@code network.subnets} items that carry {@code ipv6}, DHCPv6 serves each of their
 * links ({@link #segments}); {@code prefix}, {@code length}, the pool and {@code dns} are then
 * those of the server's own link (the segment holding {@code server}).
 *
 * @param addresses machine name → its reserved IPv6 address (dual-stack machines; never the server's)
 * @param duids     machine name → the DUID it is reserved by (besides its MACs)
 * @param segments  every IPv6 link DHCPv6 serves, in descriptor order (one in the one-segment form)
 */
public record Ipv6Network(Ipv6 server, Ipv6 prefix, int length, Optional<Ipv6> poolStart, Optional<Ipv6> poolEnd, List<Ipv6> dns,
        Map<String, Ipv6> addresses, Map<String, Duid> duids, List<Ipv6Segment> segments) {

    public Ipv6Network {
        dns = List.copyOf(dns);
        addresses = Map.copyOf(addresses);
        duids = Map.copyOf(duids);
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("an IPv6 install network has at least one segment");
        }
    }

    /** True when {@code a} is on one of the served links. */
    public boolean contains(Ipv6 a) {
        return segmentOf(a).isPresent();
    }

    /** The served link holding {@code a}, if any. */
    public Optional<Ipv6Segment> segmentOf(Ipv6 a) {
        return segments.stream().filter(s -> s.contains(a)).findFirst();
    }

    /** {@code IPv6 prefix P}, or {@code IPv6 prefixes [P, Q]} with several segments: for messages. */
    public String describePrefixes() {
        return segments.size() == 1 ? "IPv6 prefix " + segments.getFirst().cidr()
                : "IPv6 prefixes " + segments.stream().map(Ipv6Segment::cidr).toList();
    }

    /** {@code http://[server]:port} (no port for 80): where machines on IPv6 fetch their scripts and assets. */
    public String httpBase(int port) {
        return "http://[" + server + "]" + (port == 80 ? "" : ":" + port);
    }

    public String cidr() {
        return prefix + "/" + length;
    }
}
