package io.yoo.installer.storm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The discovery storm generator against a real {@code yoo serve} on loopback with discovery on:
 * 40 unknown machines report at once; every one is accepted (202, its enrollment token checked
 * by the server) and listed by the admin API; the table row says so. (Speed is measured by
 * bench/discovery-storm.sh, not here.)
 */
class DiscoveryStormAgainstServeTest {

    @Test
    void fortyMachinesReportTheirInventoryAtOnceAndAreListed(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, """
                cluster: dstorm
                architecture: devtest
                network: { interface: lo, server: 10.81.0.1, subnet: 10.81.0.0/16, dhcp: off }
                server: { httpPort: %d, stateDir: state, assetDir: assets, discovery: true }
                os: { version: 4081.2.0 }
                machines:
                  - { name: cp-1, mac: "52:54:00:81:00:01", ip: 10.81.0.10, role: control-plane }
                """.formatted(port));
        Path serveLog = dir.resolve("serve.log");
        Process serve = new ProcessBuilder(yoo("serve", cluster.toString(), "--unprivileged", "--tftp-port", "0", "--bind", "127.0.0.1"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(Redirect.to(serveLog.toFile())).start();
        try {
            waitFor(serveLog, "started in", 90);
            Process storm = new ProcessBuilder(yoo("storm", "discover", "--url", "http://127.0.0.1:" + port, "--state-dir",
                    dir.resolve("state").toString(), "--machines", "40", "--server-pid", String.valueOf(serve.pid())))
                    .redirectErrorStream(true).start();
            String out = new String(storm.getInputStream().readAllBytes());
            assertThat(storm.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(storm.exitValue()).as(out + "\nserve log:\n" + Files.readString(serveLog)).isZero();
            List<String> row = List.of(out.strip().lines().reduce((a, b) -> b).orElseThrow().split("\\s*\\|\\s*"));
            // | machines | in flight | wall s | accepted | other | p50 | p99 | max | listed | list s | cpu | rss |
            assertThat(row.get(1)).isEqualTo("40");
            assertThat(row.get(4)).isEqualTo("40");
            assertThat(row.get(5)).isEqualTo("none");
            assertThat(row.get(9)).isEqualTo("40");
            assertThat(row.get(12)).matches("[0-9]+ / [0-9]+");
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> yoo(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                YooWithStorm.class.getName()));
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
