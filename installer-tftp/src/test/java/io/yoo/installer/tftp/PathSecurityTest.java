package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.tftp.codec.ErrorCode;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.files.PathRefusedException;
import io.yoo.installer.tftp.files.RequestPath;
import io.yoo.installer.tftp.files.TftpRoot;
import io.yoo.installer.tftp.server.TftpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No request reaches a file outside the root: each escape is refused by the guard and over the wire. */
class PathSecurityTest {
    @TempDir
    Path dir;

    Path root;
    Path secret;
    TftpServer server;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/ok.txt"), "inside");
        secret = dir.resolve("secret");
        Files.writeString(secret, "SECRET");
        Files.createSymbolicLink(root.resolve("escape"), secret);
        Files.createSymbolicLink(root.resolve("escape-dir"), dir);
        Files.createSymbolicLink(root.resolve("inside-link"), root.resolve("sub/ok.txt"));
        server = TestServers.started(TestServers.loopback(root));
    }

    @AfterEach
    void tearDown() {
        server.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "../secret", "sub/../../secret", "..", "/etc/passwd", "/" , "..\\secret", "sub\\..\\..\\secret",
        "%2e%2e/secret", "sub/%2E%2E/%2e%2e/secret", "./sub/ok.txt", "sub//ok.txt", "sub/ok.txt/", "a\u0001b", "\u00e9t\u00e9"
    })
    void guardRefusesEscapesAndOddNames(String name) {
        assertThatThrownBy(() -> RequestPath.segments(name))
                .isInstanceOf(PathRefusedException.class)
                .hasMessageStartingWith("access violation");
    }

    @Test
    void guardRefusesNulBytes() {
        assertThatThrownBy(() -> RequestPath.segments("sub/ok.txt\0../../secret"))
                .isInstanceOf(PathRefusedException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void symlinkPointingOutsideIsRefused() throws Exception {
        TftpRoot r = new TftpRoot(root);
        assertThatThrownBy(() -> r.resolve("escape")).hasMessageContaining("outside the TFTP root");
        assertThatThrownBy(() -> r.resolve("escape-dir/secret")).hasMessageContaining("outside the TFTP root");
        assertThat(r.resolve("inside-link")).isEqualTo(root.toRealPath().resolve("sub/ok.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret", "sub/../../secret", "/etc/passwd", "..\\secret", "%2e%2e/secret", "escape", "escape-dir/secret"})
    void escapesAreRefusedOverTheWire(String name) throws Exception {
        try (TestClient c = new TestClient(server.port())) {
            c.rrq(name, Map.of());
            TftpPacket p = c.receive();
            assertThat(p).isInstanceOf(TftpPacket.Error.class);
            assertThat(((TftpPacket.Error) p).code()).isEqualTo(ErrorCode.ACCESS_VIOLATION);
        }
    }

    @Test
    void nulInsideTheFileNameFieldNeverReachesTheDisk() throws Exception {
        try (TestClient c = new TestClient(server.port())) {
            // the name ends at the first NUL, so the rest is read as the mode: refused, no DATA
            c.sendRaw("\0\1sub/ok.txt\0../../secret\0octet\0".getBytes(StandardCharsets.ISO_8859_1));
            TftpPacket p = c.receive();
            assertThat(p).isInstanceOf(TftpPacket.Error.class);
            assertThat(((TftpPacket.Error) p).code()).isEqualTo(ErrorCode.ILLEGAL_OPERATION);
        }
    }

    @Test
    void directoriesAndMissingFilesAreNotFound() throws Exception {
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("sub", Map.of());
            assertThat(((TftpPacket.Error) c.receive()).code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
            c.rrq("nope", Map.of());
            assertThat(((TftpPacket.Error) c.receive()).code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        }
    }

    @Test
    void fileAndSymlinkInsideTheRootAreServed() throws Exception {
        for (String name : new String[] {"sub/ok.txt", "inside-link"}) {
            try (TestClient c = new TestClient(server.port())) {
                c.rrq(name, Map.of());
                TftpPacket.Data d = (TftpPacket.Data) c.receive();
                assertThat(new String(d.payload(), StandardCharsets.US_ASCII)).isEqualTo("inside");
                c.ack(1);
            }
        }
    }
}
