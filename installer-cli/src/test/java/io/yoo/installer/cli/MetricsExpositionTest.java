package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.dhcp.server.DhcpServer;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpSubnet;
import io.yoo.installer.http.metrics.ProcessMetrics;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} passes {@code promtool check metrics} (HELP on every family, Prometheus naming)
 * after real traffic, and DHCP, TFTP and HTTP all count into the one registry: {@code yoo serve} as
 * a real process with TFTP (curl) and HTTP traffic, and a real DHCP server on an ephemeral loopback
 * port counting into the same kind of registry across a restart.
 */
class MetricsExpositionTest {
    @TempDir
    Path dir;

    @Test
    void serveExportsLintCleanMetricsForTftpHttpJvmAndBuild() throws Exception {
        Peers.requireCommands("promtool", "curl");
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
                cluster: m1
                architecture: dev
                network: { interface: lo, server: 127.0.0.1, subnet: 127.0.0.0/24 }
                server: { httpPort: %d, stateDir: state, assetDir: assets }
                os: { version: 4081.2.0 }
                machines:
                  - { name: a1, mac: "52:54:00:99:01:11", ip: 127.0.0.11 }
                """.formatted(httpPort));
        try (ServeProcess serve = ServeProcess.start(dir, "m1", ServeProcess.onLoopback(cluster, tftpPort))) {

            Path menu = dir.resolve("menu");
            assertThat(curl("tftp://127.0.0.1:" + tftpPort + "/pxelinux.cfg/default", menu)).as("TFTP menu").isZero();
            assertThat(curl("tftp://127.0.0.1:" + tftpPort + "/no-such-file", Path.of("/dev/null"))).as("curl: TFTP file not found")
                    .isEqualTo(68);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String base = "http://127.0.0.1:" + httpPort;
            assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(http, base + "/no-such-page").statusCode()).isEqualTo(404);

            String text = get(http, base + "/metrics").body();
            assertLintClean(text);
            assertThat(text).contains("yoo_requests_total{outcome=\"completed\",protocol=\"tftp\"} 1.0")
                    .contains("yoo_requests_total{outcome=\"not_found\",protocol=\"tftp\"} 1.0")
                    .contains("yoo_http_requests_total{route=\"health\",status=\"2xx\"} 1.0")
                    .doesNotContain("yoo_tftp_transfers").doesNotContain("yoo_dhcp_messages").doesNotContain("_bytes_bytes");
            assertThat(text.lines().filter(l -> l.startsWith("yoo_requests_total{") && l.contains("protocol=\"http\"")))
                    .as("HTTP requests are counted once, in yoo_http_requests_total").isEmpty();
            assertThat(sample(text, "yoo_served_bytes_total{protocol=\"tftp\"}")).as("at least the menu's bytes (retransmits add)")
                    .isGreaterThanOrEqualTo(Files.size(menu)).isPositive();
            assertThat(sample(text, "yoo_served_bytes_total{protocol=\"http\"}")).isPositive();
            Matcher build = Pattern.compile("(?m)^yoo_build_info\\{commit=\"[^\"]+\",version=\"[^\"]+\"} 1(\\.0)?$").matcher(text);
            assertThat(build.find()).as("yoo_build_info in\n%s", text).isTrue();
            // Micrometer's JVM and process binders
            assertThat(text).contains("jvm_memory_used_bytes{").contains("jvm_threads_live_threads ").contains("jvm_classes_loaded_classes ")
                    .contains("jvm_gc_").contains("system_cpus ").contains("process_cpu_seconds_total ").contains("process_cpu_usage ").contains("process_uptime_seconds ")
                    .contains("process_files_open_files ");
            // the state database (embedded here) takes writes; nothing queued or dropped
            assertThat(text).contains("yoo_store_up 1.0").contains("yoo_store_queued_writes 0.0").contains("yoo_store_queue_oldest_seconds 0.0")
                    .contains("yoo_store_dropped_writes_total 0.0");
        }
    }

    @Test
    void dhcpCountsIntoTheSharedRegistryAcrossARestart() throws Exception {
        Peers.requireCommands("promtool");
        ProcessMetrics metrics = new ProcessMetrics();
        DhcpServer first = dhcp(metrics);
        try (first) {
            first.start();
            send(first.port(), new byte[] {1, 2, 3}); // not DHCP: malformed
            awaitSample(metrics, "yoo_requests_total{outcome=\"malformed\",protocol=\"dhcp\"}", 1);
        }
        DhcpServer second = dhcp(metrics); // as yoo serve restarts DHCP on a reload
        try (second) {
            second.start();
            send(second.port(), new byte[] {4, 5, 6});
            awaitSample(metrics, "yoo_requests_total{outcome=\"malformed\",protocol=\"dhcp\"}", 2);
        }
        assertThat(first.stats().malformed.sum()).as("the server's own stats still count").isEqualTo(1);
        assertLintClean(metrics.scrape());
    }

    private DhcpServer dhcp(ProcessMetrics metrics) {
        Ipv4 me = Ipv4.parse("127.0.0.1");
        DhcpServerConfig cfg = DhcpServerConfig.builder(me).bind(me).ports(0, 68)
                .subnet(DhcpSubnet.of(Ipv4Cidr.parse("127.0.0.0/24"))
                        .withPool(new AddressPool(Ipv4.parse("127.0.0.100"), Ipv4.parse("127.0.0.199"))))
                .leaseDir(dir.resolve("leases")).build();
        BootPolicy policy = req -> BootDecision.unknown(new BootTarget.None("test"));
        return new DhcpServer(cfg, policy).withMetrics(metrics);
    }

    private static void send(int port, byte[] data) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    /** The server counts on its own thread: wait, bounded, for the counter to get there. */
    static void awaitSample(ProcessMetrics metrics, String series, double expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sample(metrics.scrape(), series) < expected) {
            assertThat(System.nanoTime()).as("%s never reached %s:\n%s", series, expected, metrics.scrape()).isLessThan(end);
            Thread.sleep(20);
        }
        assertThat(sample(metrics.scrape(), series)).isEqualTo(expected);
    }

    /** promtool exits 0 and says nothing when every family has HELP and follows the naming rules. */
    static void assertLintClean(String exposition) throws Exception {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        CompletableFuture<String> said = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String out = said.get(10, TimeUnit.SECONDS);
        assertThat(out).as("promtool check metrics on\n%s", exposition).isBlank();
        assertThat(promtool.exitValue()).as("promtool exit status; it said: %s", out).isZero();
    }

    /** The value of one series, or -1 when absent. */
    static double sample(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1.0);
    }

    private static int curl(String url, Path out) throws Exception {
        Process c = new ProcessBuilder("curl", "-sS", "-o", out.toString(), "--max-time", "20", url).redirectErrorStream(true).start();
        c.getInputStream().readAllBytes();
        assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return c.exitValue();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
