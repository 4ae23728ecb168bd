package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitLine;
import static io.yoo.installer.cli.ServeBed.awaitStart;
import static io.yoo.installer.cli.ServeBed.plug;
import static io.yoo.installer.cli.ServeBed.serve;
import static io.yoo.installer.cli.ServeBed.stop;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.cli.ServeBed.Served;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.TempPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code yoo serve} with full DHCP on one segment and one real PostgreSQL (namespaces and a
 * bridge the test makes): each writes its heartbeat, each lists both in {@code GET /api/v1/servers};
 * B's rogue-DHCP watch, which probes the segment at start while A answers, does not take A for a
 * foreign DHCP server (it is named by A's heartbeat); when B is killed, A lists it as stale.
 * That a real foreign server is still reported: RogueDhcpDetectorTest and the serve tests with dnsmasq.
 */
class ServersServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eachServerListsBothThePeerIsNotAForeignDhcpServerAndAKilledOneGoesStale() throws Exception {
        Peers.requireCommands("ip", "curl");
        try (NetNs lan = ServeBed.bridge("sl"); NetNs a = NetNs.create("sa"); NetNs b = NetNs.create("sb"); NetNs db = NetNs.create("sd")) {
            String ifA = plug(lan, a, "10.79.0.1/24");
            String ifB = plug(lan, b, "10.79.0.2/24");
            plug(lan, db, "10.79.0.3/24");
            try (TempPostgres pg = TempPostgres.start(db, "10.79.0.3")) {
                ServeBed bed = new ServeBed(dir);
                Path key = bed.secretKey();
                int httpPort = ServeBed.freePort();
                Path dirA = server("a", ifA, "10.79.0.1", httpPort, pg, key);
                Path dirB = server("b", ifB, "10.79.0.2", httpPort, pg, key);
                Served outA = serve(a, dirA);
                awaitStart(outA, outA);
                Served outB = serve(b, dirB);
                awaitStart(outB, outA);

                // B's watch probes at start; A answers it, and A's heartbeat names it
                awaitLine(outB, "answered by this cluster's other server(s), not foreign", outA);
                assertThat(outB.lines()).as("B does not report A as a foreign DHCP server:\n%s", outB.text())
                        .noneMatch(l -> l.contains("FOREIGN DHCP SERVER") || l.contains("ANOTHER DHCP SERVER"));
                assertThat(summary(b, dirB, "10.79.0.2", httpPort).path("foreignDhcpServers")).as("no UI banner on B").isEmpty();

                // each lists both, fresh, itself once
                for (Object[] s : new Object[][] {{a, dirA, "10.79.0.1"}, {b, dirB, "10.79.0.2"}}) {
                    JsonNode list = servers((NetNs) s[0], (Path) s[1], (String) s[2], httpPort);
                    assertThat(list).as("%s lists: %s", s[2], list).hasSize(2);
                    List<String> addresses = new ArrayList<>();
                    int self = 0;
                    for (JsonNode n : list) {
                        addresses.add(n.path("addresses").path(0).asText());
                        assertThat(n.path("stale").asBoolean()).as("%s fresh: %s", s[2], n).isFalse();
                        assertThat(n.path("state").asText()).isEqualTo("serving");
                        assertThat(n.path("lastHeartbeat").asText()).isNotEmpty();
                        self += n.path("self").asBoolean() ? 1 : 0;
                        if (n.path("self").asBoolean()) {
                            assertThat(n.path("addresses").path(0).asText()).isEqualTo(s[2]);
                        }
                    }
                    assertThat(addresses).containsExactlyInAnyOrder("10.79.0.1", "10.79.0.2");
                    assertThat(self).isEqualTo(1);
                }

                // kill -9 B: A shows it stale once its heartbeats stop (10 s), and itself fresh
                outB.process().destroyForcibly();
                assertThat(outB.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                JsonNode b2 = null;
                while (System.nanoTime() < end) {
                    for (JsonNode n : servers(a, dirA, "10.79.0.1", httpPort)) {
                        if (n.path("addresses").path(0).asText().equals("10.79.0.2")) {
                            b2 = n;
                        } else {
                            assertThat(n.path("stale").asBoolean()).as("A itself stays fresh: %s", n).isFalse();
                        }
                    }
                    if (b2 != null && b2.path("stale").asBoolean()) {
                        break;
                    }
                    Thread.sleep(500); // polling the API, bounded by end
                }
                assertThat(b2).as("A still lists B").isNotNull();
                assertThat(b2.path("stale").asBoolean()).as("B stale on A after its kill -9: %s", b2).isTrue();
                assertThat(b2.path("state").asText()).as("killed, not stopped").isEqualTo("serving");
                stop(outA);
            }
        }
    }

    private static JsonNode servers(NetNs ns, Path d, String address, int port) throws Exception {
        return get(ns, d, address, port, "/api/v1/servers");
    }

    private static JsonNode summary(NetNs ns, Path d, String address, int port) throws Exception {
        return get(ns, d, address, port, "/api/v1/summary");
    }

    private static JsonNode get(NetNs ns, Path d, String address, int port, String path) throws Exception {
        return JSON.readTree(ServeBed.adminBody(ns, d, "http://" + address + ":" + port + path));
    }

    private Path server(String name, String iface, String address, int httpPort, TempPostgres pg, Path key) throws Exception {
        return new ServeBed(dir).server(name, "ha4", "interface: " + iface + ", server: " + address + ", subnet: 10.79.0.0/24, pool: 10.79.0.100-10.79.0.120",
                httpPort, pg, key, "{ name: m1, mac: \"52:54:00:99:00:11\", ip: 10.79.0.11 }");
    }
}
