package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.cluster.Renderers;
import io.yoo.installer.core.config.cloudconfig.CloudConfigRules;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.ServerSettings;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a machine in no descriptor is served when {@code server.discovery} is on: iPXE script and live config, both dialects. */
class DiscoveryConfigTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:ab:cd:ef");
    static final String BASE = "http://10.12.0.1:8080";
    final String token = new EnrollmentTokens(ClusterConfigArtifactsTest.TOKENS).issue(MAC);

    @TempDir
    Path dir;

    static ClusterDescriptor cluster(ConfigDialect dialect, boolean discovery) {
        ClusterDescriptor c = ClusterConfigArtifactsTest.cluster(Architecture.SMALL, dialect);
        ServerSettings s = c.server();
        return new ClusterDescriptor(c.name(), c.architecture(), c.network(), new ServerSettings(s.httpPort(), s.stateDir(), s.assetDir(),
                s.templateDir(), s.databaseUrl(), s.allowUnknown(), s.admin(), discovery), c.os(), c.kubernetes(), c.sshKeys(), c.proxy(),
                c.ntp(), c.registryMirror(), c.preloadImages(), c.machines(), c.source());
    }

    static MachineArtifacts artifacts(ClusterDescriptor c) {
        return Renderers.of(c, ClusterConfigArtifactsTest.TOKENS, () -> ClusterConfigArtifactsTest.secrets, Optional.empty()).all();
    }

    @ParameterizedTest
    @EnumSource(ConfigDialect.class)
    void theIpxeScriptBootsTheLiveImageWithThisMacsDiscoveryConfig(ConfigDialect dialect) throws Exception {
        MachineArtifacts a = artifacts(cluster(dialect, true));
        assertThat(a.discoversUnknown()).isTrue();
        String ipxe = a.discoveryScript(MAC, token).orElseThrow().text();
        String liveUrl = BASE + "/discovery/52-54-00-ab-cd-ef/" + token + "/live-config";
        assertThat(ipxe).startsWith("#!ipxe\n").contains("kernel " + BASE + "/assets/").contains("initrd " + BASE + "/assets/")
                .contains(dialect == ConfigDialect.IGNITION ? "flatcar.first_boot=1 ignition.config.url=" + liveUrl : "cloud-config-url=" + liveUrl)
                .contains("yoo.discovery=" + BASE + "/discovery/52-54-00-ab-cd-ef/" + token)
                .contains("yoo.script=" + BASE + "/discovery/52-54-00-ab-cd-ef/" + token + "/discover.sh");
        // the script alone (the e2e test OS's yoo.script) is the one the live config installs
        assertThat(a.discoveryProgram(MAC, token).orElseThrow().text())
                .isEqualTo(ClusterConfigArtifactsTest.files(a.discoveryLiveConfig(MAC, token).orElseThrow().text(), dialect).get("/opt/yoo/bin/yoo-discover"));
        // a token that is not one never reaches the script
        assertThat(a.discoveryScript(MAC, "1.x' ; reboot")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ConfigDialect.class)
    void theLiveConfigIsValidAndCarriesTheScriptUnitAndKeysButNoSecret(ConfigDialect dialect) throws Exception {
        MachineArtifacts a = artifacts(cluster(dialect, true));
        Rendered r = a.discoveryLiveConfig(MAC, token).orElseThrow();
        if (dialect == ConfigDialect.IGNITION) {
            assertThat(ClusterConfigArtifactsTest.ignitionSchema().validate(r.text(), InputFormat.JSON)).as(r.text()).isEmpty();
            assertThat(RenderedConfigCheck.ignitionProblems(r.text())).isEmpty();
            JsonNode units = ClusterConfigArtifactsTest.JSON.readTree(r.text()).at("/systemd/units");
            assertThat(units.findValuesAsText("name")).contains("yoo-discover.service");
        } else {
            assertThat(r.text()).startsWith("#cloud-config\n").contains("yoo-discover.service");
            assertThat(CloudConfigRules.problems(r.text())).as(r.text()).isEmpty();
        }
        Map<String, String> files = ClusterConfigArtifactsTest.files(r.text(), dialect);
        String script = files.get("/opt/yoo/bin/yoo-discover");
        assertThat(script).startsWith("#!/bin/sh").contains("REPORT_URL='" + BASE + "/api/v1/discovered'")
                .contains("STATUS_BASE='" + BASE + "/discovery/52-54-00-ab-cd-ef'").contains("TOKEN='" + token + "'")
                .contains("BOOT_MAC='52:54:00:ab:cd:ef'").contains("ipmitool lan print");
        assertThat(r.text()).contains("ssh-ed25519").doesNotContain("BEGIN").doesNotContain("PRIVATE KEY");
    }

    @Test
    void theDiscoveryScriptPassesShellcheck() throws Exception {
        Peers.requireCommands("shellcheck", "sh", "busybox");
        String script = ClusterConfigArtifactsTest.files(artifacts(cluster(ConfigDialect.IGNITION, true)).discoveryLiveConfig(MAC, token)
                .orElseThrow().text(), ConfigDialect.IGNITION).get("/opt/yoo/bin/yoo-discover");
        Path f = dir.resolve("yoo-discover");
        Files.writeString(f, script);
        InstallScriptTest.Result n = InstallScriptTest.run(30, "sh", "-n", f.toString());
        assertThat(n.exit()).as(n.output()).isZero();
        InstallScriptTest.Result bb = InstallScriptTest.run(30, "busybox", "sh", "-n", f.toString());
        assertThat(bb.exit()).as(bb.output()).isZero();
        InstallScriptTest.Result sc = InstallScriptTest.run(60, "shellcheck", "-s", "sh", f.toString());
        assertThat(sc.exit()).as(sc.output()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ConfigDialect.class)
    void withDiscoveryOffNothingIsRendered(ConfigDialect dialect) {
        MachineArtifacts a = artifacts(cluster(dialect, false));
        assertThat(a.discoversUnknown()).isFalse();
        assertThat(a.discoveryScript(MAC, token)).isEmpty();
        assertThat(a.discoveryLiveConfig(MAC, token)).isEmpty();
        assertThat(a.discoveryProgram(MAC, token)).isEmpty();
    }

    @Test
    void urlsOfTheDiscoveryLayout() {
        BootUrls u = new BootUrls(BASE);
        assertThat(u.discoveredReport()).isEqualTo(BASE + "/api/v1/discovered");
        assertThat(u.discoveryLiveConfig("52-54-00-ab-cd-ef", "1.t")).isEqualTo(BASE + "/discovery/52-54-00-ab-cd-ef/1.t/live-config");
    }
}
