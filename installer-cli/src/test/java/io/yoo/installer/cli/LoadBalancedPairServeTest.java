package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitLine;
import static io.yoo.installer.cli.ServeBed.awaitStart;
import static io.yoo.installer.cli.ServeBed.plug;
import static io.yoo.installer.cli.ServeBed.serve;
import static io.yoo.installer.cli.ServeBed.stop;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.cli.ServeBed.Served;
import io.yoo.installer.dhcp.server.ClientBuckets;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.TempPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load balancing of a pair of {@code yoo serve} on one PostgreSQL (README, "Several servers on one
 * PostgreSQL"): while both are alive each answers only the clients of its RFC 3074 buckets (real
 * dhclient clients with chosen MACs: the server identifier of each lease is the bucket's owner);
 * after one is killed with kill -9, the survivor answers the dead one's clients too. Namespaces,
 * bridge and PostgreSQL made by the test.
 */
class LoadBalancedPairServeTest {
    private static final Pattern IP = Pattern.compile("(?m)^new_ip_address=(\\S+)$");
    private static final Pattern SERVER_ID = Pattern.compile("(?m)^new_dhcp_server_identifier=(\\S+)$");
    private static final String A = "10.81.0.1";
    private static final String B = "10.81.0.2";

    @TempDir
    Path dir;

    @Test
    void eachServerAnswersOnlyItsBucketsWhileBothLiveAndTheSurvivorAllAfterAKill() throws Exception {
        Peers.requireCommands("dhclient", "ip");
        try (NetNs lan = ServeBed.bridge("ll"); NetNs a = NetNs.create("la"); NetNs b = NetNs.create("lb"); NetNs db = NetNs.create("ld")) {
            String ifA = plug(lan, a, A + "/24");
            String ifB = plug(lan, b, B + "/24");
            plug(lan, db, "10.81.0.3/24");
            List<NetNs> clients = new ArrayList<>();
            try (TempPostgres pg = TempPostgres.start(db, "10.81.0.3")) {
                ServeBed bed = new ServeBed(dir);
                Path key = bed.secretKey();
                int httpPort = ServeBed.freePort();
                Served outA = serve(a, server("a", ifA, A, httpPort, pg, key));
                awaitStart(outA, outA);
                Served outB = serve(b, server("b", ifB, B, httpPort, pg, key));
                awaitStart(outB, outA);
                // both on this host: ids "<host>/10.81.0.1" < "<host>/10.81.0.2", so A serves the even buckets
                awaitLine(outA, "servers alive", outB);
                awaitLine(outB, "servers alive", outA);

                // 1. both alive: six clients, three of each server's buckets, each answered by its owner
                List<MacAddress> evens = macs(0, 5);
                List<MacAddress> odds = macs(1, 3);
                int n = 0;
                for (MacAddress m : interleave(evens.subList(0, 3), odds)) {
                    String owner = ClientBuckets.bucket(m.toBytes(), 0, 6) % 2 == 0 ? A : B;
                    String[] lease = dhclient(bed, lan, clients, m, "c" + n++);
                    assertThat(lease[1]).as("%s (bucket %d) answered by its owner %s, not the partner\nA:\n%s\nB:\n%s", m,
                            ClientBuckets.bucket(m.toBytes(), 0, 6), owner, outA.text(), outB.text()).isEqualTo(owner);
                }

                // 2. kill -9 A: B answers A's clients (even buckets) too
                int before = outB.lines().size();
                long killed = System.nanoTime();
                outA.process().destroyForcibly();
                StringBuilder times = new StringBuilder();
                for (MacAddress m : evens.subList(3, 5)) {
                    String[] lease = dhclient(bed, lan, clients, m, "c" + n++);
                    assertThat(lease[1]).as("%s, a client of the dead A's buckets, answered by B\nB:\n%s", m, outB.text()).isEqualTo(B);
                    times.append(String.format(" %s %d ms;", m, (System.nanoTime() - killed) / 1_000_000));
                }
                System.out.println("load balancing: B answered A's clients (one after the other) after kill -9 of A:" + times);
                List<String> since = List.copyOf(outB.lines());
                assertThat(since.subList(before, since.size())).as("B saw A die").anyMatch(l -> l.contains("no other server alive"));
                stop(outB);
            } finally {
                clients.forEach(NetNs::close);
            }
        }
    }

    /** {@code count} MACs 52:54:00:81:00:xx whose RFC 3074 bucket has parity {@code parity}. */
    private static List<MacAddress> macs(int parity, int count) {
        List<MacAddress> out = new ArrayList<>();
        for (long i = 0x525400810000L; out.size() < count; i++) {
            MacAddress m = new MacAddress(i);
            if (ClientBuckets.bucket(m.toBytes(), 0, 6) % 2 == parity) {
                out.add(m);
            }
        }
        return out;
    }

    private static List<MacAddress> interleave(List<MacAddress> x, List<MacAddress> y) {
        List<MacAddress> out = new ArrayList<>();
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            if (i < x.size()) {
                out.add(x.get(i));
            }
            if (i < y.size()) {
                out.add(y.get(i));
            }
        }
        return out;
    }

    /**
     * A client namespace on the bridge whose NIC has MAC {@code mac}; one dhclient run (no client
     * identifier: the bucket is the MAC's); the address and the server identifier it bound.
     */
    private static String[] dhclient(ServeBed bed, NetNs lan, List<NetNs> clients, MacAddress mac, String tag) throws Exception {
        NetNs c = NetNs.create("lc");
        clients.add(c);
        String iface = plug(lan, c, null);
        c.exec(10, "ip", "link", "set", iface, "down");
        c.exec(10, "ip", "link", "set", iface, "address", mac.toString());
        c.exec(10, "ip", "link", "set", iface, "up");
        String lease = bed.dhclientLease(c, iface, tag, "");
        Matcher ip = IP.matcher(lease);
        Matcher sid = SERVER_ID.matcher(lease);
        assertThat(ip.find() && sid.find()).as("dhclient %s bound an address: %s", tag, lease).isTrue();
        return new String[] {ip.group(1), sid.group(1)};
    }

    private Path server(String name, String iface, String address, int httpPort, TempPostgres pg, Path key) throws Exception {
        return new ServeBed(dir).server(name, "ha5", "interface: " + iface + ", server: " + address + ", subnet: 10.81.0.0/24, pool: 10.81.0.100-10.81.0.140",
                httpPort, pg, key, "{ name: m1, mac: \"52:54:00:99:00:11\", ip: 10.81.0.11 }");
    }
}
