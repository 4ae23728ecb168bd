package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.TempPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the tests of several {@code yoo serve} on one PostgreSQL share: servers started as
 * processes inside network namespaces the test makes, veths into the test's bridge, real dhclient
 * runs, and reading the servers' output. Files go to the test's temporary directory. Also the
 * other tests that run the CLI in namespaces (a log file to wait on, IPv6 without DAD).
 */
final class ServeBed {
    private static final Pattern BOUND = Pattern.compile("ip=(\\d+\\.\\d+\\.\\d+\\.\\d+)");
    private static final Pattern READ_BACK = Pattern.compile("DHCP read (\\d+) leases from the shared lease ledger");
    private final Path dir;

    ServeBed(Path dir) {
        this.dir = dir;
    }

    /** A running {@code yoo serve} and what it prints. */
    record Served(Process process, ProcessOutput output) {
        List<String> lines() {
            return output.lines;
        }

        String text() {
            return String.join("\n", lines());
        }

        boolean started() {
            return lines().stream().anyMatch(l -> l.contains("yoo serve: cluster "));
        }
    }

    /** A new namespace holding bridge br0 (up): the test's segment, which {@link #plug} joins others to. */
    static NetNs bridge(String tag) throws IOException, InterruptedException {
        NetNs lan = NetNs.create(tag);
        try {
            lan.exec(10, "ip", "link", "add", "br0", "type", "bridge");
            lan.exec(10, "ip", "link", "set", "br0", "up");
            return lan;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lan.close();
            throw e;
        }
    }

    /** A new namespace without duplicate address detection: a tentative IPv6 link-local address cannot send for a second or two. */
    static NetNs withoutDad(String tag) throws IOException, InterruptedException {
        NetNs n = NetNs.create(tag);
        try {
            n.exec(10, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
            n.exec(10, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
            return n;
        } catch (IOException | InterruptedException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    /** A veth from {@code ns} (address {@code cidr}, or none) to bridge br0 in {@code lan}; returns the interface in {@code ns}. */
    static String plug(NetNs lan, NetNs ns, String cidr) throws Exception {
        String[] ifs = NetNs.link(ns, cidr, lan, null);
        lan.exec(10, "ip", "link", "set", ifs[1], "master", "br0");
        return ifs[0];
    }

    /** A fresh server.secretKeyFile (32 random bytes, mode 0600), the same for every server of the test. */
    Path secretKey() throws IOException {
        Path key = dir.resolve("secret.key");
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Files.write(Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), k);
        return key;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Writes {@code NAME/cluster.yml} for one server of the test and returns that directory (the
     * server's working directory, its state and assets below it): cluster {@code cluster}
     * (architecture dev, Flatcar 4081.2.0), full DHCP with the {@code network} keys given
     * (interface, server, subnet, pool...), HTTP on {@code httpPort}, the test's PostgreSQL, the
     * servers' shared secret key ({@code null}: none) and {@code machines}, a flow mapping each.
     */
    Path server(String name, String cluster, String network, int httpPort, TempPostgres pg, Path key, String... machines)
            throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        StringBuilder yaml = new StringBuilder("""
                cluster: %s
                architecture: dev
                network: { %s, dhcp: full }
                server: { httpPort: %d, stateDir: state, assetDir: assets, database: "%s"%s }
                os: { version: 4081.2.0 }
                machines:
                """.formatted(cluster, network, httpPort, pg.jdbcUrl(), key == null ? "" : ", secretKeyFile: \"" + key + "\""));
        for (String m : machines) {
            yaml.append("  - ").append(m).append('\n');
        }
        Files.writeString(d.resolve("cluster.yml"), yaml);
        return d;
    }

    /** Starts {@code yoo serve d/cluster.yml --no-tftp} inside {@code ns}, in directory {@code d}. */
    static Served serve(NetNs ns, Path d) throws IOException {
        return serve(ns, d, "--no-tftp");
    }

    /** Starts {@code yoo serve d/cluster.yml ARGS} inside {@code ns}, in directory {@code d}. */
    static Served serve(NetNs ns, Path d, String... args) throws IOException {
        List<String> serve = new ArrayList<>(List.of("serve", d.resolve("cluster.yml").toString()));
        serve.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(ns.prefixed(ServeProcess.javaCommand(serve).toArray(String[]::new))).directory(d.toFile())
                .redirectErrorStream(true).start();
        return new Served(p, ProcessOutput.follow(p));
    }

    /**
     * {@code java ... Yoo ARGS} as a command for {@link NetNs#run} or {@link NetNs#start}: the CLI
     * in a child JVM that starts fast (serial GC, C1 only), for commands and a server whose output
     * goes to a file.
     */
    static String[] yoo(String... args) {
        List<String> cmd = ServeProcess.javaCommand(List.of(args));
        cmd.addAll(1, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        return cmd.toArray(String[]::new);
    }

    static void stop(Served o) throws InterruptedException {
        o.process().destroy();
        assertThat(o.process().waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }

    /**
     * One dhclient run (one try, bounded), which forks to the background once bound; returns the
     * address it bound. Run again with the same tag, it asks for its lease back first (INIT-REBOOT).
     */
    String dhclient(NetNs ns, String iface, String tag) {
        try {
            Path out = dir.resolve(tag + ".out");
            Path script = dir.resolve(tag + ".sh");
            Files.deleteIfExists(out);
            Files.writeString(script, "#!/bin/sh\n[ \"$reason\" = BOUND ] || [ \"$reason\" = REBOOT ] && echo \"ip=$new_ip_address\" >> "
                    + out + "\nexit 0\n");
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

    /**
     * One dhclient run (one try, bounded) with {@code conf} as its configuration (what it sends),
     * then stopped without releasing (dhclient -x); leaves the interface alone. Returns its lease
     * file followed by what its script was told when bound, the {@code new_*} variables
     * ({@code new_ip_address}, {@code new_next_server}, {@code new_dhcp_server_identifier}...).
     */
    String dhclientLease(NetNs ns, String iface, String tag, String conf) throws IOException, InterruptedException {
        Path cf = Files.writeString(dir.resolve(tag + ".conf"), conf);
        Path script = dir.resolve(tag + ".sh");
        Path env = dir.resolve(tag + ".env");
        Files.writeString(script, "#!/bin/sh\n[ \"$reason\" = BOUND ] && env | grep '^new_' > " + env + "\nexit 0\n");
        script.toFile().setExecutable(true);
        Path leases = dir.resolve(tag + ".leases");
        Path pid = dir.resolve(tag + ".pid");
        ns.exec(90, "dhclient", "-4", "-1", "-cf", cf.toString(), "-sf", script.toString(), "-pf", pid.toString(), "-lf", leases.toString(),
                iface);
        ns.run(30, "dhclient", "-4", "-x", "-pf", pid.toString(), "-lf", leases.toString(), iface);
        return Files.readString(leases) + Files.readString(env);
    }

    /** Stops the background dhclient of {@code tag} without releasing its lease (dhclient -x). */
    void dhclientStop(NetNs ns, String iface, String tag) throws Exception {
        ns.exec(30, "dhclient", "-4", "-x", "-pf", dir.resolve(tag + ".pid").toString(), "-lf", dir.resolve(tag + ".leases").toString(),
                iface);
    }

    /** N of the server's "DHCP read N leases from the shared lease ledger" line. */
    static int readBack(Served o) {
        Matcher m = o.lines().stream().map(READ_BACK::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new AssertionError("no 'DHCP read N leases' line:\n" + o.text()));
        return Integer.parseInt(m.group(1));
    }

    /** Waits (bounded) for {@code s}'s start banner; fails at once when it exits instead. */
    static void awaitStart(Served s, Served other) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!s.started()) {
            if (!s.process().isAlive() || System.nanoTime() > end) {
                throw new AssertionError("yoo serve did not start; output:\n" + s.text() + "\n--- the other server:\n" + other.text());
            }
            Thread.sleep(100);
        }
    }

    /** Waits (bounded) for a line of {@code s} containing {@code text}; fails at once when it exits instead. */
    static void awaitLine(Served s, String text, Served other) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.lines().stream().noneMatch(l -> l.contains(text))) {
            if (!s.process().isAlive() || System.nanoTime() > end) {
                throw new AssertionError("no line '" + text + "'; output:\n" + s.text()
                        + (other == s ? "" : "\n--- the other server:\n" + other.text()));
            }
            Thread.sleep(100); // polling the output, bounded by end
        }
    }

    /** Waits (bounded) until the file {@code log} (a server's output redirected there) contains {@code text}. */
    static void awaitLog(Path log, String text, int seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200); // polling a log file, bounded by end
        }
        throw new AssertionError("no '" + text + "' in " + log + " after " + seconds + " s:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /**
     * {@code curl URL} inside {@code ns} with the admin token of the server whose directory is
     * {@code serverDir} (from a header file, not on the command line), failing on an HTTP error,
     * given {@code maxSeconds}.
     */
    static NetNs.Result adminGet(NetNs ns, Path serverDir, String url, int maxSeconds) throws IOException, InterruptedException {
        String token = Files.readString(serverDir.resolve("state/admin-token")).strip();
        Path header = serverDir.resolve("auth.header");
        Files.writeString(header, "Authorization: Bearer " + token + "\n");
        return ns.run(maxSeconds + 10, "curl", "-sS", "--fail", "--max-time", String.valueOf(maxSeconds), "-H", "@" + header, url);
    }

    /** What {@link #adminGet} answers in 10 s at most; fails the test on an HTTP error or no answer. */
    static String adminBody(NetNs ns, Path serverDir, String url) throws IOException, InterruptedException {
        NetNs.Result r = adminGet(ns, serverDir, url, 10);
        assertThat(r.exit()).as("GET %s: %s", url, r.output()).isZero();
        return r.output();
    }

    /** The test's files {@code names} (servers' and peers' logs) one after the other, for a failure message. */
    String logs(String... names) {
        StringBuilder s = new StringBuilder();
        for (String name : names) {
            try {
                s.append("--- ").append(name).append('\n').append(Files.readString(dir.resolve(name)));
            } catch (IOException e) {
                s.append("(no ").append(name).append(")\n");
            }
        }
        return s.toString();
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
