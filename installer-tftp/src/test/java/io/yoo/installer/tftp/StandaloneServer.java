package io.yoo.installer.tftp;

import io.yoo.installer.tftp.server.TftpServer;
import io.yoo.installer.tftp.server.TftpServerConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/** Runs the server in a child JVM inside a test's network namespace: ROOT PORT TIMEOUT_MS. */
public final class StandaloneServer {
    private StandaloneServer() {}

    public static void main(String[] args) throws Exception {
        TftpServer s = new TftpServer(TftpServerConfig.defaults(Path.of(args[0]))
                .withBind(InetAddress.ofLiteral("0.0.0.0"), Integer.parseInt(args[1]))
                .withTimeout(Duration.ofMillis(Long.parseLong(args[2])), 8));
        s.start();
        System.out.println("READY " + s.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
