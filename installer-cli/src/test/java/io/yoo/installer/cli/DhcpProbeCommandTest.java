package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yoo dhcp-probe IFACE} as the README writes it, on an interface with no address at all
 * (no IPv4, IPv6 off, no broadcast route), against a real dnsmasq on the other end of a veth
 * pair in two namespaces this test creates.
 */
class DhcpProbeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void probesAnInterfaceWithoutAnAddressNamedPositionally() throws Exception {
        Peers.requireNetns();
        Peers.requireCommands("dnsmasq");
        try (NetNs server = NetNs.create("qd"); NetNs client = NetNs.create("qc")) {
            String[] link = NetNs.link(server, "10.95.0.2/24", client, null);
            // as a fresh NIC would be: no address of either family, no route
            client.exec(10, "sysctl", "-q", "-w", "net.ipv6.conf." + link[1] + ".disable_ipv6=1");
            client.exec(10, "ip", "route", "flush", "dev", link[1]);
            assertThat(client.exec(10, "ip", "-o", "addr", "show", "dev", link[1])).doesNotContain("inet");
            server.start(ProcessBuilder.Redirect.DISCARD, "dnsmasq", "-k", "--port=0", "--interface=" + link[0], "--bind-interfaces",
                    "--dhcp-range=10.95.0.100,10.95.0.150,255.255.255.0,10m", "--no-ping",
                    "--dhcp-leasefile=" + tmp.resolve("dnsmasq.leases"), "--pid-file=" + tmp.resolve("dnsmasq.pid"),
                    "--user=root", "--no-resolv", "--no-hosts");
            NetNs.Result r = null;
            for (int attempt = 0; attempt < 5; attempt++) { // dnsmasq needs a moment to bind: ask again until it answers
                r = client.run(60, yoo("dhcp-probe", link[1], "--wait", "2"));
                if (r.output().contains("server 10.95.0.2")) {
                    break;
                }
            }
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).containsPattern("server 10\\.95\\.0\\.2 \\(from 10\\.95\\.0\\.2\\) offers 10\\.95\\.0\\.1[0-9][0-9]");

            // the option form still works; neither form is a usage error
            NetNs.Result option = client.run(60, yoo("dhcp-probe", "--interface", link[1], "--wait", "2"));
            assertThat(option.exit()).as(option.output()).isZero();
            NetNs.Result none = client.run(60, yoo("dhcp-probe"));
            assertThat(none.exit()).isEqualTo(Yoo.EXIT_USAGE);
            assertThat(none.output()).contains("give the interface to probe");
        }
    }

    private static String[] yoo(String... args) {
        return ServeProcess.javaCommand(List.of(args)).toArray(String[]::new);
    }
}
