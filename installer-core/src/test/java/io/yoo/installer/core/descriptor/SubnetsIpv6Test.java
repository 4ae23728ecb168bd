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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code ipv6} in the items of {@code network.subnets} (issue #19): each segment's IPv6 link read,
 * checked with file:line:column (overlaps, pools and relays outside their prefix, the server on
 * none, machines outside every prefix, the one-segment keys beside it) and served as one DHCPv6
 * subnet per segment.
 */
class SubnetsIpv6Test {
    static final String RACKS = """
            cluster: racks
            architecture: devtest
            network:
              interface: eth1
              server: 10.20.0.2
              ipv6: { server: "fd00:20::2", dns: ["fd00:20::53"] }
              subnets:
                - cidr: 10.20.0.0/24
                  pool: 10.20.0.100-10.20.0.150
                  ipv6: { prefix: "fd00:20::/64", pool: "fd00:20::100-fd00:20::1ff" }
                - cidr: 10.21.0.0/24
                  relay: 10.21.0.1
                  gateway: 10.21.0.1
                  leaseSeconds: 600
                  ipv6:
                    prefix: "fd00:21::/64"
                    pool: "fd00:21::100-fd00:21::1ff"
                    dns: ["fd00:21::53"]
                    relay: "fd00:21::1"
            machines:
              - { name: near, mac: "52:54:00:20:00:0a", ip: 10.20.0.10, ipv6: "fd00:20::10", role: control-plane }
              - { name: far, mac: "52:54:00:21:00:14", ip: 10.21.0.20, ipv6: "fd00:21::20" }
            """;

    private static ClusterDescriptor parse(String yaml) throws DescriptorException {
        return DescriptorLoaderTest.parse(yaml);
    }

    @Test
    void each_item_carries_its_ipv6_segment_and_the_server_link_is_the_home_one() throws Exception {
        Ipv6Network v6 = parse(RACKS).ipv6().orElseThrow();
        assertThat(v6.server()).isEqualTo(Ipv6.parse("fd00:20::2"));
        assertThat(v6.cidr()).as("the server's own link").isEqualTo("fd00:20::/64");
        assertThat(v6.segments()).extracting(Ipv6Segment::describe)
                .containsExactly("fd00:20::/64 pool fd00:20::100-fd00:20::1ff", "fd00:21::/64 pool fd00:21::100-fd00:21::1ff via relay fd00:21::1");
        assertThat(v6.segments().get(0).dns()).as("network.ipv6.dns is the default").containsExactly(Ipv6.parse("fd00:20::53"));
        assertThat(v6.segments().get(1).dns()).containsExactly(Ipv6.parse("fd00:21::53"));
        assertThat(v6.segments().get(1).leaseSeconds()).isEqualTo(600);
        assertThat(v6.segmentOf(Ipv6.parse("fd00:21::20"))).map(Ipv6Segment::cidr).contains("fd00:21::/64");
        assertThat(v6.addresses()).containsEntry("far", Ipv6.parse("fd00:21::20")).containsEntry("near", Ipv6.parse("fd00:20::10"));
    }

    @Test
    void dhcpv6_serves_one_subnet_per_segment_with_its_pool_dns_and_lease_time() throws Exception {
        Dhcp6Config c = ClusterDhcp6.configOf(parse(RACKS), Path.of("/state"), Duid.ll(MacAddress.parse("02:00:00:00:00:02")));
        assertThat(c.subnets()).extracting(Dhcp6Subnet::toString).containsExactly("fd00:20::/64", "fd00:21::/64");
        Dhcp6Subnet far = c.subnets().get(1);
        assertThat(far.rangeStart()).contains(Ipv6.parse("fd00:21::100"));
        assertThat(far.rangeEnd()).contains(Ipv6.parse("fd00:21::1ff"));
        assertThat(far.dns()).containsExactly(Ipv6.parse("fd00:21::53"));
        assertThat(far.preferredSeconds()).isEqualTo(600);
        assertThat(c.subnets().get(0).preferredSeconds()).isEqualTo(3600);
        assertThat(c.byMac()).containsEntry(MacAddress.parse("52:54:00:21:00:14"), Ipv6.parse("fd00:21::20"));
        assertThat(c.bootServer()).isEqualTo(Optional.of(Ipv6.parse("fd00:20::2")));
    }

    @Test
    void mistakes_name_file_line_column_and_field() {
        assertThatThrownBy(() -> parse(RACKS.replace("prefix: \"fd00:21::/64\"", "prefix: \"fd00:20::/56\"")
                .replace("fd00:21::", "fd00:20::")))
                .hasMessageContaining("cluster.yml:16:17: network.subnets[1].ipv6.prefix: IPv6 prefix fd00:20::/56 overlaps fd00:20::/64"
                        + " (network.subnets[0].ipv6): each address must belong to one segment, or DHCPv6 cannot tell which segment"
                        + " a relayed request is from");
        assertThatThrownBy(() -> parse(RACKS.replace("fd00:21::100-fd00:21::1ff", "fd00:22::100-fd00:22::1ff")))
                .hasMessageContaining("cluster.yml:17:15: network.subnets[1].ipv6.pool: the pool is not inside this segment's IPv6 prefix fd00:21::/64");
        assertThatThrownBy(() -> parse(RACKS.replace("relay: \"fd00:21::1\"", "relay: \"fd00:22::1\"")))
                .hasMessageContaining("network.subnets[1].ipv6.relay: relay fd00:22::1 is not inside the IPv6 prefix fd00:21::/64");
        assertThatThrownBy(() -> parse(RACKS.replace("relay: \"fd00:21::1\"", "relay: \"fd00:21::101\"")))
                .hasMessageContaining("network.subnets[1].ipv6.pool: the pool contains the relay agent's address fd00:21::101");
        assertThatThrownBy(() -> parse(RACKS.replace("ipv6: \"fd00:21::20\"", "ipv6: \"fd00:99::20\"")))
                .hasMessageContaining("cluster.yml:22:66: machines[1].ipv6: fd00:99::20 is outside the IPv6 prefixes [fd00:20::/64, fd00:21::/64]");
        assertThatThrownBy(() -> parse(RACKS.replace("server: \"fd00:20::2\"", "server: \"fd00:99::2\"")))
                .hasMessageContaining("network.ipv6.server: fd00:99::2 is in none of the IPv6 prefixes of network.subnets"
                        + " [fd00:20::/64, fd00:21::/64]");
        assertThatThrownBy(() -> parse(RACKS.replace("fd00:20::100-fd00:20::1ff", "fd00:20::1-fd00:20::1ff")))
                .hasMessageContaining("network.subnets[0].ipv6.pool: the pool holds the server's own address fd00:20::2");
        assertThatThrownBy(() -> parse(RACKS.replace("server: \"fd00:20::2\",", "server: \"fd00:20::2\", prefix: \"fd00:20::/64\",")))
                .hasMessageContaining("network.ipv6.prefix: give either network.ipv6.prefix (the one-segment form) or ipv6 in the items"
                        + " of network.subnets, not both");
        assertThatThrownBy(() -> parse(RACKS.replace("  ipv6: { server: \"fd00:20::2\", dns: [\"fd00:20::53\"] }\n", "")))
                .hasMessageContaining("network.subnets[0].ipv6: an IPv6 segment needs network.ipv6.server");
        assertThatThrownBy(() -> parse(RACKS.replace("prefix: \"fd00:21::/64\"", "prefx: \"fd00:21::/64\"")))
                .hasMessageContaining("network.subnets[1].ipv6.prefx: unknown key 'prefx'")
                .hasMessageContaining("network.subnets[1].ipv6.prefix: missing required key 'prefix'");
    }
}
