package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yoo http} as a real process on an ephemeral port: files, demo scripts, events, admin token, clean stop. */
class HttpCommandTest {
    @TempDir
    Path dir;

    @Test
    void servesFilesDemoScriptsAndEventsThenStopsOnSigterm() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("small.txt"), "hello\n");
        Path state = dir.resolve("state");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                Yoo.class.getName(), "http", "--http-root", root.toString(), "--http-port", "0", "--bind", "127.0.0.1",
                "--state-dir", state.toString(), "--demo-machines", "3").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            Pattern serving = Pattern.compile("yoo http: serving .* on 127\\.0\\.0\\.1:(\\d+)");
            String adminToken = null;
            int port = -1;
            String line;
            while (port < 0 && (line = out.readLine()) != null) {
                if (line.contains("admin token")) {
                    assertThat(line).doesNotContain(Files.readString(state.resolve("admin-token")).strip());
                    adminToken = line.replaceAll(".* kept in (\\S+) .*", "$1");
                }
                Matcher m = serving.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertThat(port).isPositive();
            // stdout is a pipe here (as under systemd): where the token is kept is printed, not the token
            assertThat(adminToken).isEqualTo(state.resolve("admin-token") + "");
            adminToken = Files.readString(state.resolve("admin-token")).strip();
            HttpClient c = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            assertThat(c.send(HttpRequest.newBuilder(URI.create(base + "/small.txt")).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello\n");
            List<String> urls = Files.readAllLines(state.resolve("demo-urls.txt"));
            assertThat(urls).hasSize(3);
            String[] first = urls.getFirst().split(" ");
            assertThat(c.send(HttpRequest.newBuilder(URI.create(base + first[1])).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .startsWith("#!ipxe").contains("yoo.callback=" + base + first[2]);
            HttpResponse<String> ev = c.send(HttpRequest.newBuilder(URI.create(base + first[2])).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"phase\":\"installed\",\"status\":\"succeeded\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ev.body()).contains("\"state\":\"installed\"");
            HttpResponse<String> sum = c.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/summary")).header("Authorization", "Bearer " + adminToken).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sum.body()).contains("\"total\":3").contains("\"installed\":1");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook stops HTTP and the store
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.exists(state.resolve("yoo.mv.db"))).isTrue();
    }
}
