package io.yoo.installer.dhcp.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real DHCP clients against the server, each in namespaces the test creates: ISC dhclient,
 * busybox udhcpc (direct and through ISC dhcrelay), and nmap's dhcp-discover script.
 */
class PeerClientsTest {
    static final String MAC = "52:54:00:12:34:56";

    @TempDir
    Path tmp;

    private Path script(String name, String body) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void udhcpcAndDhclientGetTheirReservedAddressGatewayAndDns() throws Exception {
        Peers.requireCommands("busybox", "dhclient");
        try (NetNs srv = NetNs.create("ds"); NetNs cli = NetNs.create("dc")) {
            String[] ifs = NetNs.link(srv, "10.93.0.1/24", cli, null);
            cli.exec(10, "ip", "link", "set", "dev", ifs[1], "address", MAC);
            try (ServerProcess s = ServerProcess.start(srv, "--server", "10.93.0.1", "--subnet", "10.93.0.0/24,,10.93.0.254",
                    "--dns", "10.93.0.53", "--reserve", MAC + "=10.93.0.11", "--iface", ifs[0])) {
                Path out = tmp.resolve("udhcpc.out");
                Path sc = script("udhcpc.sh", "[ \"$1\" = bound ] && echo \"ip=$ip router=$router dns=$dns mask=$subnet\" >> " + out);
                cli.exec(30, "busybox", "udhcpc", "-i", ifs[1], "-n", "-q", "-f", "-t", "5", "-T", "2", "-s", sc.toString());
                assertThat(Files.readString(out)).contains("ip=10.93.0.11 router=10.93.0.254 dns=10.93.0.53 mask=255.255.255.0");

                Path out2 = tmp.resolve("dhclient.out");
                Path sc2 = script("dhclient.sh", "[ \"$reason\" = BOUND ] && echo \"ip=$new_ip_address router=$new_routers"
                        + " dns=$new_domain_name_servers\" >> " + out2 + "; exit 0");
                cli.exec(40, "dhclient", "-4", "-1", "-sf", sc2.toString(), "-pf", tmp.resolve("dhclient.pid").toString(),
                        "-lf", tmp.resolve("dhclient.leases").toString(), ifs[1]);
                assertThat(Files.readString(out2)).contains("ip=10.93.0.11 router=10.93.0.254 dns=10.93.0.53");
                s.await("STATS received=", 5);
                s.awaitLine(l -> l.contains(" acks=2 "), 5);
            }
        }
    }

    @Test
    void clientBehindDhcrelayGetsAnAddressOfItsOwnSubnet() throws Exception {
        Peers.requireCommands("busybox", "dhcrelay");
        try (NetNs srv = NetNs.create("rs"); NetNs relay = NetNs.create("rr"); NetNs cli = NetNs.create("rc")) {
            String[] up = NetNs.link(srv, "10.94.0.1/24", relay, "10.94.0.2/24");
            String[] down = NetNs.link(relay, "10.94.1.1/24", cli, null);
            srv.exec(10, "ip", "route", "add", "10.94.1.0/24", "via", "10.94.0.2");
            try (ServerProcess s = ServerProcess.start(srv, "--server", "10.94.0.1", "--subnet", "10.94.0.0/24",
                    "--subnet", "10.94.1.0/24,10.94.1.100-10.94.1.110,10.94.1.1")) {
                relay.start(java.lang.ProcessBuilder.Redirect.DISCARD, "dhcrelay", "-4", "-d", "-q", "-iu", up[1], "-id", down[0],
                        "10.94.0.1");
                Thread.sleep(1000);
                Path out = tmp.resolve("relayed.out");
                Path sc = script("r.sh", "[ \"$1\" = bound ] && echo \"ip=$ip router=$router\" >> " + out);
                cli.exec(40, "busybox", "udhcpc", "-i", down[1], "-n", "-q", "-f", "-t", "8", "-T", "2", "-s", sc.toString());
                assertThat(Files.readString(out)).contains("ip=10.94.1.100 router=10.94.1.1");
            }
        }
    }

    @Test
    void nmapDhcpDiscoverSeesTheBootOptions() throws Exception {
        Peers.requireCommands("nmap");
        try (NetNs srv = NetNs.create("ns"); NetNs cli = NetNs.create("nc")) {
            String[] ifs = NetNs.link(srv, "10.95.0.1/24", cli, "10.95.0.2/24");
            try (ServerProcess s = ServerProcess.start(srv, "--server", "10.95.0.1", "--subnet",
                    "10.95.0.0/24,10.95.0.100-10.95.0.150,10.95.0.254", "--boot", "always")) {
                String out = cli.exec(60, "nmap", "-n", "-Pn", "-sU", "-p67", "-e", ifs[1], "--script", "dhcp-discover",
                        "--script-args", "dhcp-discover.dhcptype=DHCPDISCOVER", "10.95.0.1");
                assertThat(out).contains("DHCP Message Type: DHCPOFFER").contains("Server Identifier: 10.95.0.1")
                        .contains("IP Offered: 10.95.0.1").contains("Bootfile Name: undionly.kpxe")
                        .contains("TFTP Server Name: 10.95.0.1").contains("Router: 10.95.0.254");
            }
        }
    }
}
