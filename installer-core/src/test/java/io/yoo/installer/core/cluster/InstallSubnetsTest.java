package io.yoo.installer.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.NetworkAssignment;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.ClusterConfigArtifactsTestAccess;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.state.MachineStateView;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpSubnet;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code network.subnets}: a machine behind a DHCP relay gets its own segment's prefix, router and
 * DNS (in its DHCP reservation and in its installed network unit), while every URL and the TFTP
 * next-server name the server's address, which the far segment reaches through its gateway.
 */
class InstallSubnetsTest {
    static final String TWO_SEGMENTS = """
            cluster: lab
            architecture: devtest
            network:
              interface: eth1
              server: 10.84.0.1
              dns: 10.84.0.53
              leaseSeconds: 1200
              subnets:
                - cidr: 10.84.0.0/24
                  gateway: 10.84.0.254
                  pool: 10.84.0.100-10.84.0.150
                - cidr: 10.84.1.0/24
                  relay: 10.84.1.1
                  gateway: 10.84.1.1
                  pool: 10.84.1.100-10.84.1.110
                  dns: [10.84.1.53, 10.84.1.54]
                  leaseSeconds: 600
            os: { version: 4081.2.0, kernel: testos/vmlinuz, initrd: testos/initrd.gz }
            sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0kYv3n2hJ7x8bD5mWcE1pQ9rT4sU6vX0yZ2aB3cD4 ops@lab"]
            machines:
              - { name: near-1, mac: "52:54:00:84:00:0a", ip: 10.84.0.10, role: control-plane }
              - { name: far-1, mac: "52:54:00:84:01:0a", ip: 10.84.1.20 }
            """;
    static final MacAddress FAR = MacAddress.parse("52:54:00:84:01:0a");
    static ClusterSecrets secrets;
    static ClusterDescriptor d;
    static ClusterSnapshot snapshot;

    @BeforeAll
    static void load() throws Exception {
        secrets = new SecretsGenerator().generate();
        d = DescriptorLoader.parse(TWO_SEGMENTS, Path.of("cluster.yml"), Path.of("/srv/lab"));
        snapshot = ClusterSnapshot.of(d, new MachineTokens(new byte[32]), () -> secrets, MachineStateView.NOTHING_KNOWN, new LearnedMacs());
    }

    @Test
    void each_segment_keeps_its_own_settings_and_inherits_dns_and_lease_time_from_the_network() {
        InstallNetwork n = d.network();
        assertThat(n.subnets()).hasSize(2);
        assertThat(n.subnets().get(0).dns()).containsExactly(Ipv4.parse("10.84.0.53"));
        assertThat(n.subnets().get(0).leaseSeconds()).isEqualTo(1200);
        assertThat(n.subnets().get(0).relayed()).isFalse();
        assertThat(n.subnets().get(1).relay()).contains(Ipv4.parse("10.84.1.1"));
        assertThat(n.subnets().get(1).leaseSeconds()).isEqualTo(600);
        assertThat(n.home()).isEqualTo(n.subnets().get(0));
    }

    @Test
    void dhcp_serves_every_segment_with_its_pool_router_dns_and_lease_time() {
        DhcpServerConfig cfg = DescriptorDhcpConfig.from(d.network(), Path.of("/tmp/unused"), snapshot.reservedAddresses());
        assertThat(cfg.subnets()).extracting(s -> s.cidr().toString()).containsExactly("10.84.0.0/24", "10.84.1.0/24");
        DhcpSubnet far = cfg.subnets().get(1);
        assertThat(far.pool()).contains(new AddressPool(Ipv4.parse("10.84.1.100"), Ipv4.parse("10.84.1.110")));
        assertThat(far.gateway()).contains(Ipv4.parse("10.84.1.1"));
        assertThat(far.dns()).containsExactly(Ipv4.parse("10.84.1.53"), Ipv4.parse("10.84.1.54"));
        assertThat(far.leaseSeconds()).isEqualTo(600);
        assertThat(cfg.reserved()).contains(Ipv4.parse("10.84.1.20"), Ipv4.parse("10.84.0.10"));
    }

    @Test
    void a_relayed_machine_is_reserved_on_its_own_segment_and_boots_from_the_server_address() {
        BootRequest relayed = new BootRequest(FAR, Optional.empty(), OptionalInt.of(0), Optional.of("PXEClient:Arch:00000:UNDI:002001"),
                Optional.empty(), Optional.of(Ipv4.parse("10.84.1.1")), Optional.of(Ipv4.parse("10.84.0.1")));
        BootDecision b = snapshot.boot().decide(relayed);
        NetworkAssignment a = b.reservation().orElseThrow();
        assertThat(a.address()).isEqualTo(Ipv4.parse("10.84.1.20"));
        assertThat(a.subnet()).hasToString("10.84.1.0/24");
        assertThat(a.gateway()).contains(Ipv4.parse("10.84.1.1"));
        assertThat(a.dns()).containsExactly(Ipv4.parse("10.84.1.53"), Ipv4.parse("10.84.1.54"));
        assertThat(a.leaseSeconds()).isEqualTo(600);
        assertThat(b.target()).isEqualTo(new BootTarget.TftpFile(Ipv4.parse("10.84.0.1"), "undionly.kpxe"));
    }

    @Test
    void the_far_machine_installs_with_its_segments_prefix_router_and_dns_and_fetches_from_the_server() throws Exception {
        String config = snapshot.artifacts().render("far-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        String unit = ClusterConfigArtifactsTestAccess.networkUnit(config);
        assertThat(unit).contains("MACAddress=52:54:00:84:01:0a", "Address=10.84.1.20/24", "Gateway=10.84.1.1",
                "DNS=10.84.1.53", "DNS=10.84.1.54").doesNotContain("10.84.0.254").doesNotContain("10.84.0.53");
        String near = ClusterConfigArtifactsTestAccess.networkUnit(
                snapshot.artifacts().render("near-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text());
        assertThat(near).contains("Address=10.84.0.10/24", "Gateway=10.84.0.254", "DNS=10.84.0.53");

        String ipxe = snapshot.artifacts().render("far-1", ArtifactKind.IPXE).orElseThrow().text();
        assertThat(ipxe).contains("http://10.84.0.1:8080/").doesNotContain("10.84.1.1:");
        String grub = snapshot.artifacts().render("far-1", ArtifactKind.GRUB).orElseThrow().text();
        assertThat(grub).contains("10.84.0.1");
        List<String> kinds = List.of(config, ipxe, grub);
        assertThat(kinds).noneMatch(t -> t.contains("10.84.1.1:8080"));
    }

    @Test
    void with_dhcp_off_a_far_segment_needs_a_gateway_but_no_relay() throws Exception {
        String off = TWO_SEGMENTS.replace("  leaseSeconds: 1200\n", "  leaseSeconds: 1200\n  dhcp: off\n")
                .replace("      relay: 10.84.1.1\n", "").replace("      pool: 10.84.0.100-10.84.0.150\n", "")
                .replace("      pool: 10.84.1.100-10.84.1.110\n", "");
        assertThat(off).contains("dhcp: off").doesNotContain("relay").doesNotContain("pool");
        ClusterDescriptor loaded = DescriptorLoader.parse(off, Path.of("cluster.yml"), Path.of("/srv/lab"));
        assertThat(loaded.network().subnets().get(1).relayed()).isFalse();
        assertThatThrownBy(() -> DescriptorLoader.parse(off.replace("      gateway: 10.84.1.1\n", ""), Path.of("cluster.yml"), Path.of("/srv/lab")))
                .hasMessageContaining("network.subnets[1]: unreachable: machines on 10.84.1.0/24 have no gateway");
    }
}
