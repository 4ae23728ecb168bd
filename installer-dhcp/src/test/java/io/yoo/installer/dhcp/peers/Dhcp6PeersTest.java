package io.yoo.installer.dhcp.peers;

import io.yoo.installer.dhcp.codec.MalformedPacketException;
import java.util.Arrays;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.dhcp.v6.codec.Dhcp6Codec;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Messages;
import io.yoo.installer.dhcp.v6.lease.Lease6Store;
import io.yoo.installer.testsupport.Fuzz;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real DHCPv6 peers against {@code Dhcp6Server} in namespaces the test creates: ISC
 * {@code dhclient -6} directly (reservation by the MAC in its DUID-LLT) and through ISC
 * {@code dhcrelay -6} in a router namespace; Kea's {@code perfdhcp -6}; malformed and fuzzed
 * datagrams dropped and counted while the server keeps answering.
 */
class Dhcp6PeersTest {
    static final String MAC = "52:54:00:12:34:66";

    @TempDir
    Path tmp;

    private Path script(String name, String body) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** No duplicate address detection: a tentative link-local address cannot send for a second or two. */
    private static NetNs ns(String tag) throws Exception {
        NetNs n = NetNs.create(tag);
        n.exec(10, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
        n.exec(10, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
        return n;
    }

    private String dhclient6(NetNs cli, String iface, String tag) throws Exception {
        Path out = tmp.resolve(tag + ".out");
        Path sc = script(tag + ".sh", "[ \"$reason\" = BOUND6 ] && echo \"ip=$new_ip6_address\" >> " + out + "; exit 0");
        cli.exec(45, "dhclient", "-6", "-1", "-sf", sc.toString(), "-pf", tmp.resolve(tag + ".pid").toString(),
                "-lf", tmp.resolve(tag + ".leases").toString(), iface);
        return Files.readString(out);
    }

    @Test
    void dhclientGetsItsMacReservationAndMalformedDatagramsAreDroppedAndCounted() throws Exception {
        Peers.requireCommands("dhclient", "bash");
        Path leases = tmp.resolve("leases6");
        try (NetNs srv = ns("6s"); NetNs cli = ns("6c")) {
            String[] ifs = NetNs.link(srv, "fd00:96::1/64", cli, null);
            cli.exec(10, "ip", "link", "set", "dev", ifs[1], "address", MAC);
            try (ServerProcess s = ServerProcess.start(srv, TestServer6Main.class, "--iface", ifs[0],
                    "--subnet", "fd00:96::/64,fd00:96::100-fd00:96::1ff", "--dns", "fd00:96::53",
                    "--reserve-mac", MAC + "=fd00:96::11", "--lease-dir", leases.toString())) {
                // garbage first: a relay nesting bomb, truncated options, fuzzed solicits, sent from the client's link
                List<byte[]> bad = new ArrayList<>();
                bad.add(Dhcp6Codec.encode(Dhcp6Messages.nested(Dhcp6Messages.ipxeSolicit(), 40)));
                byte[] sol = Dhcp6Codec.encode(Dhcp6Messages.uefiSolicit());
                bad.add(Arrays.copyOf(sol, sol.length - 3));
                int malformed = bad.size();
                SplittableRandom r = new SplittableRandom(Fuzz.seed());
                for (int i = 0; i < 40; i++) {
                    byte[] m = Fuzz.mutate(r, sol);
                    try {
                        Dhcp6Codec.decode(m);
                    } catch (MalformedPacketException e) {
                        bad.add(m);
                        malformed++;
                    }
                }
                for (int i = 0; i < bad.size(); i++) {
                    Path f = tmp.resolve("bad" + i);
                    Files.write(f, bad.get(i));
                    cli.exec(10, "bash", "-c", "cat " + f + " > /dev/udp/ff02::1:2%" + ifs[1] + "/547"); // as clients send
                }
                int expected = malformed;
                s.awaitLine(l -> l.contains(" malformed=" + expected + " "), 10);

                assertThat(dhclient6(cli, ifs[1], "direct")).contains("ip=fd00:96::11");
                s.awaitLine(l -> l.contains(" replies=1 "), 5);
            }
            // reservations are not journaled; nothing dynamic was given
            assertThat(Files.readString(leases.resolve(Lease6Store.FILE))).isEmpty();
        }
    }

    @Test
    void clientBehindDhcrelay6GetsAnAddressOfItsLinksRange() throws Exception {
        Peers.requireCommands("dhclient", "dhcrelay");
        try (NetNs srv = ns("6rs"); NetNs relay = ns("6rr"); NetNs cli = ns("6rc")) {
            String[] up = NetNs.link(srv, "fd00:97::1/64", relay, "fd00:97::2/64");
            String[] down = NetNs.link(relay, "fd00:98::1/64", cli, null);
            try (ServerProcess s = ServerProcess.start(srv, TestServer6Main.class, "--iface", up[0],
                    "--subnet", "fd00:97::/64", "--subnet", "fd00:98::/64,fd00:98::100-fd00:98::1ff")) {
                // -I: the relay adds an interface-id and drops a RELAY-REPL that does not give it back
                relay.start(ProcessBuilder.Redirect.DISCARD, "dhcrelay", "-6", "-d", "-q", "-I", "-l", down[0],
                        "-u", "fd00:97::1%" + up[1]);
                assertThat(dhclient6(cli, down[1], "relayed")).contains("ip=fd00:98::100");
                s.awaitLine(l -> l.contains(" relayed=") && !l.contains(" relayed=0 ") && l.contains(" replies=1 "), 5);
            }
        }
    }

    @Test
    void perfdhcpSolicitAdvertiseRequestReplyExchangesAreAnswered() throws Exception {
        Peers.requireCommands("perfdhcp");
        try (NetNs srv = ns("6ps"); NetNs cli = ns("6pc")) {
            String[] ifs = NetNs.link(srv, "fd00:99::1/64", cli, null);
            try (ServerProcess s = ServerProcess.start(srv, TestServer6Main.class, "--iface", ifs[0],
                    "--subnet", "fd00:99::/64,fd00:99::1:0-fd00:99::ffff:ffff", "--lease-dir", tmp.resolve("l").toString())) {
                // 200 new clients a second for 3 s, full 4-way exchanges
                NetNs.Result r = cli.run(30, "perfdhcp", "-6", "-l", ifs[1], "-r", "200", "-R", "100000", "-p", "3");
                long replies = received(r.output(), "REQUEST-REPLY");
                assertThat(replies).as("perfdhcp -6 output: %s", r.output()).isGreaterThan(300);
                assertThat(received(r.output(), "SOLICIT-ADVERTISE")).isGreaterThanOrEqualTo(replies);
                s.awaitLine(l -> l.startsWith("STATS") && replies(l) >= replies, 5);
            }
            long journaled = Files.readAllLines(tmp.resolve("l").resolve(Lease6Store.FILE)).stream()
                    .filter(l -> l.startsWith("B ")).count();
            assertThat(journaled).isGreaterThan(300);
        }
    }

    @Test
    void theProbeTellsYooFromARogueDnsmasqOnTheSameLink() throws Exception {
        Peers.requireCommands("dnsmasq");
        try (NetNs yoo = ns("6ys"); NetNs rogue = ns("6yr")) {
            String[] ifs = NetNs.link(yoo, "fd00:9b::1/64", rogue, "fd00:9b::2/64");
            rogue.start(ProcessBuilder.Redirect.DISCARD, "dnsmasq", "-d", "--port=0", "--interface=" + ifs[1],
                    "--bind-interfaces", "--dhcp-range=fd00:9b::200,fd00:9b::2ff,64", "--dhcp-leasefile=" + tmp.resolve("dm.leases"),
                    "--pid-file=" + tmp.resolve("dm.pid"), "--conf-file=/dev/null");
            try (ServerProcess s = ServerProcess.start(yoo, TestServer6Main.class, "--iface", ifs[0], "--duid-mac",
                    "02:00:00:00:06:01", "--subnet", "fd00:9b::/64,fd00:9b::100-fd00:9b::1ff")) {
                List<String> out = ServerProcess.runToDone(yoo, TestServer6Main.class, "--rogue", ifs[0],
                        "--own-mac", "02:00:00:00:06:01");
                String text = String.join("\n", out);
                // both answer the probe; only dnsmasq is foreign
                assertThat(out.stream().filter(l -> l.startsWith("ANSWER ")).toList()).as(text).hasSize(2);
                assertThat(out.stream().filter(l -> l.startsWith("ANSWER ") && l.contains("fd00:9b::1")).count()).as(text)
                        .isEqualTo(1);
                List<String> foreign = out.stream().filter(l -> l.startsWith("FOREIGN ")).toList();
                assertThat(foreign).as(text).hasSize(1);
                assertThat(foreign.getFirst()).as(text).contains("offers [fd00:9b::2").doesNotContain("00030001020000000601");

                // seen from another server of the same cluster (its heartbeat names Yoo's DUID): Yoo is a peer, dnsmasq foreign
                List<String> fromPeer = ServerProcess.runToDone(yoo, TestServer6Main.class, "--rogue", ifs[0],
                        "--own-mac", "02:00:00:00:06:99", "--peer-mac", "02:00:00:00:06:01");
                List<String> foreignToPeer = fromPeer.stream().filter(l -> l.startsWith("FOREIGN ")).toList();
                assertThat(foreignToPeer).as(String.join("\n", fromPeer)).hasSize(1);
                assertThat(foreignToPeer.getFirst()).contains("offers [fd00:9b::2");
            }
        }
    }

    private static long replies(String statsLine) {
        Matcher m = Pattern.compile(" replies=(\\d+) ").matcher(statsLine);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long received(String perfdhcp, String exchange) {
        Matcher m = Pattern.compile("Statistics for: " + exchange + "\\*+\\s+sent packets: \\d+\\s+received packets: (\\d+)")
                .matcher(perfdhcp);
        assertThat(m.find()).as("perfdhcp output: %s", perfdhcp).isTrue();
        return Long.parseLong(m.group(1));
    }
}
