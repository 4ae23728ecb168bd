package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code yoo logs} against a real {@code yoo serve}: w-1's first attempt failed and uploaded its
 * log (gzip, as curl sends it), was reprovisioned through the API and its second attempt uploaded
 * another (text, as busybox wget sends it); w-2 uploaded nothing.
 */
class LogsCommandTest {
    @TempDir
    static Path dir;
    static ServeProcess serve;
    static String base;
    static MachineTokens tokens;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String FIRST = "yoo[w-1]: install of w-1 started\n  install-os| dd: No space left on device\nyoo[w-1]: install-os: FAILED (exit 1)\n";
    static final String SECOND = "yoo[w-1]: install of w-1 started\nyoo[w-1]: installed; rebooting\n";

    @BeforeAll
    static void serveWithOneFailedAndReprovisionedMachine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, """
                cluster: logs
                architecture: devtest
                network: { interface: lo, server: 10.201.0.1, subnet: 10.201.0.0/24, dhcp: off }
                server: { httpPort: %d, stateDir: state, assetDir: assets }
                os: { version: 4081.2.0 }
                machines:
                  - { name: cp-1, mac: "52:54:00:98:01:01", ip: 10.201.0.11, role: control-plane }
                  - { name: w-1, mac: "52:54:00:98:01:02", ip: 10.201.0.12, role: worker }
                  - { name: w-2, mac: "52:54:00:98:01:03", ip: 10.201.0.13, role: worker }
                """.formatted(port));
        serve = ServeProcess.start(dir, "logs", ServeProcess.onLoopback(cluster, 0));
        base = "http://127.0.0.1:" + port;
        tokens = TokenSecretFile.read(dir.resolve("state")).orElseThrow();

        upload("w-1", "application/gzip", gzip(FIRST));
        String admin = Files.readString(dir.resolve("state/admin-token")).strip();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines/w-1/reprovision"))
                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        upload("w-1", "text/plain", SECOND.getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static void upload(String machine, String type, byte[] body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines/" + machine + "/log?token=" + tokens.tokenFor(machine)))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    record Run(int exit, String out, String err) {}

    static Run yoo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Yoo.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", base, "--state-dir", dir.resolve("state").toString()));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void printsTheNewestAttemptsLogByDefault() {
        Run r = yoo("logs", "w-1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(SECOND);
    }

    @Test
    void printsTheFailedAttemptsLogWithAttempt() {
        Run r = yoo("logs", "w-1", "--attempt", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(FIRST);
    }

    @Test
    void listsTheAttemptsThatHaveALog() {
        Run r = yoo("logs", "w-1", "--list");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("1 ").endsWith(" " + SECOND.length());
        assertThat(lines.get(2)).startsWith("0 ").endsWith(" " + FIRST.length());
    }

    @Test
    void saysWhatIsMissing() {
        Run none = yoo("logs", "w-2");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("w-2 has uploaded no install log yet");
        Run noAttempt = yoo("logs", "w-1", "--attempt", "7");
        assertThat(noAttempt.exit()).isEqualTo(1);
        assertThat(noAttempt.err()).contains("no install log of w-1 attempt 7");
        Run nobody = yoo("logs", "nobody");
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err()).contains("no machine named 'nobody'");
        Run negative = yoo("logs", "w-1", "--attempt", "-1");
        assertThat(negative.exit()).isEqualTo(2);
    }
}
