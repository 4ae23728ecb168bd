package io.yoo.installer.tftp;

import io.yoo.installer.tftp.server.TftpServer;
import io.yoo.installer.tftp.server.TftpServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/** Shared fixtures: a server on an ephemeral loopback port, files with known content. */
final class TestServers {
    private TestServers() {}

    static TftpServerConfig loopback(Path root) {
        return TftpServerConfig.defaults(root).withBind(InetAddress.getLoopbackAddress(), 0);
    }

    static TftpServer started(TftpServerConfig config) throws IOException {
        TftpServer s = new TftpServer(config);
        s.start();
        return s;
    }

    /** Writes {@code size} pseudo-random bytes (fixed seed per size, so failures reproduce). */
    static Path file(Path dir, String name, long size) throws IOException {
        Path p = dir.resolve(name);
        Random r = new Random(size);
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(p)) {
            long left = size;
            while (left > 0) {
                r.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
        return p;
    }

    static String sha256(Path p) throws Exception {
        var md = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) > 0) {
                md.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
