package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.cloudconfig.CloudConfigRules;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.render.MenuProfile;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.template.Templates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The live config of a boot-menu profile: what a machine that is not in the descriptor gets. It
 * must carry no machine's token and none of the cluster's secrets; it only reports back.
 */
class ProfileLiveConfigTest {
    static final MachineTokens TOKENS = new MachineTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final BootUrls URLS = new BootUrls("http://10.12.0.2:8080");
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0kYv3n2hJ7x8bD5mWcE1pQ9rT4sU6vX0yZ2aB3cD4 ops@lab";
    /** Any use of the cluster secrets fails the test: a stranger's config must never need them. */
    static final Supplier<ClusterSecrets> NO_SECRETS = () -> {
        throw new AssertionError("a profile live config asked for the cluster secrets");
    };

    static ClusterDescriptor cluster(boolean allowUnknown, ConfigDialect dialect) {
        String yaml = """
                cluster: lab
                architecture: devtest
                network: { interface: eth1, server: 10.12.0.2, subnet: 10.12.0.0/16 }
                server: { allowUnknown: %s }
                os: { version: 4081.2.0, dialect: %s }
                sshKeys: ["%s"]
                machines:
                  - { name: cp, role: control-plane, mac: "52:54:00:12:01:01", ip: 10.12.1.1 }
                """.formatted(allowUnknown, dialect.key(), KEY);
        try {
            return DescriptorLoader.parse(yaml, Path.of("test.yml"), Path.of("/srv/yoo"));
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static ClusterConfigArtifacts artifacts(ClusterDescriptor d) {
        return new ClusterConfigArtifacts(d, URLS, TOKENS, NO_SECRETS, Templates.builtIn(), StepLimits.DEFAULT);
    }

    @ParameterizedTest
    @EnumSource(ConfigDialect.class)
    void every_profile_has_a_live_config_that_reports_and_carries_no_secret(ConfigDialect dialect) throws Exception {
        ClusterConfigArtifacts a = artifacts(cluster(true, dialect));
        for (MenuProfile p : MenuProfile.ORIGINAL_SIX) {
            Rendered r = a.profileLiveConfig(p.profile()).orElseThrow();
            String text = r.text();
            var files = ClusterConfigArtifactsTest.files(text, dialect);
            String report = files.get("/opt/yoo/bin/report-menu-boot");
            assertThat(report).as(p.profile()).contains("URL='http://10.12.0.2:8080/profiles/" + p.profile() + "/report'")
                    .contains("\\\"profile\\\":\\\"" + p.profile() + "\\\"").contains("SERVER='10.12.0.2'");
            assertThat(text).contains(KEY).contains("yoo-report-menu-boot.service");
            // no install, no per-machine URL, no token, no key material
            assertThat(text).doesNotContain("yoo-install").doesNotContain("/m/").doesNotContain(TOKENS.tokenFor("cp"))
                    .doesNotContain("PRIVATE KEY").doesNotContain("token");
            assertThat(ClusterConfigArtifactsTest.dropins(text, dialect).containsKey("getty@tty1.service"))
                    .as(p.profile() + " autologin").isEqualTo(p.autologin());
            if (dialect == ConfigDialect.IGNITION) {
                assertThat(r.contentType()).isEqualTo("application/json");
                JsonNode j = ClusterConfigArtifactsTest.JSON.readTree(text);
                assertThat(j.at("/ignition/version").asText()).isEqualTo("3.4.0");
                assertThat(ClusterConfigArtifactsTest.ignitionSchema().validate(text, InputFormat.JSON)).isEmpty();
                assertThat(RenderedConfigCheck.ignitionProblems(text)).isEmpty();
            } else {
                assertThat(text).startsWith("#cloud-config");
                assertThat(CloudConfigRules.problems(text)).isEmpty();
            }
        }
    }

    @Test
    void nothing_for_an_unknown_profile_or_when_strangers_are_refused() {
        assertThat(artifacts(cluster(true, ConfigDialect.IGNITION)).profileLiveConfig("no-such-profile")).isEmpty();
        assertThat(artifacts(cluster(true, ConfigDialect.IGNITION)).profileLiveConfig("../m/cp")).isEmpty();
        for (MenuProfile p : MenuProfile.ORIGINAL_SIX) {
            assertThat(artifacts(cluster(false, ConfigDialect.IGNITION)).profileLiveConfig(p.profile())).isEmpty();
        }
    }
}
