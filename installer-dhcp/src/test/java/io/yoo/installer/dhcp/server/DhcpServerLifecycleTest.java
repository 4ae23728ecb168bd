package io.yoo.installer.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.dhcp.lease.LeaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example, on an ephemeral port of the host (no root, no namespace). */
class DhcpServerLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExampleStartsAndStopsCleanly() throws Exception {
        Ipv4 me = Ipv4.parse("10.77.0.1");
        DhcpServerConfig cfg = DhcpServerConfig.builder(me)
                .ports(0, 68) // README: .iface("eth1") and port 67
                .subnet(DhcpSubnet.of(Ipv4Cidr.parse("10.77.0.0/24"))
                        .withPool(new AddressPool(Ipv4.parse("10.77.0.100"), Ipv4.parse("10.77.0.199")))
                        .withGateway(Ipv4.parse("10.77.0.254")).withDns(List.of(me)))
                .leaseDir(dir)
                .build();
        BootPolicy policy = req -> BootDecision.unknown(req.isIpxe()
                ? new BootTarget.HttpUrl("http://10.77.0.1:8080/boot.ipxe", false)
                : req.isNetworkBootFirmware()
                        ? new BootTarget.TftpFile(me, req.arch().orElse(0) == 0 ? "undionly.kpxe" : "snponly.efi")
                        : new BootTarget.None("not PXE"));
        DhcpServer dhcp = new DhcpServer(cfg, policy);
        try (dhcp) {
            dhcp.start();
            assertThat(dhcp.isRunning()).isTrue();
            assertThat(dhcp.port()).isPositive();
            assertThatThrownBy(dhcp::start).isInstanceOf(IllegalStateException.class);
        }
        assertThat(dhcp.isRunning()).isFalse();
        dhcp.stop(); // idempotent
        assertThat(Files.exists(dir.resolve(LeaseStore.FILE))).isTrue();
    }

    @Test
    void overlappingSubnetsAreRejected() {
        assertThatThrownBy(() -> DhcpServerConfig.builder(Ipv4.parse("10.0.0.1"))
                .subnet(DhcpSubnet.of(Ipv4Cidr.parse("10.0.0.0/16"))).subnet(DhcpSubnet.of(Ipv4Cidr.parse("10.0.1.0/24")))
                .build()).hasMessageContaining("overlap");
        assertThatThrownBy(() -> DhcpSubnet.of(Ipv4Cidr.parse("10.0.0.0/24"))
                .withPool(new AddressPool(Ipv4.parse("10.0.1.1"), Ipv4.parse("10.0.1.9")))).hasMessageContaining("not inside");
    }
}
