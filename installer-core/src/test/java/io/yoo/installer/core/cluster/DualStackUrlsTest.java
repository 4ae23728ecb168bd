package io.yoo.installer.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.RequestFamily;
import io.yoo.installer.core.config.RenderedConfigCheck;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.state.MachineStateView;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack machine ({@code ip} and {@code ipv6}, issue #19) is answered on the family it asked
 * over: what is served to a request over IPv6 (iPXE script, GRUB, live and installed config,
 * install script; the menu and its profiles for strangers) names {@code http://[network.ipv6.server]:port},
 * over IPv4 the IPv4 server (or service) address, as {@code yoo serve} composes its renderers
 * ({@link ClusterSnapshot}). Two servers of a pair render the same bytes for the same family.
 */
class DualStackUrlsTest {
    static final String DESCRIPTOR = """
            cluster: lab
            architecture: dev
            network:
              interface: eth1
              server: 10.85.0.1
              subnet: 10.85.0.0/24
              pool: 10.85.0.100-10.85.0.150
            %s%s
            server: { httpPort: 8080, database: "jdbc:postgresql://db.example.com/yoo", allowUnknown: true }
            os: { version: 4081.2.0 }
            machines:
              - { name: m1, mac: "52:54:00:85:00:0a", ip: 10.85.0.10, ipv6: "fd00:85::10" }
            """;
    static final String IPV6 = """
              ipv6:
                server: "fd00:85::1"
                prefix: "fd00:85::/64"
            """;
    static final String BASE4 = "http://10.85.0.1:8080";
    static final String BASE6 = "http://[fd00:85::1]:8080";
    static final List<ArtifactKind> KINDS = List.of(ArtifactKind.IPXE, ArtifactKind.GRUB, ArtifactKind.LIVE_CONFIG,
            ArtifactKind.INSTALLED_CONFIG, ArtifactKind.INSTALL_SCRIPT);
    static ClusterSecrets secrets;

    @BeforeAll
    static void secrets() throws Exception {
        secrets = new SecretsGenerator().generate();
    }

    static ClusterSnapshot snapshot(String serviceLine, String ipv6) throws Exception {
        ClusterDescriptor d = DescriptorLoader.parse(DESCRIPTOR.formatted(serviceLine, ipv6), Path.of("cluster.yml"), Path.of("/srv/lab"));
        return ClusterSnapshot.of(d, new MachineTokens(new byte[32]), () -> secrets, MachineStateView.NOTHING_KNOWN, new LearnedMacs());
    }

    static String text(MachineArtifacts a, ArtifactKind kind) {
        return ServiceAddressRenderTest.withDataUrlsDecoded(a.render("m1", kind).orElseThrow().text());
    }

    @Test
    void overIpv6EveryUrlNamesTheServersIpv6AddressOverIpv4TheIpv4One() throws Exception {
        ClusterSnapshot s = snapshot("", IPV6);
        MachineArtifacts v4 = s.artifacts().over(RequestFamily.IPV4);
        MachineArtifacts v6 = s.artifacts().over(RequestFamily.IPV6);
        // IPv4 first: the boot scripts are cached per machine, and the IPv6 answer must not be the cached IPv4 one
        for (ArtifactKind kind : KINDS) {
            assertThat(text(v4, kind)).as("%s over IPv4", kind).contains("10.85.0.1").doesNotContain("[fd00:85::1]");
            assertThat(text(s.artifacts(), kind)).as("%s, no family asked: IPv4", kind).isEqualTo(text(v4, kind));
        }
        for (ArtifactKind kind : KINDS) {
            assertThat(text(v6, kind)).as("%s over IPv6", kind).contains("[fd00:85::1]")
                    .doesNotContain("http://10.85.0.1").doesNotContain("(http,10.85.0.1");
        }
        String token = new MachineTokens(new byte[32]).tokenFor("m1");
        assertThat(text(v6, ArtifactKind.IPXE)).contains("kernel " + BASE6 + "/assets/", "initrd " + BASE6 + "/assets/",
                "ignition.config.url=" + BASE6 + "/m/m1/" + token + "/live-config",
                "yoo.callback=" + BASE6 + "/api/v1/machines/m1/events?token=" + token,
                "yoo.script=" + BASE6 + "/m/m1/" + token + "/install.sh");
        assertThat(text(v4, ArtifactKind.IPXE)).contains("kernel " + BASE4 + "/assets/", "yoo.script=" + BASE4 + "/m/m1/" + token + "/install.sh");
        assertThat(text(v6, ArtifactKind.GRUB)).contains("linux (http,[fd00:85::1]:8080)/assets/");
        assertThat(text(v6, ArtifactKind.LIVE_CONFIG)).contains(BASE6 + "/m/m1/" + token + "/install.sh");
        assertThat(text(v6, ArtifactKind.INSTALLED_CONFIG)).contains(BASE6 + "/api/v1/machines/m1/events?token=" + token);
        assertThat(text(v6, ArtifactKind.INSTALL_SCRIPT)).contains("CONFIG_URL='" + BASE6 + "/m/m1/" + token + "/config'",
                "ASSETS='" + BASE6 + "/assets'", "CALLBACK='" + BASE6 + "/api/v1/machines/m1/events?token=" + token + "'",
                "LOG_URL='" + BASE6 + "/api/v1/machines/m1/log?token=" + token + "'");
        for (ArtifactKind kind : List.of(ArtifactKind.LIVE_CONFIG, ArtifactKind.INSTALLED_CONFIG)) {
            assertThat(RenderedConfigCheck.ignitionProblems(v6.render("m1", kind).orElseThrow().text())).as("%s over IPv6", kind).isEmpty();
        }
        // the artifacts of a family are made once: a boot-script request builds no renderer
        assertThat(s.artifacts().over(RequestFamily.IPV6)).isSameAs(v6.over(RequestFamily.IPV6));
    }

    @Test
    void strangersGetTheMenuAndProfilesOnTheFamilyTheyAskedOver() throws Exception {
        ClusterSnapshot s = snapshot("", IPV6);
        String menu6 = s.artifacts().over(RequestFamily.IPV6).unknownMenu().orElseThrow().text();
        assertThat(menu6).contains(BASE6 + "/profiles/", BASE6 + "/assets/").doesNotContain("http://10.85.0.1");
        assertThat(s.artifacts().over(RequestFamily.IPV4).unknownMenu().orElseThrow().text()).contains(BASE4 + "/profiles/")
                .doesNotContain("[fd00:85::1]");
        String profile6 = ServiceAddressRenderTest.withDataUrlsDecoded(
                s.artifacts().over(RequestFamily.IPV6).profileLiveConfig("production-worker").orElseThrow().text());
        assertThat(profile6).contains("URL='" + BASE6 + "/profiles/production-worker/report'", "SERVER='fd00:85::1'");
    }

    @Test
    void theServiceAddressRuleStaysForIpv4AndIpv6NamesTheIpv6Server() throws Exception {
        ClusterSnapshot s = snapshot("  serviceAddress: 10.85.0.5\n", IPV6);
        for (ArtifactKind kind : KINDS) {
            assertThat(text(s.artifacts().over(RequestFamily.IPV4), kind)).as("%s over IPv4", kind).contains("10.85.0.5")
                    .doesNotContain("10.85.0.1:").doesNotContain("[fd00:85::1]");
            assertThat(text(s.artifacts().over(RequestFamily.IPV6), kind)).as("%s over IPv6", kind).contains("[fd00:85::1]")
                    .doesNotContain("10.85.0.5").doesNotContain("10.85.0.1:");
        }
    }

    @Test
    void twoServersOfAPairRenderTheSameBytesForTheSameFamily() throws Exception {
        ClusterSnapshot a = snapshot("  serviceAddress: 10.85.0.5\n", IPV6);
        ClusterSnapshot b = snapshot("  serviceAddress: 10.85.0.5\n", IPV6);
        for (RequestFamily f : RequestFamily.values()) {
            for (ArtifactKind kind : KINDS) {
                assertThat(b.artifacts().over(f).render("m1", kind).orElseThrow().bytes()).as("%s over %s", kind, f)
                        .isEqualTo(a.artifacts().over(f).render("m1", kind).orElseThrow().bytes());
            }
            assertThat(b.artifacts().over(f).unknownMenu().orElseThrow().bytes()).isEqualTo(a.artifacts().over(f).unknownMenu().orElseThrow().bytes());
        }
        assertThat(a.artifacts().over(RequestFamily.IPV6).render("m1", ArtifactKind.IPXE).orElseThrow().text())
                .isNotEqualTo(a.artifacts().over(RequestFamily.IPV4).render("m1", ArtifactKind.IPXE).orElseThrow().text());
    }

    @Test
    void withoutNetworkIpv6ThereIsNoIpv6AddressToNameAndRequestsOverIpv6GetTheIpv4Urls() throws Exception {
        ClusterSnapshot s = snapshotWithoutIpv6();
        for (ArtifactKind kind : KINDS) {
            assertThat(text(s.artifacts().over(RequestFamily.IPV6), kind)).as("%s", kind).isEqualTo(text(s.artifacts(), kind)).contains(BASE4);
        }
    }

    /** The descriptor without network.ipv6 (and so without the machine's ipv6). */
    static ClusterSnapshot snapshotWithoutIpv6() throws Exception {
        ClusterDescriptor d = DescriptorLoader.parse(DESCRIPTOR.formatted("", "").replace(", ipv6: \"fd00:85::10\"", ""),
                Path.of("cluster.yml"), Path.of("/srv/lab"));
        return ClusterSnapshot.of(d, new MachineTokens(new byte[32]), () -> secrets, MachineStateView.NOTHING_KNOWN, new LearnedMacs());
    }
}
