package io.yoo.installer.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.dhcp.lease.LeaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server runs its answer path on scratch state before it answers anyone (the first real
 * DISCOVERs used to pay 50-100 ms of class loading and linking). These pin that the priming really
 * runs whole exchanges, and that it leaves nothing behind: no lease, no journal line, no
 * sighting, no scratch directory.
 */
class EnginePrimerTest {
    @TempDir
    Path dir;

    private final List<Sighting> sightings = new CopyOnWriteArrayList<>();
    private final AtomicInteger decisions = new AtomicInteger();
    private final BootPolicy policy = new BootPolicy() {
        @Override
        public BootDecision decide(BootRequest request) {
            decisions.incrementAndGet();
            return BootDecision.unknown(new BootTarget.None("test"));
        }

        @Override
        public void observe(Sighting s) {
            sightings.add(s);
        }
    };

    private DhcpServerConfig config() {
        Ipv4 me = Ipv4.parse("10.77.0.1");
        return DhcpServerConfig.builder(me)
                .ports(0, 68)
                .subnet(DhcpSubnet.of(Ipv4Cidr.parse("10.77.0.0/24"))
                        .withPool(new AddressPool(Ipv4.parse("10.77.0.100"), Ipv4.parse("10.77.0.199"))))
                .leaseDir(dir.resolve("leases"))
                .build();
    }

    @Test
    void primingRunsWholeExchangesThroughTheJournalAndCleansUp() {
        Path scratch = dir.resolve("scratch");
        int acked = EnginePrimer.prime(config(), policy, scratch, 1_000_000L, false);
        assertThat(acked).isEqualTo(EnginePrimer.EXCHANGES);
        assertThat(decisions.get()).isGreaterThanOrEqualTo(2 * EnginePrimer.EXCHANGES);
        assertThat(sightings).as("the policy's observers never hear of scratch clients").isEmpty();
        assertThat(scratch).doesNotExist();
    }

    @Test
    void aStartedServerHoldsNoScratchLeaseAndNoScratchFile() throws Exception {
        DhcpServer dhcp = new DhcpServer(config(), policy);
        try (dhcp) {
            dhcp.start();
            assertThat(decisions.get()).as("primed before start() returned").isPositive();
            assertThat(dhcp.leases().all()).isEmpty();
            assertThat(dhcp.stats().received.sum()).isZero();
        }
        assertThat(sightings).isEmpty();
        try (Stream<Path> files = Files.list(dir.resolve("leases"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(LeaseStore.FILE);
        }
        assertThat(Files.size(dir.resolve("leases").resolve(LeaseStore.FILE))).isZero();
    }

    @Test
    void theJitQueueIsIdleOnlyWhenNothingIsCompilingOrQueued() {
        String busy = """
                Current compiles:\s
                C2 CompilerThread0  1801       4       java.lang.StringLatin1::compareToCI (108 bytes)

                C1 compile queue:
                Empty

                C2 compile queue:
                Empty
                """;
        String queued = """
                Current compiles:\s

                C1 compile queue:
                Empty

                C2 compile queue:
                1741       4       jdk.internal.util.Preconditions::checkFromToIndex (24 bytes)
                1752  s !  4       java.lang.String::<init> (14 bytes)
                """;
        String idle = """
                Current compiles:\s

                C1 compile queue:
                Empty

                C2 compile queue:
                Empty
                """;
        assertThat(EnginePrimer.JitQueue.idle(busy)).isFalse();
        assertThat(EnginePrimer.JitQueue.idle(queued)).isFalse();
        assertThat(EnginePrimer.JitQueue.idle(idle)).isTrue();
    }

    @Test
    void theFirstServerOfAProcessPrimesUntilTheJitIsDone() {
        int acked = EnginePrimer.prime(config(), policy, dir.resolve("deep"), 1_000_000L, true);
        assertThat(acked).isGreaterThanOrEqualTo(EnginePrimer.JIT_EXCHANGES / 2); // half are relayed: no relay subnet here
        assertThat(sightings).isEmpty();
        assertThat(dir.resolve("deep")).doesNotExist();
    }

    @Test
    void theLoopbackRehearsalRunsWholeExchangesThroughARealServerAndItsSockets() throws Exception {
        BootPolicy quiet = new BootPolicy() {
            @Override
            public BootDecision decide(BootRequest request) {
                return policy.decide(request);
            }
        };
        try (LoopbackRehearsal r = LoopbackRehearsal.open(config(), quiet, dir.resolve("rehearsal")).orElseThrow()) {
            int acked = 0;
            for (int b = 0; b < 8; b++) {
                acked += r.exchangeBatch();
            }
            assertThat(acked).as("every client of 8 batches of 16 got its ACK over loopback").isEqualTo(8 * 16);
        }
        assertThat(sightings).isEmpty();
    }
}
