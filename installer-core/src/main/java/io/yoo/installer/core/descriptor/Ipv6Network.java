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
 * @param addresses machine name → its reserved IPv6 address (dual-stack machines; never the server's)
 * @param duids     machine name → the DUID it is reserved by (besides its MACs)
 */
public record Ipv6Network(Ipv6 server, Ipv6 prefix, int length, Optional<Ipv6> poolStart, Optional<Ipv6> poolEnd, List<Ipv6> dns,
        Map<String, Ipv6> addresses, Map<String, Duid> duids) {

    public Ipv6Network {
        dns = List.copyOf(dns);
        addresses = Map.copyOf(addresses);
        duids = Map.copyOf(duids);
    }

    public boolean contains(Ipv6 a) {
        return a.inPrefix(prefix, length);
    }

    /** {@code http://[server]:port} (no port for 80): where machines on IPv6 fetch their scripts and assets. */
    public String httpBase(int port) {
        return "http://[" + server + "]" + (port == 80 ? "" : ":" + port);
    }

    public String cidr() {
        return prefix + "/" + length;
    }
}
