package io.yoo.installer.core.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.cluster.ClusterDhcp6;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.server.Dhcp6Config;
import io.yoo.installer.dhcp.v6.server.Dhcp6Subnet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code network.ipv6} and {@code machines[].ipv6}/{@code duid} (issue #19): parsed, checked with file:line:column, served. */
class Ipv6DescriptorTest {
    static final String DUAL_STACK = """
            cluster: lab
            architecture: small
            network:
              interface: eth1
              server: 10.12.0.2
              subnet: 10.12.0.0/16
              ipv6:
                server: "fd00:12::2"
                prefix: "fd00:12::/64"
                pool: "fd00:12::100-fd00:12::1ff"
                dns: ["fd00:12::53"]
            machines:
              - { name: node-1, mac: "52:54:00:12:01:01", ip: 10.12.1.1, ipv6: "fd00:12::11", duid: "00:03:00:01:52:54:00:12:01:01" }
              - { name: node-2, mac: "52:54:00:12:01:02", ip: 10.12.1.2, ipv6: "fd00:12::12" }
              - { name: node-3, uuid: 4A1F3C2E-7B77-4E2A-9C1D-000000000103, ip: 10.12.1.3 }
            """;

    private static ClusterDescriptor parse(String yaml) throws DescriptorException {
        return DescriptorLoaderTest.parse(yaml);
    }

    @Test
    void a_dual_stack_descriptor_gives_the_ipv6_link_and_each_machines_address() throws Exception {
        Ipv6Network v6 = parse(DUAL_STACK).ipv6().orElseThrow();
        assertThat(v6.server()).isEqualTo(Ipv6.parse("fd00:12::2"));
        assertThat(v6.cidr()).isEqualTo("fd00:12::/64");
        assertThat(v6.poolStart()).contains(Ipv6.parse("fd00:12::100"));
        assertThat(v6.poolEnd()).contains(Ipv6.parse("fd00:12::1ff"));
        assertThat(v6.dns()).containsExactly(Ipv6.parse("fd00:12::53"));
        assertThat(v6.addresses()).hasSize(2).containsEntry("node-1", Ipv6.parse("fd00:12::11"))
                .containsEntry("node-2", Ipv6.parse("fd00:12::12"));
        assertThat(v6.duids()).containsOnlyKeys("node-1");
        assertThat(v6.httpBase(8080)).isEqualTo("http://[fd00:12::2]:8080");
        assertThat(parse(DescriptorLoaderTest.THREE_MACHINES).ipv6()).isEmpty();
    }

    @Test
    void the_dhcpv6_server_reserves_each_machine_by_its_macs_and_its_duid() throws Exception {
        Duid server = Duid.ll(MacAddress.parse("02:00:00:00:00:02"));
        Dhcp6Config c = ClusterDhcp6.configOf(parse(DUAL_STACK), Path.of("/state"), server);
        assertThat(c.subnets()).singleElement().satisfies(s -> {
            assertThat(s.toString()).isEqualTo("fd00:12::/64");
            assertThat(s.inRange(Ipv6.parse("fd00:12::150"))).isTrue();
            assertThat(s.dns()).containsExactly(Ipv6.parse("fd00:12::53"));
        });
        assertThat(c.byMac()).containsEntry(MacAddress.parse("52:54:00:12:01:01"), Ipv6.parse("fd00:12::11"))
                .containsEntry(MacAddress.parse("52:54:00:12:01:02"), Ipv6.parse("fd00:12::12")).hasSize(2);
        assertThat(c.byDuid()).containsEntry(Duid.parseHex("00030001525400120101"), Ipv6.parse("fd00:12::11")).hasSize(1);
        assertThat(c.bootServer()).contains(Ipv6.parse("fd00:12::2"));
        assertThat(c.iface()).isEqualTo("eth1");
        assertThat(c.leaseDir()).contains(Path.of("/state/dhcp6"));
        assertThat(c.subnets().getFirst()).isInstanceOf(Dhcp6Subnet.class);
    }

    @Test
    void mistakes_name_file_line_column_and_field() {
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("ipv6: \"fd00:12::12\"", "ipv6: \"fd00:99::12\"")))
                .hasMessageContaining("cluster.yml:14:68: machines[1].ipv6: fd00:99::12 is outside the IPv6 prefix fd00:12::/64");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("ipv6: \"fd00:12::12\"", "ipv6: \"fd00:12::11\"")))
                .hasMessageContaining("cluster.yml:14:68: machines[1].ipv6: duplicate IPv6 address fd00:12::11: already used by machines[0] (node-1)");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("ipv6: \"fd00:12::12\"", "ipv6: \"fd00:12::2\"")))
                .hasMessageContaining("machines[1].ipv6: fd00:12::2 is the server's own IPv6 address (network.ipv6.server)");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("ipv6: \"fd00:12::12\"", "ipv6: 10.12.1.2")))
                .hasMessageContaining("machines[1].ipv6: not an IPv6 address: 10.12.1.2");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("prefix: \"fd00:12::/64\"", "prefix: \"fd00:12::1/64\"")))
                .hasMessageContaining("cluster.yml:9:13: network.ipv6.prefix: 'fd00:12::1/64' has host bits set: the prefix is fd00:12::/64");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("prefix: \"fd00:12::/64\"", "prefix: \"fd00:12::/80\"")))
                .hasMessageContaining("network.ipv6.prefix: prefix length /80");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("server: \"fd00:12::2\"", "server: \"fd00:13::2\"")))
                .hasMessageContaining("cluster.yml:8:13: network.ipv6.server: fd00:13::2 is outside the IPv6 prefix fd00:12::/64");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("fd00:12::100-fd00:12::1ff", "fd00:13::100-fd00:13::1ff")))
                .hasMessageContaining("cluster.yml:10:11: network.ipv6.pool: the pool is not inside the IPv6 prefix fd00:12::/64");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("fd00:12::100-fd00:12::1ff", "fd00:12::1-fd00:12::1ff")))
                .hasMessageContaining("network.ipv6.pool: the pool holds the server's own address fd00:12::2");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("    dns:", "    gateway: \"fd00:12::1\"\n    dns:")))
                .hasMessageContaining("network.ipv6.gateway: unknown key 'gateway'");
        assertThatThrownBy(() -> parse(DUAL_STACK.replace("duid: \"00:03:00:01:52:54:00:12:01:01\"", "duid: \"zz\"")))
                .hasMessageContaining("machines[0].duid: 'zz' is not a DHCPv6 DUID");
        String v4only = DUAL_STACK.substring(0, DUAL_STACK.indexOf("  ipv6:")) + DUAL_STACK.substring(DUAL_STACK.indexOf("machines:"));
        assertThatThrownBy(() -> parse(v4only))
                .hasMessageContaining("machines[0].ipv6: an IPv6 address needs network.ipv6 (server and prefix of the install link)");
    }
}
