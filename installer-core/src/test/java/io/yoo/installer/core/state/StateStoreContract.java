package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.discovery.DiscoveredMachine;
import io.yoo.installer.core.discovery.Inventory;
import io.yoo.installer.core.discovery.InventoryParser;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one store suite; subclasses run it against H2 and against a real PostgreSQL. */
abstract class StateStoreContract {
    private final List<JdbcStateStore> open = new ArrayList<>();
    private final Instant t0 = Instant.parse("2026-11-28T10:00:00Z");
    private int tick;

    /** A config pointing at an empty database (same one on every call within a test). */
    protected abstract JdbcConfig config();

    protected JdbcStateStore openStore() throws Exception {
        JdbcStateStore s = new JdbcStateStore(config());
        s.start();
        open.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        open.forEach(JdbcStateStore::stop);
    }

    private Instant next() {
        return t0.plusMillis(++tick * 10L);
    }

    private ProgressEvent report(String machine, String phase, EventStatus status, String msg) {
        return ProgressEvent.callback(machine, phase, status, msg, next());
    }

    /** Issue #19: a dual-stack machine seen over both families keeps its last address of each (migration V10). */
    @Test
    void keepsTheLastIpv4AndTheLastIpv6AddressApart() throws Exception {
        JdbcStateStore s = openStore();
        // its boot script fetched over IPv6 (an HTTP sighting with its IPv6 source)
        s.observe(new Sighting(Sighting.Protocol.HTTP, Optional.of("n6"), Optional.empty(), Optional.empty(), "boot.ipxe")
                .withIpv6(Optional.of("fd00:77::15")), next());
        assertThat(s.machine("n6").orElseThrow().lastIpv6()).contains("fd00:77::15");
        assertThat(s.machine("n6").orElseThrow().lastIp()).isEmpty();
        s.record(report("n6", "time-sync", EventStatus.STARTED, null).withAddress(Optional.empty(), Optional.of("10.0.0.16")));
        s.record(report("n6", "install-os", EventStatus.STARTED, null).withAddress(Optional.empty(), Optional.of("fd00:77::16")));
        MachineRecord r = s.machine("n6").orElseThrow();
        assertThat(r.lastIp()).contains("10.0.0.16");
        assertThat(r.lastIpv6()).contains("fd00:77::16");
        s.record(report("n6", "install-os", EventStatus.SUCCEEDED, null).withAddress(Optional.empty(), Optional.of("10.0.0.17")));
        r = s.machine("n6").orElseThrow();
        assertThat(r.lastIp()).contains("10.0.0.17");
        assertThat(r.lastIpv6()).contains("fd00:77::16");
        assertThat(s.machines()).filteredOn(m -> m.name().equals("n6")).extracting(MachineRecord::lastIpv6).containsExactly(Optional.of("fd00:77::16"));
        // a machine only ever seen over IPv4 has none
        s.record(report("n4", "time-sync", EventStatus.STARTED, null).withAddress(Optional.empty(), Optional.of("10.0.0.14")));
        assertThat(s.machine("n4").orElseThrow().lastIpv6()).isEmpty();
    }

    @Test
    void recordsAProvisioningAndKeepsHistoryInOrder() throws Exception {
        JdbcStateStore s = openStore();
        s.observe(new Sighting(Sighting.Protocol.DHCP, Optional.of("n1"), Optional.of(MacAddress.parse("52:54:00:00:00:01")),
                Optional.of(Ipv4.parse("10.0.0.11")), "ack"), next());
        s.observe(new Sighting(Sighting.Protocol.HTTP, Optional.of("n1"), Optional.empty(), Optional.empty(), "boot.ipxe"), next());
        s.record(report("n1", "time-sync", EventStatus.STARTED, null));
        s.record(report("n1", "time-sync", EventStatus.SUCCEEDED, null));
        s.record(report("n1", "install-os", EventStatus.STARTED, "writing /dev/sda"));
        MachineRecord r = s.machine("n1").orElseThrow();
        assertThat(r.state()).isEqualTo(MachineState.INSTALLING);
        assertThat(r.phase()).contains("install-os");
        assertThat(r.message()).contains("writing /dev/sda");
        assertThat(r.lastMac()).contains("52:54:00:00:00:01");
        assertThat(r.lastIp()).contains("10.0.0.11");
        assertThat(s.stateOf("n1")).isEqualTo(MachineState.INSTALLING);
        assertThat(s.stateOf("nobody")).isEqualTo(MachineState.UNKNOWN);
        List<StoredEvent> h = s.history("n1", 100);
        assertThat(h).extracting(StoredEvent::phase).containsExactly("dhcp", "boot-fetch", "time-sync", "time-sync", "install-os");
        assertThat(h).extracting(StoredEvent::stateAfter).containsExactly(MachineState.DHCP, MachineState.BOOTING,
                MachineState.INSTALLING, MachineState.INSTALLING, MachineState.INSTALLING);
        assertThat(s.history("n1", 2)).extracting(StoredEvent::phase).containsExactly("time-sync", "install-os");
    }

    /** Sightings queued without waiting (observeLater) still land before the machine's next reports. */
    @Test
    void queuedSightingsApplyInOrderBeforeLaterReports() throws Exception {
        JdbcStateStore s = openStore();
        for (int i = 1; i <= 50; i++) {
            String n = "q" + i;
            s.observeLater(new Sighting(Sighting.Protocol.DHCP, Optional.of(n), Optional.of(MacAddress.parse("52:54:00:00:01:" + String.format("%02x", i))),
                    Optional.empty(), "ack"), next());
            s.observeLater(new Sighting(Sighting.Protocol.HTTP, Optional.of(n), Optional.empty(), Optional.empty(), "boot.ipxe"), next());
            s.record(report(n, "time-sync", EventStatus.STARTED, null));
        }
        for (int i = 1; i <= 50; i++) {
            assertThat(s.history("q" + i, 10)).extracting(StoredEvent::phase).containsExactly("dhcp", "boot-fetch", "time-sync");
            assertThat(s.stateOf("q" + i)).isEqualTo(MachineState.INSTALLING);
        }
        assertThat(s.recordAsync(report("q1", "time-sync", EventStatus.SUCCEEDED, null)).get().after().state())
                .isEqualTo(MachineState.INSTALLING);
    }

    /** DHCP leases live in the same database: newest change per address wins, releases delete, a restart keeps them. */
    @Test
    void leaseMirrorStoresTheNewestChangePerAddressAndSurvivesARestart() throws Exception {
        openStore(); // migrates the schema
        JdbcLeaseMirror m = new JdbcLeaseMirror(config());
        m.start();
        try {
            for (int i = 1; i <= 300; i++) {
                m.changed(new LeaseRecord("10.9.1." + (i % 250), "52540000" + String.format("%04x", i), "hw:" + i, "bound", 1_000_000L + i));
            }
            m.changed(new LeaseRecord("10.9.2.1", "525400000999", "id:01ab", "declined", 2_000_000L));
            m.released("10.9.1.7");
            assertThat(m.awaitWritten(10_000)).isTrue();
            List<LeaseRecord> all = m.leases();
            assertThat(all).hasSize(250); // 249 of 10.9.1.0-249 left after the release, plus the declined one
            assertThat(all).extracting(LeaseRecord::ip).doesNotContain("10.9.1.7").contains("10.9.2.1");
            // 10.9.1.50 was written for i = 50 and again for i = 300: the newer one is kept
            assertThat(all).filteredOn(l -> l.ip().equals("10.9.1.50")).singleElement()
                    .extracting(LeaseRecord::client, LeaseRecord::expires).containsExactly("hw:300", 1_000_300L);
            m.changed(new LeaseRecord("10.9.1.50", "525400000300", "hw:300", "bound", 1_000_999L));
            assertThat(m.awaitWritten(10_000)).isTrue();
        } finally {
            m.stop();
        }
        JdbcLeaseMirror again = new JdbcLeaseMirror(config());
        again.start();
        try {
            assertThat(again.leases()).hasSize(250).filteredOn(l -> l.ip().equals("10.9.1.50")).singleElement()
                    .extracting(LeaseRecord::expires).isEqualTo(1_000_999L);
            assertThat(again.leases()).filteredOn(l -> l.ip().equals("10.9.2.1")).singleElement()
                    .extracting(LeaseRecord::state).isEqualTo("declined");
        } finally {
            again.stop();
        }
    }

    @Test
    void sightingOfAnUnknownMachineIsDropped() throws Exception {
        JdbcStateStore s = openStore();
        assertThat(s.observe(new Sighting(Sighting.Protocol.DHCP, Optional.empty(), Optional.empty(), Optional.empty(), "ack"), next())).isEmpty();
        assertThat(s.machines()).isEmpty();
    }

    @Test
    void duplicatesAreNotStoredAndLateReportsAreKeptWithoutEffect() throws Exception {
        JdbcStateStore s = openStore();
        s.record(report("n1", "install-os", EventStatus.STARTED, null));
        assertThat(s.record(report("n1", "install-os", EventStatus.STARTED, null)).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(s.record(report("n1", "time-sync", EventStatus.SUCCEEDED, null)).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(s.machine("n1").orElseThrow().phase()).contains("install-os");
        assertThat(s.history("n1", 10)).extracting(StoredEvent::outcome).containsExactly(Outcome.APPLIED, Outcome.RECORDED);
    }

    @Test
    void stateSurvivesARestartAndMigrationsRunOnce() throws Exception {
        JdbcStateStore s = openStore();
        s.record(report("n1", "installed", EventStatus.SUCCEEDED, null));
        s.record(report("n2", "install-os", EventStatus.FAILED, "boom"));
        s.stop();
        JdbcStateStore again = openStore();
        assertThat(again.stateOf("n1")).isEqualTo(MachineState.INSTALLED);
        MachineRecord n2 = again.machine("n2").orElseThrow();
        assertThat(n2.state()).isEqualTo(MachineState.FAILED);
        assertThat(n2.message()).contains("boom");
        assertThat(again.machines()).extracting(MachineRecord::name).containsExactly("n1", "n2");
        JdbcConfig c = config();
        try (Connection conn = DriverManager.getConnection(c.url(), c.user(), c.password())) {
            // the highest version, not the count: each branch takes its own migration number, so there are gaps
            assertThat(SchemaMigrator.currentVersion(conn)).isEqualTo(SchemaMigrator.MIGRATIONS.getLast().version());
            assertThat(SchemaMigrator.migrate(conn, c.isPostgres())).isZero();
        }
    }

    @Test
    void installLogsAreKeptPerAttemptTheNewestOnly() throws Exception {
        JdbcStateStore s = openStore();
        byte[] first = {0x1f, (byte) 0x8b, 1, 2, 3};
        s.putLog("n1", 0, next(), 100, first);
        s.putLog("n1", 0, next(), 200, new byte[] {0x1f, (byte) 0x8b, 9}); // a second upload in one attempt replaces the first
        for (int attempt = 1; attempt <= InstallLogStore.KEEP_ATTEMPTS; attempt++) {
            s.putLog("n1", attempt, next(), attempt, first);
        }
        s.putLog("n2", 0, next(), 5, first);
        assertThat(s.log("n1", 0)).as("attempt 0 dropped: %d newer ones", InstallLogStore.KEEP_ATTEMPTS).isEmpty();
        assertThat(s.log("n1", 1)).hasValueSatisfying(b -> assertThat(b).containsExactly(first));
        List<InstallLogInfo> n1 = s.logs("n1");
        assertThat(n1).hasSize(InstallLogStore.KEEP_ATTEMPTS).extracting(InstallLogInfo::attempt).startsWith(InstallLogStore.KEEP_ATTEMPTS, 9);
        assertThat(n1.getFirst().bytes()).isEqualTo(InstallLogStore.KEEP_ATTEMPTS);
        assertThat(n1.getFirst().compressedBytes()).isEqualTo(first.length);
        assertThat(s.logs("n2")).singleElement().satisfies(i -> assertThat(i.bytes()).isEqualTo(5));
        assertThat(s.logs("n3")).isEmpty();
        s.stop();
        assertThat(openStore().log("n1", InstallLogStore.KEEP_ATTEMPTS)).as("durable").isPresent();
    }

    @Test
    void resetStartsOverAndKeepsHistory() throws Exception {
        JdbcStateStore s = openStore();
        s.record(report("n1", "running", EventStatus.SUCCEEDED, null));
        Transition t = s.reset("n1", "operator asked", next());
        assertThat(t.after().state()).isEqualTo(MachineState.UNKNOWN);
        assertThat(s.machine("n1").orElseThrow().generation()).isEqualTo(1);
        assertThat(s.history("n1", 10)).extracting(StoredEvent::generation).containsExactly(0, 1);
        assertThat(s.countByState()).containsEntry(MachineState.UNKNOWN, 1L).containsEntry(MachineState.RUNNING, 0L);
    }

    @Test
    void concurrentWritersAllCommitAndListenersSeeEveryStoredEvent() throws Exception {
        JdbcStateStore s = openStore();
        List<Transition> seen = new CopyOnWriteArrayList<>();
        s.addListener(seen::add);
        int machines = 20;
        int perMachine = 25;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int m = 0; m < machines; m++) {
                String name = "m" + m;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perMachine; i++) {
                        // unknown step names carry no order, so each one is applied
                        s.record(ProgressEvent.callback(name, "step-" + i, EventStatus.STARTED, null, Instant.now()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(seen).hasSize(machines * perMachine);
        for (int m = 0; m < machines; m++) {
            List<StoredEvent> h = s.history("m" + m, 1000);
            assertThat(h).hasSize(perMachine);
            assertThat(h.getLast().phase()).isEqualTo("step-" + (perMachine - 1));
            assertThat(s.machine("m" + m).orElseThrow().phase()).contains("step-" + (perMachine - 1));
        }
        assertThat(s.countByState()).containsEntry(MachineState.INSTALLING, (long) machines);
    }

    @Test
    void aStoppedStoreRefusesWrites() throws Exception {
        JdbcStateStore s = openStore();
        s.stop();
        assertThat(s.ping()).isFalse();
        assertThatThrownBy(() -> s.record(report("n1", "install-os", EventStatus.STARTED, null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pingAnswersWhileRunning() throws Exception {
        assertThat(openStore().ping()).isTrue();
    }

    /** API tokens by hash and the audit log (migration V3), kept across a restart. */
    @Test
    void keepsApiTokensByHashAndTheAuditLog() throws Exception {
        JdbcStateStore s = openStore();
        s.addToken("dash", ApiTokenKind.READ_ONLY, "ab".repeat(32), t0, Optional.empty());
        s.addToken("ops", ApiTokenKind.ADMIN, "cd".repeat(32), t0, Optional.of(t0.plusSeconds(60)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.addToken("ops", ApiTokenKind.ADMIN, "ef".repeat(32), t0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ops' exists");
        s.tokenUsed("dash", t0.plusSeconds(5));
        s.audit(t0, "ops", "machine.reprovision", Optional.of("n1"), Optional.of("10.0.0.5"), Optional.of("disk"));
        s.audit(t0.plusSeconds(1), "admin-token", "token.revoke", Optional.of("x"), Optional.empty(), Optional.empty());
        s.stop();
        JdbcStateStore again = openStore();
        assertThat(again.tokenByHash("ab".repeat(32)).orElseThrow().lastUsedAt()).contains(t0.plusSeconds(5));
        ApiToken ops = again.tokenByHash("cd".repeat(32)).orElseThrow();
        assertThat(ops.kind()).isEqualTo(ApiTokenKind.ADMIN);
        assertThat(ops.expired(t0.plusSeconds(59))).isFalse();
        assertThat(ops.expired(t0.plusSeconds(60))).isTrue();
        assertThat(again.tokens()).extracting(ApiToken::name).containsExactly("dash", "ops");
        assertThat(again.revokeToken("dash")).isTrue();
        assertThat(again.revokeToken("dash")).isFalse();
        assertThat(again.tokenByHash("ab".repeat(32))).isEmpty();
        List<AuditEntry> audit = again.audit(10);
        assertThat(audit).extracting(AuditEntry::action).containsExactly("token.revoke", "machine.reprovision");
        assertThat(audit.get(1).client()).contains("10.0.0.5");
        assertThat(again.audit(1)).hasSize(1);
    }

    private static Inventory inventory(String mac, String uuid) throws Exception {
        String system = uuid == null ? "" : ", \"system\": {\"uuid\": \"" + uuid + "\", \"serial\": \"S-" + mac + "\"}";
        return InventoryParser.parse(("{\"bootMac\": \"" + mac + "\"" + system + ", \"disks\": [{\"name\": \"vda\", \"sizeBytes\": 42}]}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDiscoveredMachineThatReportsAgainIsOneRecordWithItsLatestInventory() throws Exception {
        JdbcStateStore s = openStore();
        String uuid = "4a1f3c2e-7b77-4e2a-9c1d-000000000010";
        DiscoveredMachine first = s.report(inventory("52:54:00:aa:00:01", uuid), Optional.of("10.0.0.9"), next());
        DiscoveredMachine again = s.report(inventory("52:54:00:aa:00:01", uuid), Optional.of("10.0.0.10"), next());
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.reports()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(DiscoveredMachine.Status.NEW);
        assertThat(again.source()).contains("10.0.0.10");
        assertThat(again.serial()).contains("S-52:54:00:aa:00:01");
        assertThat(again.inventory()).contains("\"sizeBytes\":42");
        assertThat(s.discovered()).hasSize(1);
        assertThat(s.discoveredByMac("52:54:00:aa:00:01")).map(DiscoveredMachine::id).contains(first.id());
        assertThat(s.setDiscoveryStatus(first.id(), DiscoveredMachine.Status.REJECTED)).isTrue();
        assertThat(s.discovered(first.id()).orElseThrow().status()).isEqualTo(DiscoveredMachine.Status.REJECTED);
        assertThat(s.setDiscoveryStatus(first.id() + 1000, DiscoveredMachine.Status.REJECTED)).isFalse();
    }

    @Test
    void twoMachinesClaimingOneMacOrOneUuidAreBothHeld() throws Exception {
        JdbcStateStore s = openStore();
        DiscoveredMachine a = s.report(inventory("52:54:00:aa:00:01", "4a1f3c2e-7b77-4e2a-9c1d-00000000000a"), Optional.empty(), next());
        // the same MAC with another UUID: another machine (a cloned or spoofed MAC)
        DiscoveredMachine b = s.report(inventory("52:54:00:aa:00:01", "4a1f3c2e-7b77-4e2a-9c1d-00000000000b"), Optional.empty(), next());
        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(b.status()).isEqualTo(DiscoveredMachine.Status.HELD);
        assertThat(b.heldReason().orElseThrow()).contains("MAC 52:54:00:aa:00:01").contains("#" + a.id());
        assertThat(s.discovered(a.id()).orElseThrow().status()).isEqualTo(DiscoveredMachine.Status.HELD);
        // the same UUID with another MAC
        DiscoveredMachine c = s.report(inventory("52:54:00:cc:00:01", "4a1f3c2e-7b77-4e2a-9c1d-0000000000cc"), Optional.empty(), next());
        DiscoveredMachine d = s.report(inventory("52:54:00:dd:00:01", "4a1f3c2e-7b77-4e2a-9c1d-0000000000cc"), Optional.empty(), next());
        assertThat(c.status()).isEqualTo(DiscoveredMachine.Status.NEW);
        assertThat(d.status()).isEqualTo(DiscoveredMachine.Status.HELD);
        assertThat(d.heldReason().orElseThrow()).contains("UUID 4a1f3c2e-7b77-4e2a-9c1d-0000000000cc");
        assertThat(s.discovered(c.id()).orElseThrow().status()).isEqualTo(DiscoveredMachine.Status.HELD);
        // a machine without a UUID is matched by its MAC alone
        DiscoveredMachine e = s.report(inventory("52:54:00:ee:00:01", null), Optional.empty(), next());
        assertThat(s.report(inventory("52:54:00:ee:00:01", null), Optional.empty(), next()).id()).isEqualTo(e.id());
        assertThat(s.discovered(e.id()).orElseThrow().status()).isEqualTo(DiscoveredMachine.Status.NEW);
    }
}
