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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover bound of two {@code yoo serve} on one PostgreSQL (README, "Several servers on one
 * PostgreSQL"): when one is killed with kill -9, the other serves every client that asks within
 * {@value #BOUND_SECONDS} s — its dead partner's clients asking for their leases back and new
 * clients — and no address goes to two clients, across the failover and the dead server's return
 * with an empty state directory (it reads every lease back before it answers).
 *
 * <p>The survivor reads what the other gave about once a second, so at the kill it may not know
 * the last leases its partner ACKed; a client it offers such an address finds out when the
 * survivor's commit is refused. To make that window certain rather than lucky, the test writes
 * such leases into {@code yoo_lease} as the dead server would have, dated before the survivor's
 * last read (so it never reads them, it only meets them at commit): five of them, in front of the
 * free addresses the survivor would offer next. Real dhclient clients, bridge and namespaces made
 * by the test, a real PostgreSQL in its own namespace.
 */
class FailoverServeTest {
    /** The bound the README states for any server death (a host that dies without closing its connections is seen in ~5 s). */
    private static final long BOUND_SECONDS = 10;
    /**
     * What a kill -9 may take here (README: about a second; measured ~0.5 s, the liveness check):
     * below a client's first retransmission (RFC 2131: ~4 s), so a request the survivor left to the
     * dead partner and then forgot (its client served only at its retransmission, 3-8 s) fails the
     * test instead of hiding under the 10 s bound.
     */
    private static final long KILL_BOUND_SECONDS = 3;
    private static final int POOL_FIRST = 100;
    private static final int POOL_LAST = 109;

    @TempDir
    Path dir;

    @Test
    void whenOneServerIsKilledTheOtherServesEveryClientWithinTheBoundAndNoAddressGoesTwice() throws Exception {
        Peers.requireCommands("dhclient", "ip");
        try (NetNs lan = ServeBed.bridge("fl"); NetNs a = NetNs.create("fa"); NetNs b = NetNs.create("fb"); NetNs db = NetNs.create("fd")) {
            String ifA = plug(lan, a, "10.78.0.1/24");
            String ifB = plug(lan, b, "10.78.0.2/24");
            plug(lan, db, "10.78.0.3/24");
            List<NetNs> clients = new ArrayList<>();
            List<String> clientIfs = new ArrayList<>();
            try (TempPostgres pg = TempPostgres.start(db, "10.78.0.3")) {
                ServeBed bed = new ServeBed(dir);
                Path key = bed.secretKey();
                int httpPort = ServeBed.freePort();
                Path dirA = server("a", ifA, "10.78.0.1", httpPort, pg, key);
                Path dirB = server("b", ifB, "10.78.0.2", httpPort, pg, key);
                for (int i = 0; i < 5; i++) {
                    NetNs c = NetNs.create("fc");
                    clients.add(c);
                    clientIfs.add(plug(lan, c, null));
                }
                Map<String, String> given = new LinkedHashMap<>(); // client -> address

                // 1. A alone gives c0 a lease; B starts (reads it), and both answer c1
                Served first = serve(a, dirA);
                awaitStart(first, first);
                given.put("c0", bed.dhclient(clients.get(0), clientIfs.get(0), "c0"));
                Served outB = serve(b, dirB);
                awaitStart(outB, first);
                given.put("c1", bed.dhclient(clients.get(1), clientIfs.get(1), "c1"));
                assertThat(given.get("c1")).isNotEqualTo(given.get("c0"));

                // 2. the leases A ACKed in its last moment that B has not read yet
                List<String> unread = unreadLeasesOfA(pg, given.values(), scanStartOfB(given.get("c1")), shareOfB(outB));
                // c0 and c1 stop (keeping their leases) to come back after the kill, as rebooted machines
                bed.dhclientStop(clients.get(0), clientIfs.get(0), "c0");
                bed.dhclientStop(clients.get(1), clientIfs.get(1), "c1");

                // 3. kill -9 A: c0 and c1 ask for their leases back (INIT-REBOOT), c2 and c3 are new; all at once
                long killed = System.nanoTime();
                first.process().destroyForcibly();
                Map<String, CompletableFuture<Bound>> asked = new LinkedHashMap<>();
                ExecutorService threads = Executors.newFixedThreadPool(4); // not the common pool: it may have one worker
                for (int i = 0; i < 4; i++) {
                    int n = i;
                    asked.put("c" + n, CompletableFuture.supplyAsync(
                            () -> new Bound(bed.dhclient(clients.get(n), clientIfs.get(n), "c" + n), System.nanoTime()), threads));
                }
                threads.shutdown();
                Map<String, String> after = new LinkedHashMap<>();
                long last = killed;
                StringBuilder times = new StringBuilder();
                for (Map.Entry<String, CompletableFuture<Bound>> e : asked.entrySet()) {
                    Bound s = e.getValue().get(120, TimeUnit.SECONDS);
                    after.put(e.getKey(), s.address());
                    last = Math.max(last, s.at());
                    times.append(String.format(" %s %s after %d ms;", e.getKey(), s.address(), (s.at() - killed) / 1_000_000));
                }
                long failoverMillis = (last - killed) / 1_000_000;
                System.out.println("failover: every client served " + failoverMillis + " ms after kill -9 of A:" + times + " B: "
                        + outB.lines().stream().filter(l -> l.contains("no longer alive: answering")).map(String::strip).toList());
                assertThat(failoverMillis).as("every client served by B within %d s of A's kill -9 (the README's bound for any death: %d s):%s"
                        + "\nB:\n%s", KILL_BOUND_SECONDS, BOUND_SECONDS, times, outB.text())
                        .isLessThanOrEqualTo(TimeUnit.SECONDS.toMillis(KILL_BOUND_SECONDS));
                assertThat(after.get("c0")).as("c0 keeps the lease A gave it").isEqualTo(given.get("c0"));
                assertThat(after.get("c1")).as("c1 keeps its lease").isEqualTo(given.get("c1"));
                given.putAll(after);
                assertThat(outB.lines()).as("B met A's unread leases when it claimed its offers, and offered others")
                        .anyMatch(l -> l.contains("in the shared lease ledger: offering"));

                // 4. A returns with an empty state directory: it reads every lease back before it answers
                deleteTree(dirA.resolve("state"));
                Served outA = serve(a, dirA);
                awaitStart(outA, outB);
                assertThat(readBack(outA)).as("A read every lease back before answering").isGreaterThanOrEqualTo(4 + unread.size());
                given.put("c4", bed.dhclient(clients.get(4), clientIfs.get(4), "c4"));

                Set<String> distinct = new HashSet<>(given.values());
                assertThat(distinct).as("one address per client: %s\nA:\n%s\nB:\n%s", given, outA.text(), outB.text()).hasSize(given.size());
                assertThat(distinct).as("no client got a lease A had given (unread by B): %s", unread).doesNotContainAnyElementsOf(unread);
                stop(outA);
                stop(outB);
            } finally {
                clients.forEach(NetNs::close);
            }
        }
    }

    /** What one dhclient bound, and when. */
    private record Bound(String address, long at) {}

    /**
     * Where B's next free-address scan starts: after c1's address if B gave it (the pair
     * load-balances, so c1 went to its bucket's owner), else at the pool's start.
     */
    private int scanStartOfB(String c1) throws Exception {
        boolean byB = Files.readString(dir.resolve("c1.leases")).contains("dhcp-server-identifier 10.78.0.2;");
        return byB ? Integer.parseInt(c1.substring(c1.lastIndexOf('.') + 1)) + 1 : POOL_FIRST;
    }

    /** B's index among the two live servers: it allocates first the pool addresses equal to it modulo 2. */
    private static int shareOfB(Served outB) {
        String line = outB.lines().stream().filter(l -> l.contains("this server answers the clients of buckets")).findFirst()
                .orElseThrow(() -> new AssertionError("B never said its share:\n" + outB.text()));
        return Integer.parseInt(line.replaceAll(".* buckets (\\d) mod 2.*", "$1"));
    }

    /**
     * Writes leases for all free pool addresses but the last three of A's part of the pool in B's
     * scan order (from {@code scanStart}, wrapping), for clients the test does not run, as A's last
     * commits before it died; updated_at is a minute back, before B's last read, so B meets them
     * only at its commit. The three left free are A's part (addresses not equal to {@code shareOfB}
     * modulo 2): until B sees A dead it allocates its own part first, and every free address of it
     * is then one of A's unread leases too, so B meets one whether it answers c2/c3 before or after
     * it sees A die. Returns their addresses.
     */
    private static List<String> unreadLeasesOfA(TempPostgres pg, Iterable<String> held, int scanStart, int shareOfB)
            throws Exception {
        Set<String> taken = new HashSet<>();
        held.forEach(taken::add);
        List<String> free = new ArrayList<>();
        int size = POOL_LAST - POOL_FIRST + 1;
        for (int k = 0; k < size; k++) {
            int i = POOL_FIRST + (scanStart - POOL_FIRST + k) % size;
            if (!taken.contains("10.78.0." + i)) {
                free.add("10.78.0." + i);
            }
        }
        List<String> leftFree = new ArrayList<>();
        for (int k = free.size() - 1; k >= 0 && leftFree.size() < 3; k--) {
            String ip = free.get(k);
            if (Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1)) % 2 != shareOfB) {
                leftFree.add(ip);
            }
        }
        List<String> unread = new ArrayList<>(free);
        unread.removeAll(leftFree);
        StringBuilder sql = new StringBuilder(
                "INSERT INTO yoo_lease (ip, mac, client, lease_state, expires_at, updated_at) VALUES ");
        for (int i = 0; i < unread.size(); i++) {
            String mac = String.format("52:54:00:aa:00:%02x", i);
            sql.append(i == 0 ? "" : ", ").append(String.format(
                    "('%s', '%s', 'hw:%s', 'bound', CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) + 3600, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) - 60)",
                    unread.get(i), mac.replace(":", ""), mac.replace(":", "")));
        }
        // an offered row is only an offer's claim (seconds): A's bind took it over
        sql.append(" ON CONFLICT (ip) DO UPDATE SET mac = EXCLUDED.mac, client = EXCLUDED.client, lease_state = EXCLUDED.lease_state,"
                + " expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at WHERE yoo_lease.lease_state = 'offered' RETURNING ip");
        List<String> written = pg.sql(sql.toString()).lines().filter(l -> l.matches("10\\.78\\.0\\.\\d+")).toList();
        assertThat(written).as("A's last leases written").hasSize(unread.size());
        return written;
    }

    private Path server(String name, String iface, String address, int httpPort, TempPostgres pg, Path key) throws Exception {
        return new ServeBed(dir).server(name, "ha3", "interface: %s, server: %s, subnet: 10.78.0.0/24, pool: 10.78.0.%d-10.78.0.%d"
                .formatted(iface, address, POOL_FIRST, POOL_LAST), httpPort, pg, key, "{ name: m1, mac: \"52:54:00:99:00:11\", ip: 10.78.0.11 }");
    }
}
