package io.yoo.installer.core.cluster;

import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.InstallSubnet;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpSubnet;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link DhcpServerConfig} of a descriptor's install network (what {@code yoo serve} runs):
 * one {@link DhcpSubnet} per segment, each with its own pool, router, DNS and lease time.
 */
public final class DescriptorDhcpConfig {
    private DescriptorDhcpConfig() {}

    /**
     * @param stateDir the descriptor's state directory; leases go to {@code stateDir/dhcp/}
     * @param reserved every reserved address (DescriptorBootPolicy.reservedAddresses())
     * @throws IllegalArgumentException when the descriptor says {@code dhcp: off}
     */
    public static DhcpServerConfig from(InstallNetwork net, Path stateDir, Set<Ipv4> reserved) {
        if (net.dhcpMode() == DhcpMode.OFF) {
            throw new IllegalArgumentException("DHCP is off in the descriptor: do not start the DHCP server");
        }
        boolean proxy = net.dhcpMode() == DhcpMode.PROXY;
        DhcpServerConfig.Builder b = DhcpServerConfig.builder(net.serverAddress())
                .mode(proxy ? DhcpServerConfig.Mode.PROXY : DhcpServerConfig.Mode.FULL)
                .leaseDir(stateDir.resolve("dhcp")).reserved(reserved);
        // every segment: the engine picks one by giaddr (relayed) or the receiving address (local)
        for (InstallSubnet s : net.subnets()) {
            b.subnet(new DhcpSubnet(s.cidr(), proxy ? Optional.empty() : s.pool(), s.gateway(), s.dns(), net.domain(),
                    Math.max(60, s.leaseSeconds())));
        }
        net.serviceAddress().ifPresent(b::serviceAddress); // next-server of proxy HTTP-boot replies; option 54 stays ours
        if (net.iface() != null && !net.iface().isBlank()) {
            b.iface(net.iface());
        }
        return b.build();
    }
}
