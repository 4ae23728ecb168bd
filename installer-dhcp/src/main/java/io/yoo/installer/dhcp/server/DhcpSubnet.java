package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.List;
import java.util.Optional;

/**
 * A network Yoo serves (directly or through a relay).
 *
 * @param pool dynamic range for machines the policy gives no reservation; empty = unknown
 *             machines get no address on this subnet
 */
public record DhcpSubnet(
        Ipv4Cidr cidr, Optional<AddressPool> pool, Optional<Ipv4> gateway, List<Ipv4> dns, String domain, int leaseSeconds) {

    public DhcpSubnet {
        dns = List.copyOf(dns);
        if (leaseSeconds < 60) {
            throw new IllegalArgumentException("lease time " + leaseSeconds + " s is too short (minimum 60)");
        }
        if (pool.isPresent() && (!cidr.contains(pool.get().start()) || !cidr.contains(pool.get().end()))) {
            throw new IllegalArgumentException("pool " + pool.get() + " is not inside subnet " + cidr);
        }
    }

    public static DhcpSubnet of(Ipv4Cidr cidr) {
        return new DhcpSubnet(cidr, Optional.empty(), Optional.empty(), List.of(), "", 3600);
    }

    public DhcpSubnet withPool(AddressPool p) {
        return new DhcpSubnet(cidr, Optional.of(p), gateway, dns, domain, leaseSeconds);
    }

    public DhcpSubnet withGateway(Ipv4 g) {
        return new DhcpSubnet(cidr, pool, Optional.of(g), dns, domain, leaseSeconds);
    }

    public DhcpSubnet withDns(List<Ipv4> d) {
        return new DhcpSubnet(cidr, pool, gateway, d, domain, leaseSeconds);
    }

    public DhcpSubnet withLeaseSeconds(int s) {
        return new DhcpSubnet(cidr, pool, gateway, dns, domain, s);
    }
}
