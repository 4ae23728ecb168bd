package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitLog;
import static io.yoo.installer.cli.ServeBed.yoo;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipv6} in the items of {@code network.subnets} with real peers: {@code yoo serve} in a
 * namespace on segment A (fd00:83::/64), ISC {@code dhcrelay -6} in a router namespace between A
 * and segment B (fd00:84::/64), ISC {@code dhclient -6} on B. A stranger on B gets an address of
 * B's IPv6 pool and B's DNS; the descriptor's machine on B gets its reserved {@code ipv6} (by the
 * MAC in its DUID-LLT), both through the relay. With dnsmasq as the relay, which adds the client's
 * link-layer address (option 79, RFC 6939), a machine whose DUID carries no MAC (DUID-UUID) is
 * still recognised by its MAC and gets its reservation.
 */
class RelayedIpv6SegmentTest {
    static final String FAR_MAC = "52:54:00:84:01:14";

    @TempDir
    Path dir;

    @Test
    void machinesBehindDhcrelay6GetTheirSegmentsPoolDnsAndReservation() throws Exception {
        Peers.requireCommands("dhclient", "dhcrelay", "ip");
        try (NetNs srv = ServeBed.withoutDad("6gs"); NetNs router = ServeBed.withoutDad("6gr"); NetNs cli = ServeBed.withoutDad("6gc")) {
            String[] a = NetNs.link(srv, "fd00:83::1/64", router, "fd00:83::2/64");
            String[] b = NetNs.link(router, "fd00:84::1/64", cli, null);
            srv.exec(10, "ip", "addr", "add", "10.84.0.1/24", "dev", a[0]);
            router.exec(10, "ip", "addr", "add", "10.84.0.2/24", "dev", a[1]);
            router.exec(10, "ip", "addr", "add", "10.84.1.1/25", "dev", b[0]);
            srv.exec(10, "ip", "route", "add", "10.84.1.0/25", "via", "10.84.0.2"); // the IPv4 relay's way back (checked at start)
            Path cluster = dir.resolve("cluster.yml");
            Files.writeString(cluster, descriptor(a[0], ServeBed.freePort()));
            Path serveLog = dir.resolve("serve.log");
            srv.start(Redirect.to(serveLog.toFile()), yoo("serve", cluster.toString(), "--no-tftp"));
            awaitLog(serveLog, "started in", 90);
            // the banner is written at once with "started in" (ServeCommand): a missing line here is a missing line
            assertThat(Files.readString(serveLog)).contains("DHCPv6 on " + a[0] + ", prefix fd00:83::/64 pool fd00:83::100-fd00:83::1ff,"
                    + " prefix fd00:84::/64 pool fd00:84::100-fd00:84::1ff via relay fd00:84::1");
            // -I: the relay adds an interface-id and drops a RELAY-REPL that does not give it back
            router.start(Redirect.to(dir.resolve("dhcrelay.log").toFile()), "dhcrelay", "-6", "-d", "-I", "-l", b[0],
                    "-u", "fd00:83::1%" + a[1]);

            // a stranger on B: B's pool and DNS, through the relay
            String stranger = dhclient6(cli, b[1], "stranger");
            assertThat(stranger).as(logs()).containsPattern("ip=fd00:84::1[0-9a-f]{2} dns=fd00:84::53");
            // dhclient -1 stays as a daemon once bound: stop it, or it takes the next client's answers on port 546
            cli.exec(20, "dhclient", "-6", "-x", "-pf", dir.resolve("stranger.pid").toString(), b[1]);

            // the descriptor's far machine on B: its reservation, by the MAC in its DUID-LLT
            cli.exec(10, "ip", "link", "set", "dev", b[1], "address", FAR_MAC);
            // same link-local address, new MAC: the router must not send the relayed answers to the old one
            router.exec(10, "ip", "-6", "neigh", "flush", "dev", b[0]);
            assertThat(dhclient6(cli, b[1], "far")).as(logs()).contains("ip=fd00:84::20 dns=fd00:84::53");
        }
    }

    @Test
    void aMachineWhoseDuidHasNoMacIsKnownByTheRelaysClientLinkLayerAddress() throws Exception {
        Peers.requireCommands("dhclient", "dnsmasq", "ip");
        try (NetNs srv = ServeBed.withoutDad("6hs"); NetNs router = ServeBed.withoutDad("6hr"); NetNs cli = ServeBed.withoutDad("6hc")) {
            String[] a = NetNs.link(srv, "fd00:83::1/64", router, "fd00:83::2/64");
            String[] b = NetNs.link(router, "fd00:84::1/64", cli, null);
            srv.exec(10, "ip", "addr", "add", "10.84.0.1/24", "dev", a[0]);
            router.exec(10, "ip", "addr", "add", "10.84.0.2/24", "dev", a[1]);
            router.exec(10, "ip", "addr", "add", "10.84.1.1/25", "dev", b[0]);
            srv.exec(10, "ip", "route", "add", "10.84.1.0/25", "via", "10.84.0.2");
            cli.exec(10, "ip", "link", "set", "dev", b[1], "address", FAR_MAC);
            Path cluster = dir.resolve("cluster.yml");
            Files.writeString(cluster, descriptor(a[0], ServeBed.freePort()));
            Path serveLog = dir.resolve("serve.log");
            srv.start(Redirect.to(serveLog.toFile()), yoo("serve", cluster.toString(), "--no-tftp"));
            awaitLog(serveLog, "started in", 90);
            // dnsmasq relays DHCPv6 from fd00:84::1 (the link-address) to the server and adds option 79
            Path relayLog = dir.resolve("dhcrelay.log");
            router.start(Redirect.to(relayLog.toFile()), "dnsmasq", "-d", "--port=0", "--conf-file=/dev/null", "--log-dhcp",
                    "--pid-file=" + dir.resolve("relay.pid"), "--dhcp-relay=fd00:84::1,fd00:83::1");
            awaitLog(relayLog, "started", 20);

            // a DUID-UUID (type 4): nothing in it says the MAC; only the relay's option 79 does
            Files.writeString(dir.resolve("uuid.leases"), "default-duid \"\\000\\004\\001\\002\\003\\004\\005\\006"
                    + "\\007\\010\\011\\012\\013\\014\\015\\016\\017\\020\";\n");
            assertThat(dhclient6(cli, b[1], "uuid")).as(logs()).contains("ip=fd00:84::20 dns=fd00:84::53");
            assertThat(Files.readString(serveLog)).doesNotContain("Exception");
        }
    }

    private String descriptor(String iface, int httpPort) {
        return """
                cluster: relay6
                architecture: devtest
                network:
                  interface: %s
                  server: 10.84.0.1
                  ipv6: { server: "fd00:83::1" }
                  subnets:
                    - cidr: 10.84.0.0/24
                      ipv6: { prefix: "fd00:83::/64", pool: "fd00:83::100-fd00:83::1ff", dns: ["fd00:83::53"] }
                    - cidr: 10.84.1.0/25
                      relay: 10.84.1.1
                      gateway: 10.84.1.1
                      ipv6:
                        prefix: "fd00:84::/64"
                        pool: "fd00:84::100-fd00:84::1ff"
                        dns: ["fd00:84::53"]
                        relay: "fd00:84::1"
                server: { httpPort: %d, stateDir: %s, assetDir: %s }
                os: { version: 4081.2.0 }
                machines:
                  - { name: near-1, mac: "52:54:00:84:00:0a", ip: 10.84.0.10, ipv6: "fd00:83::10", role: control-plane }
                  - { name: far-1, mac: "%s", ip: 10.84.1.20, ipv6: "fd00:84::20" }
                """.formatted(iface, httpPort, dir.resolve("state"), dir.resolve("assets"), FAR_MAC);
    }


    /** One bounded dhclient -6 run with its own lease file (so a DUID-LLT of the current MAC); what it was given. */
    private String dhclient6(NetNs cli, String iface, String tag) throws Exception {
        Path out = dir.resolve(tag + ".out");
        Path sc = dir.resolve(tag + ".sh");
        Files.writeString(sc, "#!/bin/sh\n[ \"$reason\" = BOUND6 ] && echo \"ip=$new_ip6_address dns=$new_dhcp6_name_servers\" >> "
                + out + "\nexit 0\n");
        Files.setPosixFilePermissions(sc, PosixFilePermissions.fromString("rwxr-xr-x"));
        NetNs.Result r = cli.run(45, "dhclient", "-6", "-1", "-sf", sc.toString(), "-pf", dir.resolve(tag + ".pid").toString(),
                "-lf", dir.resolve(tag + ".leases").toString(), iface);
        return (Files.exists(out) ? Files.readString(out) : "") + "\n(dhclient exit " + r.exit() + ": " + r.output() + ")";
    }

    private String logs() {
        return new ServeBed(dir).logs("serve.log", "dhcrelay.log");
    }
}
