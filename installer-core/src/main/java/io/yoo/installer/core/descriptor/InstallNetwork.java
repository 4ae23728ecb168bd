package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.List;
import java.util.Optional;

/**
 * The install network: where Yoo listens and what it tells machines. One or more segments
 * ({@link InstallSubnet}); the ones behind a router reach the server through a DHCP relay.
 *
 * @param iface        the server's interface on the install network, e.g. {@code eth1}; relayed
 *                     requests must arrive on it too
 * @param serverAddress this server's address: TFTP next-server and HTTP host for every segment, so
 *                     it must be routable from the relayed ones (through their gateway)
 * @param subnets      the segments, in descriptor order; never empty, never overlapping
 * @param serviceAddress {@code network.serviceAddress}: an address on the server's own segment that
 *                     moves between the servers of one PostgreSQL (the one holding the lock adds
 *                     it); when given, every URL and next-server machines are told names it
 */
public record InstallNetwork(
        String iface,
        Ipv4 serverAddress,
        String domain,
        DhcpMode dhcpMode,
        List<InstallSubnet> subnets,
        Optional<Ipv4> serviceAddress) {

    public InstallNetwork {
        subnets = List.copyOf(subnets);
        if (subnets.isEmpty()) {
            throw new IllegalArgumentException("an install network has at least one subnet");
        }
    }

    /** Without a service address: machines are sent to {@code network.server}. */
    public InstallNetwork(String iface, Ipv4 serverAddress, String domain, DhcpMode dhcpMode, List<InstallSubnet> subnets) {
        this(iface, serverAddress, domain, dhcpMode, subnets, Optional.empty());
    }

    /**
     * The address machines are told to fetch from (HTTP host, TFTP next-server): the service
     * address when there is one, so a machine keeps reaching whichever server holds it; else this
     * server's own. DHCP's server identifier (option 54) stays {@link #serverAddress}.
     */
    public Ipv4 bootServer() {
        return serviceAddress.orElse(serverAddress);
    }

    /** The one-subnet form ({@code network.subnet}). */
    public InstallNetwork(String iface, Ipv4 serverAddress, Ipv4Cidr subnet, Optional<Ipv4> gateway, List<Ipv4> dns,
            String domain, DhcpMode dhcpMode, Optional<AddressPool> pool, int leaseSeconds) {
        this(iface, serverAddress, domain, dhcpMode,
                List.of(new InstallSubnet(subnet, gateway, dns, pool, Optional.empty(), leaseSeconds)));
    }

    /** The segment holding {@code address}, if any. */
    public Optional<InstallSubnet> subnetOf(Ipv4 address) {
        return subnets.stream().filter(s -> s.cidr().contains(address)).findFirst();
    }

    /** The server's own segment (the one holding its address), else the first listed. */
    public InstallSubnet home() {
        return subnetOf(serverAddress).orElse(subnets.getFirst());
    }

    /** The home segment's network (the whole install network in the one-subnet form). */
    public Ipv4Cidr subnet() {
        return home().cidr();
    }

    public Optional<Ipv4> gateway() {
        return home().gateway();
    }

    public List<Ipv4> dns() {
        return home().dns();
    }

    public Optional<AddressPool> pool() {
        return home().pool();
    }

    public int leaseSeconds() {
        return home().leaseSeconds();
    }
}
