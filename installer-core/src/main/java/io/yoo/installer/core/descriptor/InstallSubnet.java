package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.List;
import java.util.Optional;

/**
 * One install segment: {@code network.subnet} (the one-subnet form) or an item of
 * {@code network.subnets}. Machines on it get its prefix, gateway and DNS.
 *
 * @param cidr    the segment's network
 * @param gateway its router; machines on a relayed segment reach the server through it
 * @param dns     name servers handed to machines on it
 * @param pool    dynamic range for machines not in the descriptor (full DHCP only)
 * @param relay   the DHCP relay agent's address on this segment (the giaddr it stamps on what it
 *                forwards); empty = the segment is the server's own, its broadcasts reach the server
 * @param leaseSeconds dynamic lease time on this segment
 */
public record InstallSubnet(
        Ipv4Cidr cidr,
        Optional<Ipv4> gateway,
        List<Ipv4> dns,
        Optional<AddressPool> pool,
        Optional<Ipv4> relay,
        int leaseSeconds) {

    public InstallSubnet {
        dns = List.copyOf(dns);
    }

    /** True when DHCP from this segment reaches the server through a relay agent. */
    public boolean relayed() {
        return relay.isPresent();
    }
}
