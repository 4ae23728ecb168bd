package io.yoo.installer.http;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcStateStore;
import io.yoo.installer.core.match.MachineDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real server on 127.0.0.1 with an ephemeral port, an H2 store in a temp dir and three machines:
 * node-a (control plane, reserved 127.0.0.1 = the tests' own address), node-b (worker, reserved
 * 10.9.9.9 = never us), node-c (worker, reserved 127.0.0.1).
 */
final class TestServer implements AutoCloseable {
    final Path stateDir;
    final Path assetDir;
    final MachineTokens tokens = new MachineTokens(MachineTokens.newSecret());
    final MachineDirectory machines;
    final JdbcStateStore store;
    final HttpServer server;
    final TestArtifacts artifacts;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static final List<Machine> MACHINES = List.of(
                Fixtures.machine("node-a", "52:54:00:00:00:0a", "127.0.0.1", Role.CONTROL_PLANE, Map.of("rack", "r1", "disk", "ssd")),
                Fixtures.machine("node-b", "52:54:00:00:00:0b", "10.9.9.9", Role.WORKER, Map.of("rack", "r2")),
                Fixtures.machine("node-c", "52:54:00:00:00:0c", "127.0.0.1", Role.WORKER, Map.of("rack", "r1", "disk", "hdd")));

    TestServer(Path dir) throws Exception {
        this(dir, Function.identity(), Function.identity(), MACHINES);
    }

    TestServer(Path dir, Function<HttpConfig, HttpConfig> configure, Function<HttpServices, HttpServices> customize,
            List<Machine> list) throws Exception {
        stateDir = Files.createDirectories(dir.resolve("state"));
        assetDir = Files.createDirectories(dir.resolve("assets"));
        machines = MachineDirectory.of(list, true);
        store = new JdbcStateStore(JdbcConfig.h2File(stateDir));
        store.start();
        artifacts = new TestArtifacts(machines, tokens);
        server = new HttpServer(configure.apply(HttpConfig.plain("127.0.0.1", 0, assetDir, stateDir)),
                customize.apply(HttpServices.of(artifacts, tokens, store, machines)));
        try {
            server.start();
        } catch (Exception e) {
            store.stop();
            throw e;
        }
        artifacts.baseUrl(base());
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    String adminToken() {
        return server.adminToken().orElseThrow().value();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + adminToken());
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postEvent(String machine, String token, String json) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/machines/" + machine + "/events?token=" + token))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Runs curl; returns [exit code, stdout] (stderr merged into stdout only with -v style args). */
    static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl timed out");
        }
        return new Curl(p.exitValue(), out);
    }

    record Curl(int exit, byte[] out) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        server.stop();
        store.stop();
    }
}
