package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.template.Templates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RenderedConfigCheckTest {
    static final io.yoo.installer.core.config.secrets.ClusterSecrets SECRETS = new SecretsGenerator().generate();

    @Test
    void everyExampleArchitectureInBothDialectsIsClean() {
        var secrets = SECRETS;
        for (Architecture arch : Architecture.values()) {
            for (ConfigDialect d : ConfigDialect.values()) {
                ClusterDescriptor c = ConfigFixtures.cluster(arch, d, "/dev/sda", Path.of("/tmp/x"));
                var artifacts = new ClusterConfigArtifacts(c, ClusterConfigArtifactsTest.URLS, ClusterConfigArtifactsTest.TOKENS, secrets,
                        Templates.builtIn());
                assertThat(RenderedConfigCheck.problems(c, artifacts)).as(arch + " " + d).isEmpty();
            }
        }
    }

    @Test
    void unsafeValuesAndEmptyArtifactsAreReportedPerMachine() {
        var secrets = SECRETS;
        ClusterDescriptor c = ConfigFixtures.cluster(Architecture.DEV, ConfigDialect.IGNITION, "/dev/sda`id`", Path.of("/tmp/x"));
        var artifacts = new ClusterConfigArtifacts(c, ClusterConfigArtifactsTest.URLS, ClusterConfigArtifactsTest.TOKENS, secrets,
                Templates.builtIn());
        assertThat(RenderedConfigCheck.problems(c, artifacts)).anyMatch(p -> p.startsWith("core-1 install-script: ") && p.contains("installDisk"));
        assertThat(RenderedConfigCheck.problems(c, (m, k) -> java.util.Optional.empty())).contains("core-1 config: nothing rendered");
    }

    @Test
    void ignitionDuplicatesAndWrongVersionsAreCaught() {
        String dup = """
                {"ignition":{"version":"3.3.0"},
                 "storage":{"files":[{"path":"/etc/a"},{"path":"/etc/a"},{"path":"rel"}]},
                 "systemd":{"units":[{"name":"a.service","dropins":[{"name":"x.conf"},{"name":"x.conf"}]},{"name":"a.service"}]}}
                """;
        assertThat(RenderedConfigCheck.ignitionProblems(dup)).containsExactlyInAnyOrder(
                "ignition.version: must be 3.4.0",
                "storage.files: /etc/a appears twice (Ignition refuses duplicates)",
                "storage.files: path 'rel' is not absolute",
                "systemd.units.a.service: drop-in x.conf appears twice",
                "systemd.units: a.service appears twice (Ignition refuses duplicates)");
        assertThat(RenderedConfigCheck.ignitionProblems("{nope")).singleElement().asString().startsWith("not valid JSON");
    }
}
