package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.tftp.codec.ErrorCode;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.server.TftpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRUB (the Secure Boot chain's signed GRUB too) asks for "/grub/grub.cfg": an absolute name may
 * reach the rendered files, never the disk.
 */
class AbsoluteVirtualPathTest {
    @TempDir
    Path root;
    TftpServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void an_absolute_name_gets_the_virtual_file_but_never_a_disk_file() throws Exception {
        Files.writeString(root.resolve("ondisk.txt"), "disk");
        server = new TftpServer(TestServers.loopback(root),
                (path, client) -> path.equals("grub/grub.cfg") ? Optional.of("menu".getBytes(StandardCharsets.US_ASCII)) : Optional.empty(),
                t -> {});
        server.start();
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("/grub/grub.cfg", Map.of());
            TftpPacket p = c.receive();
            assertThat(p).isInstanceOf(TftpPacket.Data.class);
            assertThat(new String(((TftpPacket.Data) p).payload(), StandardCharsets.US_ASCII)).isEqualTo("menu");
        }
        for (String refused : new String[] {"/ondisk.txt", "//grub/grub.cfg", "/../ondisk.txt"}) {
            try (TestClient c = new TestClient(server.port())) {
                c.rrq(refused, Map.of());
                TftpPacket p = c.receive();
                assertThat(p).as(refused).isInstanceOf(TftpPacket.Error.class);
                assertThat(((TftpPacket.Error) p).code()).as(refused).isEqualTo(ErrorCode.ACCESS_VIOLATION);
            }
        }
    }
}
