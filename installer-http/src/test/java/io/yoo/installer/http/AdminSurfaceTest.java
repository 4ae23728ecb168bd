package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin surface apart (issue #21): API, UI and metrics on their own listener (127.0.0.2, a
 * loopback alias Linux answers without setup), HTTPS there with a PEM pair made by openssl, while
 * the install-network listener (127.0.0.1) serves boot files, assets and progress events only.
 */
class AdminSurfaceTest {
    @TempDir
    Path dir;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private String code(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "-o";
        all[1] = "/dev/null";
        all[2] = "-w";
        all[3] = "%{http_code}";
        System.arraycopy(args, 0, all, 4, args.length);
        return TestServer.curl(all).text();
    }

    @Test
    void apiAnswersOnlyOnTheAdminListenerAndBootFilesOnlyOnTheBootListener() throws Exception {
        Peers.requireCommands("curl");
        s = new TestServer(dir, c -> c.withAdmin(new AdminListener("127.0.0.2", 0, Optional.empty())), Function.identity(),
                TestServer.MACHINES);
        String boot = s.base();
        String admin = "http://127.0.0.2:" + s.server.adminPort();
        String auth = "Authorization: Bearer " + s.adminToken();

        assertThat(TestServer.curl("-H", auth, admin + "/api/v1/summary").text()).contains("\"total\":3");
        assertThat(code("-H", auth, boot + "/api/v1/summary")).isEqualTo("404");
        assertThat(code("-H", auth, boot + "/api/v1/machines")).isEqualTo("404");
        assertThat(code(boot + "/")).isEqualTo("404");
        assertThat(code(boot + "/ui/app.js")).isEqualTo("404");
        assertThat(code(boot + "/metrics")).isEqualTo("404");
        assertThat(code(admin + "/")).isEqualTo("200");
        assertThat(code(admin + "/metrics")).isEqualTo("200");

        // boot files and progress events stay on the install network
        assertThat(TestServer.curl(boot + "/boot/by-mac/52:54:00:00:00:0a.ipxe").text()).startsWith("#!ipxe");
        assertThat(code(admin + "/boot/by-mac/52:54:00:00:00:0a.ipxe")).isEqualTo("404");
        assertThat(s.postEvent("node-a", s.tokens.tokenFor("node-a"), "{\"phase\":\"install-os\",\"status\":\"started\"}").statusCode())
                .isLessThan(300);
        assertThat(code(boot + "/healthz")).isEqualTo("200");
        assertThat(code(admin + "/healthz")).isEqualTo("200");
    }

    @Test
    void adminListenerSpeaksTlsWithAPemPair() throws Exception {
        Peers.requireCommands("curl", "openssl");
        Path cert = dir.resolve("admin.crt");
        Path key = dir.resolve("admin.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=yoo-admin",
                "-addext", "subjectAltName=IP:127.0.0.2").redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        s = new TestServer(dir, c -> c.withAdmin(new AdminListener("127.0.0.2", 0, Optional.of(TlsConfig.pem(cert, key)))),
                Function.identity(), TestServer.MACHINES);
        String admin = "https://127.0.0.2:" + s.server.adminPort();

        assertThat(TestServer.curl("--cacert", cert.toString(), "-H", "Authorization: Bearer " + s.adminToken(), admin + "/api/v1/summary")
                .text()).contains("\"total\":3");
        // the certificate really is checked: without the CA curl refuses
        assertThat(TestServer.curl(admin + "/healthz").exit()).isNotZero();
        assertThat(code("http://127.0.0.2:" + s.server.adminPort() + "/healthz")).isNotEqualTo("200");
        // and the boot listener stays plain HTTP (iPXE without TLS)
        assertThat(TestServer.curl(s.base() + "/boot/by-mac/52:54:00:00:00:0a.ipxe").text()).startsWith("#!ipxe");
    }
}
