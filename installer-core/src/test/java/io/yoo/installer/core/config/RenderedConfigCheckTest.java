package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.config.kubeadm.KubeadmTopology;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.template.Templates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenderedConfigCheckTest {
    static final ClusterSecrets SECRETS = new SecretsGenerator().generate();

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
        assertThat(RenderedConfigCheck.problems(c, (m, k) -> Optional.empty())).contains("core-1 config: nothing rendered");
    }

    @Test
    void controlPlaneCountsFollowTheArchitecture() {
        ClusterDescriptor prod = ConfigFixtures.cluster(Architecture.PRODUCTION, ConfigDialect.IGNITION, "/dev/sda", Path.of("/tmp/x"));
        assertThat(KubeadmTopology.problems(prod)).isEmpty();
        // production with 4 control-plane machines: an even etcd
        var machines = new ArrayList<>(prod.machines());
        var w = machines.get(3);
        machines.set(3, new Machine(w.name(), w.macs(), w.uuid(), w.ip(),
                Role.CONTROL_PLANE, w.labels(), w.overrides(), w.bmc()));
        ClusterDescriptor four = new ClusterDescriptor(prod.name(), prod.architecture(), prod.network(), prod.server(), prod.os(),
                prod.kubernetes(), prod.sshKeys(), prod.proxy(), prod.ntp(), prod.registryMirror(), prod.preloadImages(), machines, prod.source());
        assertThat(KubeadmTopology.problems(four))
                .containsExactly("architecture production: 3 or 5 control-plane machines (has 4)");
        ClusterDescriptor small = new ClusterDescriptor(prod.name(), Architecture.SMALL, prod.network(), prod.server(), prod.os(),
                prod.kubernetes(), prod.sshKeys(), prod.proxy(), prod.ntp(), prod.registryMirror(), prod.preloadImages(), machines, prod.source());
        assertThat(KubeadmTopology.problems(small)).singleElement().asString().contains("has 4");
        ClusterDescriptor dev = new ClusterDescriptor(prod.name(), Architecture.DEV, prod.network(), prod.server(), prod.os(),
                prod.kubernetes(), prod.sshKeys(), prod.proxy(), prod.ntp(), prod.registryMirror(), prod.preloadImages(), prod.machines(), prod.source());
        assertThat(KubeadmTopology.problems(dev)).singleElement().asString().startsWith("architecture dev");
        var artifacts = new ClusterConfigArtifacts(four, ClusterConfigArtifactsTest.URLS, ClusterConfigArtifactsTest.TOKENS, SECRETS, Templates.builtIn());
        assertThat(RenderedConfigCheck.problems(four, artifacts)).first().asString().startsWith("architecture production");
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
