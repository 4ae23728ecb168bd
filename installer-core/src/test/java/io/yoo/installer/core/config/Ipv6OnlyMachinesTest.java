package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.InputFormat;
import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.cluster.ClusterDhcp6;
import io.yoo.installer.core.boot.DescriptorBootPolicy;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.discovery.AddressSuggestion;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.render.TftpBootFiles;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.template.Templates;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.server.Dhcp6Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IPv6-only machines (issue #19): {@code machines[].ipv6} and no {@code ip}. No DHCPv4
 * reservation; every URL they are given (iPXE script, GRUB, kernel command line, live and
 * installed configs, install script) names {@code http://[network.ipv6.server]:port}; their
 * network unit has no IPv4 address; the cluster's nodes talk over IPv6 (kubeadm advertise address,
 * join endpoint in brackets, kubelet node-ip). Mistakes are refused with file:line:column.
 */
class Ipv6OnlyMachinesTest {
    static final String V6 = "cluster: lab\narchitecture: devtest\n" + ConfigFixtures.NETWORK_IPV6 + """
            server: { httpPort: 8080 }
            os: { version: 4081.2.0 }
            machines:
              - { name: cp-1, mac: "52:54:00:12:01:01", ipv6: "fd00:12::11", role: control-plane }
              - { name: node-2, mac: "52:54:00:12:01:02", ip: 10.12.1.2, ipv6: "fd00:12::12" }
              - { name: node-3, mac: "52:54:00:12:01:03", uuid: 4a1f3c2e-7b77-4e2a-9c1d-000000000103, ipv6: "fd00:12::13" }
            """;
    static final String BASE6 = "http://[fd00:12::2]:8080";

    @BeforeAll
    static void secrets() {
        ClusterConfigArtifactsTest.secrets = new SecretsGenerator().generate();
    }

    private static ClusterDescriptor parse(String yaml) throws Exception {
        return ConfigFixtures.parse(yaml);
    }

    private static ClusterConfigArtifacts artifacts(ClusterDescriptor c) {
        // the IPv4 URLs as yoo serve builds them (Renderers): IPv6-only machines get the IPv6 ones instead
        return new ClusterConfigArtifacts(c, BootUrls.of(c.network().serverAddress(), 8080), ClusterConfigArtifactsTest.TOKENS,
                () -> ClusterConfigArtifactsTest.secrets, Templates.builtIn(), StepLimits.DEFAULT,
                ClusterConfigArtifactsTest.CLOCK);
    }

    @Test
    void aMachineWithIpv6AndNoIpIsIpv6Only() throws Exception {
        ClusterDescriptor c = parse(V6);
        assertThat(c.machine("cp-1").orElseThrow().ipv4()).isEmpty();
        assertThat(c.machine("cp-1").orElseThrow().ipv6Only()).isTrue();
        assertThat(c.machine("node-2").orElseThrow().ipv4()).contains(Ipv4.parse("10.12.1.2"));
        assertThat(c.nodesOnIpv6()).isTrue();
        assertThat(c.nodeHost(c.firstControlPlane())).isEqualTo("[fd00:12::11]");
        assertThatThrownBy(() -> c.machine("node-3").orElseThrow().ip()).hasMessageContaining("node-3 is IPv6-only");
        // enrollment's next free address and the API see no IPv4 address for them
        assertThat(AddressSuggestion.next(c)).isPresent();
    }

    @Test
    void noDhcpv4ReservationForAnIpv6OnlyMachine() throws Exception {
        ClusterDescriptor c = parse(V6);
        DescriptorBootPolicy p = new DescriptorBootPolicy(c, BootUrls.of(c.network().serverAddress(), 8080),
                new MachineTokens(MachineTokens.newSecret()), m -> MachineState.UNKNOWN);
        assertThat(p.reservedAddresses()).containsExactly(Ipv4.parse("10.12.1.2"));
        BootRequest pxe = new BootRequest(MacAddress.parse("52:54:00:12:01:03"), Optional.empty(), OptionalInt.of(7),
                Optional.of("PXEClient:Arch:00007:UNDI:003000"), Optional.empty(), Optional.empty(), Optional.empty());
        BootDecision d = p.decide(pxe);
        // known, no reservation: DhcpEngine does not answer it (DhcpEngineTest)
        assertThat(d.machine()).contains("node-3");
        assertThat(d.reservation()).isEmpty();
        // its PXELINUX/GRUB files are no IPv4 client's
        BootMenuRenderer menus = new BootMenuRenderer(c, ClusterConfigArtifactsTest.TOKENS, Templates.builtIn());
        TftpBootFiles tftp = new TftpBootFiles(menus);
        assertThat(tftp.file("grub/grub.cfg-01-52-54-00-12-01-03", Ipv4.parse("10.12.1.3"))).isEmpty();
        assertThat(tftp.file("grub/grub.cfg-01-52-54-00-12-01-02", Ipv4.parse("10.12.1.2"))).isPresent();
        assertThat(menus.grubMain().text()).contains("\"10.12.1.2\"").doesNotContain("\"$net_default_ip\" = \"\"");
    }

    @Test
    void dhcpv6ReservesTheAddressByTheDuidUuidFirmwareSends() throws Exception {
        // edk2's PXE and iPXE send DUID-UUID (type 4) of the SMBIOS UUID, not a DUID with the MAC
        Dhcp6Config cfg = ClusterDhcp6.configOf(parse(V6), Path.of("/state"), Duid.ll(MacAddress.parse("02:00:00:00:00:02")));
        Ipv6 a = Ipv6.parse("fd00:12::13");
        assertThat(cfg.byDuid()).containsEntry(Duid.parseHex("00044a1f3c2e7b774e2a9c1d000000000103"), a)
                .containsEntry(Duid.parseHex("00042e3c1f4a777b2a4e9c1d000000000103"), a);
        assertThat(cfg.byMac()).containsEntry(MacAddress.parse("52:54:00:12:01:03"), a);
    }

    @Test
    void theBootChainOfAnIpv6OnlyMachineNamesTheServersIpv6AddressInBrackets() throws Exception {
        ClusterDescriptor c = parse(V6);
        BootMenuRenderer menus = new BootMenuRenderer(c, ClusterConfigArtifactsTest.TOKENS, Templates.builtIn());
        String token = ClusterConfigArtifactsTest.TOKENS.tokenFor("node-3");
        String ipxe = menus.render("node-3", ArtifactKind.IPXE).orElseThrow().text();
        assertThat(ipxe).contains("kernel " + BASE6 + "/assets/", "initrd " + BASE6 + "/assets/",
                "ignition.config.url=" + BASE6 + "/m/node-3/" + token + "/live-config",
                "yoo.callback=" + BASE6 + "/api/v1/machines/node-3/events?token=" + token,
                "yoo.script=" + BASE6 + "/m/node-3/" + token + "/install.sh").doesNotContain("10.12.0.2");
        String grub = menus.render("node-3", ArtifactKind.GRUB).orElseThrow().text();
        assertThat(grub).contains("linux (http,[fd00:12::2]:8080)/assets/", "initrd (http,[fd00:12::2]:8080)/assets/",
                BASE6 + "/m/node-3/").doesNotContain("10.12.0.2");
        // a machine with an IPv4 address keeps the IPv4 URLs
        assertThat(menus.render("node-2", ArtifactKind.IPXE).orElseThrow().text()).contains("http://10.12.0.2:8080/").doesNotContain("fd00");

        ClusterConfigArtifacts a = artifacts(c);
        assertThat(a.liveKernelArgs("node-3")).contains("ignition.config.url=" + BASE6 + "/m/node-3/" + token + "/live-config");
        String live = a.render("node-3", ArtifactKind.LIVE_CONFIG).orElseThrow().text();
        String installed = a.render("node-3", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        for (String ign : List.of(live, installed)) {
            assertThat(ClusterConfigArtifactsTest.ignitionSchema().validate(ign, InputFormat.JSON)).isEmpty();
            assertThat(RenderedConfigCheck.ignitionProblems(ign)).isEmpty();
        }
        Map<String, String> liveFiles = ClusterConfigArtifactsTest.files(live, ConfigDialect.IGNITION);
        assertThat(String.join("\n", liveFiles.values()) + live).contains(BASE6 + "/m/node-3/" + token + "/install.sh")
                .doesNotContain("10.12.0.2");
        assertThat(ClusterConfigArtifactsTest.files(installed, ConfigDialect.IGNITION).get("/opt/yoo/bin/report-running"))
                .contains(BASE6 + "/api/v1/machines/node-3/events?token=" + token);
        String script = a.render("node-3", ArtifactKind.INSTALL_SCRIPT).orElseThrow().text();
        assertThat(script).contains("'" + BASE6 + "/assets'", "'" + BASE6 + "/m/node-3/" + token + "/config'",
                "'" + BASE6 + "/api/v1/machines/node-3/events?token=" + token + "'",
                "'" + BASE6 + "/api/v1/machines/node-3/log?token=" + token + "'").doesNotContain("10.12.0.2");
    }

    @Test
    void theInstalledSystemHasNoIpv4AndTheNodesTalkOverIpv6() throws Exception {
        ClusterDescriptor c = parse(V6);
        ClusterConfigArtifacts a = artifacts(c);
        String unit = ClusterConfigArtifactsTest.networkUnit(a.render("node-3", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(),
                ConfigDialect.IGNITION);
        assertThat(unit).contains("MACAddress=52:54:00:12:01:03", "Address=fd00:12::13/64", "IPv6AcceptRA=yes", "DNS=fd00:12::53")
                .doesNotContain("Address=10.", "Gateway=");
        // the dual-stack machine keeps both addresses
        assertThat(ClusterConfigArtifactsTest.networkUnit(a.render("node-2", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(),
                ConfigDialect.IGNITION)).contains("Address=10.12.1.2/16", "Address=fd00:12::12/64");

        String init = new String(a.render("cp-1", ArtifactKind.KUBEADM).orElseThrow().bytes(), StandardCharsets.UTF_8);
        assertThat(init).contains("advertiseAddress: \"fd00:12::11\"", "controlPlaneEndpoint: \"[fd00:12::11]:6443\"",
                "\"fd00:12::11\"");
        String join = a.render("node-2", ArtifactKind.KUBEADM).orElseThrow().text();
        assertThat(join).contains("apiServerEndpoint: \"[fd00:12::11]:6443\"", "\"fd00:12::12\"").doesNotContain("10.12.1.2");
        assertThat(ClusterConfigArtifactsTest.files(a.render("node-3", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(),
                ConfigDialect.IGNITION).get("/opt/yoo/bin/kubeadm-up")).contains("https://[fd00:12::11]:6443/readyz");
    }

    @Test
    void mistakesNameFileLineAndField() {
        // no ip and no network.ipv6
        assertThatThrownBy(() -> parse(V6.replace("  ipv6:\n    server: \"fd00:12::2\"\n    prefix: \"fd00:12::/64\"\n"
                + "    dns: [\"fd00:12::53\"]\n", "")))
                .hasMessageContaining("machines[0].ip: missing required key 'ip'")
                .hasMessageContaining("an IPv6-only machine, with ipv6 and no ip, needs network.ipv6");
        // neither ip nor ipv6
        assertThatThrownBy(() -> parse(V6.replace(", ipv6: \"fd00:12::13\"", "")))
                .hasMessageContaining("machines[2].ip: missing required key 'ip' (the machine's fixed address on the install network)");
        // a machine without ipv6 in a cluster with IPv6-only machines
        assertThatThrownBy(() -> parse(V6.replace(", ipv6: \"fd00:12::12\"", "")))
                .hasMessageContaining("cluster.yml:15:5: machines[1]: machine 'node-2' has no ipv6 address, but machines[0] (cp-1) is"
                        + " IPv6-only");
        // dual-stack Kubernetes needs both families on every node
        assertThatThrownBy(() -> parse(V6.replace("os: {", "kubernetes: { podCidrV6: \"fd00:10:244::/56\", serviceCidrV6: \"fd00:10:96::/112\" }\nos: {")))
                .hasMessageContaining("machines[0]: machine 'cp-1' has no ip: a dual-stack cluster");
        // an IPv4 VIP is out of an IPv6-only machine's reach
        assertThatThrownBy(() -> parse(V6.replace("os: {", "kubernetes: { controlPlaneEndpoint: 10.12.0.100 }\nos: {")))
                .hasMessageContaining("kubernetes.controlPlaneEndpoint: VIP 10.12.0.100 is an IPv4 address, but machines[0] (cp-1) is IPv6-only");
    }
}
