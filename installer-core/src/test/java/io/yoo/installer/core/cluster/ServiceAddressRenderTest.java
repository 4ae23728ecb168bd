package io.yoo.installer.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.state.MachineStateView;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.dhcp.server.DhcpEngine;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code network.serviceAddress}: every URL a machine is given and the TFTP next-server name the
 * service address (which moves to the surviving server), never the answering server's own address;
 * DHCP's server identifier stays the server's own. Without it, everything names network.server.
 */
class ServiceAddressRenderTest {
    static final String DESCRIPTOR = """
            cluster: lab
            architecture: dev
            network:
              interface: eth1
              server: 10.85.0.1
              subnet: 10.85.0.0/24
              pool: 10.85.0.100-10.85.0.150
            %s
            server: { database: "jdbc:postgresql://db.example.com/yoo" }
            os: { version: 4081.2.0 }
            machines:
              - { name: m1, mac: "52:54:00:85:00:0a", ip: 10.85.0.10 }
            """;
    static final MacAddress M1 = MacAddress.parse("52:54:00:85:00:0a");
    static final Ipv4 SERVER = Ipv4.parse("10.85.0.1");
    static final Ipv4 SERVICE = Ipv4.parse("10.85.0.5");
    static ClusterSecrets secrets;

    @BeforeAll
    static void secrets() throws Exception {
        secrets = new SecretsGenerator().generate();
    }

    static ClusterSnapshot snapshot(String serviceLine) throws Exception {
        return snapshotOf(DESCRIPTOR.formatted(serviceLine));
    }

    static ClusterSnapshot snapshotOf(String yaml) throws Exception {
        ClusterDescriptor d = DescriptorLoader.parse(yaml, Path.of("cluster.yml"), Path.of("/srv/lab"));
        return ClusterSnapshot.of(d, new MachineTokens(new byte[32]), () -> secrets, MachineStateView.NOTHING_KNOWN, new LearnedMacs());
    }

    static BootDecision pxe(ClusterSnapshot s, Optional<String> userClass) {
        return s.boot().decide(new BootRequest(M1, Optional.empty(), OptionalInt.of(0), Optional.of("PXEClient:Arch:00000:UNDI:002001"),
                userClass, Optional.empty(), Optional.of(SERVER)));
    }

    @Test
    void every_url_and_the_next_server_name_the_service_address() throws Exception {
        ClusterSnapshot s = snapshot("  serviceAddress: 10.85.0.5");
        assertThat(s.network().serviceAddress()).contains(SERVICE);

        // DHCP: next-server is the service address although the request reached the server's own
        assertThat(pxe(s, Optional.empty()).target()).isEqualTo(new BootTarget.TftpFile(SERVICE, "undionly.kpxe"));
        BootTarget ipxe = pxe(s, Optional.of("iPXE")).target();
        assertThat(ipxe).isInstanceOf(BootTarget.HttpUrl.class);
        assertThat(((BootTarget.HttpUrl) ipxe).url()).startsWith("http://10.85.0.5:8080/");
        // option 54 stays this server's own address
        DhcpServerConfig cfg = DescriptorDhcpConfig.from(s.network(), Path.of("/tmp/unused"), s.reservedAddresses());
        assertThat(cfg.serverAddress()).isEqualTo(SERVER);

        for (ArtifactKind kind : new ArtifactKind[] {ArtifactKind.IPXE, ArtifactKind.LIVE_CONFIG, ArtifactKind.INSTALL_SCRIPT,
            ArtifactKind.PXELINUX, ArtifactKind.GRUB}) {
            String text = withDataUrlsDecoded(s.artifacts().render("m1", kind).orElseThrow().text());
            assertThat(text).as("%s", kind).contains("10.85.0.5").doesNotContain("10.85.0.1:").doesNotContain("//10.85.0.1/");
        }
        String script = s.artifacts().render("m1", ArtifactKind.INSTALL_SCRIPT).orElseThrow().text();
        assertThat(script).contains("CONFIG_URL='http://10.85.0.5:8080/m/m1/", "ASSETS='http://10.85.0.5:8080/assets'",
                "CALLBACK='http://10.85.0.5:8080/api/v1/machines/m1/events?token=", "LOG_URL='http://10.85.0.5:8080/api/v1/machines/m1/log");
    }

    /**
     * Beside another DHCP server (proxy mode) the answer to iPXE names its script by URL and no TFTP
     * server; its next-server (siaddr) is still the service address, not the answering server's
     * own; option 54 stays the server's own.
     */
    @Test
    void a_proxy_reply_with_an_http_boot_url_names_the_service_address_as_next_server() throws Exception {
        ClusterSnapshot s = snapshotOf(DESCRIPTOR.formatted("  serviceAddress: 10.85.0.5").replace("  pool: 10.85.0.100-10.85.0.150\n",
                "  dhcp: proxy\n"));
        DhcpServerConfig cfg = DescriptorDhcpConfig.from(s.network(), Path.of("/tmp/unused"), s.reservedAddresses());
        DhcpEngine engine = new DhcpEngine(cfg, s.boot(), LeaseStore.inMemory(), new DhcpStats());
        byte[] chaddr = new byte[16];
        System.arraycopy(M1.toBytes(), 0, chaddr, 0, 6);
        DhcpOptions ipxe = DhcpOptions.builder().messageType(MessageType.DISCOVER).string(DhcpOption.VENDOR_CLASS,
                "PXEClient:Arch:00000:UNDI:002001").u16(DhcpOption.CLIENT_ARCH, 0).string(DhcpOption.USER_CLASS, "iPXE").build();
        DhcpEngine.Reply r = engine.handle(new DhcpPacket(1, 1, 6, 0, 0x85, 0, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO,
                DhcpPacket.ZERO, chaddr, "", "", ipxe), new DhcpEngine.Inbound(67, SERVER, 3, DhcpPacket.ZERO, 68), 1);
        assertThat(r).as("a proxy offer").isNotNull();
        assertThat(r.packet().file()).startsWith("http://10.85.0.5:8080/");
        assertThat(r.packet().siaddr()).as("next-server").isEqualTo(SERVICE);
        assertThat(r.packet().options().ip(DhcpOption.SERVER_ID)).as("option 54").contains(SERVER);
    }

    /** The text with each Ignition {@code data:;base64,} file source decoded after it (the live config's scripts). */
    static String withDataUrlsDecoded(String text) {
        StringBuilder b = new StringBuilder(text);
        Matcher m = Pattern.compile("data:;base64,([A-Za-z0-9+/=]+)").matcher(text);
        while (m.find()) {
            b.append('\n').append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void without_a_service_address_everything_names_the_server_as_before() throws Exception {
        ClusterSnapshot s = snapshot("");
        assertThat(s.network().serviceAddress()).isEmpty();
        assertThat(pxe(s, Optional.empty()).target()).isEqualTo(new BootTarget.TftpFile(SERVER, "undionly.kpxe"));
        String script = s.artifacts().render("m1", ArtifactKind.INSTALL_SCRIPT).orElseThrow().text();
        assertThat(script).contains("CONFIG_URL='http://10.85.0.1:8080/m/m1/").doesNotContain("10.85.0.5");
        assertThat(s.artifacts().render("m1", ArtifactKind.IPXE).orElseThrow().text()).contains("http://10.85.0.1:8080/assets/");
    }
}
