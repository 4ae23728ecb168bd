package io.yoo.installer.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.DescriptorBootPolicy;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.cluster.ClusterSnapshot;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.state.MachineState;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@code server.discovery}: read from the descriptor, and strangers get a boot file when it is on. */
class DiscoverySettingTest {
    static final String YAML = """
            cluster: lab
            architecture: dev
            network:
              interface: eth1
              server: 10.12.0.2
              subnet: 10.12.0.0/16
              pool: 10.12.200.1-10.12.200.50
            server:
              discovery: %s
            machines:
              - { name: node-1, mac: "52:54:00:12:01:01", ip: 10.12.1.1 }
            """;

    static ClusterDescriptor parse(String value) throws DescriptorException {
        return DescriptorLoader.parse(YAML.formatted(value), Path.of("cluster.yml"), Path.of("/srv/cluster"));
    }

    @Test
    void offByDefaultOnWhenSaid() throws Exception {
        assertThat(Discovery.enabled(parse("false"))).isFalse();
        assertThat(Discovery.enabled(parse("true"))).isTrue();
        ClusterDescriptor none = DescriptorLoader.parse(YAML.replace("server:\n  discovery: %s\n", ""), Path.of("cluster.yml"), Path.of("/srv"));
        assertThat(none.server().discovery()).isFalse();
        assertThatThrownBy(() -> parse("sometimes")).isInstanceOf(DescriptorException.class).hasMessageContaining("server.discovery");
    }

    @Test
    void aStrangersIpxeIsSentToTheChainScriptOnlyWithDiscovery() throws Exception {
        MachineTokens tokens = new MachineTokens(MachineTokens.newSecret());
        BootUrls urls = new BootUrls("http://10.12.0.2:8080");
        BootRequest ipxe = new BootRequest(MacAddress.parse("52:54:00:99:00:01"), Optional.empty(), OptionalInt.of(0),
                Optional.of("PXEClient:Arch:00000:UNDI:002001"), Optional.of("iPXE"), Optional.empty(), Optional.empty());
        BootTarget on = new DescriptorBootPolicy(parse("true"), urls, tokens, m -> MachineState.UNKNOWN).decide(ipxe).target();
        assertThat(on).isEqualTo(new BootTarget.HttpUrl("http://10.12.0.2:8080/boot.ipxe", false));
        BootTarget off = new DescriptorBootPolicy(parse("false"), urls, tokens, m -> MachineState.UNKNOWN).decide(ipxe).target();
        assertThat(off).isInstanceOf(BootTarget.None.class);
        assertThat(((BootTarget.None) off).reason()).contains("server.discovery");
        // yoo serve decides through its cluster snapshot: the same
        BootTarget served = ClusterSnapshot.of(parse("true"), tokens, () -> null, m -> MachineState.UNKNOWN, new LearnedMacs()).boot()
                .decide(ipxe).target();
        assertThat(served).isEqualTo(new BootTarget.HttpUrl("http://10.12.0.2:8080/boot.ipxe", false));
    }
}
