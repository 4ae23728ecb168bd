package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitLine;
import static io.yoo.installer.cli.ServeBed.awaitStart;
import static io.yoo.installer.cli.ServeBed.serve;
import static io.yoo.installer.cli.ServeBed.stop;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.cli.ServeBed.Served;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yoo serve} with {@code network.ipv6} watches its install link for other DHCPv6 servers:
 * a real dnsmasq serving DHCPv6 in a namespace on the same link is reported at ERROR, in
 * {@code /api/v1/summary} (the UI's banner) and in {@code yoo_dhcp_foreign_servers}; Yoo's own
 * DHCPv6 answer to the same probe is not (its DUID is its own).
 */
class ServeRogueDhcp6Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aForeignDhcpv6ServerOnTheLinkIsLoggedInTheSummaryAndTheMetrics() throws Exception {
        Peers.requireCommands("dnsmasq", "curl", "ip");
        try (NetNs srv = ServeBed.withoutDad("6ws"); NetNs rogue = ServeBed.withoutDad("6wr")) {
            String[] ifs = NetNs.link(srv, "fd00:85::1/64", rogue, "fd00:85::2/64");
            srv.exec(10, "ip", "addr", "add", "10.85.0.1/24", "dev", ifs[0]);
            // DHCPv6 only (no IPv4 range): the DHCPv4 watch has nothing to find
            rogue.start(Redirect.to(dir.resolve("dnsmasq.log").toFile()), "dnsmasq", "-d", "--port=0", "--interface=" + ifs[1],
                    "--bind-interfaces", "--dhcp-range=fd00:85::200,fd00:85::2ff,64", "--dhcp-leasefile=" + dir.resolve("dm.leases"),
                    "--pid-file=" + dir.resolve("dm.pid"), "--conf-file=/dev/null");
            int httpPort = ServeBed.freePort();
            Files.writeString(dir.resolve("cluster.yml"), """
                    cluster: rogue6
                    architecture: dev
                    network:
                      interface: %s
                      server: 10.85.0.1
                      subnet: 10.85.0.0/24
                      dhcp: full
                      ipv6: { server: "fd00:85::1", prefix: "fd00:85::/64", pool: "fd00:85::100-fd00:85::1ff" }
                    server: { httpPort: %d, stateDir: state, assetDir: assets }
                    os: { version: 4081.2.0 }
                    machines:
                      - { name: m1, mac: "52:54:00:85:00:11", ip: 10.85.0.11, ipv6: "fd00:85::11" }
                    """.formatted(ifs[0], httpPort));
            ServeBed.awaitLog(dir.resolve("dnsmasq.log"), "DHCPv6", 20); // dnsmasq names its DHCPv6 range once set up
            Served yoo = serve(srv, dir);
            try {
                awaitStart(yoo, yoo);
                assertThat(yoo.text()).contains("(watching for other DHCPv6 servers)");
                awaitLine(yoo, "ANOTHER DHCPv6 SERVER on " + ifs[0], yoo);
                String foreign = yoo.lines().stream().filter(l -> l.contains("ANOTHER DHCPv6 SERVER")).findFirst().orElseThrow();
                assertThat(foreign).as(yoo.text()).contains("offers [fd00:85::2");
                assertThat(yoo.lines()).as("Yoo's own answer (its pool is fd00:85::1xx) is not foreign:\n%s", yoo.text())
                        .noneMatch(l -> l.contains("FOREIGN DHCPv6 SERVER") && l.contains("offers [fd00:85::1"));

                JsonNode found = get(srv, httpPort, "/api/v1/summary").path("foreignDhcpServers");
                assertThat(found).as("summary: %s", found).hasSize(1);
                assertThat(found.get(0).path("server").asText()).startsWith("fe80::");
                assertThat(found.get(0).path("description").asText()).startsWith("DHCPv6 server ").contains("offers [fd00:85::2");
                String metrics = curl(srv, httpPort, "/metrics");
                assertThat(metrics).contains("yoo_dhcp_foreign_servers_found 1.0")
                        .containsPattern("yoo_dhcp_foreign_servers\\{server=\"fe80::[0-9a-f:]+\"} 1\\.0");
            } finally {
                stop(yoo);
            }
        }
    }

    private JsonNode get(NetNs ns, int port, String path) throws Exception {
        return JSON.readTree(curl(ns, port, path));
    }

    private String curl(NetNs ns, int port, String path) throws Exception {
        return ServeBed.adminBody(ns, dir, "http://10.85.0.1:" + port + path);
    }
}
