package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the tests of several {@code yoo serve} on one PostgreSQL share: servers started as
 * processes inside network namespaces the test makes, veths into the test's bridge, real dhclient
 * runs, and reading the servers' output. Files go to the test's temporary directory.
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

    /** Starts {@code yoo serve d/cluster.yml --no-tftp} inside {@code ns}, in directory {@code d}. */
    static Served serve(NetNs ns, Path d) throws IOException {
        return serve(ns, d, "--no-tftp");
    }

    /** Starts {@code yoo serve d/cluster.yml OPTIONS} inside {@code ns}, in directory {@code d}. */
    static Served serve(NetNs ns, Path d, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(ns.prefixed(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Yoo.class.getName(),
                "serve", d.resolve("cluster.yml").toString()));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).start();
        return new Served(p, ProcessOutput.follow(p));
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

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
