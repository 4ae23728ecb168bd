package io.yoo.installer.core.cluster;

import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpSubnet;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The {@link DhcpServerConfig} of a descriptor's install network (what {@code yoo serve} runs). */
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
        DhcpSubnet subnet = new DhcpSubnet(net.subnet(), proxy ? Optional.empty() : net.pool(), net.gateway(), net.dns(),
                net.domain(), Math.max(60, net.leaseSeconds()));
        DhcpServerConfig.Builder b = DhcpServerConfig.builder(net.serverAddress())
                .mode(proxy ? DhcpServerConfig.Mode.PROXY : DhcpServerConfig.Mode.FULL)
                .subnet(subnet).leaseDir(stateDir.resolve("dhcp")).reserved(reserved);
        if (net.iface() != null && !net.iface().isBlank()) {
            b.iface(net.iface());
        }
        return b.build();
    }
}
