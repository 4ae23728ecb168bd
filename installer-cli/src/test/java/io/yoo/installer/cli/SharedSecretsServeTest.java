package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.TempPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code yoo serve} processes, started together against one real PostgreSQL with the same
 * {@code server.secretKeyFile}, each with its own state directory: they render byte-identical
 * boot scripts and configs for a machine (one token secret, one set of CAs and keys, made once
 * and shared through the database), and the database holds those secrets only sealed.
 */
class SharedSecretsServeTest {
    private static final String MAC = "52:54:00:99:00:11";
    private static final String MACHINE_ADDRESS = "127.0.0.11";
    private static final Pattern MACHINE_URL = Pattern.compile("/m/m1/([A-Za-z0-9_-]{22})/");

    @TempDir
    Path dir;

    @Test
    void twoServersOnOneDatabaseRenderTheSameFilesForAMachine() throws Exception {
        try (TempPostgres pg = TempPostgres.start()) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path key = dir.resolve("secret.key");
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            Files.write(Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), k);
            Path a = server("a", port, pg, key);
            Path b = server("b", port, pg, key);

            // started together: both find no secrets, one makes them, the other waits and reads them
            Process pa = serve(a, "127.0.0.1");
            Process pb = serve(b, "127.0.0.2");
            ProcessOutput outA = ProcessOutput.follow(pa);
            ProcessOutput outB = ProcessOutput.follow(pb);
            try {
                waitFor(() -> started(outA) && started(outB) || !pa.isAlive() || !pb.isAlive(), 90, outA, outB);
                assertThat(pa.isAlive() && pb.isAlive()).as("both serve; output:\n%s\n---\n%s", text(outA), text(outB)).isTrue();

                HttpClient machine = HttpClient.newBuilder().localAddress(InetAddress.ofLiteral(MACHINE_ADDRESS))
                        .connectTimeout(Duration.ofSeconds(10)).build();
                String scriptA = get(machine, "http://127.0.0.1:" + port + "/boot/by-mac/" + MAC + ".ipxe");
                String scriptB = get(machine, "http://127.0.0.2:" + port + "/boot/by-mac/" + MAC + ".ipxe");
                assertThat(scriptB).as("the iPXE script of m1 from both servers").isEqualTo(scriptA);
                Matcher token = MACHINE_URL.matcher(scriptA);
                assertThat(token.find()).as("m1's own URL in its script:\n%s", scriptA).isTrue();

                Map<String, String> fromA = new HashMap<>();
                for (String file : List.of("boot.ipxe", "live-config", "config", "install.sh", "kubeadm.yaml")) {
                    String path = "/m/m1/" + token.group(1) + "/" + file;
                    String bodyA = get(machine, "http://127.0.0.1:" + port + path);
                    assertThat(get(machine, "http://127.0.0.2:" + port + path)).as("%s from both servers", file).isEqualTo(bodyA);
                    fromA.put(file, bodyA);
                }
                // the control-plane machine's config carries the cluster's CA keys: the same ones from both
                assertThat(fromA.get("config")).contains("\"path\" : \"/etc/kubernetes/pki/ca.key\"")
                        .contains("\"path\" : \"/etc/kubernetes/pki/sa.key\"");

                try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT name, sealed FROM yoo_shared_secret ORDER BY name")) {
                    List<String> names = new ArrayList<>();
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        String atRest = new String(Base64.getDecoder().decode(rs.getString(2)), StandardCharsets.ISO_8859_1);
                        assertThat(atRest).as("%s is sealed at rest", rs.getString(1)).doesNotContain("PRIVATE KEY").doesNotContain("CERTIFICATE");
                    }
                    assertThat(names).containsExactly("cluster-secrets", "token-secret");
                }
                for (Path server : List.of(a, b)) {
                    assertThat(server.resolve("state/token-secret")).as("no local token secret").doesNotExist();
                    assertThat(server.resolve("state/secrets")).as("no local CA keys").doesNotExist();
                }
            } finally {
                for (Process p : List.of(pa, pb)) {
                    p.destroy();
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
                }
            }
        }
    }

    private static boolean started(ProcessOutput o) {
        return o.lines.stream().anyMatch(l -> l.contains("yoo serve: cluster ha1"));
    }

    /** A server's own directory: the same descriptor text, its own state directory. */
    private Path server(String name, int port, TempPostgres pg, Path key) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("cluster.yml"), """
                cluster: ha1
                architecture: devtest
                network: { interface: lo, server: 127.0.0.1, subnet: 127.0.0.0/8, dhcp: off }
                server: { httpPort: %d, stateDir: state, assetDir: assets, database: "%s", secretKeyFile: "%s" }
                os: { version: 4081.2.0 }
                machines:
                  - { name: m1, mac: "%s", ip: %s, role: control-plane }
                """.formatted(port, pg.jdbcUrl(), key, MAC, MACHINE_ADDRESS));
        return d;
    }

    private static Process serve(Path d, String bind) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Yoo.class.getName(),
                "serve", d.resolve("cluster.yml").toString(), "--unprivileged", "--tftp-port", "0", "--bind", bind));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true);
        pb.environment().put("YOO_DB_USER", "yoo");
        return pb.start();
    }

    private static String get(HttpClient c, String url) throws Exception {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return r.body();
    }

    private static String text(ProcessOutput o) {
        return String.join("\n", o.lines);
    }

    private static void waitFor(BooleanSupplier cond, int seconds, ProcessOutput a, ProcessOutput b) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out; output:\n" + text(a) + "\n---\n" + text(b));
            }
            Thread.sleep(100);
        }
    }
}
