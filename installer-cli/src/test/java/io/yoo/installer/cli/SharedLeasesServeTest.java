package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitStart;
import static io.yoo.installer.cli.ServeBed.deleteTree;
import static io.yoo.installer.cli.ServeBed.plug;
import static io.yoo.installer.cli.ServeBed.readBack;
import static io.yoo.installer.cli.ServeBed.serve;
import static io.yoo.installer.cli.ServeBed.stop;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.cli.ServeBed.Served;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.TempPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code yoo serve} (full DHCP, one pool) on one segment with a real PostgreSQL, in network
 * namespaces this test makes: a bridge joins both servers, the database and real dhclient
 * clients. A serves a client and is killed with kill -9; B, which never saw that client, serves
 * another and must not give it the ACKed address; A comes back with an empty state directory (no
 * journal to help it) and reads both leases back before answering; then both answer two clients
 * at once. Four clients, four addresses.
 */
class SharedLeasesServeTest {
    @TempDir
    Path dir;

    @Test
    void twoServersNeverGiveOneAddressToTwoClientsAndAnAckedLeaseSurvivesKill9() throws Exception {
        Peers.requireCommands("dhclient", "ip");
        try (NetNs lan = ServeBed.bridge("hl"); NetNs a = NetNs.create("ha"); NetNs b = NetNs.create("hb"); NetNs db = NetNs.create("hd")) {
            String ifA = plug(lan, a, "10.77.0.1/24");
            String ifB = plug(lan, b, "10.77.0.2/24");
            plug(lan, db, "10.77.0.3/24");
            List<NetNs> clients = new ArrayList<>();
            List<String> clientIfs = new ArrayList<>();
            try (TempPostgres pg = TempPostgres.start(db, "10.77.0.3")) {
                ServeBed bed = new ServeBed(dir);
                Path key = bed.secretKey();
                int httpPort = ServeBed.freePort();
                Path dirA = server("a", ifA, "10.77.0.1", httpPort, pg, key);
                Path dirB = server("b", ifB, "10.77.0.2", httpPort, pg, key);
                for (int i = 0; i < 4; i++) {
                    NetNs c = NetNs.create("hc");
                    clients.add(c);
                    clientIfs.add(plug(lan, c, null));
                }
                Set<String> addresses = new HashSet<>();

                // 1. A alone: c0 gets an ACK; then kill -9 of A
                Served first = serve(a, dirA);
                awaitStart(first, first);
                addresses.add(bed.dhclient(clients.get(0), clientIfs.get(0), "c0"));
                first.process().destroyForcibly();
                assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

                // 2. B, which never saw c0, alone: it must not give c0's address to c1
                Served outB = serve(b, dirB);
                awaitStart(outB, first);
                assertThat(readBack(outB)).as("B read c0's lease before answering").isGreaterThanOrEqualTo(1);
                String c1 = bed.dhclient(clients.get(1), clientIfs.get(1), "c1");
                assertThat(addresses).as("c1's address (B; c0 had it from A, killed)\nB:\n%s", outB.text()).doesNotContain(c1);
                addresses.add(c1);

                // 3. A again, with an empty state directory (no journal): only PostgreSQL knows the leases
                deleteTree(dirA.resolve("state"));
                Served outA = serve(a, dirA);
                awaitStart(outA, outB);
                assertThat(readBack(outA)).as("A read both leases back before answering").isGreaterThanOrEqualTo(2);

                // 4. both answer two clients at once: four clients, four addresses
                List<CompletableFuture<String>> asked = new ArrayList<>();
                ExecutorService threads = Executors.newFixedThreadPool(2); // not the common pool: it may have one worker
                for (int i = 2; i < 4; i++) {
                    int n = i;
                    asked.add(CompletableFuture.supplyAsync(() -> bed.dhclient(clients.get(n), clientIfs.get(n), "c" + n), threads));
                }
                threads.shutdown();
                for (CompletableFuture<String> f : asked) {
                    String ip = f.get(120, TimeUnit.SECONDS);
                    assertThat(addresses.add(ip)).as("%s given twice; all: %s\nA:\n%s\nB:\n%s", ip, addresses, outA.text(), outB.text()).isTrue();
                }
                assertThat(addresses).hasSize(4);
                stop(outA);
                stop(outB);
            } finally {
                clients.forEach(NetNs::close);
            }
        }
    }

    private Path server(String name, String iface, String address, int httpPort, TempPostgres pg, Path key) throws Exception {
        return new ServeBed(dir).server(name, "ha2", "interface: " + iface + ", server: " + address + ", subnet: 10.77.0.0/24, pool: 10.77.0.100-10.77.0.120",
                httpPort, pg, key, "{ name: m1, mac: \"52:54:00:99:00:11\", ip: 10.77.0.11 }");
    }
}
