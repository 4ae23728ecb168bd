package io.yoo.installer.dhcp.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProxyDHCP beside dnsmasq on one segment, and one server on two interfaces. */
class ProxyAndInterfacesTest {
    @TempDir
    Path tmp;

    /** A bridge in its own namespace with a veth port for each of {@code members}; returns their interface names. */
    private static String[] lan(NetNs bridgeNs, NetNs... members) throws Exception {
        bridgeNs.exec(10, "ip", "link", "add", "br0", "type", "bridge");
        bridgeNs.exec(10, "ip", "link", "set", "br0", "up");
        String[] names = new String[members.length];
        for (int i = 0; i < members.length; i++) {
            String sfx = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
            names[i] = "vm" + sfx;
            String port = "vp" + sfx;
            NetNs.Result r = new NetNs.Result(0, "");
            Process p = new ProcessBuilder("ip", "link", "add", names[i], "netns", members[i].name(), "type", "veth", "peer",
                    "name", port, "netns", bridgeNs.name()).redirectErrorStream(true).start();
            assertThat(p.waitFor()).as(r.output()).isZero();
            bridgeNs.exec(10, "ip", "link", "set", port, "master", "br0");
            bridgeNs.exec(10, "ip", "link", "set", port, "up");
            members[i].exec(10, "ip", "link", "set", names[i], "up");
        }
        return names;
    }

    @Test
    void proxyDhcpBesideDnsmasqAddsTheBootFileWhileDnsmasqGivesTheAddress() throws Exception {
        Peers.requireCommands("dnsmasq");
        try (NetNs br = NetNs.create("pb"); NetNs dns = NetNs.create("pd"); NetNs yoo = NetNs.create("py");
                NetNs cli = NetNs.create("pc")) {
            String[] ifs = lan(br, dns, yoo, cli);
            dns.exec(10, "ip", "addr", "add", "10.96.0.2/24", "dev", ifs[0]);
            yoo.exec(10, "ip", "addr", "add", "10.96.0.1/24", "dev", ifs[1]);
            dns.start(java.lang.ProcessBuilder.Redirect.DISCARD, "dnsmasq", "-k", "--port=0", "--interface=" + ifs[0],
                    "--bind-interfaces", "--dhcp-range=10.96.0.100,10.96.0.150,255.255.255.0,10m", "--no-ping",
                    "--dhcp-leasefile=" + tmp.resolve("dnsmasq.leases"), "--pid-file=" + tmp.resolve("dnsmasq.pid"),
                    "--user=root", "--no-resolv", "--no-hosts");
            try (ServerProcess s = ServerProcess.start(yoo, "--server", "10.96.0.1", "--subnet", "10.96.0.0/24",
                    "--mode", "proxy", "--boot", "pxe")) {
                Thread.sleep(500);
                List<String> answers = ServerProcess.probe(cli, ifs[2]);
                String all = String.join("\n", answers);
                assertThat(answers.stream().filter(l -> l.startsWith("ANSWER"))).hasSize(2);
                // dnsmasq: an address, no boot file
                assertThat(all).containsPattern("server 10\\.96\\.0\\.2 .*offers 10\\.96\\.0\\.1[0-9][0-9]");
                // yoo: proxyDHCP, no address, the boot file for the probe's arch 0
                assertThat(all).containsPattern("server 10\\.96\\.0\\.1 \\(from 10\\.96\\.0\\.1\\) proxyDHCP .*file undionly\\.kpxe");
                assertThat(s.lastStats()).contains("proxy=");

                // the rogue detector beside yoo: dnsmasq is foreign unless expected; yoo's own answer never is
                List<String> rogue = ServerProcess.rogue(yoo, "--rogue", ifs[1], "--own", "10.96.0.1");
                assertThat(rogue.stream().filter(l -> l.startsWith("FOREIGN"))).singleElement()
                        .asString().contains("server 10.96.0.2");
                List<String> expected = ServerProcess.rogue(yoo, "--rogue", ifs[1], "--own", "10.96.0.1",
                        "--expected", "10.96.0.2");
                assertThat(expected.stream().filter(l -> l.startsWith("FOREIGN"))).isEmpty();
            }
        }
    }

    @Test
    void repliesLeaveByTheInterfaceTheRequestCameInOnWithoutABroadcastRoute() throws Exception {
        Peers.requireCommands("busybox");
        try (NetNs srv = NetNs.create("ms"); NetNs a = NetNs.create("ma"); NetNs b = NetNs.create("mb")) {
            String[] la = NetNs.link(srv, "10.97.1.1/24", a, null);
            String[] lb = NetNs.link(srv, "10.97.2.1/24", b, null);
            // no route for 255.255.255.255 in the server namespace: IP_PKTINFO must pick the interface
            srv.exec(10, "ip", "route", "flush", "table", "main", "255.255.255.255/32");
            assertThat(srv.exec(10, "ip", "route", "show")).doesNotContain("255.255.255.255");
            try (ServerProcess s = ServerProcess.start(srv, "--server", "10.97.1.1", "--subnet",
                    "10.97.1.0/24,10.97.1.100-10.97.1.110", "--subnet", "10.97.2.0/24,10.97.2.100-10.97.2.110")) {
                assertThat(udhcpc(a, la[1])).contains("ip=10.97.1.100").contains("serverid=10.97.1.1");
                assertThat(udhcpc(b, lb[1])).contains("ip=10.97.2.100").contains("serverid=10.97.2.1");
            }
        }
    }

    private String udhcpc(NetNs ns, String iface) throws Exception {
        Path out = tmp.resolve(ns.name() + ".out");
        Path sc = tmp.resolve(ns.name() + ".sh");
        Files.writeString(sc, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"ip=$ip serverid=$serverid\" >> " + out + "\nexit 0\n");
        Files.setPosixFilePermissions(sc, PosixFilePermissions.fromString("rwxr-xr-x"));
        ns.exec(30, "busybox", "udhcpc", "-i", iface, "-n", "-q", "-f", "-t", "5", "-T", "2", "-s", sc.toString());
        return Files.readString(out);
    }
}
