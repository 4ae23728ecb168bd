package io.yoo.installer.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.TempPostgres;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot storm over a pair of {@code yoo serve} on one real PostgreSQL (issue #16), server A
 * kill -9'ed once half the machines are installed: every machine ends up installed, no address
 * is held by two machines, and every installed machine's progress events are in PostgreSQL.
 *
 * <p>The generator relays every request to both servers and follows the URLs the answers name.
 * Those URLs name the one server that answered (main renders {@code network.server} into
 * next-server, the iPXE script and install.sh), so a machine that was mid-way on A cannot finish
 * on B by itself: the storm boots it again from PXE ({@code --reboots}), as a power cycle would.
 * Without that the test fails (18 of 200 machines stuck on the dead server in one run). bench/storm-pair.sh is the
 * benchmark; BENCHMARKS.md "HA pair" says what a fix needs.
 */
class StormPairKillTest {
    private static final String A_IP = "10.79.0.1";
    private static final String B_IP = "10.79.0.3";
    private static final String CLI_IP = "10.79.0.2";
    private static final int MACHINES = 200;

    @Test
    @Disabled("fails in about half the runs on main: kill -9 loses progress events the killed server had acknowledged"
            + " (storm ok=200, 197 installed; BENCHMARKS.md 'HA pair'); enable once events are committed before the 2xx")
    void everyMachineInstallsOnceWhenOneServerOfThePairIsKilledHalfway(@TempDir Path dir) throws Exception {
        Peers.requireNetns();
        Peers.requireCommands("psql");
        try (NetNs a = NetNs.create("spa"); NetNs b = NetNs.create("spb"); NetNs cli = NetNs.create("spc")) {
            String ifA = wire(a, A_IP, cli);
            String ifB = wire(b, B_IP, cli);
            cli.exec(10, "ip", "route", "add", "local", "10.79.1.0/24", "dev", "lo"); // the machines' reserved addresses
            try (TempPostgres pg = TempPostgres.start(cli, CLI_IP)) {
                Path key = dir.resolve("secret.key");
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                Files.write(Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), k);
                // the storm fetches the boot program over TFTP but never runs it: stand-ins, as StormAgainstServeTest
                Path ipxe = Files.createDirectories(dir.resolve("assets/ipxe"));
                for (String program : List.of("undionly.kpxe", "snponly.efi")) {
                    Files.write(ipxe.resolve(program), new byte[70_000]);
                }
                Path descA = descriptor(dir, "a", A_IP, ifA, pg, key);
                Path descB = descriptor(dir, "b", B_IP, ifB, pg, key);

                Path logA = dir.resolve("serve-a.log");
                Process serveA = a.start(Redirect.to(logA.toFile()), yoo("serve", descA.toString(), "--no-host-checks").toArray(String[]::new));
                waitFor(logA, "started in", 120);
                waitFor(logA, "cluster secrets", 120); // A creates the shared secrets; B must read, not make them
                Path logB = dir.resolve("serve-b.log");
                Process serveB = b.start(Redirect.to(logB.toFile()), yoo("serve", descB.toString(), "--no-host-checks").toArray(String[]::new));
                try {
                    waitFor(logB, "started in", 120);
                    Path stormOut = dir.resolve("storm.out");
                    // B's descriptor and admin token: the storm checks the result through the survivor's API
                    Process storm = cli.start(Redirect.to(stormOut.toFile()), yoo("storm", "run", descB.toString(), "--relay", CLI_IP,
                            "--also-server", A_IP, "--reboots", "3", "--concurrency", "40").toArray(String[]::new));
                    int installedAtKill;
                    // PostgreSQL listens inside the generator's namespace: ask it with psql from there
                    Sql db = q -> Integer.parseInt(cli.exec(30, Peers.which("psql").toString(), "-h", CLI_IP, "-p", String.valueOf(pg.port()),
                            "-U", pg.user(), "-d", "postgres", "-Atc", q).strip());
                    try {
                        installedAtKill = awaitHalf(db, storm);
                        serveA.destroyForcibly(); // SIGKILL
                        assertThat(serveA.waitFor(30, TimeUnit.SECONDS)).isTrue();
                        assertThat(storm.waitFor(300, TimeUnit.SECONDS)).as("storm finished").isTrue();
                        String out = Files.readString(stormOut);
                        String ctx = out + "\nB:\n" + tail(logB);
                        assertThat(installedAtKill).as("A was killed mid-storm").isLessThan(MACHINES);
                        assertThat(out).as(ctx).contains("machines=" + MACHINES + " ok=" + MACHINES + " failed=0");
                        assertThat(count(db, "select count(*) from yoo_machine where lower(machine_state) = 'installed'"))
                                .as("installed in PostgreSQL").isEqualTo(MACHINES);
                        assertThat(count(db, "select count(*) from (select last_ip from yoo_machine where last_ip is not null"
                                + " group by last_ip having count(*) > 1) d")).as("addresses held by two machines").isZero();
                        assertThat(count(db, "select count(*) from (select mac from yoo_lease group by mac having count(*) > 1) d"))
                                .as("MACs with two leases").isZero();
                        assertThat(count(db, "select count(*) from yoo_machine m where (select count(distinct e.phase_name || '/' || e.event_status)"
                                + " from yoo_event e where e.machine = m.name and e.phase_name in ('time-sync', 'fetch-config', 'install-os',"
                                + " 'kubernetes-bundle', 'finalize', 'installed')) < 11")).as("machines missing progress events").isZero();
                        // last: what the survivor's REST API says (it must show the machines A installed too)
                        assertThat(out).as(ctx).contains("api_installed=" + MACHINES);
                    } finally {
                        storm.destroyForcibly();
                    }
                } finally {
                    serveA.destroyForcibly();
                    serveB.destroyForcibly();
                    serveB.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** A veth from {@code srv} ({@code ip}/32) to {@code cli} (10.79.0.2/32 on each), routed as behind a relay; returns srv's interface. */
    private static String wire(NetNs srv, String ip, NetNs cli) throws Exception {
        String[] ifs = NetNs.link(srv, ip + "/32", cli, CLI_IP + "/32");
        srv.exec(10, "ip", "route", "add", CLI_IP + "/32", "dev", ifs[0]);
        srv.exec(10, "ip", "route", "add", "10.79.0.0/16", "via", CLI_IP, "dev", ifs[0]);
        cli.exec(10, "ip", "route", "add", ip + "/32", "dev", ifs[1]);
        return ifs[0];
    }

    private static Path descriptor(Path dir, String name, String ip, String iface, TempPostgres pg, Path key) throws Exception {
        String yaml = new StormDescriptor(MACHINES, Ipv4.parse(ip), iface, 8080, dir.resolve("state-" + name), dir.resolve("assets")).yaml()
                .replace("\nserver:\n", "\nserver:\n  database: \"" + pg.jdbcUrl() + "\"\n  secretKeyFile: \"" + key + "\"\n");
        Path f = dir.resolve(name + ".yml");
        Files.writeString(f, yaml);
        return f;
    }

    /** Waits (bounded) until half the machines are installed; returns how many were. */
    private static int awaitHalf(Sql db, Process storm) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < end && storm.isAlive()) {
            int n = count(db, "select count(*) from yoo_machine where lower(machine_state) = 'installed'");
            if (n >= MACHINES / 2) {
                return n;
            }
            Thread.sleep(100); // polling an external database: there is nothing to wait on
        }
        throw new AssertionError("half the machines never installed (storm alive: " + storm.isAlive() + ")");
    }

    private static int count(Sql db, String sql) throws Exception {
        return db.count(sql);
    }

    /** One integer from PostgreSQL. */
    @FunctionalInterface
    private interface Sql {
        int count(String query) throws Exception;
    }

    private static List<String> yoo(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), YooWithStorm.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void waitFor(Path log, String text, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + log + " after " + seconds + " s:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }
}
