package io.yoo.installer.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.state.EventSource;
import io.yoo.installer.core.state.EventStatus;
import io.yoo.installer.core.state.InstallPhases;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcStateStore;
import io.yoo.installer.core.state.MachineRecord;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.ProgressEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LiveCluster} against a real (H2) state store and descriptor files on disk. */
class LiveClusterTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:00:0a");
    static final String UUID = "4a1f3c2e-7b77-4e2a-9c1d-000000000101";
    static final ClusterSecrets SECRETS = new SecretsGenerator().generate();

    @TempDir
    Path dir;
    JdbcStateStore store;
    final MachineTokens tokens = new MachineTokens(new byte[32]);
    final Supplier<ClusterSecrets> secrets = () -> SECRETS;

    @BeforeEach
    void openStore() throws Exception {
        store = new JdbcStateStore(JdbcConfig.h2File(dir.resolve("state")));
        store.start();
    }

    @AfterEach
    void closeStore() {
        store.stop();
    }

    /** The same MAC is machine {@code name} at {@code ip}: which descriptor answered shows in every field. */
    Path descriptor(String name, String ip, String more) throws Exception {
        Path file = dir.resolve("cluster.yml");
        Files.writeString(file, """
                cluster: lab
                architecture: devtest
                network: { interface: eth1, server: 10.77.0.1, subnet: 10.77.0.0/24, dhcp: full }
                server: { stateDir: %s }
                os: { version: 4081.2.0, kernel: testos/vmlinuz, initrd: testos/initrd.gz }
                sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0kYv3n2hJ7x8bD5mWcE1pQ9rT4sU6vX0yZ2aB3cD4 ops@lab"]
                machines:
                  - { name: %s, mac: "52:54:00:00:00:0a", ip: %s, role: control-plane }
                %s""".formatted(dir.resolve("state"), name, ip, more));
        return file;
    }

    LiveCluster live(Path file) throws Exception {
        return new LiveCluster(DescriptorLoader.load(file), tokens, secrets, store);
    }

    static BootRequest pxe(MacAddress mac, Optional<SmbiosUuid> uuid) {
        return new BootRequest(mac, uuid, OptionalInt.of(0), Optional.of("PXEClient:Arch:00000:UNDI:002001"), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** Waits until the store applied every sighting queued before: its write queue is applied in order. */
    void drain() {
        store.record(new ProgressEvent("barrier", EventSource.ADMIN, InstallPhases.DHCP, EventStatus.SUCCEEDED, Optional.empty(),
                Optional.empty(), Optional.empty(), Instant.now()));
    }

    @Test
    void concurrentReadersSeeTheOldOrTheNewDescriptorNeverAMix() throws Exception {
        Path file = descriptor("node-old", "10.77.0.10", "");
        LiveCluster live = live(file);
        ClusterSnapshot old = live.current();
        ClusterSnapshot next = ClusterSnapshot.of(DescriptorLoader.load(descriptor("node-new", "10.77.0.20", "")), tokens, secrets, store,
                new LearnedMacs());
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> mixed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        CountDownLatch readersStarted = new CountDownLatch(4);
        List<Thread> readers = IntStream.range(0, 4).mapToObj(i -> Thread.ofPlatform().start(() -> {
            readersStarted.countDown();
            while (!stop.get()) {
                BootDecision d = live.decide(pxe(MAC, Optional.empty()));
                String name = d.machine().orElse("?");
                Ipv4 ip = d.reservation().orElseThrow().address();
                boolean consistent = name.equals("node-old") && ip.equals(Ipv4.parse("10.77.0.10"))
                        || name.equals("node-new") && ip.equals(Ipv4.parse("10.77.0.20"));
                if (!consistent) {
                    mixed.add(name + " at " + ip);
                }
                Machine m = live.directory().byMac(MAC).orElseThrow();
                if (!(m.name().equals("node-old") && m.ip().equals(Ipv4.parse("10.77.0.10"))
                        || m.name().equals("node-new") && m.ip().equals(Ipv4.parse("10.77.0.20")))) {
                    mixed.add("directory: " + m.name() + " at " + m.ip());
                }
                seen.add(name);
            }
        })).toList();
        readersStarted.await();
        // swap until the readers have read often under both (bounded: 20 s at most on a loaded machine)
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int i = 0; (seen.size() < 20_000 || !seen.contains("node-old") || !seen.contains("node-new"))
                && System.nanoTime() < deadline; i++) {
            live.swap(i % 2 == 0 ? next : old);
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join(10_000);
        }
        assertThat(seen).contains("node-old", "node-new");
        // each call reads one snapshot (two calls may of course see two)
        assertThat(mixed).isEmpty();
    }

    @Test
    void observeOfANamedMachineReachesTheStore() throws Exception {
        LiveCluster live = live(descriptor("node-a", "10.77.0.10", ""));
        live.observe(new Sighting(Sighting.Protocol.HTTP, Optional.of("node-a"), Optional.empty(), Optional.of(Ipv4.parse("10.77.0.10")),
                "boot.ipxe"));
        drain();
        assertThat(store.machine("node-a").map(MachineRecord::state)).contains(MachineState.BOOTING);
    }

    @Test
    void aTftpSightingWithOnlyAnAddressIsNamedByTheCurrentDescriptor() throws Exception {
        Path file = descriptor("node-a", "10.77.0.10", "");
        LiveCluster live = live(file);
        descriptor("node-b", "10.77.0.30", "");
        assertThat(live.reload(file)).isTrue();
        live.observe(new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.empty(), Optional.of(Ipv4.parse("10.77.0.30")),
                "undionly.kpxe"));
        drain();
        assertThat(store.machine("node-b").map(MachineRecord::state)).contains(MachineState.BOOTING);
        assertThat(store.machine("node-a")).isEmpty();
    }

    @Test
    void aUuidOnlyMachineLearnedBeforeAReloadIsStillKnownByItsMacAfterIt() throws Exception {
        String uuidMachine = "  - { name: node-c, uuid: \"" + UUID + "\", ip: 10.77.0.12, role: worker }\n";
        Path file = descriptor("node-a", "10.77.0.10", uuidMachine);
        LiveCluster live = live(file);
        MacAddress nic = MacAddress.parse("52:54:00:00:00:0c");
        assertThat(live.decide(pxe(nic, Optional.of(SmbiosUuid.parse(UUID)))).machine()).contains("node-c");
        assertThat(live.reload(file)).isTrue();
        assertThat(live.decide(pxe(nic, Optional.empty())).machine()).contains("node-c");
        assertThat(live.directory().byMac(nic).map(Machine::name)).contains("node-c");
    }

    @Test
    void aStartedClusterKnowsTheMacsTheStoreRemembersForUuidOnlyMachines() throws Exception {
        String uuidMachine = "  - { name: node-c, uuid: \"" + UUID + "\", ip: 10.77.0.12, role: worker }\n";
        MacAddress nic = MacAddress.parse("52:54:00:00:00:0c");
        store.record(new ProgressEvent("node-c", EventSource.DHCP, InstallPhases.DHCP, EventStatus.SUCCEEDED, Optional.empty(),
                Optional.of(nic.toString()), Optional.empty(), Instant.now()));
        LiveCluster live = live(descriptor("node-a", "10.77.0.10", uuidMachine));
        assertThat(live.decide(pxe(nic, Optional.empty())).machine()).isEmpty();
        live.start();
        assertThat(live.decide(pxe(nic, Optional.empty())).machine()).contains("node-c");
    }

    @Test
    void aDescriptorWithMistakesOrConflictingAddressesIsRefusedAndTheOldOneKept() throws Exception {
        Path file = descriptor("node-a", "10.77.0.10", "");
        LiveCluster live = live(file);
        List<ClusterSnapshot> swapped = new CopyOnWriteArrayList<>();
        live.onSwap(swapped::add);
        ClusterSnapshot before = live.current();

        descriptor("node-a", "10.77.0.10", "  - { name: m2, mac: \"not-a-mac\", ip: 10.77.0.12, role: worker }\n");
        assertThat(live.reload(file)).isFalse();
        descriptor("node-a", "10.77.0.10", "  - { name: m2, mac: \"52:54:00:00:00:0b\", ip: 10.77.0.10, role: worker }\n");
        assertThat(live.reload(file)).isFalse();
        assertThat(live.current()).isSameAs(before);
        assertThat(swapped).isEmpty();

        descriptor("node-a", "10.77.0.10", "  - { name: m2, mac: \"52:54:00:00:00:0b\", ip: 10.77.0.12, role: worker }\n");
        assertThat(live.reload(file)).isTrue();
        assertThat(swapped).singleElement().isSameAs(live.current());
        assertThat(live.directory().byName("m2")).isPresent();
        assertThat(live.current().reservedAddresses()).containsExactlyInAnyOrder(Ipv4.parse("10.77.0.10"), Ipv4.parse("10.77.0.12"));
    }

    @Test
    void tftpVirtualFilesComeFromTheCurrentDescriptor() throws Exception {
        Path file = descriptor("node-a", "10.77.0.10", "");
        LiveCluster live = live(file);
        String path = "pxelinux.cfg/01-52-54-00-00-00-0a";
        assertThat(live.virtualFile(path, Ipv4.parse("10.77.0.10"))).isPresent();
        descriptor("node-a", "10.77.0.40", "");
        assertThat(live.reload(file)).isTrue();
        assertThat(live.virtualFile(path, Ipv4.parse("10.77.0.10"))).as("only the machine's own (new) address gets it").isEmpty();
        assertThat(live.virtualFile(path, Ipv4.parse("10.77.0.40"))).isPresent();
    }
}
