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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network.serviceAddress} with real peers: two {@code yoo serve} on one bridge with one real
 * PostgreSQL (namespaces the test makes) and a client namespace. The client's DHCP (ISC dhclient,
 * as PXE firmware and as iPXE) is sent to the service address; over HTTP the service address is
 * answered by the server holding it ({@code self} in {@code /api/v1/servers}, which also names the
 * holder). Then kill -9 of the holder: the other server answers on the service address within
 * 10 s, and the client's ARP entry for it holds the survivor's MAC (the killed server's namespace
 * still has the address, as a host whose process died: only the announcement moves the client).
 * Restarted with PostgreSQL down, the killed server removes that leftover first, although it then
 * cannot start (exit 3, one line naming the database).
 * TFTP through the service address (curl, in a client whose firewall drops UDP from the servers'
 * own addresses) completes from the holder, before and after the takeover: answers come from the
 * address asked.
 */
class ServiceAddressServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIP = "10.79.4.5";
    private static final int BOUND_SECONDS = 10;

    @TempDir
    Path dir;
    private static String lastAnswer = "";

    @Test
    void machinesAreSentToTheServiceAddressAndItMovesToTheSurvivorOfAKill9() throws Exception {
        Peers.requireCommands("ip", "curl", "dhclient", "iptables");
        try (NetNs lan = ServeBed.bridge("vl"); NetNs a = NetNs.create("va"); NetNs b = NetNs.create("vb"); NetNs db = NetNs.create("vd");
                NetNs c = NetNs.create("vc")) {
            String ifA = plug(lan, a, "10.79.4.1/24");
            String ifB = plug(lan, b, "10.79.4.2/24");
            plug(lan, db, "10.79.4.3/24");
            String ifC = plug(lan, c, "10.79.4.60/24");
            c.exec(10, "ip", "link", "set", "dev", ifC, "address", "52:54:00:99:04:11"); // machine m1
            String macA = mac(a, ifA);
            String macB = mac(b, ifB);
            try (TempPostgres pg = TempPostgres.start(db, "10.79.4.3")) {
                ServeBed bed = new ServeBed(dir);
                Path key = bed.secretKey();
                int httpPort = ServeBed.freePort();
                Path dirA = server("a", ifA, "10.79.4.1", httpPort, pg, key);
                Path dirB = server("b", ifB, "10.79.4.2", httpPort, pg, key);
                Path tftpRoot = Files.createDirectories(dir.resolve("tftp"));
                Files.write(tftpRoot.resolve("undionly.kpxe"), new byte[70_000]); // 137 blocks of 512
                Served outA = serve(a, dirA, "--tftp-root", tftpRoot.toString());
                awaitStart(outA, outA);
                awaitLine(outA, "service address " + VIP + " taken", outA);
                Served outB = serve(b, dirB, "--tftp-root", tftpRoot.toString());
                awaitStart(outB, outA);

                // DHCP: PXE firmware gets next-server = the service address, iPXE a URL on it
                String pxeLease = dhclient(c, ifC, "pxe", "PXEClient:Arch:00000:UNDI:002001", null);
                assertThat(pxeLease).as("dhclient lease as PXE firmware").contains("new_next_server=" + VIP).contains("option tftp-server-name \"" + VIP + "\";")
                        .contains("fixed-address 10.79.4.11;");
                String ipxeLease = dhclient(c, ifC, "ipxe", "PXEClient:Arch:00000:UNDI:002001", "iPXE");
                assertThat(ipxeLease).as("dhclient lease as iPXE").contains("filename \"http://" + VIP + ":" + httpPort + "/");

                // HTTP on the service address: A holds it and answers there (the dhclient runs leave the client without its address)
                c.exec(10, "ip", "addr", "replace", "10.79.4.60/24", "dev", ifC);
                JsonNode servers = servers(c, dirA, httpPort, 10);
                if (servers == null) {
                    lastAnswer += "\nclient neigh: " + c.run(10, "ip", "neigh").output() + "\nclient addr: " + c.run(10, "ip", "-4", "-o", "addr").output()
                            + "\nclient route: " + c.run(10, "ip", "route").output() + "\nA addr: " + a.run(10, "ip", "-4", "-o", "addr").output()
                            + "\nA listen: " + a.run(10, "ss", "-ltn").output() + "\nA curl: " + a.run(10, "curl", "-sS", "-o", "/dev/null", "-w",
                            "%{http_code}", "http://" + VIP + ":" + httpPort + "/health").output();
                }
                assertThat(servers).as("A answers on the service address: %s%nA:%n%s", lastAnswer, outA.text()).isNotNull();
                assertThat(self(servers).path("addresses").path(0).asText()).isEqualTo("10.79.4.1");
                assertThat(self(servers).path("holdsServiceAddress").asBoolean()).isTrue();
                assertThat(neighbour(c, ifC)).as("the client's ARP entry for the service address").contains("lladdr " + macA);
                assertThat(a.exec(10, "ip", "-4", "-o", "address", "show", "dev", ifA)).contains(VIP + "/32");
                assertThat(b.exec(10, "ip", "-4", "-o", "address", "show", "dev", ifB)).doesNotContain(VIP + "/");
                // TFTP on the service address answers from it: the client drops UDP from the servers' own addresses
                c.exec(10, "iptables", "-A", "INPUT", "-p", "udp", "-s", "10.79.4.1", "-j", "DROP");
                c.exec(10, "iptables", "-A", "INPUT", "-p", "udp", "-s", "10.79.4.2", "-j", "DROP");
                assertThat(tftpFetch(c)).as("TFTP through %s from A, answers from other addresses dropped: %s; A:%n%s", VIP, lastAnswer, outA.text())
                        .isZero();

                // kill -9 A: B answers on the service address within the bound, and the client's cache names B
                outA.process().destroyForcibly();
                long killed = System.nanoTime();
                assertThat(outA.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                JsonNode after = null;
                while (after == null && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(BOUND_SECONDS)) {
                    after = servers(c, dirB, httpPort, 1); // B's token: only B accepts it
                }
                double seconds = (System.nanoTime() - killed) / 1e9;
                assertThat(after).as("B answers on %s within %d s of the kill: %s; B's output:%n%s", VIP, BOUND_SECONDS, lastAnswer, outB.text()).isNotNull();
                System.out.printf("service address %s answered by the survivor %.2f s after kill -9 of the holder%n", VIP, seconds);
                assertThat(self(after).path("addresses").path(0).asText()).isEqualTo("10.79.4.2");
                assertThat(self(after).path("holdsServiceAddress").asBoolean()).isTrue();
                assertThat(neighbour(c, ifC)).as("the client's ARP entry after the takeover").contains("lladdr " + macB);
                assertThat(outB.text()).contains("service address " + VIP + " taken");
                assertThat(tftpFetch(c)).as("TFTP through %s from B, answers from other addresses dropped: %s; B:%n%s", VIP, lastAnswer, outB.text())
                        .isZero();
                stop(outB);
                assertThat(b.exec(10, "ip", "-4", "-o", "address", "show", "dev", ifB)).as("removed on stop").doesNotContain(VIP + "/");

                // the killed holder's host still has the address (the packaged drop-in's ExecStopPost removes it); a restart removes
                // it first thing, even one that cannot start because PostgreSQL is unreachable
                assertThat(a.exec(10, "ip", "-4", "-o", "address", "show", "dev", ifA)).as("the killed holder's leftover").contains(VIP + "/32");
                pg.stopServer();
                Served again = serve(a, dirA);
                assertThat(again.process().waitFor(60, TimeUnit.SECONDS)).as("A without its database gives up:%n%s", again.text()).isTrue();
                again.output().reader.join(5000);
                assertThat(a.exec(10, "ip", "-4", "-o", "address", "show", "dev", ifA)).as("the leftover, removed at the restart:%n%s", again.text())
                        .doesNotContain(VIP + "/");
                assertThat(again.text()).contains("removed service address " + VIP, "yoo serve: state database ");
                assertThat(again.process().exitValue()).as(again.text()).isEqualTo(Yoo.EXIT_ENVIRONMENT);
            }
        }
    }

    /** curl fetches the boot program by TFTP from the service address; its exit code (0: the whole file). */
    private int tftpFetch(NetNs c) throws Exception {
        Path got = dir.resolve("got.kpxe");
        Files.deleteIfExists(got);
        NetNs.Result r = c.run(30, "curl", "-sS", "--max-time", "10", "-o", got.toString(), "tftp://" + VIP + "/undionly.kpxe");
        lastAnswer = r.output();
        return r.exit() == 0 && Files.size(got) == 70_000 ? 0 : Math.max(1, r.exit());
    }

    private static String mac(NetNs ns, String iface) throws Exception {
        return ns.exec(10, "cat", "/sys/class/net/" + iface + "/address").strip();
    }

    private static String neighbour(NetNs ns, String iface) throws Exception {
        return ns.exec(10, "ip", "neigh", "show", VIP, "dev", iface);
    }

    private static JsonNode self(JsonNode servers) {
        for (JsonNode n : servers) {
            if (n.path("self").asBoolean()) {
                return n;
            }
        }
        throw new AssertionError("no server is self: " + servers);
    }

    /** GET /api/v1/servers on the service address with the token of the server in {@code d}; null when that server does not answer. */
    private static JsonNode servers(NetNs ns, Path d, int port, int maxSeconds) throws Exception {
        NetNs.Result r = ServeBed.adminGet(ns, d, "http://" + VIP + ":" + port + "/api/v1/servers", maxSeconds);
        lastAnswer = r.output();
        return r.exit() == 0 ? JSON.readTree(r.output()) : null;
    }

    /** One dhclient run (one try, bounded) sending the given vendor and user class; returns the lease file it wrote and what its script was told. */
    private String dhclient(NetNs ns, String iface, String tag, String vendorClass, String userClass) throws Exception {
        return new ServeBed(dir).dhclientLease(ns, iface, tag, "send vendor-class-identifier \"" + vendorClass + "\";\n"
                + (userClass == null ? "" : "send user-class \"" + userClass + "\";\n"));
    }

    private Path server(String name, String iface, String address, int httpPort, TempPostgres pg, Path key) throws Exception {
        return new ServeBed(dir).server(name, "vip", "interface: %s, server: %s, serviceAddress: %s, subnet: 10.79.4.0/24, pool: 10.79.4.100-10.79.4.120"
                .formatted(iface, address, VIP), httpPort, pg, key, "{ name: m1, mac: \"52:54:00:99:04:11\", ip: 10.79.4.11 }");
    }
}
