package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.state.InstallLogStore;
import io.yoo.installer.testsupport.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Install logs (issue #17) through a real server and its H2 store: the install script's upload
 * ({@code POST /api/v1/machines/{name}/log}, machine token, gzip or text, bounded), kept per
 * attempt, read back with {@code GET .../attempts} and {@code .../attempts/{n}/log}.
 */
class InstallLogsTest extends TestServerCase {
    static final ObjectMapper JSON = new ObjectMapper();
    String ta;

    @BeforeEach
    void machineToken() {
        ta = s.tokens.tokenFor("node-a");
    }

    HttpResponse<String> upload(String machine, String token, String contentType, byte[] body) throws IOException, InterruptedException {
        return s.client.send(HttpRequest.newBuilder(URI.create(s.base() + "/api/v1/machines/" + machine + "/log?token=" + token))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static byte[] gzip(byte[] text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text);
        }
        return out.toByteArray();
    }

    static String log(int lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append("  install-os| writing block ").append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void aGzipLogIsStoredForTheCurrentAttemptAndReadBackAsText() throws Exception {
        String text = "yoo[node-a]: install of node-a started\n" + log(5000) + "yoo[node-a]: install-os: FAILED (exit 5); not rebooting\n";
        HttpResponse<String> r = upload("node-a", ta, "application/gzip", gzip(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.get("attempt").asInt()).isZero();
        assertThat(answer.get("bytes").asLong()).isEqualTo(text.length());

        JsonNode attempts = JSON.readTree(s.admin("GET", "/api/v1/machines/node-a/attempts", null).body()).get("items");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).get("attempt").asInt()).isZero();
        assertThat(attempts.get(0).get("bytes").asLong()).isEqualTo(text.length());
        assertThat(attempts.get(0).get("compressedBytes").asLong()).isLessThan(text.length() / 5);
        assertThat(attempts.get(0).get("log").asText()).isEqualTo("/api/v1/machines/node-a/attempts/0/log");
        HttpResponse<String> got = s.admin("GET", "/api/v1/machines/node-a/attempts/0/log", null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(got.body()).isEqualTo(text);
    }

    @Test
    void eachAttemptKeepsItsOwnLogAcrossAReprovision() throws Exception {
        assertThat(upload("node-a", ta, "text/plain", "first attempt: failed\n".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(s.admin("POST", "/api/v1/machines/node-a/reprovision", "{\"reason\":\"retry\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> second = upload("node-a", ta, "text/plain; charset=utf-8", "second attempt: installed\n".getBytes(StandardCharsets.UTF_8));
        assertThat(JSON.readTree(second.body()).get("attempt").asInt()).isEqualTo(1);

        JsonNode attempts = JSON.readTree(s.admin("GET", "/api/v1/machines/node-a/attempts", null).body()).get("items");
        assertThat(attempts).extracting(a -> a.get("attempt").asInt()).containsExactly(1, 0);
        assertThat(s.admin("GET", "/api/v1/machines/node-a/attempts/0/log", null).body()).isEqualTo("first attempt: failed\n");
        assertThat(s.admin("GET", "/api/v1/machines/node-a/attempts/1/log", null).body()).isEqualTo("second attempt: installed\n");
        assertThat(s.admin("GET", "/api/v1/machines/node-a/attempts/2/log", null).statusCode()).isEqualTo(404);
        assertThat(s.admin("GET", "/api/v1/machines/node-b/attempts", null).body()).isEqualTo("{\"items\":[]}");
        assertThat(s.admin("GET", "/api/v1/machines/nobody/attempts", null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTheMachinesOwnTokenMayUpload() throws Exception {
        byte[] body = "log".getBytes(StandardCharsets.UTF_8);
        assertThat(upload("node-a", s.tokens.tokenFor("node-b"), "text/plain", body).statusCode()).isEqualTo(403);
        assertThat(upload("node-a", "", "text/plain", body).statusCode()).isEqualTo(403);
        assertThat(upload("nobody", ta, "text/plain", body).statusCode()).isEqualTo(403);
        HttpResponse<String> admin = s.client.send(HttpRequest.newBuilder(URI.create(s.base() + "/api/v1/machines/node-a/log"))
                .header("Authorization", "Bearer " + s.adminToken()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).as("the admin token is not a machine's").isEqualTo(403);
        assertThat(s.admin("GET", "/api/v1/machines/node-a/attempts", null).body()).isEqualTo("{\"items\":[]}");
    }

    @Test
    void sizesAreBoundedAndBadGzipIsRefused() throws Exception {
        // 17 MiB of zeros compress to ~17 KiB: refused by what it expands to
        HttpResponse<String> bomb = upload("node-a", ta, "application/gzip", gzip(new byte[17 << 20]));
        assertThat(bomb.statusCode()).as(bomb.body()).isEqualTo(413);
        assertThat(bomb.body()).contains("expands to over");
        HttpResponse<String> big = upload("node-a", ta, "text/plain", new byte[6 << 20]);
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<String> notGzip = upload("node-a", ta, "application/gzip", "plain text".getBytes(StandardCharsets.UTF_8));
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(notGzip.body()).contains("not gzip");
        byte[] truncated = gzip(log(1000).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> cut = upload("node-a", ta, "application/gzip", Arrays.copyOf(truncated, truncated.length / 2));
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(s.admin("GET", "/api/v1/machines/node-a/attempts", null).body()).isEqualTo("{\"items\":[]}");
    }

    @Test
    void theStoreKeepsTheNewestAttemptsOnly() {
        for (int attempt = 0; attempt < InstallLogStore.KEEP_ATTEMPTS + 3; attempt++) {
            s.store.putLog("node-c", attempt, Instant.now(), 1, new byte[] {0x1f, (byte) 0x8b});
        }
        assertThat(s.store.logs("node-c")).hasSize(InstallLogStore.KEEP_ATTEMPTS)
                .first().satisfies(i -> assertThat(i.attempt()).isEqualTo(InstallLogStore.KEEP_ATTEMPTS + 2));
        assertThat(s.store.log("node-c", 2)).isEmpty();
        assertThat(s.store.log("node-c", 3)).isPresent();
    }

    /** The script's own upload command: curl posting the gzip file as it is. */
    @Test
    void curlAsTheInstallScriptRunsIt() throws Exception {
        Peers.requireCommands("curl", "gzip");
        Path f = dir.resolve("install.log");
        Files.writeString(f, log(300));
        Process gz = new ProcessBuilder("gzip", "-k", f.toString()).inheritIO().start();
        assertThat(gz.waitFor()).isZero();
        TestServer.Curl c = TestServer.curl("-f", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/gzip",
                "--data-binary", "@" + f + ".gz", s.base() + "/api/v1/machines/node-a/log?token=" + ta);
        assertThat(c.text()).isEqualTo("200");
        assertThat(s.admin("GET", "/api/v1/machines/node-a/attempts/0/log", null).body()).isEqualTo(log(300));
    }
}
