package io.yoo.installer.examples.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.ExampleClasspath;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's main, run with the module's runtime classpath only (installer-dhcp, installer-api,
 * slf4j), in a network namespace; busybox udhcpc in another namespace is the client.
 */
class EmbeddedDhcpServerTest {
    /** One class of each library installer-dhcp must not need, and of installer-core itself. */
    static final String[] NOT_NEEDED = {"org.yaml.snakeyaml.Yaml", "com.github.mustachejava.Mustache",
            "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonFactory",
            "org.bouncycastle.jce.provider.BouncyCastleProvider", "org.bouncycastle.cert.X509CertificateHolder",
            "org.bouncycastle.openpgp.PGPPublicKey", "io.yoo.installer.core.descriptor.DescriptorLoader"};

    @TempDir
    Path tmp;

    @Test
    void runtimeClasspathHasInstallerDhcpButNoCoreAndNoneOfItsLibraries() throws Exception {
        ExampleClasspath cp = ExampleClasspath.ofThisModule();
        assertThat(cp.loadable("io.yoo.installer.dhcp.server.DhcpServer", "io.yoo.installer.api.net.Ipv4",
                EmbeddedDhcpServer.class.getName())).as("what the example runs on").hasSize(3);
        assertThat(cp.loadable(NOT_NEEDED)).as("classes on %s", cp.asArgument()).isEmpty();
        assertThat(cp.entriesMatching("snakeyaml", "mustache", "jackson", "bcprov", "bcpkix", "bcpg", "installer-core")).isEmpty();
    }

    @Test
    void reservedMachineAndStrangerGetTheirAddressesAndOnlyPxeTheBootFile() throws Exception {
        Peers.requireCommands("busybox");
        ExampleClasspath cp = ExampleClasspath.ofThisModule();
        try (NetNs srv = NetNs.create("eds"); NetNs cli = NetNs.create("edc")) {
            String[] ifs = NetNs.link(srv, EmbeddedDhcpServer.SERVER + "/24", cli, null);
            Path log = tmp.resolve("server.log");
            Process server = srv.start(ProcessBuilder.Redirect.to(log.toFile()),
                    ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-cp", cp.asArgument(), EmbeddedDhcpServer.class.getName(), ifs[0]);
            awaitReady(server, log);

            Path out = tmp.resolve("udhcpc.out");
            Path script = tmp.resolve("udhcpc.sh");
            Files.writeString(script, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"ip=$ip router=$router dns=$dns"
                    + " siaddr=$siaddr boot_file=$boot_file.\" >> " + out + "\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

            // the reserved machine, as PXE firmware (vendor class PXEClient)
            cli.exec(10, "ip", "link", "set", "dev", ifs[1], "address", EmbeddedDhcpServer.RESERVED_MAC);
            cli.exec(30, "busybox", "udhcpc", "-i", ifs[1], "-n", "-q", "-f", "-t", "5", "-T", "2",
                    "-V", "PXEClient:Arch:00000:UNDI:002001", "-s", script.toString());
            // a stranger, as an operating system's client: an address from the pool, no boot file
            cli.exec(10, "ip", "link", "set", "dev", ifs[1], "address", "52:54:00:96:00:99");
            cli.exec(30, "busybox", "udhcpc", "-i", ifs[1], "-n", "-q", "-f", "-t", "5", "-T", "2", "-s", script.toString());

            assertThat(Files.readAllLines(out)).as("server log:\n%s", Files.readString(log)).containsExactly(
                    "ip=10.96.0.11 router=10.96.0.254 dns=10.96.0.1 siaddr=10.96.0.1 boot_file=undionly.kpxe.",
                    "ip=10.96.0.100 router=10.96.0.254 dns=10.96.0.1 siaddr= boot_file=."); // no boot file: no next server either
        }
    }

    /** Bounded wait for the example's READY line; fails with its output if it exits first. */
    private static void awaitReady(Process server, Path log) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains("READY")) {
                return;
            }
            assertThat(server.isAlive()).as("example exited early:\n%s", Files.exists(log) ? Files.readString(log) : "").isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("no READY within 30 s:\n" + Files.readString(log));
    }
}
