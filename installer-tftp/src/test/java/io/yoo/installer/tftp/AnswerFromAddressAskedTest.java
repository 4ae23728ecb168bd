package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HA pair's service address is a /32 beside the interface's primary address; PXE firmware sends
 * its RRQ to it (DHCP's next-server) and may drop DATA from any other address. The server runs in a
 * child JVM in one namespace (primary 10.94.0.1/24, service address 10.94.0.5/32 added after start,
 * as the holder of the address does), real clients in another whose firewall drops all UDP from
 * the primary address: a fetch through the service address completes only if every answer comes
 * from it. Once the server stops listening there, the same request is answered from the primary
 * (route-picked) address again: what every transfer did before {@code TftpServer.listenOn}.
 */
class AnswerFromAddressAskedTest {
    private static final String PRIMARY = "10.94.0.1";
    private static final String SERVICE = "10.94.0.5";

    @TempDir
    Path root;

    @Test
    void transfersAskedOfTheServiceAddressAreAnsweredFromIt() throws Exception {
        Peers.requireNetns();
        Peers.requireCommands("iptables", "curl", "atftp", "tftp");
        Path file = TestServers.file(root, "boot.bin", 300_000);
        root.toFile().setExecutable(true, false);
        try (NetNs srv = NetNs.create("as"); NetNs cli = NetNs.create("ac")) {
            String[] ifs = NetNs.link(srv, PRIMARY + "/24", cli, "10.94.0.2/24");
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = root.resolveSibling(root.getFileName() + "-server.log");
            Process server = srv.start(ProcessBuilder.Redirect.to(log.toFile()), javaBin, "-cp", System.getProperty("java.class.path"),
                    StandaloneServer.class.getName(), root.toString(), "69", "200");
            awaitLine(log, "READY");
            srv.exec(10, "ip", "addr", "add", SERVICE + "/32", "dev", ifs[0]);
            command(server, log, "listen " + SERVICE);
            cli.exec(10, "iptables", "-A", "INPUT", "-p", "udp", "-s", PRIMARY, "-j", "DROP");

            Path got = root.resolveSibling(root.getFileName() + "-got");
            String[][] clients = {
                {"curl", "-sS", "--max-time", "20", "--tftp-blksize", "1468", "-o", got.toString(), "tftp://" + SERVICE + "/boot.bin"},
                {"tftp", "-m", "binary", SERVICE, "-c", "get", "boot.bin", got.toString()},
                {"atftp", "--option", "blksize 1432", "--option", "tsize 0", "-g", "-r", "boot.bin", "-l", got.toString(), SERVICE},
                {"atftp", "--option", "windowsize 8", "-g", "-r", "boot.bin", "-l", got.toString(), SERVICE},
            };
            List<String> failures = new ArrayList<>();
            for (String[] c : clients) {
                Files.deleteIfExists(got);
                NetNs.Result r = cli.run(30, c);
                boolean ok = r.exit() == 0 && Files.exists(got) && TestServers.sha256(got).equals(TestServers.sha256(file));
                if (!ok) {
                    failures.add(String.join(" ", c) + " -> exit " + r.exit() + ": " + r.output());
                }
            }
            long dropped = droppedFromPrimary(cli);
            assertThat(failures).as("fetches through %s with answers from %s dropped (%d dropped); server log:%n%s", SERVICE, PRIMARY,
                    dropped, Files.readString(log)).isEmpty();
            assertThat(dropped).as("UDP packets from the primary address").isZero();
            // a missing file: the ERROR comes from the request socket on the service address too
            Files.deleteIfExists(got);
            NetNs.Result missing = cli.run(40, "tftp", "-m", "binary", SERVICE, "-c", "get", "nothing", got.toString());
            assertThat(missing.output()).as("tftp-hpa's answer for a missing file").contains("Error code 1: file not found");
            assertThat(droppedFromPrimary(cli)).isZero();

            // taken back (the address moved to the other server): requests to it reach the wildcard socket
            // again, whose transfers the kernel sends from the primary address, which the client drops
            command(server, log, "unlisten " + SERVICE);
            Files.deleteIfExists(got);
            NetNs.Result after = cli.run(30, "curl", "-sS", "--max-time", "3", "-o", got.toString(), "tftp://" + SERVICE + "/boot.bin");
            assertThat(after.exit()).as("curl through %s with the wildcard socket only: %s", SERVICE, after.output()).isNotZero();
            assertThat(droppedFromPrimary(cli)).as("answers from the primary address").isPositive();
        }
    }

    /** Packets the client's firewall dropped because they came from the primary address. */
    private static long droppedFromPrimary(NetNs cli) throws Exception {
        for (String line : cli.exec(10, "iptables", "-nvxL", "INPUT").split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (line.contains("DROP") && line.contains(PRIMARY) && w[0].matches("\\d+")) {
                return Long.parseLong(w[0]);
            }
        }
        throw new AssertionError("no DROP rule for " + PRIMARY + " in the client namespace");
    }

    /** Sends one stdin command to the standalone server and waits (bounded) for its answer. */
    private static void command(Process server, Path log, String command) throws Exception {
        OutputStream in = server.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
        awaitLine(log, "DONE " + command);
    }

    private static void awaitLine(Path log, String text) throws Exception {
        for (int i = 0; i < 300; i++) {
            String s = Files.exists(log) ? Files.readString(log) : "";
            if (s.contains(text)) {
                return;
            }
            if (s.contains("FAILED")) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' from the server: " + (Files.exists(log) ? Files.readString(log) : "no log"));
    }
}
