package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.testsupport.Peers;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine's own PXELINUX/GRUB file carries its token: {@code yoo serve} (dhcp: full, so it
 * knows each machine's leased address) gives it over TFTP only to that address. A real TFTP
 * client (curl) asks from the machine's address (127.0.0.11) and from another (127.0.0.12).
 */
class TftpTokenAccessTest {
    @TempDir
    Path dir;

    @Test
    void perMachineFilesGoOnlyToTheMachinesLeasedAddress() throws Exception {
        Peers.requireCommands("curl");
        int httpPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            httpPort = s.getLocalPort();
        }
        int tftpPort;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            tftpPort = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, """
                cluster: t2
                architecture: dev
                network: { interface: lo, server: 127.0.0.1, subnet: 127.0.0.0/24, dhcp: full }
                server: { httpPort: %d, stateDir: state, assetDir: assets }
                os: { version: 4081.2.0 }
                machines:
                  - { name: m1, mac: "52:54:00:99:00:11", ip: 127.0.0.11 }
                """.formatted(httpPort));
        try (ServeProcess serve = ServeProcess.start(dir, "t2", ServeProcess.onLoopback(cluster, tftpPort))) {
            List<String> lines = serve.lines();
            String token = TokenSecretFile.read(dir.resolve("state")).orElseThrow().tokenFor("m1");

            for (String path : List.of("pxelinux.cfg/01-52-54-00-99-00-11", "pxelinux.cfg/7F00000B", "grub/grub.cfg-01-52-54-00-99-00-11")) {
                Curl own = tftp("127.0.0.11", tftpPort, path);
                assertThat(own.exit()).as("%s from the machine's address: %s", path, own.out()).isZero();
                assertThat(own.out()).as(path).contains(token);
                Curl other = tftp("127.0.0.12", tftpPort, path);
                // curl's exit 68 is CURLE_TFTP_NOTFOUND: the server answered "file not found"
                assertThat(other.exit()).as("%s from another address must be not found: %s", path, other.out()).isEqualTo(68);
                assertThat(other.out()).as(path).doesNotContain(token);
            }
            // the shared menu holds no machine's token and is served to anyone
            Curl menu = tftp("127.0.0.12", tftpPort, "pxelinux.cfg/default");
            assertThat(menu.exit()).as(menu.out()).isZero();
            assertThat(menu.out()).doesNotContain(token);
            assertThat(lines).anyMatch(l -> l.contains("TFTP pxelinux.cfg/01-52-54-00-99-00-11 refused to 127.0.0.12: it is m1's own file"));
        }
    }

    record Curl(int exit, String out) {}

    /** curl as the TFTP client, bound to {@code from} (any 127.0.0.0/8 address is this host's). */
    private static Curl tftp(String from, int port, String path) throws Exception {
        Process c = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--interface", from,
                "tftp://127.0.0.1:" + port + "/" + path).redirectErrorStream(true).start();
        String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Curl(c.exitValue(), out);
    }
}
