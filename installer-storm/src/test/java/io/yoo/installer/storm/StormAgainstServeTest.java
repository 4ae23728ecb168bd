package io.yoo.installer.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot-storm generator against a real {@code yoo serve}: two namespaces on a veth pair, the
 * generator relaying DHCP and owning the machines' reserved addresses; 20 machines must end up
 * installed according to the server's REST API. (Speed is measured by bench/storm.sh, not here.)
 */
class StormAgainstServeTest {
    private static final String SRV_IP = "10.79.0.1";
    private static final String CLI_IP = "10.79.0.2";

    @Test
    void twentyMachinesInstallThroughDhcpTftpAndHttp(@TempDir Path dir) throws Exception {
        Peers.requireNetns();
        try (NetNs srv = NetNs.create("sts"); NetNs cli = NetNs.create("stc")) {
            String[] ifs = NetNs.link(srv, SRV_IP + "/32", cli, CLI_IP + "/32");
            srv.exec(10, "ip", "route", "add", CLI_IP + "/32", "dev", ifs[0]);
            srv.exec(10, "ip", "route", "add", "10.79.0.0/16", "via", CLI_IP, "dev", ifs[0]); // machines are behind the relay
            cli.exec(10, "ip", "route", "add", SRV_IP + "/32", "dev", ifs[1]);
            cli.exec(10, "ip", "route", "add", "local", "10.79.1.0/24", "dev", "lo"); // the machines' reserved addresses

            Path descriptor = dir.resolve("cluster.yml");
            StormDescriptor storm = new StormDescriptor(20, Ipv4.parse(SRV_IP), ifs[0], 8080, dir.resolve("state"), dir.resolve("assets"));
            // the storm fetches the boot program over TFTP but never runs it: stand-ins in ASSETS/ipxe
            // (serve's default TFTP root when it exists) keep the test independent of the ipxe package
            Path ipxe = Files.createDirectories(dir.resolve("assets/ipxe"));
            for (String program : List.of("undionly.kpxe", "snponly.efi")) {
                Files.write(ipxe.resolve(program), new byte[70_000]);
            }
            storm.write(descriptor);
            assertThat(storm.address(19)).hasToString("10.79.1.19");

            Path serveLog = dir.resolve("serve.log");
            srv.start(Redirect.to(serveLog.toFile()), yoo("serve", descriptor.toString(), "--no-host-checks").toArray(String[]::new));
            waitFor(serveLog, "started in", 60);
            // a new cluster's CA keys are generated in the background; live configs wait for them.
            // On a loaded machine that takes longer than the storm's 5 s read timeout, and key
            // generation is not what this test is about: start the machines once they exist.
            waitFor(serveLog, "generated cluster secrets", 120);

            NetNs.Result r = cli.run(120, yoo("storm", "run", descriptor.toString(), "--relay", CLI_IP, "--concurrency", "8")
                    .toArray(String[]::new));
            assertThat(r.output()).as(r.output() + "\nserve log:\n" + Files.readString(serveLog))
                    .contains("machines=20 ok=20 failed=0").contains("api_installed=20");
            assertThat(r.exit()).isZero();
        }
    }

    private static List<String> yoo(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), YooWithStorm.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void waitFor(Path log, String text, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + log + " after " + seconds + " s:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }
}
