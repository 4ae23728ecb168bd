package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yoo serve} as a real process (DHCP off, unprivileged ports): it serves only verified
 * assets, renders per-machine files, refuses an invalid descriptor on reload while keeping the
 * old one, picks up a valid change, answers {@code yoo status}, and stops cleanly on SIGTERM;
 * without iPXE binaries it still starts, and says why a machine cannot boot.
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void servesVerifiedAssetsOnlyReloadsSafelyAndStopsCleanly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path assets = Files.createDirectories(dir.resolve("assets/tools"));
        Files.writeString(assets.resolve("verified.sh"), "echo verified\n");
        Files.writeString(assets.resolve("unverified.sh"), "echo not verified\n");
        assertThat(run(List.of("assets", "add", assets.resolve("verified.sh").toString(), "--as", "tools/verified.sh", "--sha256",
                sha256(assets.resolve("verified.sh")), "--asset-dir", dir.resolve("assets").toString()))).isZero();
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, descriptor(port, ""));

        try (ServeProcess serve = ServeProcess.start(dir, "t1", ServeProcess.onLoopback(cluster, 0))) {
            List<String> lines = serve.lines();
            String token = Files.readString(dir.resolve("state/admin-token")).strip();
            HttpClient c = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            assertThat(get(c, base + "/readyz", null).statusCode()).isEqualTo(200);
            HttpResponse<String> verified = get(c, base + "/assets/tools/verified.sh", null);
            assertThat(verified.statusCode()).isEqualTo(200);
            assertThat(verified.body()).isEqualTo("echo verified\n");
            assertThat(get(c, base + "/assets/tools/unverified.sh", null).statusCode()).isEqualTo(404);
            assertThat(get(c, base + "/api/v1/machines/m1", token).body()).contains("\"name\":\"m1\"");

            // an invalid descriptor is refused, its error logged with file:line, the old one kept
            Files.writeString(cluster, descriptor(port, "  - { name: m2, mac: \"not-a-mac\", ip: 10.200.0.12, role: worker }\n"));
            waitFor(() -> lines.stream().anyMatch(l -> l.contains("NOT reloaded")), 30, lines);
            assertThat(lines).anyMatch(l -> l.contains("cluster.yml:") && l.contains("machines[1].mac"));
            assertThat(get(c, base + "/api/v1/machines/m1", token).statusCode()).isEqualTo(200);

            // a valid change is picked up without a restart
            Files.writeString(cluster, descriptor(port, "  - { name: m2, mac: \"52:54:00:99:00:12\", ip: 10.200.0.12, role: worker }\n"));
            waitFor(() -> lines.stream().anyMatch(l -> l.contains("reloaded: 2 machines")), 30, lines);
            assertThat(get(c, base + "/api/v1/machines/m2", token).body()).contains("\"inDescriptor\":true");

            // yoo status reads the same API (exit 5: machines still in progress)
            assertThat(run(List.of("status", "--url", base, "--state-dir", dir.resolve("state").toString()))).isEqualTo(5);
        }
    }

    /**
     * No iPXE binaries (a --tftp-root that does not exist, as /usr/lib/ipxe without the ipxe
     * package): serve starts, warns once naming the fix, serves HTTP and the rendered TFTP files,
     * and a machine asking for its boot program gets TFTP "file not found" (a real client, curl)
     * and a failed event with the fix on its record in the API.
     */
    @Test
    void startsWithoutIpxeAndAMachineAskingForItsBootProgramGetsFileNotFoundAndAnEventOnItsRecord() throws Exception {
        Peers.requireCommands("curl");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        // the install network is loopback, so curl can speak from the machine's reserved address
        Files.writeString(cluster, """
                cluster: t2
                architecture: dev
                network: { interface: lo, server: 127.0.0.1, subnet: 127.0.0.0/8, dhcp: off }
                server: { httpPort: %d, stateDir: state, assetDir: assets }
                os: { version: 4081.2.0 }
                machines:
                  - { name: m1, mac: "52:54:00:99:00:11", ip: 127.0.0.11 }
                """.formatted(port));
        Path noIpxe = dir.resolve("no-ipxe");
        Process p = java(List.of("serve", cluster.toString(), "--unprivileged", "--tftp-port", "0", "--bind", "127.0.0.1",
                "--tftp-root", noIpxe.toString()));
        List<String> lines = collect(p);
        try {
            // the banner's "  state" line comes after its TFTP line, which the port is read from
            waitFor(() -> lines.stream().anyMatch(l -> l.startsWith("  state ")) || !p.isAlive(), 60, lines);
            assertThat(p.isAlive()).as("yoo serve is running; output:\n%s", String.join("\n", lines)).isTrue();
            int tftpPort = lines.stream().map(l -> Pattern.compile("TFTP +127\\.0\\.0\\.1:(\\d+) ").matcher(l))
                    .filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))).findFirst().orElseThrow();
            assertThat(tftpPort).isPositive();
            HttpClient c = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            assertThat(get(c, base + "/healthz", null).statusCode()).isEqualTo(200);
            assertThat(get(c, base + "/boot.ipxe", null).body()).startsWith("#!ipxe");

            // the rendered per-machine file still comes over TFTP
            String tftp = "tftp://127.0.0.1:" + tftpPort + "/";
            Process cfg = curl("--interface", "127.0.0.11", tftp + "pxelinux.cfg/01-52-54-00-99-00-11");
            assertThat(new String(cfg.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("DEFAULT m1");
            assertThat(cfg.waitFor()).isZero();
            // the boot program does not: TFTP error 1 (curl exit 68: "TFTP: file not found")
            Process missing = curl("--interface", "127.0.0.11", "-o", "/dev/null", tftp + "undionly.kpxe");
            assertThat(missing.waitFor()).as(new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(68);
            assertThat(curl("--interface", "127.0.0.11", "-o", "/dev/null", tftp + "undionly.kpxe").waitFor()).isEqualTo(68);

            String token = Files.readString(dir.resolve("state/admin-token")).strip();
            waitFor(() -> {
                try {
                    return get(c, base + "/api/v1/machines/m1", token).body().contains("\"state\":\"failed\"");
                } catch (Exception e) {
                    return false;
                }
            }, 30, lines);
            String m1 = get(c, base + "/api/v1/machines/m1", token).body();
            assertThat(m1).contains("\"status\":\"failed\"", "tftp undionly.kpxe: not found in " + noIpxe, "apt install ipxe",
                    "--tftp-root", "yoo assets add");
            // the firmware's retry is not a second event
            assertThat(m1.split("\"status\":\"failed\"", -1)).hasSize(2);
            // warned once, at start, naming the fix
            assertThat(lines.stream().filter(l -> l.contains("WARN") && l.contains("no iPXE boot programs")).toList()).singleElement()
                    .satisfies(l -> assertThat(l).contains(noIpxe + " does not exist", "apt install ipxe", "--tftp-root", "yoo assets add"));
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }

    /**
     * #15 item 3: a state directory an older version left readable (0755, files 0644) is made
     * owner-only and the log says so; files created now (H2's yoo.mv.db) are 0600; with stdout a
     * pipe (a service: it lands in the journal) the admin token is not printed, where it is kept is.
     */
    @Test
    void olderReadableStateIsTightenedNewFilesAreOwnerOnlyAndTheTokenIsNotPrintedIntoAPipe() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path state = Files.createDirectories(dir.resolve("state"));
        String oldToken = "token-from-an-older-version-0123";
        Files.writeString(state.resolve("admin-token"), oldToken + "\n");
        Files.write(state.resolve("token-secret"), new byte[32]);
        for (Path f : List.of(state.resolve("admin-token"), state.resolve("token-secret"))) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, descriptor(port, ""));

        List<String> lines = startServe(cluster);
        String all = String.join("\n", lines);
        assertThat(all).doesNotContain(oldToken).contains("admin token kept in " + state.resolve("admin-token"));
        assertThat(lines).filteredOn(l -> l.contains("now owner-only")).singleElement()
                .satisfies(l -> assertThat(l).contains("WARN", state.toString(), "the directory", "admin-token", "token-secret"));
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(state.resolve("yoo.mv.db"))).isEqualTo("rw-------");
        try (var files = Files.walk(state)) {
            assertThat(files.filter(f -> !Files.isSymbolicLink(f)).toList()).allSatisfy(f -> assertThat(mode(f)).endsWith("------"));
        }
    }

    /** A new state directory: 0700, and its new admin token is not printed into a pipe either. */
    @Test
    void aNewTokenIsNotPrintedIntoAPipe() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, descriptor(port, ""));
        List<String> lines = startServe(cluster);
        Path state = dir.resolve("state");
        String token = Files.readString(state.resolve("admin-token")).strip();
        assertThat(String.join("\n", lines)).doesNotContain(token)
                .contains("admin token created, kept in " + state.resolve("admin-token") + " (not printed: stdout is not a terminal)");
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(state.resolve("admin-token"))).isEqualTo("rw-------");
        assertThat(mode(state.resolve("yoo.mv.db"))).isEqualTo("rw-------");
    }

    /** On a terminal (a pty from util-linux `script`) the new token is printed once, with its UI link. */
    @Test
    void aNewTokenIsPrintedOnATerminal() throws Exception {
        Peers.requireCommands("script");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, descriptor(port, ""));
        String cmd = String.join(" ", ServeProcess.javaCommand(List.of("serve", cluster.toString(), "--unprivileged", "--tftp-port", "0", "--bind", "127.0.0.1"))
                .stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Process p = new ProcessBuilder("script", "-qefc", cmd, "/dev/null").directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = collect(p);
        try {
            waitFor(() -> lines.stream().anyMatch(l -> l.contains("#token=")) || !p.isAlive(), 60, lines);
            String token = Files.readString(dir.resolve("state/admin-token")).strip();
            assertThat(lines).anyMatch(l -> l.contains("admin token (printed once; kept in") && l.strip().endsWith(token));
            assertThat(lines).anyMatch(l -> l.contains("open http://127.0.0.1:" + port + "/#token=" + token));
        } finally {
            p.descendants().forEach(ProcessHandle::destroy); // the server under the pty: SIGTERM, its clean stop
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Starts serve, waits for its summary, stops it (SIGTERM); returns everything it printed. */
    private List<String> startServe(Path cluster) throws Exception {
        Process p = java(List.of("serve", cluster.toString(), "--unprivileged", "--tftp-port", "0", "--bind", "127.0.0.1"));
        List<String> lines = collect(p);
        try {
            waitFor(() -> lines.stream().anyMatch(l -> l.contains("admin token")) || !p.isAlive(), 60, lines);
            assertThat(p.isAlive()).as("yoo serve is running; output:\n%s", String.join("\n", lines)).isTrue();
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        return lines;
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    private static List<String> collect(Process p) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // process ended
            }
        });
        return lines;
    }

    /** A port another process holds: serve names the component and the fix, stops what it had started, exits 3. */
    @Test
    void aTakenHttpPortIsNamedWithItsFixAndServeExitsWithTheHostCode() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Path cluster = dir.resolve("cluster.yml");
            Files.writeString(cluster, descriptor(taken.getLocalPort(), ""));
            Process p = java(List.of("serve", cluster.toString(), "--unprivileged", "--tftp-port", "0", "--bind", "127.0.0.1"));
            ProcessOutput output = ProcessOutput.follow(p);
            try {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("gives up; output:\n%s", String.join("\n", output.lines)).isTrue();
            } finally {
                p.destroyForcibly();
                output.reader.join(5000);
            }
            assertThat(p.exitValue()).as(String.join("\n", output.lines)).isEqualTo(3);
            assertThat(output.lines).anyMatch(l -> l.startsWith("yoo serve: cannot start http: ") && l.contains("another process holds the port"));
        }
    }

    /**
     * {@code server.adminBind} with a PEM pair (issue #21): the API, UI and metrics answer over HTTPS on
     * 127.0.0.2 (curl --cacert checks the certificate) and 404 on the install-network listener, which
     * still serves boot scripts; the banner points at the admin address.
     */
    @Test
    void theAdminSurfaceApartAnswersOverTlsAndTheBootListenerServesOnlyBootFiles() throws Exception {
        Peers.requireCommands("curl", "openssl");
        Path cert = dir.resolve("admin.crt");
        Path key = dir.resolve("admin.key");
        Process gen = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "1", "-subj", "/CN=yoo-admin", "-addext", "subjectAltName=IP:127.0.0.2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(gen.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gen.exitValue()).isZero();
        int port;
        int adminPort;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            port = a.getLocalPort();
            adminPort = b.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, descriptor(port, "").replace("assetDir: assets }",
                "assetDir: assets, adminBind: \"127.0.0.2:" + adminPort + "\", tls: { cert: admin.crt, key: admin.key } }"));
        try (ServeProcess serve = ServeProcess.start(dir, "t1", ServeProcess.onLoopback(cluster, 0))) {
            List<String> lines = serve.lines();
            waitFor(() -> lines.stream().anyMatch(l -> l.startsWith("  state ")), 60, lines); // the banner's last line
            assertThat(lines).anyMatch(l -> l.startsWith("  UI    https://127.0.0.2:" + adminPort + "/"));
            String token = Files.readString(dir.resolve("state/admin-token")).strip();
            String admin = "https://127.0.0.2:" + adminPort;
            String boot = "http://127.0.0.1:" + port;
            assertThat(new String(curl("--cacert", cert.toString(), "-H", "Authorization: Bearer " + token, admin + "/api/v1/machines/m1")
                    .getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("\"name\":\"m1\"");
            assertThat(new String(curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer " + token,
                    boot + "/api/v1/machines/m1").getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("404");
            assertThat(new String(curl("-o", "/dev/null", "-w", "%{http_code}", boot + "/metrics").getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo("404");
            assertThat(new String(curl(boot + "/boot/by-mac/52:54:00:99:00:11.ipxe").getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("#!ipxe");
        }
    }

    private static String descriptor(int port, String extraMachine) {
        return """
                cluster: t1
                architecture: devtest
                network: { interface: lo, server: 10.200.0.1, subnet: 10.200.0.0/24, dhcp: off }
                server: { httpPort: %d, stateDir: state, assetDir: assets }
                os: { version: 4081.2.0 }
                machines:
                  - { name: m1, mac: "52:54:00:99:00:11", ip: 10.200.0.11, role: control-plane }
                %s""".formatted(port, extraMachine);
    }

    private Process java(List<String> args) throws Exception {
        return new ProcessBuilder(ServeProcess.javaCommand(args)).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    private int run(List<String> args) throws Exception {
        Process p = java(args);
        p.getInputStream().transferTo(System.out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static HttpResponse<String> get(HttpClient c, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private static void waitFor(BooleanSupplier cond, int seconds, List<String> lines) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out; server output:\n" + String.join("\n", lines));
            }
            Thread.sleep(100);
        }
    }
}
