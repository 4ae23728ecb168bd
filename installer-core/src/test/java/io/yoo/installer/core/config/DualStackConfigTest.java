package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.render.ArtifactKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack descriptor (issue #19): {@code network.ipv6}, {@code machines[].ipv6} and
 * {@code kubernetes.podCidrV6}/{@code serviceCidrV6}. kubeadm gets both families' ranges and
 * each kubelet both node addresses; the installed system keeps its IPv6 address; flannel runs
 * both families. Mistakes are refused with file:line:column.
 */
class DualStackConfigTest {
    static final String DUAL = "cluster: lab\narchitecture: dev\n" + ConfigFixtures.NETWORK_IPV6 + """
            os: { version: 4081.2.0 }
            kubernetes:
              podCidrV6: "fd00:10:244::/56"
              serviceCidrV6: "fd00:10:96::/112"
            machines:
              - { name: node-1, mac: "52:54:00:12:01:01", ip: 10.12.1.1, ipv6: "fd00:12::11" }
            """;

    private static ClusterDescriptor parse(String yaml) throws Exception {
        return ConfigFixtures.parse(yaml);
    }

    @Test
    void kubeadmKubeletNetworkdAndFlannelGetBothFamilies() throws Exception {
        ClusterConfigArtifactsTest.secrets = new SecretsGenerator().generate();
        ClusterDescriptor c = parse(DUAL);
        ClusterConfigArtifacts a = ClusterConfigArtifactsTest.artifacts(c);
        List<Map<String, Object>> docs = ClusterConfigArtifactsTest.yamlDocs(a.render("node-1", ArtifactKind.KUBEADM).orElseThrow().text());
        Map<String, Object> cluster = docs.stream().filter(d -> "ClusterConfiguration".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(ClusterConfigArtifactsTest.get(cluster, "networking", "podSubnet")).isEqualTo("10.244.0.0/16,fd00:10:244::/56");
        assertThat(ClusterConfigArtifactsTest.get(cluster, "networking", "serviceSubnet")).isEqualTo("10.96.0.0/12,fd00:10:96::/112");
        assertThat(ClusterConfigArtifactsTest.get(docs.getFirst(), "nodeRegistration", "kubeletExtraArgs")).asString()
                .contains("10.12.1.1,fd00:12::11");

        String installed = a.render("node-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        assertThat(ClusterConfigArtifactsTest.networkUnit(installed, ConfigDialect.IGNITION))
                .contains("Address=10.12.1.1/16", "Address=fd00:12::11/64", "IPv6AcceptRA=yes", "DNS=fd00:12::53");
        assertThat(ClusterConfigArtifactsTest.files(installed, ConfigDialect.IGNITION).get("/etc/kubernetes/yoo/kube-flannel.yml"))
                .contains("\"EnableIPv6\": true, \"IPv6Network\": \"fd00:10:244::/56\"");
    }

    @Test
    void anIpv4OnlyClusterRendersAsBefore() throws Exception {
        ClusterConfigArtifactsTest.secrets = new SecretsGenerator().generate();
        String v4 = DUAL.replace("  podCidrV6: \"fd00:10:244::/56\"\n  serviceCidrV6: \"fd00:10:96::/112\"\n", "  version: 1.31.2\n");
        ClusterConfigArtifacts a = ClusterConfigArtifactsTest.artifacts(parse(v4));
        String kubeadm = a.render("node-1", ArtifactKind.KUBEADM).orElseThrow().text();
        assertThat(kubeadm).contains("podSubnet: \"10.244.0.0/16\"", "node-ip").doesNotContain("fd00");
        String installed = a.render("node-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        assertThat(ClusterConfigArtifactsTest.files(installed, ConfigDialect.IGNITION).get("/etc/kubernetes/yoo/kube-flannel.yml"))
                .doesNotContain("EnableIPv6");
    }

    @Test
    void dualStackMistakesNameFileLineAndField() {
        assertThatThrownBy(() -> parse(DUAL.replace("fd00:10:244::/56", "fd00:10:244::/64")))
                .hasMessageContaining("cluster.yml:13:14: kubernetes.podCidrV6: prefix length /64 of fd00:10:244::/64: the IPv6 pod range"
                        + " must be shorter than /64");
        assertThatThrownBy(() -> parse(DUAL.replace("fd00:10:96::/112", "fd00:10:96::/64")))
                .hasMessageContaining("kubernetes.serviceCidrV6: prefix length /64 of fd00:10:96::/64: the IPv6 service range is /108 to /120");
        assertThatThrownBy(() -> parse(DUAL.replace("  serviceCidrV6: \"fd00:10:96::/112\"\n", "")))
                .hasMessageContaining("cluster.yml:13:14: kubernetes.podCidrV6: a dual-stack cluster needs both podCidrV6 and serviceCidrV6");
        assertThatThrownBy(() -> parse(DUAL.replace("fd00:10:96::/112", "fd00:10:244::/112")))
                .hasMessageContaining("kubernetes.serviceCidrV6: the IPv6 service range fd00:10:244::/112 overlaps the IPv6 pod range fd00:10:244::/56");
        assertThatThrownBy(() -> parse(DUAL.replace("fd00:10:244::/56", "fd00:12::/56")))
                .hasMessageContaining("kubernetes.podCidrV6: fd00:12::/56 overlaps the IPv6 install prefix fd00:12::/64");
        assertThatThrownBy(() -> parse(DUAL.replace(", ipv6: \"fd00:12::11\"", "")))
                .hasMessageContaining("cluster.yml:16:5: machines[0]: machine 'node-1' has no ipv6 address: a dual-stack cluster");
    }
}
