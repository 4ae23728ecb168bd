package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yoo dhcp6} as the README writes it, answering ISC {@code dhclient -6} across a veth
 * pair in two namespaces this test creates; the lease lands in the journal.
 */
class Dhcp6CommandTest {
    @TempDir
    Path tmp;

    @Test
    void dhclientGetsAnAddressOfTheRangeFromYooDhcp6() throws Exception {
        Peers.requireNetns();
        Peers.requireCommands("dhclient", "ss");
        try (NetNs server = NetNs.create("q6s"); NetNs client = NetNs.create("q6c")) {
            for (NetNs n : List.of(server, client)) { // no DAD: a tentative link-local address cannot send yet
                n.exec(10, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
            }
            String[] link = NetNs.link(server, "fd00:9c::1/64", client, null);
            Path leases = tmp.resolve("leases6");
            server.start(ProcessBuilder.Redirect.to(tmp.resolve("yoo.out").toFile()), yoo("dhcp6", "--interface", link[0],
                    "--server-address", "fd00:9c::1", "--subnet", "fd00:9c::/64", "--range", "fd00:9c::100-fd00:9c::1ff",
                    "--dns", "fd00:9c::53", "--lease-dir", leases.toString()));
            long end = System.nanoTime() + 60_000_000_000L;
            while (!server.exec(10, "ss", "-Hlun", "sport = :547").contains(":547")) {
                assertThat(System.nanoTime()).as("yoo dhcp6 did not bind udp/547: %s", Files.readString(tmp.resolve("yoo.out")))
                        .isLessThan(end);
                Thread.sleep(200); // polling for the bind, not synchronising on time
            }
            Path out = tmp.resolve("dhclient.out");
            Path sc = tmp.resolve("dhclient.sh");
            Files.writeString(sc, "#!/bin/sh\n[ \"$reason\" = BOUND6 ] && echo \"ip=$new_ip6_address dns=$new_dhcp6_name_servers\" >> "
                    + out + "; exit 0\n");
            Files.setPosixFilePermissions(sc, PosixFilePermissions.fromString("rwxr-xr-x"));
            client.exec(45, "dhclient", "-6", "-1", "-sf", sc.toString(), "-pf", tmp.resolve("dhclient.pid").toString(),
                    "-lf", tmp.resolve("dhclient.leases").toString(), link[1]);
            assertThat(Files.readString(out)).contains("ip=fd00:9c::100 dns=fd00:9c::53");
            assertThat(Files.readString(leases.resolve("leases6.journal"))).startsWith("B fd00:9c::100 ");
        }
    }

    private static String[] yoo(String... args) {
        return ServeProcess.javaCommand(List.of(args)).toArray(String[]::new);
    }
}
