package io.yoo.installer.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.DescriptorEditRefused;
import io.yoo.installer.core.cluster.LiveCluster;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcStateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolling writes enrolled.yml, reloads the live descriptor and marks the record; mistakes leave the file as it was. */
class EnrollmentTest {
    static final String DESCRIPTOR = """
            cluster: lab
            architecture: devtest
            network:
              interface: eth1
              server: 10.12.0.1
              subnet: 10.12.0.0/24
              gateway: 10.12.0.254
              dns: [10.12.0.2]
              pool: 10.12.0.100-10.12.0.199
            server:
              discovery: true
            %s
            machines:
              - { name: core-1, mac: "52:54:00:12:01:01", ip: 10.12.0.3, role: control-plane }
            """;
    static final Supplier<ClusterSecrets> NO_SECRETS = () -> {
        throw new IllegalStateException("enrollment asked for the cluster secrets");
    };

    @TempDir
    Path dir;
    Path descriptor;
    JdbcStateStore store;
    LiveCluster live;
    Enrollment enrollment;

    @BeforeEach
    void start() throws Exception {
        descriptor = dir.resolve("cluster.yml");
        Files.writeString(descriptor, DESCRIPTOR.formatted("machinesFrom: enrolled.yml"));
        store = new JdbcStateStore(JdbcConfig.h2File(Files.createDirectories(dir.resolve("state"))));
        store.start();
        live = new LiveCluster(DescriptorLoader.load(descriptor), new MachineTokens(MachineTokens.newSecret()), NO_SECRETS, store);
        enrollment = new Enrollment(live, store, Clock.fixed(Instant.parse("2026-12-04T23:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        store.stop();
    }

    DiscoveredMachine discovered(String mac, String uuid) throws Exception {
        String json = "{\"bootMac\": \"" + mac + "\", \"system\": {\"serial\": \"SN-" + mac.substring(15) + "\", \"uuid\": \"" + uuid + "\"}}";
        return store.report(InventoryParser.parse(json.getBytes(StandardCharsets.UTF_8)), Optional.empty(), Instant.now());
    }

    @Test
    void enrollingWritesTheFileReloadsAndMarksTheRecord() throws Exception {
        DiscoveredMachine d = discovered("52:54:00:77:00:01", "4a1f3c2e-7b77-4e2a-9c1d-000000000001");
        EnrolledMachinesFile.Change c = enrollment.enroll(d.id(), new EnrollRequest("node-7", Role.WORKER, Map.of("rack", "r7"), Optional.empty()));
        // the lowest free address: not the server (.1), the DNS (.2), core-1 (.3), the pool or the gateway
        assertThat(c.ip()).isEqualTo(Ipv4.parse("10.12.0.4"));
        String file = Files.readString(dir.resolve("enrolled.yml"));
        assertThat(file).startsWith("# Written by Yoo Installer").contains("machines:\n").contains("  - name: \"node-7\"\n")
                .contains("    mac: \"52:54:00:77:00:01\"\n").contains("    uuid: \"4a1f3c2e-7b77-4e2a-9c1d-000000000001\"\n")
                .contains("    ip: \"10.12.0.4\"\n").contains("      \"rack\": \"r7\"\n");
        assertThat(c.diff()).startsWith("--- enrolled.yml\n+++ enrolled.yml\n@@ -0,0 +1,").contains("+  - name: \"node-7\"\n");
        assertThat(live.directory().byMac(MacAddress.parse("52:54:00:77:00:01"))).map(m -> m.name()).contains("node-7");
        assertThat(store.discovered(d.id()).orElseThrow().status()).isEqualTo(DiscoveredMachine.Status.ENROLLED);

        // a second one is appended: the diff shows only its lines
        DiscoveredMachine e = discovered("52:54:00:77:00:02", "4a1f3c2e-7b77-4e2a-9c1d-000000000002");
        EnrolledMachinesFile.Change c2 = enrollment.enroll(e.id(), new EnrollRequest("node-8", Role.WORKER, Map.of(),
                Optional.of(Ipv4.parse("10.12.0.50"))));
        assertThat(c2.diff()).doesNotContain("node-7").contains("+    ip: \"10.12.0.50\"");
        assertThat(live.current().descriptor().machines()).extracting(m -> m.name()).containsExactly("core-1", "node-7", "node-8");
    }

    @Test
    void aMistakeLeavesTheFileAsItWasAndNamesIt() throws Exception {
        DiscoveredMachine d = discovered("52:54:00:77:00:01", "4a1f3c2e-7b77-4e2a-9c1d-000000000001");
        assertThatThrownBy(() -> enrollment.enroll(d.id(), new EnrollRequest("core-1", Role.WORKER, Map.of(), Optional.empty())))
                .isInstanceOfSatisfying(DescriptorEditRefused.class, x -> {
                    assertThat(x.kind()).isEqualTo(DescriptorEditRefused.Kind.INVALID);
                    assertThat(String.join("\n", x.errors())).contains("enrolled.yml:").contains("duplicate hostname core-1");
                });
        assertThat(dir.resolve("enrolled.yml")).doesNotExist();
        assertThatThrownBy(() -> enrollment.enroll(d.id(), new EnrollRequest("node-9", Role.WORKER, Map.of(), Optional.of(Ipv4.parse("10.12.0.150")))))
                .hasMessageContaining("pool");
        assertThat(dir.resolve("enrolled.yml")).doesNotExist();
        assertThat(store.discovered(d.id()).orElseThrow().status()).isEqualTo(DiscoveredMachine.Status.NEW);
    }

    @Test
    void heldRejectedUnknownOrNoIncludeAreRefused() throws Exception {
        DiscoveredMachine a = discovered("52:54:00:77:00:01", "4a1f3c2e-7b77-4e2a-9c1d-00000000000a");
        DiscoveredMachine b = discovered("52:54:00:77:00:01", "4a1f3c2e-7b77-4e2a-9c1d-00000000000b");
        EnrollRequest r = new EnrollRequest("node-7", Role.WORKER, Map.of(), Optional.empty());
        assertThatThrownBy(() -> enrollment.enroll(a.id(), r)).hasMessageContaining("is held");
        store.setDiscoveryStatus(b.id(), DiscoveredMachine.Status.REJECTED);
        assertThatThrownBy(() -> enrollment.enroll(b.id(), r)).hasMessageContaining("was rejected");
        assertThat(enrollment.enroll(a.id(), r).name()).isEqualTo("node-7"); // the other claimant rejected: the operator decided
        assertThatThrownBy(() -> enrollment.enroll(9999, r)).isInstanceOfSatisfying(DescriptorEditRefused.class,
                x -> assertThat(x.kind()).isEqualTo(DescriptorEditRefused.Kind.NOT_FOUND));
        assertThatThrownBy(() -> enrollment.enroll(a.id(), new EnrollRequest("node-x", Role.WORKER, Map.of(), Optional.empty())))
                .hasMessageContaining("already in the descriptor as node-7");

        Files.writeString(descriptor, DESCRIPTOR.formatted(""));
        assertThat(live.reload(descriptor)).isTrue();
        DiscoveredMachine c = discovered("52:54:00:77:00:03", "4a1f3c2e-7b77-4e2a-9c1d-000000000003");
        assertThatThrownBy(() -> enrollment.enroll(c.id(), r)).hasMessageContaining("add 'machinesFrom: enrolled.yml'");
    }
}
