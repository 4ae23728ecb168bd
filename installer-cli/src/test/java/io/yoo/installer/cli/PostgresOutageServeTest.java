package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitStart;
import static io.yoo.installer.cli.ServeBed.plug;
import static io.yoo.installer.cli.ServeBed.serve;
import static io.yoo.installer.cli.ServeBed.stop;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.cli.ServeBed.Served;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.TempPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yoo serve} (full DHCP) and a real PostgreSQL in network namespaces this test makes; the
 * database is stopped with {@code pg_ctl stop -m immediate} under the server. Meanwhile a reserved
 * machine (real dhclient with its MAC) still gets its ACK, the events its install script posts are
 * accepted (200, {@code queued}), {@code /metrics} and {@code /readyz} say the database is down and
 * how many writes wait, and the server is restarted (the spool in its state directory survives).
 * Once PostgreSQL is back every event is in {@code yoo_event} once, in order, with the time the
 * server received it. And a server that stays up while PostgreSQL restarts ACKs pool clients again
 * once it is back.
 */
class PostgresOutageServeTest {
    private static final String MAC_M2 = "52:54:00:99:02:12";

    @TempDir
    Path dir;

    @Test
    void whilePostgresIsDownReservedMachinesAreAnsweredAndEventsQueuedThenStoredOnce() throws Exception {
        Peers.requireCommands("dhclient", "ip", "curl");
        try (NetNs lan = ServeBed.bridge("ql"); NetNs srv = NetNs.create("qs"); NetNs db = NetNs.create("qd");
                NetNs client = NetNs.create("qc")) {
            String ifS = plug(lan, srv, "10.78.0.1/24");
            plug(lan, db, "10.78.0.3/24");
            String ifC = plug(lan, client, null);
            client.exec(10, "ip", "link", "set", "dev", ifC, "down");
            client.exec(10, "ip", "link", "set", "dev", ifC, "address", MAC_M2); // the reserved machine m2
            client.exec(10, "ip", "link", "set", "dev", ifC, "up");
            try (TempPostgres pg = TempPostgres.start(db, "10.78.0.3")) {
                ServeBed bed = new ServeBed(dir);
                int port = ServeBed.freePort();
                Path d = bed.server("s", "pgdown", "interface: " + ifS + ", server: 10.78.0.1, subnet: 10.78.0.0/24, pool: 10.78.0.100-10.78.0.120",
                        port, pg, null, "{ name: m2, mac: \"" + MAC_M2 + "\", ip: 10.78.0.12 }");
                String base = "http://10.78.0.1:" + port;
                List<long[]> windows = new ArrayList<>(); // [sent at, answered at] per event, epoch ms
                Served first = serve(srv, d);
                awaitStart(first, first);
                MachineTokens tokens = TokenSecretFile.read(d.resolve("state")).orElseThrow();
                assertThat(post(srv, base, tokens, "step-0", windows)).contains("\"outcome\":\"applied\"");
                assertThat(curl(srv, base + "/metrics")).contains("yoo_store_up 1.0");

                pg.stopServer();
                String bound;
                try {
                    bound = bed.dhclient(client, ifC, "m2");
                } catch (IllegalStateException e) {
                    throw new AssertionError("no ACK for the reserved machine while PostgreSQL is down: " + e.getMessage() + "\n" + first.text(), e);
                }
                assertThat(bound).isEqualTo("10.78.0.12");
                for (int i = 1; i <= 4; i++) {
                    assertThat(post(srv, base, tokens, "step-" + i, windows)).as("event %d while PostgreSQL is down\n%s", i, first.text())
                            .contains("\"outcome\":\"queued\"");
                }
                String metrics = curl(srv, base + "/metrics");
                // the four events and m2's DHCP sighting(s) (replayed in order: after step-0 they change nothing)
                assertThat(metrics).contains("yoo_store_up 0.0", "yoo_store_dropped_writes_total 0.0");
                long queued = Math.round(sample(metrics, "yoo_store_queued_writes"));
                assertThat(queued).as(metrics).isGreaterThanOrEqualTo(5);
                assertThat(sample(metrics, "yoo_store_queue_oldest_seconds")).isPositive();
                MetricsExpositionTest.assertLintClean(metrics);
                String ready = srv.exec(20, "curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}", base + "/readyz");
                assertThat(ready).startsWith("state store DOWN since").contains(queued + " writes queued").endsWith("503");
                assertThat(first.lines().stream().filter(l -> l.contains("state database DOWN"))).as(first.text()).hasSize(1);
                stop(first); // restarted during the outage: the spool stays in the state directory
                assertThat(Files.size(d.resolve("state/store-spool.bin"))).isGreaterThan(8);

                pg.startServer();
                Served again = serve(srv, d);
                awaitStart(again, first);
                assertThat(again.text()).contains("replayed " + queued + " writes queued by an earlier run");
                assertThat(curl(srv, base + "/metrics")).contains("yoo_store_up 1.0", "yoo_store_queued_writes 0.0");
                stop(again);

                List<String> rows = Arrays.stream(pg.sql("SELECT detail, occurred_at FROM yoo_event WHERE machine = 'm2' AND event_source = 'callback' ORDER BY id")
                        .split("\n")).filter(l -> !l.isBlank()).toList();
                assertThat(rows.stream().map(r -> r.split("\\|")[0]).toList()).as("each event once, in order")
                        .containsExactly("step-0", "step-1", "step-2", "step-3", "step-4");
                for (int i = 0; i < rows.size(); i++) {
                    long at = Long.parseLong(rows.get(i).split("\\|")[1]);
                    assertThat(at).as("%s stored with the time the server received it, not the replay's", rows.get(i))
                            .isBetween(windows.get(i)[0], windows.get(i)[1]);
                }
            }
        }
    }

    /**
     * PostgreSQL restarted under a running server (a restart, or its own HA pair failing over): once
     * it is back, a client of the pool is ACKed again by the same {@code yoo serve}: the lease ledger
     * opens its connection again. Before it did, its connection stayed broken and every later pool
     * ACK was withheld until {@code yoo serve} restarted.
     */
    @Test
    void afterPostgresRestartsUnderARunningServerPoolClientsAreAckedAgain() throws Exception {
        Peers.requireCommands("dhclient", "ip");
        try (NetNs lan = ServeBed.bridge("qr"); NetNs srv = NetNs.create("qrs"); NetNs db = NetNs.create("qrd");
                NetNs client = NetNs.create("qrc")) {
            String ifS = plug(lan, srv, "10.78.0.1/24");
            plug(lan, db, "10.78.0.3/24");
            String ifC = plug(lan, client, null);
            try (TempPostgres pg = TempPostgres.start(db, "10.78.0.3")) {
                ServeBed bed = new ServeBed(dir);
                Path d = bed.server("s", "pgback", "interface: " + ifS + ", server: 10.78.0.1, subnet: 10.78.0.0/24, pool: 10.78.0.100-10.78.0.120",
                        ServeBed.freePort(), pg, null, "{ name: m2, mac: \"" + MAC_M2 + "\", ip: 10.78.0.12 }");
                Served s = serve(srv, d);
                awaitStart(s, s);
                pg.stopServer();
                pg.startServer();
                String bound;
                try {
                    bound = bed.dhclient(client, ifC, "stranger");
                } catch (IllegalStateException e) {
                    throw new AssertionError("no ACK for a pool client after PostgreSQL came back: " + e.getMessage() + "\n" + s.text(), e);
                }
                assertThat(bound).as(s.text()).matches("10\\.78\\.0\\.1[0-2][0-9]");
                assertThat(pg.sql("SELECT ip, lease_state FROM yoo_lease WHERE ip = '" + bound + "'")).as("the lease is in PostgreSQL")
                        .contains(bound + "|bound");
                stop(s);
            }
        }
    }

    private static double sample(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ")).map(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in\n" + exposition));
    }

    private static String curl(NetNs ns, String url) throws Exception {
        return ns.exec(20, "curl", "-sS", "--fail", "--max-time", "10", url);
    }

    private String post(NetNs ns, String base, MachineTokens tokens, String message, List<long[]> windows) throws Exception {
        Path header = dir.resolve("token.header");
        Files.writeString(header, "X-Yoo-Token: " + tokens.tokenFor("m2") + "\n"); // not on the command line
        long sentAt = System.currentTimeMillis();
        String answer = ns.exec(20, "curl", "-sS", "--fail", "--max-time", "15", "-H", "@" + header, "-H", "Content-Type: application/json",
                "-d", "{\"phase\":\"install-os\",\"status\":\"started\",\"message\":\"" + message + "\"}", base + "/api/v1/machines/m2/events");
        windows.add(new long[] {sentAt, System.currentTimeMillis()});
        return answer;
    }
}
