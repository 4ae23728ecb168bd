package io.yoo.installer.core.readdress;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.state.LeaseRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code change-ip} refuses, on a two-segment network: each collision named. */
class AddressCheckTest {
    static final long NOW = 1_000_000L;
    @TempDir
    Path dir;
    ClusterDescriptor d;
    Machine far;

    @BeforeEach
    void load() throws Exception {
        Path f = dir.resolve("cluster.yml");
        Files.writeString(f, """
                cluster: chk
                architecture: devtest
                network:
                  interface: lo
                  server: 10.2.0.1
                  dhcp: full
                  subnets:
                    - { cidr: 10.2.0.0/24, gateway: 10.2.0.254, dns: 10.2.0.53 }
                    - { cidr: 10.2.1.0/25, relay: 10.2.1.1, gateway: 10.2.1.126, dns: 10.2.1.53, pool: 10.2.1.100-10.2.1.110 }
                os: { version: 4081.2.0 }
                machines:
                  - { name: cp-1, mac: "52:54:00:02:00:0a", ip: 10.2.0.10, role: control-plane }
                  - { name: far-1, mac: "52:54:00:02:01:14", ip: 10.2.1.20 }
                  - { name: far-2, mac: "52:54:00:02:01:15", ip: 10.2.1.21 }
                """);
        d = DescriptorLoader.load(f);
        far = d.machine("far-1").orElseThrow();
    }

    List<String> check(String ip, LeaseRecord... leases) {
        return AddressCheck.problems(d, far, Ipv4.parse(ip), List.of(leases), NOW);
    }

    @Test
    void aFreeHostAddressOfItsSegmentPasses() {
        assertThat(check("10.2.1.30")).isEmpty();
        // its own lease, and another client's expired one, do not count
        assertThat(check("10.2.1.30", new LeaseRecord("10.2.1.30", "525400020114", "hw:1", "bound", NOW + 60),
                new LeaseRecord("10.2.1.30", "525400999999", "hw:2", "bound", NOW - 1))).isEmpty();
    }

    @Test
    void eachCollisionIsNamed() {
        assertThat(check("10.2.1.20")).containsExactly("far-1 already has 10.2.1.20");
        assertThat(check("10.2.0.30")).containsExactly("10.2.0.30 is outside far-1's segment 10.2.1.0/25");
        assertThat(check("10.2.1.127")).containsExactly("10.2.1.127 is the network or broadcast address of 10.2.1.0/25");
        assertThat(check("10.2.1.105")).containsExactly("10.2.1.105 is in the dynamic pool 10.2.1.100-10.2.1.110 of 10.2.1.0/25");
        assertThat(check("10.2.1.1")).containsExactly("10.2.1.1 is the relay agent of 10.2.1.0/25");
        assertThat(check("10.2.1.126")).containsExactly("10.2.1.126 is the gateway of 10.2.1.0/25");
        assertThat(check("10.2.1.53")).containsExactly("10.2.1.53 is a DNS server of 10.2.1.0/25");
        assertThat(check("10.2.1.21")).containsExactly("10.2.1.21 is far-2's address");
        assertThat(check("10.2.1.40", new LeaseRecord("10.2.1.40", "525400999999", "hw:2", "declined", NOW + 60)))
                .containsExactly("10.2.1.40 is declined by DHCP to 525400999999 until epoch " + (NOW + 60));
    }
}
