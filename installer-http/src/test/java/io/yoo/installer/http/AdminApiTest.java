package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.LeaseRecord;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.testsupport.Peers;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AdminApiTest extends TestServerCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void adminCallsNeedTheBearerToken() throws Exception {
        assertThat(s.get("/api/v1/machines").statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = s.client.send(HttpRequest.newBuilder(URI.create(s.base() + "/api/v1/machines"))
                .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(s.get("/api/v1/summary?access_token=" + s.adminToken()).statusCode()).isEqualTo(401); // the stream's alone
        // machine tokens are not admin tokens
        assertThat(s.get("/api/v1/machines?access_token=" + s.tokens.tokenFor("node-a")).statusCode()).isEqualTo(401);
    }

    @Test
    void adminTokenIsStored0600AndStableAcrossRestarts() throws Exception {
        Path f = s.stateDir.resolve("admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(s.server.adminToken().orElseThrow().created()).isTrue();
        String first = s.adminToken();
        s.server.stop();
        HttpServer again = new HttpServer(HttpConfig.plain("127.0.0.1", 0, s.assetDir, s.stateDir), s.server.services());
        again.start();
        try {
            assertThat(again.adminToken().orElseThrow().value()).isEqualTo(first);
            assertThat(again.adminToken().orElseThrow().created()).isFalse();
        } finally {
            again.stop();
        }
    }

    @Test
    void listGetSummaryAndHistory() throws Exception {
        s.get("/boot/by-mac/52:54:00:00:00:0a.ipxe");
        s.postEvent("node-a", s.tokens.tokenFor("node-a"), "{\"phase\":\"install-os\",\"status\":\"started\",\"message\":\"writing\"}");
        s.postEvent("node-c", s.tokens.tokenFor("node-c"), "{\"phase\":\"install-os\",\"status\":\"failed\",\"message\":\"boom\"}");

        JsonNode list = JSON.readTree(s.admin("GET", "/api/v1/machines", null).body());
        assertThat(list).hasSize(3);
        assertThat(list.get(0).get("name").asText()).isEqualTo("node-a");
        assertThat(list.get(0).get("state").asText()).isEqualTo("installing");
        assertThat(list.get(0).get("macs").get(0).asText()).isEqualTo("52:54:00:00:00:0a");
        assertThat(list.get(0).get("role").asText()).isEqualTo("control-plane");
        assertThat(list.get(0).get("labels").get("rack").asText()).isEqualTo("r1");
        assertThat(list.get(1).get("state").asText()).isEqualTo("unknown");
        assertThat(list.get(2).get("message").asText()).isEqualTo("boom");

        JsonNode a = JSON.readTree(s.admin("GET", "/api/v1/machines/node-a", null).body());
        assertThat(a.get("history")).hasSize(2);
        assertThat(a.get("history").get(0).get("source").asText()).isEqualTo("http");
        assertThat(a.get("history").get(1).get("message").asText()).isEqualTo("writing");
        assertThat(s.admin("GET", "/api/v1/machines/nobody", null).statusCode()).isEqualTo(404);

        JsonNode sum = JSON.readTree(s.admin("GET", "/api/v1/summary", null).body());
        assertThat(sum.get("total").asInt()).isEqualTo(3);
        assertThat(sum.get("byState").get("installing").asInt()).isEqualTo(1);
        assertThat(sum.get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void renderPreviewAndReprovision() throws Exception {
        HttpResponse<String> r = s.admin("GET", "/api/v1/machines/node-b/render/config", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("config for node-b secret=s3cr3t-node-b\n");
        assertThat(s.admin("GET", "/api/v1/machines/node-b/render/kubeadm", null).statusCode()).isEqualTo(404);
        assertThat(s.admin("GET", "/api/v1/machines/node-b/render/bogus", null).statusCode()).isEqualTo(400);

        s.postEvent("node-a", s.tokens.tokenFor("node-a"), "{\"phase\":\"running\",\"status\":\"succeeded\"}");
        assertThat(s.store.stateOf("node-a")).isEqualTo(MachineState.RUNNING);
        assertThat(s.admin("GET", "/api/v1/machines/node-a/reprovision", null).statusCode()).isEqualTo(405);
        HttpResponse<String> re = s.admin("POST", "/api/v1/machines/node-a/reprovision", "{\"reason\":\"new disk\"}");
        assertThat(re.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(re.body()).get("state").asText()).isEqualTo("unknown");
        assertThat(s.store.stateOf("node-a")).isEqualTo(MachineState.UNKNOWN);
        assertThat(s.store.machine("node-a").orElseThrow().generation()).isEqualTo(1);
        assertThat(s.store.history("node-a", 5).getLast().message()).contains("new disk");
        assertThat(s.admin("POST", "/api/v1/machines/nobody/reprovision", null).statusCode()).isEqualTo(404);
    }

    @Test
    void openApiHealthAndReadiness() throws Exception {
        JsonNode api = JSON.readTree(s.get("/openapi.json").body());
        assertThat(api.get("openapi").asText()).startsWith("3.");
        assertThat(api.get("paths").has("/api/v1/machines/{name}/events")).isTrue();
        assertThat(api.get("paths").has("/api/v1/machines/{name}/reprovision")).isTrue();
        assertDocumented(api, "/healthz", s.get("/healthz"), 200);
        assertDocumented(api, "/readyz", s.get("/readyz"), 200);
        s.store.stop();
        assertDocumented(api, "/readyz", s.get("/readyz"), 503);
        assertThat(s.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(s.postEvent("node-a", s.tokens.tokenFor("node-a"), "{\"phase\":\"running\",\"status\":\"succeeded\"}").statusCode()).isEqualTo(503);
    }

    /** {@code response} has status {@code status}, and openapi.json names its Content-Type for that status of {@code GET path}. */
    private static void assertDocumented(JsonNode api, String path, HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(status);
        String type = response.headers().firstValue("Content-Type").orElseThrow().split(";")[0].strip();
        JsonNode content = api.path("paths").path(path).path("get").path("responses").path(String.valueOf(status)).path("content");
        assertThat(content.has(type)).as("openapi.json: GET %s %d answers %s, documented as %s", path, status, type, content).isTrue();
    }

    /** The rogue-DHCP watch's findings: in the summary (the UI's banner) and as a bounded-label metric. */
    @Test
    void foreignDhcpServersAreInTheSummaryAndTheMetrics() throws Exception {
        ForeignDhcpServers foreign = s.server.services().foreignDhcp();
        ObjectMapper json = new ObjectMapper();
        JsonNode before = json.readTree(s.admin("GET", "/api/v1/summary", null).body());
        assertThat(before.get("foreignDhcpServers")).isEmpty();
        assertThat(s.get("/metrics").body()).contains("yoo_dhcp_foreign_servers_found 0.0").doesNotContain("yoo_dhcp_foreign_servers{");

        foreign.update(List.of(new ForeignDhcpServers.Server("10.12.0.66", "server 10.12.0.66 (from 10.12.0.66) offers 10.12.0.150",
                Instant.ofEpochMilli(1_700_000_000_000L))));
        JsonNode one = json.readTree(s.admin("GET", "/api/v1/summary", null).body());
        assertThat(one.get("foreignDhcpServers")).hasSize(1);
        assertThat(one.get("foreignDhcpServers").get(0).get("server").asText()).isEqualTo("10.12.0.66");
        assertThat(one.get("foreignDhcpServers").get(0).get("description").asText()).contains("offers 10.12.0.150");
        assertThat(one.get("foreignDhcpServers").get(0).get("lastSeen").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(s.get("/metrics").body()).contains("yoo_dhcp_foreign_servers{server=\"10.12.0.66\"} 1.0")
                .contains("yoo_dhcp_foreign_servers_found 1.0");

        // a segment full of forged servers: eight named, the rest one "other" series
        List<ForeignDhcpServers.Server> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(new ForeignDhcpServers.Server("10.12.0." + (100 + i), "forged " + i, Instant.now()));
        }
        foreign.update(many);
        String metrics = s.get("/metrics").body();
        assertThat(metrics.lines().filter(l -> l.startsWith("yoo_dhcp_foreign_servers{"))).hasSize(9);
        assertThat(metrics).contains("yoo_dhcp_foreign_servers{server=\"other\"} 12.0").contains("yoo_dhcp_foreign_servers_found 20.0")
                .doesNotContain("10.12.0.66");
        JsonNode full = json.readTree(s.admin("GET", "/api/v1/summary", null).body());
        assertThat(full.get("foreignDhcpServers")).hasSize(8);
        assertThat(full.get("foreignDhcpServersUntracked").asInt()).isEqualTo(12);

        foreign.update(List.of()); // the next probe finds none: banner and series go
        assertThat(s.get("/metrics").body()).doesNotContain("yoo_dhcp_foreign_servers{").contains("yoo_dhcp_foreign_servers_found 0.0");
        assertThat(json.readTree(s.admin("GET", "/api/v1/summary", null).body()).get("foreignDhcpServers")).isEmpty();
    }

    @Test
    void metricsInPrometheusFormat() throws Exception {
        Files.writeString(s.assetDir.resolve("f.bin"), "x".repeat(1000));
        s.get("/assets/f.bin");
        s.get("/assets/missing");
        s.get("/boot/by-mac/52:54:00:00:00:0a.ipxe");
        s.postEvent("node-a", s.tokens.tokenFor("node-a"), "{\"phase\":\"installed\",\"status\":\"succeeded\"}");
        s.server.services().metrics().request("dhcp", "ack");
        s.server.services().metrics().request("tftp", "ok");
        s.server.services().metrics().bytesServed("tftp", 12345);
        HttpResponse<String> m = s.get("/metrics");
        assertThat(m.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        String text = m.body();
        assertThat(text).contains("yoo_http_requests_total{route=\"assets\",status=\"2xx\"} 1.0")
                .contains("yoo_http_requests_total{route=\"assets\",status=\"4xx\"} 1.0")
                .contains("yoo_requests_total{outcome=\"ack\",protocol=\"dhcp\"} 1.0")
                .contains("yoo_served_bytes_total{protocol=\"tftp\"} 12345.0")
                .contains("yoo_machines{state=\"installed\"} 1.0")
                .contains("yoo_install_duration_seconds_count 1")
                .contains("yoo_install_duration_seconds_bucket{le=\"120.0\"} 1");
        assertThat(text.lines().filter(l -> l.startsWith("yoo_served_bytes_total{protocol=\"http\"}")).findFirst().orElseThrow())
                .satisfies(l -> assertThat(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(1000));
    }

    @Test
    void sseStreamsASnapshotThenLiveMachineEvents() throws Exception {
        HttpResponse<InputStream> r = s.client.send(HttpRequest.newBuilder(URI.create(s.base() + "/api/v1/stream?access_token=" + s.adminToken())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                String line;
                String ev = null;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        ev = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        synchronized (events) {
                            events.add(ev + " " + line.substring(6));
                            events.notifyAll();
                        }
                    }
                }
            } catch (Exception ignored) {
                // stream closed by the test
            }
        });
        waitFor(events, 1);
        assertThat(events.getFirst()).startsWith("snapshot ").contains("\"node-a\"");
        s.postEvent("node-c", s.tokens.tokenFor("node-c"), "{\"phase\":\"install-os\",\"status\":\"started\",\"message\":\"go\"}");
        waitFor(events, 2);
        JsonNode ev = JSON.readTree(events.get(1).substring("machine ".length()));
        assertThat(events.get(1)).startsWith("machine ");
        assertThat(ev.get("machine").get("name").asText()).isEqualTo("node-c");
        assertThat(ev.get("machine").get("state").asText()).isEqualTo("installing");
        assertThat(ev.get("event").get("message").asText()).isEqualTo("go");
        r.body().close();
        reader.interrupt();
    }

    private static void waitFor(List<String> events, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (events) {
            while (events.size() < n && System.nanoTime() < deadline) {
                events.wait(200);
            }
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(n);
    }

    @Test
    void tlsWithAKeystore() throws Exception {
        Peers.requireCommands("curl", "keytool");
        s.close();
        s = null;
        Path ks = dir.resolve("tls.p12");
        Process p = new ProcessBuilder("keytool", "-genkeypair", "-alias", "yoo", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertThat(p.waitFor()).isZero();
        Path tdir = dir.resolve("tls");
        s = new TestServer(tdir, c -> c.withTls(new TlsConfig(ks, "changeit")), Function.identity(), TestServer.MACHINES);
        String https = "https://127.0.0.1:" + s.server.port();
        assertThat(TestServer.curl("-k", https + "/healthz").text()).isEqualTo("ok\n");
        assertThat(TestServer.curl("-k", "-H", "Authorization: Bearer " + s.adminToken(), https + "/api/v1/summary").text()).contains("\"total\":3");
        // plain HTTP to the TLS port does not get an answer
        assertThat(TestServer.curl("-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + s.server.port() + "/healthz").text()).isNotEqualTo("200");

        // large files cannot go out with sendfile under TLS: they are written from mapped windows
        byte[] image = new byte[(5 << 20) + 5];
        new Random(7).nextBytes(image);
        Files.write(s.assetDir.resolve("image.bin"), image);
        assertThat(TestServer.curl("-k", https + "/assets/image.bin").out()).isEqualTo(image);
        int from = (2 << 20) - 3;
        assertThat(TestServer.curl("-k", "-r", from + "-", https + "/assets/image.bin").out())
                .isEqualTo(Arrays.copyOfRange(image, from, image.length));
        assertThat(TestServer.curl("-k", https + "/metrics").text()).contains("yoo_http_sendfile_bytes_total 0.0");
    }

    /** {@code GET /api/v1/leases}: the admin sees the leases the services hand over, documented in openapi.json. */
    @Test
    void leasesAreListedForTheAdminOnly() throws Exception {
        s.close();
        s = new TestServer(dir.resolve("leases"), c -> c, services -> services.withLeases(() -> List.of(
                new LeaseRecord("10.0.3.100", "525400000101", "hw:525400000101", "bound", 1_900_000_000L))),
                TestServer.MACHINES);
        assertThat(s.get("/api/v1/leases").statusCode()).isEqualTo(401);
        JsonNode leases = JSON.readTree(s.admin("GET", "/api/v1/leases", null).body());
        assertThat(leases).hasSize(1);
        assertThat(leases.get(0).get("ip").asText()).isEqualTo("10.0.3.100");
        assertThat(leases.get(0).get("state").asText()).isEqualTo("bound");
        assertThat(leases.get(0).get("expires").asText()).isEqualTo("2030-03-17T17:46:40Z");
        assertThat(JSON.readTree(s.get("/openapi.json").body()).get("paths").has("/api/v1/leases")).isTrue();
    }
}
