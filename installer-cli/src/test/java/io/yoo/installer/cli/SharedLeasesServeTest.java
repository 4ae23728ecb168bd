package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.TempPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    private static final Pattern BOUND = Pattern.compile("ip=(10\\.77\\.0\\.\\d+)");
    private static final Pattern READ_BACK = Pattern.compile("DHCP read (\\d+) leases from the shared lease ledger");

    @TempDir
    Path dir;

    @Test
    void twoServersNeverGiveOneAddressToTwoClientsAndAnAckedLeaseSurvivesKill9() throws Exception {
        Peers.requireCommands("dhclient", "ip");
        try (NetNs lan = NetNs.create("hl"); NetNs a = NetNs.create("ha"); NetNs b = NetNs.create("hb"); NetNs db = NetNs.create("hd")) {
            lan.exec(10, "ip", "link", "add", "br0", "type", "bridge");
            lan.exec(10, "ip", "link", "set", "br0", "up");
            String ifA = plug(lan, a, "10.77.0.1/24");
            String ifB = plug(lan, b, "10.77.0.2/24");
            plug(lan, db, "10.77.0.3/24");
            List<NetNs> clients = new ArrayList<>();
            List<String> clientIfs = new ArrayList<>();
            try (TempPostgres pg = TempPostgres.start(db, "10.77.0.3")) {
                Path key = dir.resolve("secret.key");
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                Files.write(Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), k);
                int httpPort;
                try (ServerSocket s = new ServerSocket(0)) {
                    httpPort = s.getLocalPort();
                }
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
                addresses.add(dhclient(clients.get(0), clientIfs.get(0), "c0"));
                first.process().destroyForcibly();
                assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

                // 2. B, which never saw c0, alone: it must not give c0's address to c1
                Served outB = serve(b, dirB);
                awaitStart(outB, first);
                assertThat(readBack(outB)).as("B read c0's lease before answering").isGreaterThanOrEqualTo(1);
                String c1 = dhclient(clients.get(1), clientIfs.get(1), "c1");
                assertThat(addresses).as("c1's address (B; c0 had it from A, killed)\nB:\n%s", text(outB)).doesNotContain(c1);
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
                    asked.add(CompletableFuture.supplyAsync(() -> dhclient(clients.get(n), clientIfs.get(n), "c" + n), threads));
                }
                threads.shutdown();
                for (CompletableFuture<String> f : asked) {
                    String ip = f.get(120, TimeUnit.SECONDS);
                    assertThat(addresses.add(ip)).as("%s given twice; all: %s\nA:\n%s\nB:\n%s", ip, addresses, text(outA), text(outB)).isTrue();
                }
                assertThat(addresses).hasSize(4);
                stop(outA);
                stop(outB);
            } finally {
                clients.forEach(NetNs::close);
            }
        }
    }

    /** A running {@code yoo serve} and what it prints. */
    private record Served(Process process, ProcessOutput output) {
        List<String> lines() {
            return output.lines;
        }
    }

    /** A veth from {@code ns} (address {@code cidr}, or none) to the bridge in {@code lan}; returns the interface in {@code ns}. */
    private static String plug(NetNs lan, NetNs ns, String cidr) throws Exception {
        String[] ifs = NetNs.link(ns, cidr, lan, null);
        lan.exec(10, "ip", "link", "set", ifs[1], "master", "br0");
        return ifs[0];
    }

    private Path server(String name, String iface, String address, int httpPort, TempPostgres pg, Path key) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("cluster.yml"), """
                cluster: ha2
                architecture: dev
                network: { interface: %s, server: %s, subnet: 10.77.0.0/24, pool: 10.77.0.100-10.77.0.120, dhcp: full }
                server: { httpPort: %d, stateDir: state, assetDir: assets, database: "%s", secretKeyFile: "%s" }
                os: { version: 4081.2.0 }
                machines:
                  - { name: m1, mac: "52:54:00:99:00:11", ip: 10.77.0.11 }
                """.formatted(iface, address, httpPort, pg.jdbcUrl(), key));
        return d;
    }

    private static Served serve(NetNs ns, Path d) throws Exception {
        List<String> cmd = ns.prefixed(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Yoo.class.getName(),
                "serve", d.resolve("cluster.yml").toString(), "--no-tftp");
        Process p = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).start();
        return new Served(p, ProcessOutput.follow(p));
    }

    private static void stop(Served o) throws InterruptedException {
        o.process().destroy();
        assertThat(o.process().waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }

    /** One dhclient run (one try, bounded); returns the address it bound. */
    private String dhclient(NetNs ns, String iface, String tag) {
        try {
            Path out = dir.resolve(tag + ".out");
            Path script = dir.resolve(tag + ".sh");
            Files.writeString(script, "#!/bin/sh\n[ \"$reason\" = BOUND ] && echo \"ip=$new_ip_address\" >> " + out + "\nexit 0\n");
            script.toFile().setExecutable(true);
            ns.exec(90, "dhclient", "-4", "-1", "-sf", script.toString(), "-pf", dir.resolve(tag + ".pid").toString(),
                    "-lf", dir.resolve(tag + ".leases").toString(), iface);
            Matcher m = BOUND.matcher(Files.readString(out));
            assertThat(m.find()).as("dhclient %s bound an address", tag).isTrue();
            return m.group(1);
        } catch (Exception e) {
            throw new IllegalStateException("dhclient " + tag + ": " + e.getMessage(), e);
        }
    }

    private static int readBack(Served o) {
        Matcher m = o.lines().stream().map(READ_BACK::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new AssertionError("no 'DHCP read N leases' line:\n" + text(o)));
        return Integer.parseInt(m.group(1));
    }

    private static boolean started(Served o) {
        return o.lines().stream().anyMatch(l -> l.contains("yoo serve: cluster ha2"));
    }

    private static String text(Served o) {
        return String.join("\n", o.lines());
    }

    /** Waits (bounded) for {@code s}'s start banner; fails at once when it exits instead. */
    private static void awaitStart(Served s, Served other) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!started(s)) {
            if (!s.process().isAlive() || System.nanoTime() > end) {
                throw new AssertionError("yoo serve did not start; output:\n" + text(s) + "\n--- the other server:\n" + text(other));
            }
            Thread.sleep(100);
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
