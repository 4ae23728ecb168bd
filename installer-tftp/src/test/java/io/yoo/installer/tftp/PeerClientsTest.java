package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.tftp.server.TftpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real TFTP clients (tftp-hpa, atftp, curl, busybox) fetch files over loopback from a server on
 * an ephemeral port, and the bytes must match. 100 MiB only for two clients (time).
 */
class PeerClientsTest {
    @TempDir
    static Path root;

    @TempDir
    static Path out;

    static TftpServer server;
    static final long[] SIZES = {0, 511, 512, 1 << 20};
    static final long BIG = 100L << 20;

    @BeforeAll
    static void start() throws Exception {
        for (long s : SIZES) {
            TestServers.file(root, "f" + s, s);
        }
        server = TestServers.started(TestServers.loopback(root));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static Stream<Arguments> clientsAndSizes() {
        List<Arguments> a = new ArrayList<>();
        for (String c : new String[] {"tftp-hpa", "atftp-w16", "curl-1468", "busybox-1468", "curl-512", "atftp"}) {
            for (long s : SIZES) {
                a.add(Arguments.of(c, s));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} fetches {1} bytes")
    @MethodSource("clientsAndSizes")
    void clientFetchesFileIntact(String client, long size) throws Exception {
        fetchAndCompare(client, "f" + size);
    }

    @Test
    void tftpHpaFetches100MiBAt512BytesAcrossBlockNumberRollover() throws Exception {
        TestServers.file(root, "big", BIG);
        fetchAndCompare("tftp-hpa", "big");
    }

    @Test
    void atftpFetches100MiBWithWindowsize16() throws Exception {
        TestServers.file(root, "big16", BIG);
        fetchAndCompare("atftp-w16", "big16");
        Files.delete(root.resolve("big16"));
    }

    private void fetchAndCompare(String client, String name) throws Exception {
        Path local = out.resolve(client + "-" + name);
        Files.deleteIfExists(local);
        List<String> cmd = command(client, name, local, server.port());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes());
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("client finished: %s", cmd).isTrue();
        assertThat(p.exitValue()).as("exit of %s: %s", cmd, output).isZero();
        Path source = root.resolve(name);
        if (Files.size(source) == 0 && !Files.exists(local)) {
            // curl writes no file for an empty body; exit 0 above already says it got the empty file
            return;
        }
        assertThat(Files.size(local)).as("size from %s", client).isEqualTo(Files.size(source));
        assertThat(TestServers.sha256(local)).isEqualTo(TestServers.sha256(source));
        Files.delete(local);
    }

    static List<String> command(String client, String name, Path local, int port) {
        String host = "127.0.0.1";
        String l = local.toString();
        String ps = Integer.toString(port);
        return switch (client) {
            case "tftp-hpa" -> {
                Peers.requireCommands("tftp");
                yield List.of("tftp", "-m", "binary", host, ps, "-c", "get", name, l);
            }
            case "atftp" -> {
                Peers.requireCommands("atftp");
                yield List.of("atftp", "-g", "-r", name, "-l", l, host, ps);
            }
            case "atftp-w16" -> {
                Peers.requireCommands("atftp");
                yield List.of("atftp", "--option", "blksize 1468", "--option", "windowsize 16", "-g", "-r", name, "-l", l, host, ps);
            }
            case "curl-1468", "curl-512" -> {
                Peers.requireCommands("curl");
                yield List.of("curl", "-sS", "--max-time", "100", "-o", l, "--tftp-blksize", client.substring(5),
                        "tftp://" + host + ":" + ps + "/" + name);
            }
            case "busybox-1468" -> {
                Peers.requireCommands("busybox");
                yield List.of("busybox", "tftp", "-b", "1468", "-g", "-r", name, "-l", l, host, ps);
            }
            default -> throw new IllegalArgumentException(client);
        };
    }
}
