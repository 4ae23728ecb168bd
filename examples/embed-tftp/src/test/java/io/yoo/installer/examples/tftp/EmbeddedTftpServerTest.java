package io.yoo.installer.examples.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.ExampleClasspath;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's main, run with the module's runtime classpath only (installer-tftp, installer-api,
 * slf4j), on an ephemeral loopback port; curl is the TFTP client.
 */
class EmbeddedTftpServerTest {
    /** One class of each library installer-tftp must not need, and of installer-core itself. */
    static final String[] NOT_NEEDED = {"org.yaml.snakeyaml.Yaml", "com.github.mustachejava.Mustache",
            "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonFactory",
            "org.bouncycastle.jce.provider.BouncyCastleProvider", "org.bouncycastle.cert.X509CertificateHolder",
            "org.bouncycastle.openpgp.PGPPublicKey", "io.yoo.installer.core.descriptor.DescriptorLoader"};

    @TempDir
    Path root;
    @TempDir
    Path tmp;
    Process server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void runtimeClasspathHasInstallerTftpButNoCoreAndNoneOfItsLibraries() throws Exception {
        ExampleClasspath cp = ExampleClasspath.ofThisModule();
        assertThat(cp.loadable("io.yoo.installer.tftp.server.TftpServer", "io.yoo.installer.api.lifecycle.Lifecycle",
                EmbeddedTftpServer.class.getName())).as("what the example runs on").hasSize(3);
        assertThat(cp.loadable(NOT_NEEDED)).as("classes on %s", cp.asArgument()).isEmpty();
        assertThat(cp.entriesMatching("snakeyaml", "mustache", "jackson", "bcprov", "bcpkix", "bcpg", "installer-core")).isEmpty();
    }

    @Test
    void curlFetchesAFileOfTheDirectoryAndNothingOutsideIt() throws Exception {
        Peers.requireCommands("curl");
        byte[] content = new byte[300_000]; // many blocks, and not a multiple of 512 or 1468
        new Random(300_000).nextBytes(content);
        Files.createDirectories(root.resolve("boot"));
        Files.write(root.resolve("boot/kernel"), content);
        Files.writeString(tmp.resolve("secret"), "not served");

        Path log = tmp.resolve("server.log");
        server = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                ExampleClasspath.ofThisModule().asArgument(), EmbeddedTftpServer.class.getName(), root.toString(), "127.0.0.1", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int port = awaitReady(server, log);

        assertThat(curl(port, "boot/kernel")).isZero();
        assertThat(Files.readAllBytes(tmp.resolve("got"))).isEqualTo(content);
        // ../secret would be outside the root: refused (curl 69: TFTP access violation; 68: not found)
        Files.deleteIfExists(tmp.resolve("got"));
        assertThat(curl(port, "../" + tmp.getFileName() + "/secret")).isIn(68, 69);
        assertThat(tmp.resolve("got")).doesNotExist();
    }

    private int curl(int port, String path) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--path-as-is", "--max-time", "20", "-o", tmp.resolve("got").toString(),
                "tftp://127.0.0.1:" + port + "/" + path).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** Bounded wait for the example's READY line; returns the port it printed. */
    private static int awaitReady(Process server, Path log) throws Exception {
        Pattern ready = Pattern.compile("READY port (\\d+)");
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            for (String l : lines) {
                Matcher m = ready.matcher(l);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            assertThat(server.isAlive()).as("example exited early:\n%s", String.join("\n", lines)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("no READY within 30 s:\n" + Files.readString(log));
    }
}
