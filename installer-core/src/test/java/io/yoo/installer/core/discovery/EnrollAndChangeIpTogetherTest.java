package io.yoo.installer.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.cluster.LiveCluster;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.readdress.AddressChange;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcStateStore;
import io.yoo.installer.core.state.LeaseSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollments and address changes at the same time, both editing enrolled.yml: with one lock for
 * both (LiveCluster.edits) every enrollment and every change is in the file and served afterwards.
 * With a lock each, a change-ip wrote its edit of a text read before an enrollment appended to it,
 * and the enrolled machine vanished from the file.
 */
class EnrollAndChangeIpTogetherTest {
    static final int MOVED = 8;
    static final int ENROLLED = 8;

    @TempDir
    Path dir;
    Path descriptor;
    JdbcStateStore store;
    LiveCluster live;
    Enrollment enrollment;
    AddressChange changes;

    @BeforeEach
    void start() throws Exception {
        descriptor = dir.resolve("cluster.yml");
        Files.writeString(descriptor, EnrollmentTest.DESCRIPTOR.formatted("machinesFrom: enrolled.yml"));
        store = new JdbcStateStore(JdbcConfig.h2File(Files.createDirectories(dir.resolve("state"))));
        store.start();
        live = new LiveCluster(DescriptorLoader.load(descriptor), new MachineTokens(MachineTokens.newSecret()), EnrollmentTest.NO_SECRETS, store);
        enrollment = new Enrollment(live, store, Clock.systemUTC());
        changes = new AddressChange(live, LeaseSource.NONE, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        store.stop();
    }

    long discovered(int i) throws Exception {
        String mac = "52:54:00:77:%02x:%02x".formatted(i / 256, i % 256);
        String json = "{\"bootMac\": \"" + mac + "\", \"system\": {\"serial\": \"SN-" + i + "\"}}";
        return store.report(InventoryParser.parse(json.getBytes(StandardCharsets.UTF_8)), Optional.empty(), Instant.now()).id();
    }

    @Test
    void noEditIsLostWhenEnrollAndChangeIpRunAtOnce() throws Exception {
        for (int i = 0; i < MOVED; i++) {
            enrollment.enroll(discovered(i), new EnrollRequest("old-" + i, Role.WORKER, Map.of(), Optional.of(Ipv4.parse("10.12.0." + (10 + i)))));
        }
        List<Long> waiting = new ArrayList<>();
        for (int i = 0; i < ENROLLED; i++) {
            waiting.add(discovered(100 + i));
        }
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<Void> enrolling = () -> {
            together.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < ENROLLED; i++) {
                enrollment.enroll(waiting.get(i), new EnrollRequest("new-" + i, Role.WORKER, Map.of(), Optional.of(Ipv4.parse("10.12.0." + (40 + i)))));
            }
            return null;
        };
        Callable<Void> moving = () -> {
            together.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < MOVED; i++) {
                changes.change("old-" + i, Ipv4.parse("10.12.0." + (70 + i)));
            }
            return null;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Void>> done = List.of(pool.submit(enrolling), pool.submit(moving));
            for (Future<Void> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // what the file says, read afresh, and what is served: every machine, every new address
        String file = Files.readString(dir.resolve("enrolled.yml"));
        for (ClusterDescriptor d : List.of(DescriptorLoader.load(descriptor), live.current().descriptor())) {
            Map<String, Ipv4> ips = new HashMap<>();
            for (Machine m : d.machines()) {
                ips.put(m.name(), m.ip());
            }
            for (int i = 0; i < MOVED; i++) {
                assertThat(ips).as("old-" + i + " in " + file).containsEntry("old-" + i, Ipv4.parse("10.12.0." + (70 + i)));
            }
            for (int i = 0; i < ENROLLED; i++) {
                assertThat(ips).as("new-" + i + " in " + file).containsEntry("new-" + i, Ipv4.parse("10.12.0." + (40 + i)));
            }
        }
    }
}
