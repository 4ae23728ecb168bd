package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitStart;
import static io.yoo.installer.cli.ServeBed.deleteTree;
import static io.yoo.installer.cli.ServeBed.plug;
import static io.yoo.installer.cli.ServeBed.serve;
import static io.yoo.installer.cli.ServeBed.stop;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.cli.ServeBed.Served;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.TempPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DHCPv6 of two {@code yoo serve} with one IPv6 pool and a real PostgreSQL (table yoo_lease6), in
 * network namespaces this test makes: a bridge joins both servers, the database and real
 * {@code dhclient -6} clients, each in its own namespace. A serves a client and is killed with
 * kill -9; B, which never saw that client, serves another and must not give it the same address;
 * A comes back with an empty state directory (no journal) and reads both leases back before
 * answering; then both answer two clients at once (each server sees every SOLICIT). Four clients,
 * four addresses. Without the shared table B gives the second client the first one's address.
 */
class SharedLeases6ServeTest {
    private static final Pattern BOUND = Pattern.compile("ip=(fd00:76::[0-9a-f]+)");
    private static final Pattern READ_BACK = Pattern.compile("DHCPv6 read (\\d+) leases from the shared lease ledger");

    @TempDir
    Path dir;

    @Test
    void twoServersWithOneIpv6PoolNeverGiveOneAddressToTwoClients() throws Exception {
        Peers.requireCommands("dhclient", "ip");
        try (NetNs lan = ServeBed.bridge("6ql"); NetNs a = ServeBed.withoutDad("6qa"); NetNs b = ServeBed.withoutDad("6qb");
                NetNs db = NetNs.create("6qd")) {
            lan.exec(10, "ip", "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
            String ifA = plug(lan, a, "10.76.0.1/24");
            String ifB = plug(lan, b, "10.76.0.2/24");
            a.exec(10, "ip", "addr", "add", "fd00:76::1/64", "dev", ifA);
            b.exec(10, "ip", "addr", "add", "fd00:76::2/64", "dev", ifB);
            plug(lan, db, "10.76.0.3/24");
            List<NetNs> clients = new ArrayList<>();
            List<String> clientIfs = new ArrayList<>();
            try (TempPostgres pg = TempPostgres.start(db, "10.76.0.3")) {
                ServeBed bed = new ServeBed(dir);
                Path key = bed.secretKey();
                int httpPort = ServeBed.freePort();
                Path dirA = server(bed, "a", ifA, "10.76.0.1", "fd00:76::1", httpPort, pg, key);
                Path dirB = server(bed, "b", ifB, "10.76.0.2", "fd00:76::2", httpPort, pg, key);
                for (int i = 0; i < 4; i++) {
                    NetNs c = ServeBed.withoutDad("6qc");
                    clients.add(c);
                    clientIfs.add(plug(lan, c, null));
                }
                Set<String> addresses = new HashSet<>();

                // 1. A alone: c0 gets an address; then kill -9 of A
                Served first = serve(a, dirA);
                awaitStart(first, first);
                addresses.add(dhclient6(clients.get(0), clientIfs.get(0), "c0", first, first));
                first.process().destroyForcibly();
                assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

                // 2. B, which never saw c0, alone: it must not give c0's address to c1
                Served outB = serve(b, dirB);
                awaitStart(outB, first);
                assertThat(readBack(outB)).as("B read c0's lease before answering").isGreaterThanOrEqualTo(1);
                String c1 = dhclient6(clients.get(1), clientIfs.get(1), "c1", outB, first);
                assertThat(addresses).as("c1's address (B; c0 had it from A, killed)\nB:\n%s", outB.text()).doesNotContain(c1);
                addresses.add(c1);

                // 3. A again, with an empty state directory (no journal): only PostgreSQL knows the leases
                deleteTree(dirA.resolve("state"));
                Served outA = serve(a, dirA);
                awaitStart(outA, outB);
                assertThat(readBack(outA)).as("A read both leases back before answering").isGreaterThanOrEqualTo(2);

                // 4. both answer two clients at once: four clients, four addresses
                List<CompletableFuture<String>> asked = new ArrayList<>();
                ExecutorService threads = Executors.newFixedThreadPool(2);
                for (int i = 2; i < 4; i++) {
                    int n = i;
                    asked.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return dhclient6(clients.get(n), clientIfs.get(n), "c" + n, outA, outB);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, threads));
                }
                threads.shutdown();
                for (CompletableFuture<String> f : asked) {
                    String ip = f.get(120, TimeUnit.SECONDS);
                    assertThat(addresses.add(ip)).as("%s given twice; all: %s\nA:\n%s\nB:\n%s", ip, addresses, outA.text(), outB.text())
                            .isTrue();
                }
                assertThat(addresses).hasSize(4);
                assertThat(pg.sql("SELECT count(*) FROM yoo_lease6 WHERE lease_state = 'bound'")).contains("4");
                stop(outA);
                stop(outB);
            } finally {
                clients.forEach(NetNs::close);
            }
        }
    }

    private static int readBack(Served o) {
        Matcher m = o.lines().stream().map(READ_BACK::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new AssertionError("no 'DHCPv6 read N leases' line:\n" + o.text()));
        return Integer.parseInt(m.group(1));
    }

    private Path server(ServeBed bed, String name, String iface, String address, String address6, int httpPort, TempPostgres pg,
            Path key) throws Exception {
        return bed.server(name, "ha6", "interface: " + iface + ", server: " + address + ", subnet: 10.76.0.0/24, pool: 10.76.0.100-10.76.0.120"
                + ", ipv6: { server: \"" + address6 + "\", prefix: \"fd00:76::/64\", pool: \"fd00:76::100-fd00:76::1ff\" }",
                httpPort, pg, key, "{ name: m1, mac: \"52:54:00:99:76:11\", ip: 10.76.0.11, ipv6: \"fd00:76::11\" }");
    }

    /** One bounded dhclient -6 run with its own lease file (a DUID-LLT of its namespace's MAC); the address it bound. */
    private String dhclient6(NetNs cli, String iface, String tag, Served s1, Served s2) throws Exception {
        Path out = dir.resolve(tag + ".out");
        Path sc = dir.resolve(tag + ".sh");
        Files.writeString(sc, "#!/bin/sh\n[ \"$reason\" = BOUND6 ] && echo \"ip=$new_ip6_address\" >> " + out + "\nexit 0\n");
        Files.setPosixFilePermissions(sc, PosixFilePermissions.fromString("rwxr-xr-x"));
        NetNs.Result r = cli.run(60, "dhclient", "-6", "-1", "-sf", sc.toString(), "-pf", dir.resolve(tag + ".pid").toString(),
                "-lf", dir.resolve(tag + ".leases").toString(), iface);
        String got = Files.exists(out) ? Files.readString(out) : "";
        Matcher m = BOUND.matcher(got);
        assertThat(m.find()).as("dhclient -6 %s bound an address (exit %d: %s)\n%s\n---\n%s", tag, r.exit(), r.output(), s1.text(),
                s2.text()).isTrue();
        return m.group(1);
    }
}
