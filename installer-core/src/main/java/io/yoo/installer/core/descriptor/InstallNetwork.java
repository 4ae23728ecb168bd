package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.List;
import java.util.Optional;

/**
 * The install network: where Yoo listens and what it tells machines.
 *
 * @param iface        the server's interface on the install network, e.g. {@code eth1}
 * @param serverAddress this server's address on it (TFTP next-server, HTTP host)
 * @param pool         dynamic range for machines not in the descriptor (full DHCP only)
 */
public record InstallNetwork(
        String iface,
        Ipv4 serverAddress,
        Ipv4Cidr subnet,
        Optional<Ipv4> gateway,
        List<Ipv4> dns,
        String domain,
        DhcpMode dhcpMode,
        Optional<AddressPool> pool,
        int leaseSeconds) {

    public InstallNetwork {
        dns = List.copyOf(dns);
    }
}
